"""``learnloop import learnloop.json``: read an export back, in one transaction.

Everything is created or updated by its identity in the file (team slug + id; people by email),
so importing the same file twice changes nothing the second time. Every row is validated with
its model's rules (``full_clean``) before it is saved; a problem anywhere rolls the whole file
back and is reported as ``path:0: field: reason``. What is carried: docs/import-export.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from learnloop.accounts.models import Membership, Organisation, Team, User
from learnloop.core.errors import ApplicationError, validation_error_fields
from learnloop.core.tags import parse_tag_names, tags_set
from learnloop.core.validation import parse_date_in_range
from learnloop.incidents.services import incident_errors
from learnloop.reviews.content import factor_errors, item_text_errors, timeline_entry_check
from learnloop.reviews.write_checks import title_errors
from learnloop.transfer import json_debriefs, json_experiments, json_rituals
from learnloop.transfer.json_format import (
    FORMAT,
    READABLE_VERSIONS,
    install_id,
    local_pk,
    parse_dt,
)
from learnloop.transfer.markdown_import import FileError, check_fields, read_text

INCIDENT_FIELDS = (
    "title",
    "description",
    "kind",
    "severity",
    "visibility",
    "started_at",
    "detected_at",
    "acknowledged_at",
    "resolved_at",
)


def _clean(obj: Any, exclude: list[str]) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _check(what: str, errors: dict[str, list[str]]) -> None:
    """Refuse a row a domain rule refused, naming the row: ``action a-1: kind: Choose …``."""
    try:
        check_fields(errors)
    except ApplicationError as exc:
        name, messages = next(iter(exc.fields.items()))
        raise FileError(0, f"{what}: {name}: {messages[0]}") from None


def _set_created_at(model: Any, pk: int, value: str | None) -> None:
    if value:
        model.objects.filter(pk=pk).update(created_at=parse_dt(value))


class _Importer:
    """Upserts one export file; counts created and updated objects."""

    def __init__(self, organisation: Organisation, *, same_install: bool = False) -> None:
        self.org = organisation
        self.same_install = same_install
        self.teams: dict[str, Team] = {}
        self.users: dict[str, User] = {}
        self.people: dict[str, dict[str, Any]] = {}
        self.created = 0
        self.updated = 0

    def count(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.updated += 1

    # --- people -----------------------------------------------------------------------------

    def user(self, email: str | None) -> User | None:
        """The account with this email; created, inactive and without a password, if missing.

        An account of another organisation is never linked: that would hand it this
        organisation's content.
        """
        if not email:
            return None
        key = email.strip().lower()
        if key in self.users:
            return self.users[key]
        user = User.objects.filter(email__iexact=key).first()
        if user is not None and user.organisation_id not in (None, self.org.pk):
            raise FileError(0, f"{key} is an account of another organisation")
        if user is None:
            person = self.people.get(key, {})
            user = User(
                email=key,
                username=key,
                organisation=self.org,
                is_active=False,
                display_name=person.get("display_name") or "",
                first_name=person.get("first_name") or "",
                last_name=person.get("last_name") or "",
                is_org_admin=bool(person.get("is_org_admin")),
            )
            if person.get("date_joined"):
                user.date_joined = parse_dt(person["date_joined"])
            user.set_unusable_password()
            _clean(user, ["password", "organisation", "groups", "user_permissions"])
            user.save()
            self.count(True)
        elif user.organisation_id is None:
            user.organisation = self.org
            user.save(update_fields=["organisation"])
        self.users[key] = user
        return user

    def team(self, slug: str) -> Team:
        if slug not in self.teams:
            team = Team.objects.filter(organisation=self.org, slug=slug).first()
            if team is None:
                raise FileError(0, f"team {slug!r} is referenced but not listed in 'teams'")
            self.teams[slug] = team
        return self.teams[slug]

    def find(self, model: Any, link: dict[str, str] | None) -> Any:
        if not link:
            return None
        return self.lookup(model, self.team(link["team"]), link["id"])

    def lookup(self, model: Any, team: Team, ext: str) -> Any:
        """By external id; in an export of this very install, ``<kind>-<pk>`` is the row."""
        found = model.objects.filter(team=team, external_id=ext).first()
        if found is None and self.same_install:
            pk = local_pk(ext, model._meta.model_name)
            if pk is not None:
                found = model.objects.filter(team=team, pk=pk, external_id__isnull=True).first()
        return found

    def people_and_teams(self, data: dict[str, Any]) -> None:
        self.people = {p["email"].strip().lower(): p for p in data.get("users", [])}
        for email in sorted(self.people):
            self.user(email)
        for t in data.get("teams", []):
            team = Team.objects.filter(organisation=self.org, slug=t["slug"]).first()
            self.count(team is None)
            team = team or Team(organisation=self.org, slug=t["slug"])
            team.name = t["name"]
            team.description = t.get("description") or ""
            if "settings" in t:
                team.settings = t["settings"] or {}
            _clean(team, ["organisation"])
            team.save()
            self.teams[team.slug] = team
        for m in data.get("memberships", []):
            user = self.user(m["user"])
            membership = Membership.objects.filter(user=user, team=self.team(m["team"])).first()
            self.count(membership is None)
            membership = membership or Membership(user=user, team=self.team(m["team"]))
            membership.role = m["role"]
            _clean(membership, ["user", "team"])
            membership.save()

    # --- content ----------------------------------------------------------------------------

    def incidents(self, data: dict[str, Any]) -> None:
        from learnloop.incidents.models import Incident

        for d in data.get("incidents", []):
            team = self.team(d["team"])
            # A CSV import's incidents are keyed by their tool too (decision 0192).
            source = str(d.get("external_source") or "")[:20]
            obj = (
                Incident.objects.filter(
                    team=team, external_source=source, external_id=d["id"]
                ).first()
                if source
                else self.lookup(Incident, team, d["id"])
            )
            self.count(obj is None)
            obj = obj or Incident(team=team, external_id=d["id"], external_source=source)
            for name in ("visibility", "title", "description", "kind", "severity", "source_url"):
                setattr(obj, name, d.get(name) or "")
            obj.is_anonymous = bool(d.get("is_anonymous"))
            for name in ("started_at", "detected_at", "acknowledged_at", "resolved_at"):
                setattr(obj, name, parse_dt(d.get(name)))
            # An anonymous report never gains a reporter, whatever the file says.
            obj.reporter = None if obj.is_anonymous else self.user(d.get("reporter"))
            if obj._state.adding and d.get("created_at"):
                obj.created_at = parse_dt(d["created_at"])
            fields = {name: getattr(obj, name) for name in INCIDENT_FIELDS}
            _check(f"incident {d['id']}", incident_errors(fields, self.org, history=True))
            _clean(obj, ["team", "reporter", "tags"])
            obj.save()
            # Through the one tag module: an anonymous report's tag rows get random ids.
            tags_set(obj, d.get("tags", []), anonymous=obj.is_anonymous)

    def reviews(self, data: dict[str, Any]) -> None:
        from learnloop.incidents.models import Incident
        from learnloop.lessons.models import ImportRecord
        from learnloop.reviews.models import Review, ReviewTemplate

        for d in data.get("reviews", []):
            team = self.team(d["team"])
            obj = self.lookup(Review, team, d["id"])
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
            # The next save's revision number follows the imported revisions.
            obj.version = d.get("version") or obj.version or 1
            if d.get("meeting_duration_minutes"):
                obj.meeting_duration_minutes = d["meeting_duration_minutes"]
            for name in ("published_at", "opens_at", "meeting_at"):
                setattr(obj, name, parse_dt(d.get(name)))
            obj.created_by = self.user(d.get("created_by"))
            _check(f"review {d['id']}", {"title": title_errors(obj.title)})
            _clean(obj, ["team", "incident", "template", "created_by", "participants"])
            obj.save()
            _set_created_at(Review, obj.pk, d.get("created_at"))
            obj.participants.set([self.user(e) for e in d.get("participants", [])])
            self.review_children(obj, d)
            if d.get("source") is not None:
                ImportRecord.objects.update_or_create(
                    team=team,
                    external_id=obj.external_id,
                    defaults={"incident": obj.incident, "review": obj, "front_matter": d["source"]},
                )

    def review_children(self, review: Any, d: dict[str, Any]) -> None:
        """Timeline, factors, comments and revisions are the file's; learnings are matched by
        position so that lessons promoted from them stay linked."""
        from learnloop.reviews.models import (
            Comment,
            ContributingFactor,
            Learning,
            ReviewRevision,
            TimelineEntry,
        )

        what = f"review {review.external_id}"
        review.timeline.all().delete()
        for i, t in enumerate(d.get("timeline", [])):
            at, problems = timeline_entry_check(t["at"], t["text"])
            _check(f"{what}: timeline.{i}", problems)
            row = TimelineEntry(review=review, at=at, text=t["text"], position=t.get("position", 0))
            _clean(row, ["review"])
            row.save()
        review.factors.all().delete()
        for i, f in enumerate(d.get("factors", [])):
            _check(f"{what}: factors.{i}", factor_errors(f["category"], f["description"]))
            row = ContributingFactor(
                review=review,
                category=f["category"],
                description=f["description"],
                position=f.get("position", 0),
            )
            _clean(row, ["review"])
            row.save()
        existing = {x.position: x for x in review.learnings.all()}
        wanted = {x.get("position", n): x["text"] for n, x in enumerate(d.get("learnings", []))}
        for position, learning in existing.items():
            if position not in wanted:
                learning.delete()
        for position, text in wanted.items():
            learning = existing.get(position) or Learning(review=review, position=position)
            learning.text = text
            _check(f"{what}: learnings.{position}", {"text": item_text_errors(text)})
            _clean(learning, ["review"])
            learning.save()
        review.comments.all().delete()
        for c in d.get("comments", []):
            comment = Comment(review=review, author=self.user(c.get("author")), body=c["body"])
            _clean(comment, ["review", "author"])
            comment.save()
            _set_created_at(Comment, comment.pk, c.get("created_at"))
        versions = {v["version"] for v in d.get("revisions", [])}
        review.revisions.exclude(version__in=versions).delete()
        for v in d.get("revisions", []):
            revision = ReviewRevision.objects.filter(review=review, version=v["version"]).first()
            revision = revision or ReviewRevision(review=review, version=v["version"])
            revision.author = self.user(v.get("author"))
            revision.title = v["title"]
            revision.content = v.get("content") or {}
            revision.summary = v.get("summary") or ""
            _clean(revision, ["review", "author"])
            revision.save()
            _set_created_at(ReviewRevision, revision.pk, v.get("created_at"))

    def actions(self, data: dict[str, Any], version: int) -> None:
        from learnloop.actions.models import Action
        from learnloop.actions.services import action_errors, due_date_errors
        from learnloop.incidents.models import Incident
        from learnloop.reviews.models import Review

        for d in data.get("actions", []):
            team = self.team(d["team"])
            review = self.find(Review, d.get("review"))
            if version >= 2:
                obj = self.lookup(Action, team, d["id"])
            else:  # version 1 had no action ids: (review, title) was the only handle.
                obj = Action.objects.filter(team=team, review=review, title=d["title"]).first()
            self.count(obj is None)
            obj = obj or Action(team=team, external_id=d.get("id"))
            obj.review = review
            obj.title = d["title"]
            obj.incident = self.find(Incident, d.get("incident"))
            for name in ("visibility", "description", "kind", "status", "external_url"):
                setattr(obj, name, d.get(name) or "")
            what = f"action {d.get('id') or d['title']}"
            _check(what, {"due_date": due_date_errors(d.get("due_date"))})
            obj.due_date = parse_date_in_range(d.get("due_date"), "due_date")
            obj.done_at = parse_dt(d.get("done_at"))
            obj.version = d.get("version") or obj.version or 1
            obj.owner = self.user(d.get("owner"))
            obj.created_by = self.user(d.get("created_by"))
            problems = action_errors(
                team=team,
                title=obj.title,
                description=obj.description,
                # History keeps its owner even after they left the team (decision 0053).
                owner=None,
                kind=obj.kind,
                status=obj.status,
                external_url=obj.external_url,
                visibility=obj.visibility,
                review=review,
                incident=obj.incident if isinstance(obj.incident, Incident) else None,
            )
            _check(what, problems)
            _clean(obj, ["team", "review", "incident", "owner", "created_by"])
            obj.save()
            _set_created_at(Action, obj.pk, d.get("created_at"))

    def lessons(self, data: dict[str, Any]) -> None:
        from learnloop.lessons.models import Lesson
        from learnloop.lessons.services import lesson_save
        from learnloop.reviews.models import Review

        for d in data.get("lessons", []):
            team = self.team(d["team"])
            obj = self.lookup(Lesson, team, d["id"])
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
            try:  # The lessons' own validate-and-write (rules, tags, search hook).
                lesson_save(obj, parse_tag_names(d.get("tags", [])))
            except ApplicationError as exc:
                _check(f"lesson {d['id']}", exc.fields or {"lesson": [exc.message]})
            _set_created_at(Lesson, obj.pk, d.get("created_at"))

    def applications(self, data: dict[str, Any]) -> None:
        from learnloop.incidents.models import Incident
        from learnloop.lessons.models import Lesson, LessonApplication
        from learnloop.lessons.services import lesson_recount

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
            obj = obj or LessonApplication(lesson=lesson, target_kind=d["target_kind"])
            obj.team = self.team(d["team"])
            obj.incident = incident
            obj.target_id = incident.pk if incident is not None else None
            obj.target_url = d.get("target_url") or ""
            obj.note = d.get("note") or ""
            obj.applied_by = self.user(d.get("applied_by"))
            _clean(obj, ["lesson", "team", "incident", "applied_by"])
            obj.save()
            _set_created_at(LessonApplication, obj.pk, d.get("created_at"))
            touched.add(lesson.pk)
        for lesson_id in touched:
            lesson_recount(lesson_id=lesson_id)

    def coach_flags(self, data: dict[str, Any]) -> None:
        from learnloop.coach.models import CoachFlag
        from learnloop.incidents.models import Incident
        from learnloop.lessons.models import Lesson
        from learnloop.reviews.models import Review

        models = {"incident": Incident, "review": Review, "lesson": Lesson}
        for d in data.get("coach_flags", []):
            model = models.get(d["target_type"])
            target = self.find(model, d.get("target")) if model else None
            if target is None:
                continue
            key = {"target_type": d["target_type"], "target_id": target.pk}
            obj = CoachFlag.objects.filter(**key, sentence_hash=d["sentence_hash"]).first()
            self.count(obj is None)
            obj = obj or CoachFlag(**key, sentence_hash=d["sentence_hash"])
            obj.organisation = self.org
            obj.team = self.team(d["team"])
            obj.review = self.find(Review, d.get("review"))
            for name in (
                "field_key",
                "span",
                "signal",
                "signals",
                "message",
                "status",
                "resolved_how",
                "dismiss_reason",
            ):
                setattr(obj, name, d.get(name) or "")
            obj.accepted_hashes = d.get("accepted_hashes") or []
            anonymous = d["target_type"] == "incident" and target.is_anonymous
            obj.resolved_by = None if anonymous else self.user(d.get("resolved_by"))
            obj.dismissed_by = None if anonymous else self.user(d.get("dismissed_by"))
            _clean(obj, ["organisation", "team", "review", "resolved_by", "dismissed_by"])
            obj.save()
            _set_created_at(CoachFlag, obj.pk, d.get("created_at"))

    def run(self, data: dict[str, Any]) -> None:
        version = data.get("version", 1)
        self.people_and_teams(data)
        self.incidents(data)
        self.reviews(data)
        self.actions(data, version)
        self.lessons(data)
        self.applications(data)
        self.coach_flags(data)
        json_debriefs.import_sections(self, data)
        json_experiments.import_sections(self, data)
        json_rituals.import_sections(self, data)


def read_export(path: Path) -> dict[str, Any]:
    """The parsed export file, or FileError naming the line of a JSON error."""
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(exc.lineno, f"JSON error: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FileError(1, f'not a Learnloop export (expected "format": "{FORMAT}")')
    if data.get("version") not in READABLE_VERSIONS:
        raise FileError(
            1,
            f"unsupported export version {data.get('version')!r} "
            f"(this Learnloop reads {', '.join(map(str, READABLE_VERSIONS))})",
        )
    return data


def organisation_for(data: dict[str, Any]) -> Organisation:
    """On an install without an organisation: the export's own (same name and slug)."""
    org = data.get("organisation") or {}
    if not org.get("slug") or not org.get("name"):
        raise FileError(1, "the export names no organisation (name and slug)")
    organisation = Organisation(
        name=org["name"], slug=org["slug"], settings=org.get("settings") or {}
    )
    _clean(organisation, [])
    organisation.save()
    return organisation


def import_json_file(path: Path, *, organisation: Organisation | None) -> tuple[int, int]:
    """Import a Learnloop export atomically; returns (created, updated) object counts.

    ``organisation`` None (an install without one) creates the export's organisation. An
    existing organisation keeps its name and settings.
    """
    data = read_export(path)
    try:
        with transaction.atomic():
            if organisation is None:
                organisation = organisation_for(data)
            importer = _Importer(organisation, same_install=data.get("install") == install_id())
            importer.run(data)
    except ValidationError as exc:
        name, messages = next(iter(validation_error_fields(exc).items()))
        raise FileError(0, f"{name}: {messages[0]}") from None
    except ApplicationError as exc:
        detail = next(iter(exc.fields.items()), None)
        raise FileError(0, f"{detail[0]}: {detail[1][0]}" if detail else exc.message) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise FileError(0, f"malformed export: {type(exc).__name__}: {exc}") from None
    return importer.created, importer.updated
