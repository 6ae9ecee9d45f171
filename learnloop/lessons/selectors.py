"""Reads for lessons. Every function filters through the one visibility rule.

The library is built to stay fast at 100,000+ lessons: each sort has a matching index, the page
is fetched with ``select_related``/``prefetch_related`` (a fixed number of queries whatever the
page size), and the total is a *capped* count (``COUNT`` over at most ``COUNT_CAP + 1`` rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import get_visible_or_404, visible_q
from learnloop.core.models import Tag
from learnloop.core.validation import id_or_none, looks_like_id
from learnloop.incidents.models import Incident
from learnloop.lessons.models import Lesson, LessonApplication, SourceKind

COUNT_CAP = 250
SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "applied": ("-applied_count", "-id"),
    "statement": ("statement", "id"),
}
SORT_LABELS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "applied": "Most applied",
    "statement": "Statement A–Z",
}


@dataclass
class LessonFilters:
    """The library's filters, parsed leniently: an unknown value is ignored, never an error."""

    team: str = ""
    tag: str = ""
    kind: str = ""
    source: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "newest"
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Any) -> LessonFilters:
        f = cls(
            team=(params.get("team") or "").strip()[:60],
            tag=(params.get("tag") or "").strip()[:60],
            kind=(params.get("kind") or "").strip(),
            source=(params.get("source") or "").strip()[:80],
            sort=(params.get("sort") or "newest").strip(),
        )
        if f.kind and f.kind not in SourceKind.values:
            f.errors["kind"] = "Unknown kind; showing all kinds."
            f.kind = ""
        if f.sort not in SORTS:
            f.sort = "newest"
        for name, attr in (("from", "date_from"), ("to", "date_to")):
            raw = (params.get(name) or "").strip()
            if raw:
                try:
                    setattr(f, attr, dt.date.fromisoformat(raw))
                except ValueError:
                    f.errors[name] = "Use a date like 2026-01-31."
        return f

    @property
    def active(self) -> bool:
        return bool(
            self.team or self.tag or self.kind or self.source or self.date_from or self.date_to
        )


def lessons_visible(user: User) -> QuerySet[Lesson]:
    """The one visibility rule on the lesson's own copy of its organisation: same rows
    (tested against ``visible_to``), but no subquery on teams (decision 0052)."""
    return Lesson.objects.filter(visible_q(user, organisation_field="organisation"))


def lesson_get(*, user: User, pk: int) -> Lesson:
    """One lesson ``user`` may see, or Http404 (another team's private lesson looks missing)."""
    return get_visible_or_404(
        Lesson.objects.select_related(
            "team", "created_by", "source_review", "learning"
        ).prefetch_related("tags"),
        user,
        pk=pk,
    )


def _source_filter(qs: QuerySet[Lesson], source: str) -> QuerySet[Lesson]:
    """``review:<id>`` (later ``debrief:<id>``...) or free text matched on the source label."""
    kind, _, raw_id = source.partition(":")
    if kind == "review" and looks_like_id(raw_id):
        return qs.filter(source_review_id=id_or_none(raw_id))
    if kind == "experiment" and looks_like_id(raw_id):
        return qs.filter(source_experiment_id=id_or_none(raw_id))
    return qs.filter(source_label__icontains=source)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def lesson_list(*, user: User, filters: LessonFilters) -> QuerySet[Lesson]:
    qs = lessons_visible(user)
    if filters.team:
        team_ids = list(
            Team.objects.filter(
                organisation_id=user.organisation_id, slug=filters.team
            ).values_list("pk", flat=True)
        )
        qs = qs.filter(team_id__in=team_ids)
    if filters.tag:
        tag_ids = Tag.objects.filter(
            organisation_id=user.organisation_id, name__iexact=filters.tag
        ).values("pk")
        # IN (subquery on the tag index) rather than a join: the sort index still drives the
        # page, and the capped count reads the tag's rows only.
        qs = qs.filter(
            pk__in=Lesson.tags.through.objects.filter(tag_id__in=tag_ids).values("lesson_id")
        )
    if filters.kind:
        qs = qs.filter(source_kind=filters.kind)
    if filters.source:
        qs = _source_filter(qs, filters.source)
    # Ranges on the column itself (not ``__date``) so an index can serve them.
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return qs.order_by(*SORTS[filters.sort])


def with_list_relations(qs: QuerySet[Lesson]) -> QuerySet[Lesson]:
    return qs.select_related("team", "source_review").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.only("id", "name"))
    )


@dataclass
class Page:
    items: list[Lesson]
    number: int
    has_next: bool
    count: int
    count_capped: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def lesson_page(qs: QuerySet[Lesson], *, page: int, page_size: int = 25) -> Page:
    """One page plus a capped total: never a COUNT(*) over the whole library."""
    page = max(1, page)
    start = (page - 1) * page_size
    rows = list(with_list_relations(qs)[start : start + page_size + 1])
    has_next = len(rows) > page_size
    count = len(rows) if page == 1 and not has_next else qs.order_by()[: COUNT_CAP + 1].count()
    return Page(
        items=rows[:page_size],
        number=page,
        has_next=has_next,
        count=min(count, COUNT_CAP),
        count_capped=count > COUNT_CAP,
    )


def library_choices(user: User) -> dict[str, Any]:
    """Options for the filter form: the organisation's teams and its most used tags."""
    if not user.organisation_id:
        return {"teams": [], "tags": []}
    return {
        "teams": list(
            Team.objects.filter(organisation_id=user.organisation_id)
            .order_by("name")
            .values("slug", "name")[:200]
        ),
        "tags": list(
            Tag.objects.filter(organisation_id=user.organisation_id)
            .order_by("name")
            .values_list("name", flat=True)[:300]
        ),
        "kinds": SourceKind.choices,
        "sorts": list(SORT_LABELS.items()),
    }


def applications_visible(*, user: User, lesson: Lesson, limit: int = 50) -> list[LessonApplication]:
    """The lesson's applications whose target the viewer can see (the count includes all)."""
    incident_visible = visible_q(user, team_field="incident__team")
    other = Q(incident__isnull=True, team__organisation_id=user.organisation_id)
    return list(
        LessonApplication.objects.filter(lesson=lesson)
        .filter(incident_visible | other)
        .select_related("incident", "incident__team", "applied_by", "team")
        .order_by("-created_at", "-id")[:limit]
    )


def incidents_to_apply(*, user: User, lesson: Lesson, limit: int = 50) -> list[Any]:
    """Recent incidents the user can see and the lesson was not yet applied on."""
    done = LessonApplication.objects.filter(lesson=lesson, incident__isnull=False).values(
        "incident_id"
    )
    return list(
        Incident.objects.visible_to(user)
        .exclude(pk__in=done)
        .select_related("team")
        .order_by("-created_at", "-id")
        .only("id", "title", "created_at", "team__name")[:limit]
    )
