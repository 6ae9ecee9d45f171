"""Deliverables, debrief entries and applause in the JSON export, and their reader (issue 12).

Sections: ``deliverables``, ``debrief_entries`` and ``reactions``. Entries name their
deliverable and, when promoted, the lesson they became (the lessons section is read first, so
the link is set here); reactions name their item by kind and team + id. Written and read in
step with :mod:`learnloop.transfer.json_export` and :mod:`learnloop.transfer.json_import`."""

from __future__ import annotations

from typing import Any

from learnloop.applause import registry
from learnloop.applause.models import Reaction
from learnloop.debriefs.models import DebriefEntry, Deliverable
from learnloop.lessons.models import Lesson
from learnloop.reviews.models import Review
from learnloop.transfer.json_format import email_of, ext_id, iso, parse_dt, ref

SECTIONS = ("deliverables", "debrief_entries", "reactions")
#: Reactable kinds the export carries, with the export's kind name of their rows.
ITEM_KINDS = {"entry": (DebriefEntry, "debriefentry"), "lesson": (Lesson, "lesson")}
ITEM_KINDS["review"] = (Review, "review")


def _sorted(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return sorted(items, key=lambda d: tuple(str(d.get(k)) for k in keys))


def export_sections(team_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    deliverables = [
        {
            "team": d.team.slug,
            "id": ext_id(d, "deliverable"),
            "visibility": d.visibility,
            "title": d.title,
            "description": d.description,
            "owner": email_of(d.owner),
            "collaborators": sorted(email_of(u) or "" for u in d.collaborators.all()),
            "status": d.status,
            "start_date": iso(d.start_date),
            "target_date": iso(d.target_date),
            "external_url": d.external_url,
            "closed_at": iso(d.closed_at),
            "version": d.version,
            "created_by": email_of(d.created_by),
            "created_at": iso(d.created_at),
        }
        for d in Deliverable.objects.filter(team_id__in=team_ids)
        .select_related("team", "owner", "created_by")
        .prefetch_related("collaborators")
    ]
    entries = []
    refs: dict[tuple[str, int], dict[str, str] | None] = {}
    rows = DebriefEntry.objects.filter(team_id__in=team_ids).select_related(
        "team", "deliverable__team", "author", "lesson__team"
    )
    for e in rows:
        refs[("entry", e.pk)] = ref(e, "debriefentry")
        lesson = getattr(e, "lesson", None)
        entries.append(
            {
                "team": e.team.slug,
                "id": ext_id(e, "debriefentry"),
                "deliverable": ref(e.deliverable, "deliverable"),
                "kind": e.kind,
                "text": e.text,
                "link": e.link,
                "author": email_of(e.author),
                "version": e.version,
                "lesson": ref(lesson, "lesson") if lesson is not None else None,
                "created_at": iso(e.created_at),
            }
        )
    reactions = []
    wanted = Reaction.objects.filter(team_id__in=team_ids, kind__in=ITEM_KINDS)
    for kind, (model, name) in ITEM_KINDS.items():
        ids = set(wanted.filter(kind=kind).values_list("object_id", flat=True))
        for obj in model.objects.filter(pk__in=ids).select_related("team"):
            refs[(kind, obj.pk)] = ref(obj, name)
    for r in wanted.select_related("user"):
        item = refs.get((r.kind, r.object_id))
        if item is None:  # the item is gone
            continue
        reactions.append(
            {
                "kind": r.kind,
                "item": item,
                "emoji": r.emoji,
                "user": email_of(r.user),
                "created_at": iso(r.created_at),
            }
        )
    return {
        "deliverables": _sorted(deliverables, "team", "id"),
        "debrief_entries": _sorted(entries, "team", "id"),
        "reactions": _sorted(reactions, "kind", "item", "emoji", "user"),
    }


def import_sections(importer: Any, data: dict[str, Any]) -> None:
    """Upsert the three sections with the importer's lookups (teams, people, external ids)."""
    from learnloop.transfer.json_import import _clean, _set_created_at

    for d in data.get("deliverables", []):
        team = importer.team(d["team"])
        obj = importer.lookup(Deliverable, team, d["id"])
        importer.count(obj is None)
        obj = obj or Deliverable(team=team, external_id=d["id"])
        for name in ("visibility", "title", "description", "status", "external_url"):
            setattr(obj, name, d.get(name) or "")
        obj.start_date = d.get("start_date") or None
        obj.target_date = d.get("target_date") or None
        obj.closed_at = parse_dt(d.get("closed_at"))
        obj.last_activity_at = parse_dt(d.get("created_at"))
        obj.version = int(d.get("version") or 1)
        obj.owner = importer.user(d.get("owner"))
        obj.created_by = importer.user(d.get("created_by"))
        _clean(obj, ["team", "owner", "created_by", "last_activity_at", "last_nudged_at"])
        obj.save()
        people = [importer.user(email) for email in d.get("collaborators") or []]
        obj.collaborators.set([p for p in people if p is not None])
        _set_created_at(Deliverable, obj.pk, d.get("created_at"))
    for d in data.get("debrief_entries", []):
        deliverable = importer.find(Deliverable, d.get("deliverable"))
        if deliverable is None:
            continue
        team = importer.team(d["team"])
        entry = importer.lookup(DebriefEntry, team, d["id"])
        importer.count(entry is None)
        entry = entry or DebriefEntry(team=team, external_id=d["id"])
        entry.deliverable = deliverable
        entry.visibility = deliverable.visibility
        for name in ("kind", "text", "link"):
            setattr(entry, name, d.get(name) or "")
        entry.version = int(d.get("version") or 1)
        entry.author = importer.user(d.get("author"))
        _clean(entry, ["team", "deliverable", "author"])
        entry.save()
        _set_created_at(DebriefEntry, entry.pk, d.get("created_at"))
        lesson = importer.find(Lesson, d.get("lesson"))
        if lesson is not None:
            Lesson.objects.filter(source_debrief_entry=entry).exclude(pk=lesson.pk).update(
                source_debrief_entry=None
            )
            Lesson.objects.filter(pk=lesson.pk).update(source_debrief_entry=entry)
    for d in data.get("reactions", []):
        model, _ = ITEM_KINDS.get(d.get("kind"), (None, None))
        item = importer.find(model, d.get("item")) if model is not None else None
        user = importer.user(d.get("user"))
        if item is None or user is None:
            continue
        key = {"kind": d["kind"], "object_id": item.pk, "emoji": d["emoji"], "user": user}
        obj = Reaction.objects.filter(**key).first()
        importer.count(obj is None)
        obj = obj or Reaction(**key)
        obj.team = item.team
        obj.recipient_id = getattr(item, registry.KINDS[d["kind"]].recipient, None)
        _clean(obj, ["team", "recipient", "user"])
        obj.save()
        _set_created_at(Reaction, obj.pk, d.get("created_at"))
