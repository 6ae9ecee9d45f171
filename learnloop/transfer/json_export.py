"""``learnloop export``: an organisation (or one team) as one JSON file, plus one Markdown file
per review in the corpus format that ``learnloop import`` reads back.

What is carried and what is not, and why, is in docs/import-export.md; the format in
docs/decisions/0053-import-format.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils import timezone

from learnloop.accounts.models import Membership, Organisation, Team, User
from learnloop.reviews.export import front_matter
from learnloop.transfer import json_debriefs, json_experiments, json_rituals
from learnloop.transfer.json_format import (
    FORMAT,
    VERSION,
    email_of,
    ext_id,
    install_id,
    iso,
    parse_dt,
    ref,
)
from learnloop.transfer.markdown_import import FRONT_MATTER_KEYS

SECTIONS = (
    "users",
    "teams",
    "memberships",
    "incidents",
    "reviews",
    "actions",
    "lessons",
    "applications",
    "coach_flags",
    *json_debriefs.SECTIONS,
    *json_experiments.SECTIONS,
    *json_rituals.SECTIONS,
)


def _sort(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return sorted(items, key=lambda d: tuple(json.dumps(d.get(k), sort_keys=True) for k in keys))


def _incident(i: Any) -> dict[str, Any]:
    return {
        "team": i.team.slug,
        "id": ext_id(i, "incident"),
        "visibility": i.visibility,
        "title": i.title,
        "description": i.description,
        "kind": i.kind,
        "severity": i.severity,
        "tags": sorted(t.name for t in i.tags.all()),
        "started_at": iso(i.started_at),
        "detected_at": iso(i.detected_at),
        "acknowledged_at": iso(i.acknowledged_at),
        "resolved_at": iso(i.resolved_at),
        "source_url": i.source_url,
        "external_source": i.external_source,
        "is_anonymous": i.is_anonymous,
        # An anonymous report never carries a reporter, whatever the row says.
        "reporter": None if i.is_anonymous else email_of(i.reporter),
        "created_at": iso(i.created_at),
    }


def _review(r: Any, source: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "team": r.team.slug,
        "id": ext_id(r, "review"),
        "visibility": r.visibility,
        "incident": ref(r.incident, "incident"),
        "template": r.template.slug if r.template else None,
        "title": r.title,
        "status": r.status,
        "version": r.version,
        "sections": r.sections,
        "content": r.content,
        "published_at": iso(r.published_at),
        "opens_at": iso(r.opens_at),
        "meeting_at": iso(r.meeting_at),
        "meeting_location": r.meeting_location,
        "meeting_duration_minutes": r.meeting_duration_minutes,
        "participants": sorted(email_of(u) for u in r.participants.all()),
        "is_historical": r.is_historical,
        "created_by": email_of(r.created_by),
        "timeline": [
            {"at": iso(t.at), "text": t.text, "position": t.position} for t in r.timeline.all()
        ],
        "factors": [
            {"category": f.category, "description": f.description, "position": f.position}
            for f in r.factors.all()
        ],
        "learnings": [{"text": x.text, "position": x.position} for x in r.learnings.all()],
        "comments": [
            {"author": email_of(c.author), "body": c.body, "created_at": iso(c.created_at)}
            for c in sorted(r.comments.all(), key=lambda c: (c.created_at, c.pk))
        ],
        "revisions": [
            {
                "version": v.version,
                "author": email_of(v.author),
                "title": v.title,
                "content": v.content,
                "summary": v.summary,
                "created_at": iso(v.created_at),
            }
            for v in sorted(r.revisions.all(), key=lambda v: v.version)
        ],
        "source": source,
        "created_at": iso(r.created_at),
    }


def _action(a: Any) -> dict[str, Any]:
    return {
        "team": a.team.slug,
        "id": ext_id(a, "action"),
        "visibility": a.visibility,
        "review": ref(a.review, "review"),
        "incident": ref(a.incident, "incident"),
        "title": a.title,
        "description": a.description,
        "owner": email_of(a.owner),
        "due_date": iso(a.due_date),
        "kind": a.kind,
        "status": a.status,
        "version": a.version,
        "done_at": iso(a.done_at),
        "external_url": a.external_url,
        "created_by": email_of(a.created_by),
        "created_at": iso(a.created_at),
    }


def _lesson(lesson: Any) -> dict[str, Any]:
    return {
        "team": lesson.team.slug,
        "id": ext_id(lesson, "lesson"),
        "visibility": lesson.visibility,
        "statement": lesson.statement,
        "context": lesson.context,
        "tags": sorted(t.name for t in lesson.tags.all()),
        "source_kind": lesson.source_kind,
        "source_review": ref(lesson.source_review, "review"),
        "learning_position": lesson.learning.position if lesson.learning else None,
        "source_url": lesson.source_url,
        "source_label": lesson.source_label,
        "created_by": email_of(lesson.created_by),
        "applied_count": lesson.applied_count,
        "created_at": iso(lesson.created_at),
    }


def _application(a: Any) -> dict[str, Any]:
    return {
        "lesson": ref(a.lesson, "lesson"),
        "team": a.team.slug,
        "target_kind": a.target_kind,
        "incident": ref(a.incident, "incident"),
        "target_url": a.target_url,
        "note": a.note,
        "applied_by": email_of(a.applied_by),
        "created_at": iso(a.created_at),
    }


def _coach_flags(team_ids: list[int], refs: dict[tuple[str, int], Any]) -> list[dict[str, Any]]:
    """Flags name their target by type and row id; the export names it by team + external id."""
    from learnloop.coach.models import CoachFlag

    flags = []
    for f in CoachFlag.objects.filter(team_id__in=team_ids).select_related(
        "team", "review__team", "resolved_by", "dismissed_by"
    ):
        target = refs.get((f.target_type, f.target_id))
        if target is None:
            continue
        anonymous = f.target_type == "incident" and target.is_anonymous
        flags.append(
            {
                "team": f.team.slug,
                "review": ref(f.review, "review"),
                "target_type": f.target_type,
                "target": ref(target, f.target_type),
                "field_key": f.field_key,
                "sentence_hash": f.sentence_hash,
                "span": f.span,
                "signal": f.signal,
                "signals": f.signals,
                "message": f.message,
                "status": f.status,
                "resolved_how": f.resolved_how,
                # Who handled a hint on an anonymous report would name its writer.
                "resolved_by": None if anonymous else email_of(f.resolved_by),
                "accepted_hashes": f.accepted_hashes,
                "dismiss_reason": f.dismiss_reason,
                "dismissed_by": None if anonymous else email_of(f.dismissed_by),
                "created_at": iso(f.created_at),
            }
        )
    return flags


def _user(u: User) -> dict[str, Any]:
    # No password hash, no operator rights (is_staff/is_superuser), no tokens: see the docs.
    return {
        "email": email_of(u),
        "display_name": u.display_name,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "is_org_admin": u.is_org_admin,
        "date_joined": iso(u.date_joined),
    }


def export_data(*, organisation: Organisation, team: Team | None = None) -> dict[str, Any]:
    """Everything of the organisation (or one team) as plain JSON-able data."""
    from learnloop.actions.models import Action
    from learnloop.incidents.models import Incident
    from learnloop.lessons.models import ImportRecord, Lesson, LessonApplication
    from learnloop.reviews.models import Review

    teams = Team.objects.filter(organisation=organisation).order_by("slug")
    if team is not None:
        teams = teams.filter(pk=team.pk)
    team_ids = list(teams.values_list("pk", flat=True))

    incident_rows = list(
        Incident.objects.filter(team_id__in=team_ids)
        .select_related("team", "reporter")
        .prefetch_related("tags")
    )
    records = {
        (r.team_id, r.external_id): r for r in ImportRecord.objects.filter(team_id__in=team_ids)
    }
    review_rows = list(
        Review.objects.filter(team_id__in=team_ids)
        .select_related("team", "incident__team", "template", "created_by")
        .prefetch_related(
            "timeline",
            "factors",
            "learnings",
            "participants",
            "comments__author",
            "revisions__author",
        )
    )
    reviews = []
    for r in review_rows:
        record = records.get((r.team_id, r.external_id)) if r.external_id else None
        reviews.append(_review(r, record.front_matter if record else None))
    actions = [
        _action(a)
        for a in Action.objects.filter(team_id__in=team_ids).select_related(
            "team", "review__team", "incident__team", "owner", "created_by"
        )
    ]
    lesson_rows = list(
        Lesson.objects.filter(team_id__in=team_ids)
        .select_related("team", "source_review__team", "learning", "created_by")
        .prefetch_related("tags")
    )
    applications = [
        _application(a)
        for a in LessonApplication.objects.filter(lesson__team_id__in=team_ids).select_related(
            "lesson__team", "team", "incident__team", "applied_by"
        )
    ]
    refs: dict[tuple[str, int], Any] = {("incident", i.pk): i for i in incident_rows}
    refs.update({("review", r.pk): r for r in review_rows})
    refs.update({("lesson", x.pk): x for x in lesson_rows})
    memberships = Membership.objects.filter(team_id__in=team_ids).select_related("team", "user")
    users = User.objects.filter(organisation=organisation)
    if team is not None:
        users = users.filter(Q(memberships__team=team)).distinct()
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso(timezone.now()),
        "install": install_id(),
        "organisation": {
            "name": organisation.name,
            "slug": organisation.slug,
            "settings": organisation.settings,
        },
        "users": _sort([_user(u) for u in users], "email"),
        "teams": [
            {"slug": t.slug, "name": t.name, "description": t.description, "settings": t.settings}
            for t in teams
        ],
        "memberships": _sort(
            [{"team": m.team.slug, "user": email_of(m.user), "role": m.role} for m in memberships],
            "team",
            "user",
        ),
        "incidents": _sort([_incident(i) for i in incident_rows], "team", "id"),
        "reviews": _sort(reviews, "team", "id"),
        "actions": _sort(actions, "team", "id"),
        "lessons": _sort([_lesson(x) for x in lesson_rows], "team", "id"),
        "applications": _sort(applications, "lesson", "target_kind", "incident", "target_url"),
        "coach_flags": _sort(
            _coach_flags(team_ids, refs), "target_type", "target", "sentence_hash"
        ),
        **json_debriefs.export_sections(team_ids),
        **json_experiments.export_sections(team_ids),
        **json_rituals.export_sections(team_ids, organisation.pk, whole=team is None),
    }
    return data


# --- Markdown per review (the corpus format) ---------------------------------------------------


def _section_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("text", "markdown", "body", "value"):
            if isinstance(value.get(key), str):
                return value[key]
    return ""


def review_body(review: dict[str, Any]) -> str:
    """The review's rich-text sections as Markdown: alone, a section is the body as is."""
    rich = [s for s in review["sections"] if isinstance(s, dict) and s.get("type") == "rich_text"]
    parts = [
        (s.get("title") or s["key"], _section_text(review["content"].get(s["key"]))) for s in rich
    ]
    parts = [(title, text.strip()) for title, text in parts if text and text.strip()]
    if len(parts) == 1:
        return parts[0][1]
    return "\n\n".join(f"## {title}\n\n{text}" for title, text in parts)


def review_markdown(review: dict[str, Any], incident: dict[str, Any] | None) -> str:
    """One review in the corpus format (front matter + body) that the importer reads back."""
    source = dict(review.get("source") or {})
    incident = incident or {}
    front: dict[str, Any] = {
        "uuid": review["id"],
        "url": incident.get("source_url") or source.get("url") or "",
        "title": review["title"],
        "start_time": parse_dt(incident.get("started_at")),
        "end_time": parse_dt(incident.get("resolved_at")),
        "categories": source.get("categories") or [],
        "keywords": source.get("keywords") if source else incident.get("tags", []),
        "company": source.get("company"),
        "product": source.get("product"),
        "source_published_at": source.get("source_published_at"),
        "source_fetched_at": source.get("source_fetched_at"),
        "archive_url": source.get("archive_url"),
        "summary": incident.get("description") or source.get("summary"),
    }
    ordered = {key: front.get(key) for key in FRONT_MATTER_KEYS}
    if not ordered["keywords"]:
        ordered["keywords"] = None
    return front_matter(ordered) + "\n" + review_body(review) + "\n"


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "review"


def write_export(
    *, out: Path, organisation: Organisation, team: Team | None = None
) -> dict[str, int]:
    data = export_data(organisation=organisation, team=team)
    out.mkdir(parents=True, exist_ok=True)
    (out / "learnloop.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    reviews_dir = out / "reviews"
    reviews_dir.mkdir(exist_ok=True)
    incidents = {(i["team"], i["id"]): i for i in data["incidents"]}
    used: set[str] = set()
    for review in data["reviews"]:
        name = _safe_name(review["id"])
        if name in used:
            name = _safe_name(f"{review['team']}--{review['id']}")
        used.add(name)
        link = review["incident"]
        incident = incidents.get((link["team"], link["id"])) if link else None
        (reviews_dir / f"{name}.md").write_text(review_markdown(review, incident), encoding="utf-8")
    return {k: len(data[k]) for k in SECTIONS}
