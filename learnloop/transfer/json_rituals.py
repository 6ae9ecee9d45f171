"""Drills, campaigns, the leaders' pledge and retros in the JSON export, and their reader
(issues 14 and 15; decisions/0168).

Sections: ``drills`` (with their findings), ``campaigns`` (counts only, as stored: never a
person), ``pledges`` (the organisation's with ``team`` null, and each team's: every version
and its signatures) and ``retros`` (settings, topics, and cards: an anonymous card has no
author, as stored). Votes are not carried (each names its voter, and the totals are in each
topic's ``votes`` for reading only). Written and read in step with
:mod:`learnloop.transfer.json_export` and :mod:`learnloop.transfer.json_import`: the import
runs in the file's one transaction, so a bad row leaves nothing half-saved."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch

from learnloop.debriefs.models import Deliverable
from learnloop.drills.campaigns import campaign_check
from learnloop.drills.models import (
    Campaign,
    Drill,
    Finding,
    Pledge,
    PledgeSignature,
    PledgeVersion,
)
from learnloop.incidents.models import Incident
from learnloop.retros.models import Card, Retro, Topic
from learnloop.reviews.models import Review
from learnloop.transfer.json_format import email_of, ext_id, iso, parse_dt, ref

SECTIONS = ("drills", "campaigns", "pledges", "retros")


def _sorted(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return sorted(items, key=lambda d: tuple(str(d.get(k)) for k in keys))


def _drill(d: Drill) -> dict[str, Any]:
    return {
        "team": d.team.slug,
        "id": ext_id(d, "drill"),
        "visibility": d.visibility,
        "title": d.title,
        "kind": d.kind,
        "planned_for": iso(d.planned_for),
        "scenario": d.scenario,
        "facilitator": email_of(d.facilitator),
        "participants": sorted(email_of(u) or "" for u in d.participants.all()),
        "status": d.status,
        "what_happened": d.what_happened,
        "after_action": d.after_action,
        "backup": {
            "file": d.backup_file,
            "created_at": d.backup_created_at,
            "sha256": d.backup_sha256,
        },
        "findings": [f.text for f in d.findings.all()],
        "version": d.version,
        "created_by": email_of(d.created_by),
        "created_at": iso(d.created_at),
    }


def _campaign(c: Campaign) -> dict[str, Any]:
    return {
        "team": c.team.slug,
        "id": ext_id(c, "campaign"),
        "visibility": c.visibility,
        "name": c.name,
        "kind": c.kind,
        "ran_on": iso(c.ran_on),
        "drill": ref(c.drill, "drill") if c.drill_id else None,
        "reported": c.reported,
        "clicked": c.clicked,
        "ignored": c.ignored,
        "minutes_to_first_report": c.minutes_to_first_report,
        "created_at": iso(c.created_at),
    }


def _pledge(p: Pledge) -> dict[str, Any]:
    return {
        "team": p.team.slug if p.team is not None else None,
        "versions": [
            {
                "number": v.number,
                "text": v.text,
                "written_by": email_of(v.written_by),
                "written_by_name": v.written_by_name,
                "written_at": iso(v.written_at),
                "signatures": [
                    {"signer": email_of(s.signer), "name": s.name, "signed_on": iso(s.signed_on)}
                    for s in v.signatures.all()
                ],
            }
            for v in sorted(p.versions.all(), key=lambda v: v.number)
        ],
    }


def _retro(r: Retro) -> dict[str, Any]:
    # Sorted by what they say (order keys are random per install, ids and times say too much).
    topics = sorted(r.topics.all(), key=lambda t: (t.title, t.notes, t.pk))
    index = {t.pk: n for n, t in enumerate(topics)}
    return {
        "team": r.team.slug,
        "id": ext_id(r, "retro"),
        "title": r.title,
        "columns": r.columns,
        "facilitator": email_of(r.facilitator),
        "participants": sorted(email_of(u) or "" for u in r.participants.all()),
        "incident": ref(r.incident, "incident") if r.incident_id else None,
        "review": ref(r.review, "review") if r.review_id else None,
        "deliverable": ref(r.deliverable, "deliverable") if r.deliverable_id else None,
        "meeting_at": iso(r.meeting_at),
        "meeting_duration_minutes": r.meeting_duration_minutes,
        "phase": r.phase,
        "anonymity": r.anonymity,
        "votes_per_person": r.votes_per_person,
        "votes_per_topic": r.votes_per_topic,
        "version": r.version,
        "created_by": email_of(r.created_by),
        "created_at": iso(r.created_at),
        "topics": [
            {"title": t.title, "notes": t.notes, "votes": t.vote_total}  # type: ignore[attr-defined]
            for t in topics
        ],
        # By column and text: never by time or id (an anonymous card's place says nothing).
        "cards": [
            {
                "column": c.column,
                "text": c.text,
                "anonymous": c.is_anonymous,
                "author": None if c.is_anonymous else email_of(c.author),
                "topic": index.get(c.topic_id) if c.topic_id else None,
            }
            for c in sorted(r.cards.all(), key=lambda c: (c.column, c.text))
        ],
    }


def export_sections(team_ids: list[int], organisation_id: int, whole: bool) -> dict[str, Any]:
    drills = (
        Drill.objects.filter(team_id__in=team_ids)
        .select_related("team", "facilitator", "created_by")
        .prefetch_related("participants", "findings")
    )
    campaigns = Campaign.objects.filter(team_id__in=team_ids).select_related("team", "drill__team")
    pledges = Pledge.objects.filter(organisation_id=organisation_id).select_related("team")
    if not whole:
        pledges = pledges.filter(team_id__in=team_ids)
    pledges = pledges.prefetch_related("versions__signatures__signer", "versions__written_by")
    retros = (
        Retro.objects.filter(team_id__in=team_ids)
        .select_related(
            "team",
            "facilitator",
            "created_by",
            "incident__team",
            "review__team",
            "deliverable__team",
        )  # fmt: skip
        .prefetch_related(
            "participants",
            "cards__author",
            Prefetch("topics", queryset=Topic.objects.annotate(vote_total=Count("votes"))),
        )
    )
    return {
        "drills": _sorted([_drill(d) for d in drills], "team", "id"),
        "campaigns": _sorted([_campaign(c) for c in campaigns], "team", "id"),
        "pledges": _sorted([_pledge(p) for p in pledges], "team"),
        "retros": _sorted([_retro(r) for r in retros], "team", "id"),
    }


# --- import ----------------------------------------------------------------------------------


def _people(importer: Any, emails: list[str] | None) -> list[Any]:
    return [u for u in (importer.user(e) for e in emails or []) if u is not None]


def _import_drills(importer: Any, data: dict[str, Any], clean: Any, created_at: Any) -> None:
    for d in data.get("drills", []):
        team = importer.team(d["team"])
        obj = importer.lookup(Drill, team, d["id"])
        importer.count(obj is None)
        obj = obj or Drill(team=team, external_id=d["id"])
        for name in ("visibility", "title", "kind", "scenario", "status", "what_happened"):
            setattr(obj, name, d.get(name) or "")
        obj.planned_for = d.get("planned_for")
        obj.after_action = d.get("after_action") or {}
        backup = d.get("backup") or {}
        obj.backup_file = backup.get("file") or ""
        obj.backup_created_at = backup.get("created_at") or ""
        obj.backup_sha256 = backup.get("sha256") or ""
        obj.version = int(d.get("version") or 1)
        obj.facilitator = importer.user(d.get("facilitator"))
        obj.created_by = importer.user(d.get("created_by"))
        clean(obj, ["team", "facilitator", "created_by"])
        obj.save()
        obj.participants.set(_people(importer, d.get("participants")))
        obj.findings.all().delete()
        for text in d.get("findings") or []:
            finding = Finding(drill=obj, text=text)
            clean(finding, ["drill", "action", "lesson"])
            finding.save()
        created_at(Drill, obj.pk, d.get("created_at"))


def _import_campaigns(importer: Any, data: dict[str, Any], clean: Any, created_at: Any) -> None:
    from learnloop.transfer.json_import import _check

    for d in data.get("campaigns", []):
        team = importer.team(d["team"])
        values = {
            k: d.get(k)
            for k in ("name", "kind", "ran_on", "reported", "clicked", "ignored")
            + ("minutes_to_first_report",)
        }
        _check(f"campaign {d.get('id')}", campaign_check(values))  # the product's own rule
        obj = importer.lookup(Campaign, team, d["id"])
        importer.count(obj is None)
        obj = obj or Campaign(team=team, external_id=d["id"])
        for name, value in values.items():
            setattr(obj, name, value)
        obj.visibility = d.get("visibility") or obj.visibility
        obj.drill = importer.find(Drill, d.get("drill"))
        clean(obj, ["team", "drill"])
        obj.save()
        created_at(Campaign, obj.pk, d.get("created_at"))


def _import_pledges(importer: Any, data: dict[str, Any]) -> None:
    for d in data.get("pledges", []):
        team = importer.team(d["team"]) if d.get("team") else None
        pledge = Pledge.objects.filter(organisation=importer.org, team=team).first()
        importer.count(pledge is None)
        pledge = pledge or Pledge.objects.create(organisation=importer.org, team=team)
        versions = d.get("versions") or []
        pledge.versions.all().delete()
        for v in versions:
            row = PledgeVersion.objects.create(
                pledge=pledge,
                number=int(v["number"]),
                text=v.get("text") or "",
                written_by=importer.user(v.get("written_by")),
                written_by_name=v.get("written_by_name") or "",
            )
            PledgeVersion.objects.filter(pk=row.pk).update(written_at=parse_dt(v["written_at"]))
            for s in v.get("signatures") or []:
                PledgeSignature.objects.create(
                    version=row,
                    signer=importer.user(s.get("signer")),
                    name=s.get("name") or "",
                    signed_on=s["signed_on"],
                )
        Pledge.objects.filter(pk=pledge.pk).update(
            version=max((int(v["number"]) for v in versions), default=1)
        )


def _import_retros(importer: Any, data: dict[str, Any], clean: Any, created_at: Any) -> None:
    for d in data.get("retros", []):
        team = importer.team(d["team"])
        obj = importer.lookup(Retro, team, d["id"])
        importer.count(obj is None)
        obj = obj or Retro(team=team, external_id=d["id"])
        obj.title = d.get("title") or ""
        obj.columns = d.get("columns") or []
        for name in ("phase", "anonymity"):
            setattr(obj, name, d.get(name) or getattr(obj, name))
        for name in ("meeting_duration_minutes", "votes_per_person", "votes_per_topic"):
            setattr(obj, name, int(d.get(name) or getattr(obj, name)))
        obj.meeting_at = parse_dt(d.get("meeting_at"))
        obj.version = int(d.get("version") or 1)
        obj.facilitator = importer.user(d.get("facilitator"))
        obj.created_by = importer.user(d.get("created_by"))
        obj.incident = importer.find(Incident, d.get("incident"))
        obj.review = importer.find(Review, d.get("review"))
        obj.deliverable = importer.find(Deliverable, d.get("deliverable"))
        clean(obj, ["team", "format", "facilitator", "created_by", "incident", "review"])
        obj.save()
        obj.participants.set(_people(importer, d.get("participants")))
        obj.cards.all().delete()
        obj.topics.all().delete()
        topics = [
            Topic.objects.create(retro=obj, title=t.get("title") or "", notes=t.get("notes") or "")
            for t in d.get("topics") or []
        ]
        for c in d.get("cards") or []:
            anonymous = bool(c.get("anonymous"))
            topic = c.get("topic")
            Card(  # save() gives an anonymous card its random id and no author
                retro=obj,
                column=c.get("column") or "",
                text=c.get("text") or "",
                is_anonymous=anonymous,
                author=None if anonymous else importer.user(c.get("author")),
                topic=topics[topic]
                if isinstance(topic, int) and 0 <= topic < len(topics)
                else None,
            ).save()
        created_at(Retro, obj.pk, d.get("created_at"))


def import_sections(importer: Any, data: dict[str, Any]) -> None:
    """Upsert the four sections with the importer's lookups (teams, people, external ids)."""
    from learnloop.transfer.json_import import _clean, _set_created_at

    _import_drills(importer, data, _clean, _set_created_at)
    _import_campaigns(importer, data, _clean, _set_created_at)
    _import_pledges(importer, data)
    _import_retros(importer, data, _clean, _set_created_at)
