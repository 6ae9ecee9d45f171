"""Experiments and showcases in the JSON export, and their reader (issue 13).

Sections: ``experiments`` (each with its approval trips and votes, learning cards with their
applause, and history) and ``showcases`` (each with its agenda items and their applause).
An experiment is keyed by its external id within its team (``experiment-<pk>`` when made
here); a showcase by (team, scope, month). On import the children of each are replaced by
the file's, so importing the same file twice changes nothing. Iterations (``previous``) and
lessons with source "experiment" are linked after every experiment is in. Written and read in
step with :mod:`learnloop.transfer.json_export` and :mod:`learnloop.transfer.json_import`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from learnloop.applause.models import Reaction
from learnloop.experiments.models import (
    ApprovalRequest,
    ApprovalVote,
    Event,
    Experiment,
    LearningCard,
    Showcase,
    ShowcaseItem,
)
from learnloop.lessons.models import Lesson
from learnloop.transfer.json_format import email_of, ext_id, iso, parse_dt, ref

SECTIONS = ("experiments", "showcases")
CARD_FIELDS = (
    "kind",
    "visibility",
    "title",
    "hypothesis",
    "test",
    "metric",
    "success_criterion",
    "riskiest_assumption",
    "currency",
    "phase",
    "state",
    "decision",
)


def _reactions(kind: str, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    rows = Reaction.objects.filter(kind=kind, object_id__in=ids).select_related("user")
    for r in rows.order_by("emoji", "user__email"):
        out.setdefault(r.object_id, []).append(
            {"emoji": r.emoji, "user": email_of(r.user), "created_at": iso(r.created_at)}
        )
    return out


def _experiment(e: Experiment, card_reactions: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    return {
        "team": e.team.slug,
        "id": ext_id(e, "experiment"),
        **{name: getattr(e, name) for name in CARD_FIELDS},
        "budget": str(e.budget),
        "expected_saving": None if e.expected_saving is None else str(e.expected_saving),
        "time_box_days": e.time_box_days,
        "person_days": str(e.person_days),
        "owner": email_of(e.owner),
        "participants": sorted(email_of(u) or "" for u in e.participants.all()),
        "previous": ref(e.previous, "experiment") if e.previous_id else None,
        "iteration": e.iteration,
        "started_at": iso(e.started_at),
        "decided_at": iso(e.decided_at),
        "version": e.version,
        "created_by": email_of(e.created_by),
        "created_at": iso(e.created_at),
        "approvals": [
            {
                "kind": r.kind,
                "phase": r.phase,
                "budget": str(r.budget),
                "approval": r.approval,
                "required_approvals": r.required_approvals,
                "allow_self_approval": r.allow_self_approval,
                "submitted_by": email_of(r.submitted_by),
                "submitted_at": iso(r.submitted_at),
                "outcome": r.outcome,
                "decided_at": iso(r.decided_at),
                "lead_time_seconds": r.lead_time_seconds,
                "reason": r.reason,
                "approvers": sorted(email_of(u) or "" for u in r.approvers.all()),
                "votes": [
                    {
                        "approver": email_of(v.approver),
                        "approve": v.approve,
                        "note": v.note,
                        "at": iso(v.at),
                    }
                    for v in r.votes.all()
                ],
            }
            for r in sorted(e.approval_requests.all(), key=lambda r: (r.submitted_at, r.pk))
        ],
        "learning_cards": [
            {
                "observed": c.observed,
                "learned": c.learned,
                "data": c.data,
                "decision": c.decision,
                "created_by": email_of(c.created_by),
                "created_at": iso(c.created_at),
                "reactions": card_reactions.get(c.pk, []),
            }
            for c in e.learning_cards.all()
        ],
        "lessons": sorted(
            (ref(lesson, "lesson") or {} for lesson in e.lessons.all()), key=lambda r: str(r)
        ),
        "history": [
            {
                "at": iso(ev.at),
                "actor": email_of(ev.actor),
                "what": ev.what,
                "from_state": ev.from_state,
                "to_state": ev.to_state,
                "note": ev.note,
            }
            for ev in e.events.all()
        ],
    }


def export_sections(team_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    experiments = list(
        Experiment.objects.filter(team_id__in=team_ids)
        .select_related("team", "owner", "created_by", "previous__team")
        .prefetch_related(
            "participants",
            "approval_requests__votes__approver",
            "approval_requests__approvers",
            "approval_requests__submitted_by",
            "learning_cards__created_by",
            "events__actor",
            "lessons__team",
        )
        .order_by("pk")
    )
    card_ids = [c.pk for e in experiments for c in e.learning_cards.all()]
    card_reactions = _reactions("learning_card", card_ids)
    showcases = list(
        Showcase.objects.filter(team_id__in=team_ids)
        .select_related("team", "facilitator", "created_by")
        .prefetch_related("items__presenter", "items__experiment__team", "items__lesson__team")
        .order_by("pk")
    )
    item_reactions = _reactions("showcase_item", [i.pk for s in showcases for i in s.items.all()])
    return {
        "experiments": sorted(
            (_experiment(e, card_reactions) for e in experiments),
            key=lambda d: (d["team"], d["id"]),
        ),
        "showcases": sorted(
            (
                {
                    "team": s.team.slug,
                    "scope": s.scope,
                    "month": iso(s.month),
                    "visibility": s.visibility,
                    "title": s.title,
                    "facilitator": email_of(s.facilitator),
                    "meeting_at": iso(s.meeting_at),
                    "duration_minutes": s.duration_minutes,
                    "location": s.location,
                    "version": s.version,
                    "created_by": email_of(s.created_by),
                    "items": [
                        {
                            "position": i.position,
                            "title": i.title,
                            "insight": i.insight,
                            "outcome": i.outcome,
                            "experiment": ref(i.experiment, "experiment") if i.experiment else None,
                            "lesson": ref(i.lesson, "lesson") if i.lesson else None,
                            "presenter": email_of(i.presenter),
                            "leader": i.leader,
                            "presented_at": iso(i.presented_at),
                            "reactions": item_reactions.get(i.pk, []),
                        }
                        for i in sorted(s.items.all(), key=lambda i: (i.position, i.pk))
                    ],
                }
                for s in showcases
            ),
            key=lambda d: (d["team"], d["scope"], d["month"]),
        ),
    }


def _react(importer: Any, kind: str, item: Any, recipient_id: Any, rows: list[Any]) -> None:
    from learnloop.transfer.json_import import _set_created_at

    Reaction.objects.filter(kind=kind, object_id=item.pk).delete()
    for r in rows:
        user = importer.user(r.get("user"))
        if user is None:
            continue
        obj = Reaction.objects.create(
            kind=kind,
            object_id=item.pk,
            team_id=item.team_id,
            recipient_id=recipient_id,
            emoji=r["emoji"],
            user=user,
        )
        importer.count(True)
        _set_created_at(Reaction, obj.pk, r.get("created_at"))


def _children(importer: Any, e: Experiment, d: dict[str, Any]) -> None:
    from learnloop.transfer.json_import import _set_created_at

    e.approval_requests.all().delete()
    for r in d.get("approvals") or []:
        request = ApprovalRequest.objects.create(
            experiment=e,
            team_id=e.team_id,
            kind=r.get("kind") or e.kind,
            phase=r.get("phase") or e.phase,
            budget=r.get("budget") or 0,
            approval=r.get("approval") or "one",
            required_approvals=int(r.get("required_approvals") or 1),
            allow_self_approval=bool(r.get("allow_self_approval")),
            submitted_by=importer.user(r.get("submitted_by")),
            submitted_at=parse_dt(r.get("submitted_at")) or timezone.now(),
            outcome=r.get("outcome") or "pending",
            decided_at=parse_dt(r.get("decided_at")),
            lead_time_seconds=r.get("lead_time_seconds"),
            reason=r.get("reason") or "",
        )
        request.approvers.set([u for u in map(importer.user, r.get("approvers") or []) if u])
        for v in r.get("votes") or []:
            approver = importer.user(v.get("approver"))
            if approver is not None:
                ApprovalVote.objects.get_or_create(
                    request=request,
                    approver=approver,
                    defaults={
                        "approve": bool(v.get("approve")),
                        "note": v.get("note") or "",
                        "at": parse_dt(v.get("at")) or timezone.now(),
                    },
                )
    old_cards = list(e.learning_cards.values_list("pk", flat=True))
    Reaction.objects.filter(kind="learning_card", object_id__in=old_cards).delete()
    e.learning_cards.all().delete()
    for c in d.get("learning_cards") or []:
        card = LearningCard.objects.create(
            experiment=e,
            team_id=e.team_id,
            observed=c.get("observed") or "",
            learned=c.get("learned") or "",
            data=c.get("data") or "",
            decision=c.get("decision") or "persevere",
            created_by=importer.user(c.get("created_by")),
        )
        _set_created_at(LearningCard, card.pk, c.get("created_at"))
        _react(importer, "learning_card", card, card.created_by_id, c.get("reactions") or [])
    e.events.all().delete()
    Event.objects.bulk_create(
        Event(
            experiment=e,
            at=parse_dt(h.get("at")) or timezone.now(),
            actor=importer.user(h.get("actor")),
            what=h.get("what") or "",
            from_state=h.get("from_state") or "",
            to_state=h.get("to_state") or "",
            note=h.get("note") or "",
        )
        for h in d.get("history") or []
    )


def import_sections(importer: Any, data: dict[str, Any]) -> None:
    """Upsert experiments (then their iterations' links) and showcases."""
    from learnloop.transfer.json_import import _clean, _set_created_at

    rows = data.get("experiments", [])
    for d in rows:
        team = importer.team(d["team"])
        obj = importer.lookup(Experiment, team, d["id"])
        importer.count(obj is None)
        obj = obj or Experiment(team=team, external_id=d["id"])
        for name in CARD_FIELDS:
            setattr(obj, name, d.get(name) or getattr(Experiment(), name))
        obj.budget = d.get("budget") or 0
        obj.expected_saving = d.get("expected_saving")
        obj.time_box_days = int(d.get("time_box_days") or 0)
        obj.person_days = d.get("person_days") or 0
        obj.iteration = int(d.get("iteration") or 1)
        obj.started_at = parse_dt(d.get("started_at"))
        obj.decided_at = parse_dt(d.get("decided_at"))
        obj.version = int(d.get("version") or 1)
        obj.owner = importer.user(d.get("owner"))
        obj.created_by = importer.user(d.get("created_by"))
        _clean(obj, ["team", "owner", "created_by", "previous"])
        obj.save()
        obj.participants.set([u for u in map(importer.user, d.get("participants") or []) if u])
        _set_created_at(Experiment, obj.pk, d.get("created_at"))
        _children(importer, obj, d)
        lessons = [importer.find(Lesson, link) for link in d.get("lessons") or []]
        Lesson.objects.filter(pk__in=[x.pk for x in lessons if x is not None]).update(
            source_experiment=obj
        )
    for d in rows:
        obj = importer.lookup(Experiment, importer.team(d["team"]), d["id"])
        previous = importer.find(Experiment, d.get("previous"))
        if obj is not None and previous is not None and previous.pk != obj.pk:
            Experiment.objects.filter(pk=obj.pk).update(previous=previous)
    for d in data.get("showcases", []):
        team = importer.team(d["team"])
        key = {"team": team, "scope": d.get("scope") or "team", "month": d["month"]}
        showcase = Showcase.objects.filter(**key).first()
        importer.count(showcase is None)
        showcase = showcase or Showcase(**key)
        showcase.visibility = d.get("visibility") or "team"
        showcase.title = d.get("title") or "Showcase"
        showcase.facilitator = importer.user(d.get("facilitator"))
        showcase.created_by = importer.user(d.get("created_by"))
        showcase.meeting_at = parse_dt(d.get("meeting_at"))
        showcase.duration_minutes = int(d.get("duration_minutes") or 60)
        showcase.location = d.get("location") or ""
        showcase.version = int(d.get("version") or 1)
        _clean(showcase, ["team", "facilitator", "created_by"])
        showcase.save()
        old_items = list(showcase.items.values_list("pk", flat=True))
        Reaction.objects.filter(kind="showcase_item", object_id__in=old_items).delete()
        showcase.items.all().delete()
        for i in d.get("items") or []:
            experiment = importer.find(Experiment, i.get("experiment"))
            item = ShowcaseItem.objects.create(
                showcase=showcase,
                team=team,
                visibility=showcase.visibility,
                position=int(i.get("position") or 1),
                experiment=experiment,
                learning_card=experiment.learning_cards.order_by("-id").first()
                if experiment
                else None,
                lesson=importer.find(Lesson, i.get("lesson")),
                title=i.get("title") or "",
                insight=i.get("insight") or "",
                outcome=i.get("outcome") or "",
                presenter=importer.user(i.get("presenter")),
                leader=bool(i.get("leader")),
                presented_at=parse_dt(i.get("presented_at")),
            )
            _react(importer, "showcase_item", item, item.presenter_id, i.get("reactions") or [])
