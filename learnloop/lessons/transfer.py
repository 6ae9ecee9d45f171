"""Export to JSON (+ Markdown per review) and import of that JSON: a round trip.

Objects are identified by their external id within their team (``{"team": slug, "id": ext}``);
objects created in Learnloop that have none are exported as ``<kind>-<pk>`` and keep that id
when imported, so exporting again gives the same file. Actions have no external id: they are
matched on (review, title). See docs/import-export.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from learnloop.accounts.models import Organisation, Team, User
from learnloop.core.errors import ApplicationError
from learnloop.lessons.importing import FRONT_MATTER_KEYS, FileError

FORMAT = "learnloop-export"
VERSION = 1


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _parse_dt(value: Any) -> dt.datetime | None:
    if not value:
        return None
    result = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return result if timezone.is_aware(result) else result.replace(tzinfo=dt.UTC)


def _email(user: User | None) -> str | None:
    return user.email if user is not None else None


def _ext(obj: Any, kind: str) -> str:
    return obj.external_id or f"{kind}-{obj.pk}"


def _ref(obj: Any, kind: str) -> dict[str, str] | None:
    return {"team": obj.team.slug, "id": _ext(obj, kind)} if obj is not None else None


def _sort(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return sorted(items, key=lambda d: tuple(str(d.get(k) or "") for k in keys))


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

    incidents = [
        {
            "team": i.team.slug,
            "id": _ext(i, "incident"),
            "visibility": i.visibility,
            "title": i.title,
            "description": i.description,
            "kind": i.kind,
            "severity": i.severity,
            "tags": sorted(t.name for t in i.tags.all()),
            "started_at": _iso(i.started_at),
            "detected_at": _iso(i.detected_at),
            "acknowledged_at": _iso(i.acknowledged_at),
            "resolved_at": _iso(i.resolved_at),
            "source_url": i.source_url,
            "is_anonymous": i.is_anonymous,
            "reporter": None if i.is_anonymous else _email(i.reporter),
            "created_at": _iso(i.created_at),
        }
        for i in Incident.objects.filter(team_id__in=team_ids)
        .select_related("team", "reporter")
        .prefetch_related("tags")
    ]
    records = {
        (r.team_id, r.external_id): r for r in ImportRecord.objects.filter(team_id__in=team_ids)
    }
    reviews = []
    for r in (
        Review.objects.filter(team_id__in=team_ids)
        .select_related("team", "incident__team", "template", "created_by")
        .prefetch_related("timeline", "factors", "learnings")
    ):
        record = records.get((r.team_id, r.external_id)) if r.external_id else None
        reviews.append(
            {
                "team": r.team.slug,
                "id": _ext(r, "review"),
                "visibility": r.visibility,
                "incident": _ref(r.incident, "incident"),
                "template": r.template.slug if r.template else None,
                "title": r.title,
                "status": r.status,
                "sections": r.sections,
                "content": r.content,
                "published_at": _iso(r.published_at),
                "opens_at": _iso(r.opens_at),
                "meeting_at": _iso(r.meeting_at),
                "meeting_location": r.meeting_location,
                "is_historical": r.is_historical,
                "created_by": _email(r.created_by),
                "timeline": [
                    {"at": _iso(t.at), "text": t.text, "position": t.position}
                    for t in r.timeline.all()
                ],
                "factors": [
                    {"category": f.category, "description": f.description, "position": f.position}
                    for f in r.factors.all()
                ],
                "learnings": [{"text": x.text, "position": x.position} for x in r.learnings.all()],
                "source": record.front_matter if record else None,
                "created_at": _iso(r.created_at),
            }
        )
    actions = [
        {
            "team": a.team.slug,
            "visibility": a.visibility,
            "review": _ref(a.review, "review"),
            "incident": _ref(a.incident, "incident"),
            "title": a.title,
            "description": a.description,
            "owner": _email(a.owner),
            "due_date": _iso(a.due_date),
            "kind": a.kind,
            "status": a.status,
            "done_at": _iso(a.done_at),
            "external_url": a.external_url,
            "created_by": _email(a.created_by),
            "created_at": _iso(a.created_at),
        }
        for a in Action.objects.filter(team_id__in=team_ids).select_related(
            "team", "review__team", "incident__team", "owner", "created_by"
        )
    ]
    lessons = []
    for lesson in (
        Lesson.objects.filter(team_id__in=team_ids)
        .select_related("team", "source_review__team", "learning", "created_by")
        .prefetch_related("tags")
    ):
        lessons.append(
            {
                "team": lesson.team.slug,
                "id": _ext(lesson, "lesson"),
                "visibility": lesson.visibility,
                "statement": lesson.statement,
                "context": lesson.context,
                "tags": sorted(t.name for t in lesson.tags.all()),
                "source_kind": lesson.source_kind,
                "source_review": _ref(lesson.source_review, "review"),
                "learning_position": lesson.learning.position if lesson.learning else None,
                "source_url": lesson.source_url,
                "source_label": lesson.source_label,
                "created_by": _email(lesson.created_by),
                "applied_count": lesson.applied_count,
                "created_at": _iso(lesson.created_at),
            }
        )
    applications = [
        {
            "lesson": _ref(a.lesson, "lesson"),
            "team": a.team.slug,
            "target_kind": a.target_kind,
            "incident": _ref(a.incident, "incident"),
            "target_url": a.target_url,
            "note": a.note,
            "applied_by": _email(a.applied_by),
            "created_at": _iso(a.created_at),
        }
        for a in LessonApplication.objects.filter(lesson__team_id__in=team_ids).select_related(
            "lesson__team", "team", "incident__team", "applied_by"
        )
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _iso(timezone.now()),
        "organisation": {"name": organisation.name, "slug": organisation.slug},
        "teams": [{"slug": t.slug, "name": t.name, "description": t.description} for t in teams],
        "incidents": _sort(incidents, "team", "id"),
        "reviews": _sort(reviews, "team", "id"),
        "actions": sorted(
            actions,
            key=lambda a: (a["team"], json.dumps(a["review"]), a["title"], a["created_at"] or ""),
        ),
        "lessons": _sort(lessons, "team", "id"),
        "applications": sorted(
            applications,
            key=lambda a: (
                json.dumps(a["lesson"]),
                a["target_kind"],
                json.dumps(a["incident"]),
                a["target_url"],
            ),
        ),
    }


# --- Markdown per review ----------------------------------------------------------------------


def _yaml_scalar(value: Any) -> str:
    text = str(value)
    if (
        re.fullmatch(r"[A-Za-z0-9][\w .,/:@()+-]*", text)
        and not re.search(r":\s|\s#", text)
        and text.strip() == text
        and text.lower() not in {"yes", "no", "true", "false", "null", "on", "off", "~"}
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


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
    front: dict[str, Any] = {
        "uuid": review["id"],
        "url": (incident or {}).get("source_url") or source.get("url") or "",
        "title": review["title"],
        "start_time": (incident or {}).get("started_at"),
        "end_time": (incident or {}).get("resolved_at"),
        "categories": source.get("categories") or [],
        "keywords": source.get("keywords") if source else (incident or {}).get("tags", []),
        "company": source.get("company"),
        "product": source.get("product"),
        "source_published_at": source.get("source_published_at"),
        "source_fetched_at": source.get("source_fetched_at"),
        "archive_url": source.get("archive_url"),
        "summary": (incident or {}).get("description") or source.get("summary"),
    }
    lines = ["---"]
    for key in FRONT_MATTER_KEYS:
        value = front.get(key)
        if value is None or value == "" or (key != "categories" and value == []):
            continue
        if isinstance(value, list) and not value:
            lines.append(f"{key}: []")
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"- {_yaml_scalar(v)}" for v in value)
        else:
            lines.append(f"{key}: {_yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + review_body(review) + "\n"


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
        ref = review["incident"]
        incident = incidents.get((ref["team"], ref["id"])) if ref else None
        (reviews_dir / f"{name}.md").write_text(review_markdown(review, incident), encoding="utf-8")
    return {
        k: len(data[k])
        for k in ("teams", "incidents", "reviews", "actions", "lessons", "applications")
    }


# --- JSON import ------------------------------------------------------------------------------


class _Importer:
    """Upserts one export file inside one transaction; counts created and updated objects."""

    def __init__(self, organisation: Organisation) -> None:
        self.org = organisation
        self.teams: dict[str, Team] = {}
        self.users = {u.email.lower(): u for u in User.objects.filter(organisation=organisation)}
        self.created = 0
        self.updated = 0

    def user(self, email: str | None) -> User | None:
        return self.users.get(email.lower()) if email else None

    def team(self, slug: str) -> Team:
        if slug not in self.teams:
            team = Team.objects.filter(organisation=self.org, slug=slug).first()
            if team is None:
                raise FileError(0, f"team {slug!r} is referenced but not listed in 'teams'")
            self.teams[slug] = team
        return self.teams[slug]

    def count(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.updated += 1

    def find(self, model: Any, ref: dict[str, str] | None) -> Any:
        if not ref:
            return None
        return model.objects.filter(team=self.team(ref["team"]), external_id=ref["id"]).first()

    def restore_created_at(self, model: Any, pk: int, value: str | None) -> None:
        if value:
            model.objects.filter(pk=pk).update(created_at=_parse_dt(value))

    def run(self, data: dict[str, Any]) -> None:
        from learnloop.actions.models import Action
        from learnloop.incidents.models import Incident
        from learnloop.lessons import hooks
        from learnloop.lessons.models import ImportRecord, Lesson, LessonApplication
        from learnloop.lessons.services import lesson_recount, tags_resolve
        from learnloop.reviews.models import (
            ContributingFactor,
            Learning,
            Review,
            ReviewTemplate,
            TimelineEntry,
        )

        for t in data.get("teams", []):
            team = Team.objects.filter(organisation=self.org, slug=t["slug"]).first()
            if team is None:
                team = Team.objects.create(
                    organisation=self.org,
                    slug=t["slug"],
                    name=t["name"],
                    description=t.get("description", ""),
                )
            self.teams[team.slug] = team

        for d in data.get("incidents", []):
            team = self.team(d["team"])
            obj = Incident.objects.filter(team=team, external_id=d["id"]).first()
            self.count(obj is None)
            obj = obj or Incident(team=team, external_id=d["id"])
            for name in (
                "visibility",
                "title",
                "description",
                "kind",
                "severity",
                "source_url",
                "is_anonymous",
            ):
                setattr(obj, name, d.get(name) or ("" if name != "is_anonymous" else False))
            for name in ("started_at", "detected_at", "acknowledged_at", "resolved_at"):
                setattr(obj, name, _parse_dt(d.get(name)))
            obj.reporter = None if obj.is_anonymous else self.user(d.get("reporter"))
            obj.full_clean(
                exclude=["team", "reporter", "tags"],
                validate_unique=False,
                validate_constraints=False,
            )
            obj.save()
            obj.tags.set(tags_resolve(organisation=self.org.pk, names=d.get("tags", [])[:50]))
            self.restore_created_at(Incident, obj.pk, d.get("created_at"))

        for d in data.get("reviews", []):
            team = self.team(d["team"])
            obj = Review.objects.filter(team=team, external_id=d["id"]).first()
            self.count(obj is None)
            obj = obj or Review(team=team, external_id=d["id"])
            obj.incident = self.find(Incident, d.get("incident"))
            obj.template = (
                ReviewTemplate.objects.filter(slug=d["template"])
                .order_by("-is_shipped", "id")
                .first()
                if d.get("template")
                else None
            )
            for name in ("visibility", "title", "status", "meeting_location"):
                setattr(obj, name, d.get(name) or "")
            obj.sections = d.get("sections") or []
            obj.content = d.get("content") or {}
            obj.is_historical = bool(d.get("is_historical"))
            for name in ("published_at", "opens_at", "meeting_at"):
                setattr(obj, name, _parse_dt(d.get(name)))
            obj.created_by = self.user(d.get("created_by"))
            obj.full_clean(
                exclude=["team", "incident", "template", "created_by", "participants"],
                validate_unique=False,
                validate_constraints=False,
            )
            obj.save()
            self.restore_created_at(Review, obj.pk, d.get("created_at"))
            obj.timeline.all().delete()
            TimelineEntry.objects.bulk_create(
                TimelineEntry(
                    review=obj, at=_parse_dt(t["at"]), text=t["text"], position=t.get("position", 0)
                )
                for t in d.get("timeline", [])
            )
            obj.factors.all().delete()
            ContributingFactor.objects.bulk_create(
                ContributingFactor(
                    review=obj,
                    category=f["category"],
                    description=f["description"],
                    position=f.get("position", 0),
                )
                for f in d.get("factors", [])
            )
            # Learnings are matched by position so lessons promoted from them stay linked.
            existing = {x.position: x for x in obj.learnings.all()}
            wanted = {x.get("position", n): x["text"] for n, x in enumerate(d.get("learnings", []))}
            for position, learning in existing.items():
                if position not in wanted:
                    learning.delete()
            for position, text in wanted.items():
                if position in existing:
                    if existing[position].text != text:
                        Learning.objects.filter(pk=existing[position].pk).update(text=text)
                else:
                    Learning.objects.create(review=obj, text=text, position=position)
            if d.get("source") is not None:
                ImportRecord.objects.update_or_create(
                    team=team,
                    external_id=obj.external_id,
                    defaults={"incident": obj.incident, "review": obj, "front_matter": d["source"]},
                )

        for d in data.get("actions", []):
            team = self.team(d["team"])
            review = self.find(Review, d.get("review"))
            obj = Action.objects.filter(team=team, review=review, title=d["title"]).first()
            self.count(obj is None)
            obj = obj or Action(team=team, review=review, title=d["title"])
            obj.incident = self.find(Incident, d.get("incident"))
            for name in ("visibility", "description", "kind", "status", "external_url"):
                setattr(obj, name, d.get(name) or "")
            obj.due_date = dt.date.fromisoformat(d["due_date"]) if d.get("due_date") else None
            obj.done_at = _parse_dt(d.get("done_at"))
            obj.owner = self.user(d.get("owner"))
            obj.created_by = self.user(d.get("created_by"))
            obj.full_clean(
                exclude=["team", "review", "incident", "owner", "created_by"],
                validate_unique=False,
                validate_constraints=False,
            )
            obj.save()
            self.restore_created_at(Action, obj.pk, d.get("created_at"))

        for d in data.get("lessons", []):
            team = self.team(d["team"])
            obj = Lesson.objects.filter(team=team, external_id=d["id"]).first()
            self.count(obj is None)
            obj = obj or Lesson(team=team, external_id=d["id"])
            for name in (
                "visibility",
                "statement",
                "context",
                "source_kind",
                "source_url",
                "source_label",
            ):
                setattr(obj, name, d.get(name) or "")
            obj.source_review = self.find(Review, d.get("source_review"))
            learning = None
            if obj.source_review is not None and d.get("learning_position") is not None:
                learning = obj.source_review.learnings.filter(
                    position=d["learning_position"]
                ).first()
                if learning is not None:
                    Lesson.objects.filter(learning=learning).exclude(pk=obj.pk).update(
                        learning=None
                    )
            obj.learning = learning
            obj.created_by = self.user(d.get("created_by"))
            obj.full_clean(
                exclude=["team", "tags", "source_review", "learning", "created_by"],
                validate_unique=False,
                validate_constraints=False,
            )
            obj.save()
            obj.tags.set(tags_resolve(organisation=self.org.pk, names=d.get("tags", [])[:50]))
            self.restore_created_at(Lesson, obj.pk, d.get("created_at"))
            hooks.lesson_changed(obj.pk)

        touched: set[int] = set()
        for d in data.get("applications", []):
            lesson = self.find(Lesson, d.get("lesson"))
            if lesson is None:
                continue
            incident = self.find(Incident, d.get("incident"))
            if d.get("target_kind") == "incident" and incident is None:
                continue
            lookup = (
                {"target_id": incident.pk}
                if incident is not None
                else {"target_id__isnull": True, "target_url": d.get("target_url") or ""}
            )
            obj = LessonApplication.objects.filter(
                lesson=lesson, target_kind=d["target_kind"], **lookup
            ).first()
            self.count(obj is None)
            if obj is None:
                obj = LessonApplication(lesson=lesson, target_kind=d["target_kind"])
            obj.team = self.team(d["team"])
            obj.incident = incident
            obj.target_id = incident.pk if incident is not None else None
            obj.target_url = d.get("target_url") or ""
            obj.note = d.get("note") or ""
            obj.applied_by = self.user(d.get("applied_by"))
            obj.save()
            if d.get("created_at"):
                LessonApplication.objects.filter(pk=obj.pk).update(
                    created_at=_parse_dt(d["created_at"])
                )
            touched.add(lesson.pk)
        for lesson_id in touched:
            lesson_recount(lesson_id=lesson_id)


def import_json_file(path: Path, *, organisation: Organisation) -> tuple[int, int]:
    """Import a Learnloop export atomically; returns (created, updated) object counts."""
    from django.core.exceptions import ValidationError

    from learnloop.lessons.importing import read_text

    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(exc.lineno, f"JSON error: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FileError(1, f'not a Learnloop export (expected "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise FileError(
            1, f"unsupported export version {data.get('version')!r} (expected {VERSION})"
        )
    importer = _Importer(organisation)
    try:
        with transaction.atomic():
            importer.run(data)
    except ValidationError as exc:
        from learnloop.core.errors import validation_error_fields

        name, messages = next(iter(validation_error_fields(exc).items()))
        raise FileError(0, f"{name}: {messages[0]}") from None
    except ApplicationError as exc:
        detail = next(iter(exc.fields.items()), None)
        raise FileError(0, f"{detail[0]}: {detail[1][0]}" if detail else exc.message) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise FileError(0, f"malformed export: {type(exc).__name__}: {exc}") from None
    return importer.created, importer.updated
