"""Reads for reviews and review templates. Every query goes through the visibility rule."""

from __future__ import annotations

from typing import Any

from django.db.models import BigIntegerField, Q, QuerySet
from django.http import Http404

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import Viewer, sees, team_ids_of
from learnloop.core.compiled import Compiled, Param
from learnloop.core.validation import id_or_none, looks_like_id
from learnloop.incidents.models import Incident
from learnloop.reviews.models import PrivateNote, Review, ReviewRevision, ReviewTemplate, Status

# Section types whose entries can be counted (and so may carry a minimum count).
COUNTABLE_TYPES = {"list", "timeline", "factors", "learnings", "next_steps"}

NOUNS = {
    "learnings": ("learning", "learnings"),
    "next_steps": ("next step", "next steps"),
    "timeline": ("timeline entry", "timeline entries"),
    "factors": ("contributing factor", "contributing factors"),
}


def review_list(
    *,
    user: Viewer,
    team: str | int | None = None,
    status: str | None = None,
    template: str | int | None = None,
    incident: int | None = None,
) -> QuerySet[Review]:
    """Reviews ``user`` may see, newest first, filtered; related rows joined for list pages."""
    # team prefetched, not joined: with the JOIN SQLite sorts every visible row (1M rows:
    # 1 s) instead of walking the created_at index (1 ms); docs/benchmarks.md.
    qs = (
        Review.objects.visible_to(user)
        .select_related("template", "incident")
        .prefetch_related("team")
    )
    if team not in (None, ""):
        if looks_like_id(team):
            team_pk = id_or_none(team)
            qs = qs.filter(team__pk=team_pk) if team_pk is not None else qs.none()
        else:
            qs = qs.filter(team__slug=team)
    if status:
        qs = qs.filter(status=status)
    if template not in (None, ""):
        if looks_like_id(template):
            qs = qs.filter(template_id=id_or_none(template))
        else:
            qs = qs.filter(template__slug=template)
    if incident not in (None, ""):
        if not looks_like_id(incident, signed=True):
            return qs.none()
        incident_id = id_or_none(incident, signed=True)
        qs = qs.filter(incident_id=incident_id) if incident_id is not None else qs.none()
    return qs.order_by("-created_at", "-id")


def review_get_visible(*, user: Viewer, pk: Any) -> Review:
    """The review if ``user`` may see it; 404 otherwise (never 403)."""
    try:
        return (
            Review.objects.visible_to(user)
            .select_related("team", "template", "incident", "created_by")
            .get(pk=pk)
        )
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def review_get_writable(*, user: Viewer, pk: Any) -> Review:
    """The review if ``user`` is a member of its team (who write reviews); 404 otherwise.

    An organisation-visible review can be read by other teams but only its own team edits it;
    for everyone else the write pages simply do not exist.
    """
    review = review_get_visible(user=user, pk=pk)
    if review.team_id not in team_ids_of(user):
        raise Http404("Not found")
    return review


def can_write(user: Viewer, review: Review) -> bool:
    return review.team_id in team_ids_of(user)


def templates_visible_to(user: Viewer) -> QuerySet[ReviewTemplate]:
    """Shipped templates, plus the templates of the teams ``user`` belongs to."""
    if not isinstance(user, User) or user.organisation_id is None:
        return ReviewTemplate.objects.none()
    return (
        ReviewTemplate.objects.filter(
            Q(is_shipped=True) | Q(team_id__in=team_ids_of(user), team__isnull=False)
        )
        .select_related("team")
        .order_by("-is_shipped", "team__name", "name")
    )


def templates_for_team(team: Team) -> QuerySet[ReviewTemplate]:
    return ReviewTemplate.objects.filter(Q(is_shipped=True) | Q(team=team)).order_by(
        "-is_shipped", "name"
    )


# The incident page's reviews panel (decision 0179): an anonymous report's page is never kept,
# so every view reads these; each compiled once per connection (``core.compiled``, decision
# 0236) instead of the ORM's query building on every view, which was most of their cost. Same
# rows and order as ``review_list(incident=...)[:20]`` and ``templates_for_team``.
_PANEL_ROWS = Compiled(
    lambda: (
        Review.objects.filter(incident_id=Param("incident", BigIntegerField()))
        .order_by("-created_at", "-id")
        .values(
            "id",
            "title",
            "status",
            "template__name",
            "team__organisation_id",
            "team_id",
            "visibility",
        )
    )
)
_TEMPLATE_ROWS = Compiled(
    lambda: (
        ReviewTemplate.objects.filter(
            Q(is_shipped=True) | Q(team_id=Param("team", BigIntegerField()))
        )
        .order_by("-is_shipped", "name")
        .values("id", "name", "slug", "team_id", "is_shipped", "cooling_off_hours")
    )
)
PANEL_SIZE = 20


def incident_panel(*, user: Viewer, incident_id: int) -> list[dict[str, Any]]:
    """The newest 20 reviews of an incident that ``user`` may see, as its page's panel shows
    them (id, title, status label, template name), each row checked with the visibility rule
    (``sees``). An incident has a handful of reviews."""
    labels = dict(Status.choices)
    return [
        {
            "pk": row["id"],
            "title": row["title"],
            "status_label": labels.get(row["status"], row["status"]),
            "template": row["template__name"],
        }
        for row in _PANEL_ROWS.rows(incident=incident_id)
        if sees(user, row["team__organisation_id"], row["team_id"], row["visibility"])
    ][:PANEL_SIZE]


def template_choices(team: Team) -> list[ReviewTemplate]:
    """:func:`templates_for_team` as unsaved objects with the fields a picker and
    :func:`default_template` read (pk, name, slug, team, shipped, cooling-off hours)."""
    return [
        ReviewTemplate(
            pk=row["id"],
            name=row["name"],
            slug=row["slug"],
            team_id=row["team_id"],
            is_shipped=row["is_shipped"],
            cooling_off_hours=row["cooling_off_hours"],
        )
        for row in _TEMPLATE_ROWS.rows(team=team.pk)
    ]


# The shipped template that fits each kind of incident (decision 0090): a setback or a mistake
# gets the 24-hour learning review, a near miss or a drill an after-action review, the rest the
# incident review.
TEMPLATE_FOR_KIND = {
    "service_incident": "incident-review",
    "security_event": "incident-review",
    "mistake": "24-hour-learning-review",
    "setback": "24-hour-learning-review",
    "near_miss": "after-action-review",
    "drill": "after-action-review",
}
DEFAULT_TEMPLATE_SETTING = "default_template"


def default_template(
    templates: list[ReviewTemplate], *, team: Team | None, kind: str = ""
) -> ReviewTemplate | None:
    """The template to preselect among ``templates`` for a review of ``team`` (of an incident
    of ``kind``): the team's chosen default when it set one, else the template that fits the
    kind (the team's own copy of it first), else the incident review."""
    if team is not None:
        chosen = (team.settings or {}).get(DEFAULT_TEMPLATE_SETTING)
        for template in templates:
            if chosen and template.pk == chosen and template.team_id in (None, team.pk):
                return template
    slug = TEMPLATE_FOR_KIND.get(kind, "incident-review")
    fitting = [
        t for t in templates if t.slug == slug and t.team_id in (None, getattr(team, "pk", None))
    ]
    fitting.sort(key=lambda t: t.is_shipped)  # the team's copy before the shipped one
    return fitting[0] if fitting else (templates[0] if templates else None)


def template_picker(
    templates: QuerySet[ReviewTemplate],
    *,
    teams: QuerySet[Team],
    incident: Incident | None,
    team_id: str = "",
    template_id: str = "",
) -> dict[str, Any]:
    """The "start a review" picker: ``template_groups`` (shipped, then each team's own, the
    team named once as the group) and ``chosen_template``, the pk to preselect: the one posted
    back, else :func:`default_template` for the incident's (or the chosen / first) team."""
    groups: dict[str, list[ReviewTemplate]] = {}
    for template in templates:
        if incident is not None and not (
            template.is_shipped or template.team_id == incident.team_id
        ):
            continue
        team_name = template.team.name if template.team else ""
        label = "Shipped with Learnloop" if template.is_shipped else f"{team_name}’s templates"
        groups.setdefault(label, []).append(template)
    chosen = str(template_id or "")
    if not chosen:
        team = incident.team if incident else None
        if team is None and str(team_id).isdigit():
            team = teams.filter(pk=int(team_id)).first()
        team = team or teams.order_by("name").first()
        usable = [t for t in templates if t.is_shipped or (team and t.team_id == team.pk)]
        found = default_template(usable, team=team, kind=incident.kind if incident else "")
        chosen = str(found.pk) if found else ""
    return {"template_groups": list(groups.items()), "chosen_template": chosen}


def template_get_visible(*, user: Viewer, pk: Any) -> ReviewTemplate:
    try:
        return templates_visible_to(user).get(pk=pk)
    except (ReviewTemplate.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def template_get_editable(*, user: Viewer, pk: Any) -> ReviewTemplate:
    """A team's own template, for its members; shipped templates are copied, never edited."""
    template = template_get_visible(user=user, pk=pk)
    if template.is_shipped or template.team_id not in team_ids_of(user):
        raise Http404("Not found")
    return template


def count_entries(section: dict[str, Any], content: dict[str, Any]) -> int:
    value = content.get(section["key"])
    return len(value) if isinstance(value, list) else 0


def publish_missing(review: Review) -> dict[str, list[str]]:
    """What is missing before ``review`` may be published, per section key, in plain words."""
    missing: dict[str, list[str]] = {}
    for section in review.sections:
        needed = int(section.get("min_count") or 0)
        if needed <= 0 or section.get("type") not in COUNTABLE_TYPES:
            continue
        written = count_entries(section, review.content or {})
        if written >= needed:
            continue
        lack = needed - written
        singular, plural = NOUNS.get(
            section["type"], (f"item to “{section['title']}”", f"items to “{section['title']}”")
        )
        noun = singular if lack == 1 else plural
        missing[section["key"]] = [f"Add {lack} more {noun} ({needed} needed, {written} written)."]
    return missing


#: (no owner, no due date) -> what a next step lacks and what to ask.
_NEXT_STEP_GAPS = {
    (True, True): "has no owner and no due date yet: it would become an action that nobody "
    "owns and that is never due. Who will own it, and by when?",
    (True, False): "has no owner yet: it would become an action that nobody owns. Who will own it?",
    (False, True): "has no due date yet: it would become an action that is never due. By when?",
}


def publish_advice(review: Review) -> list[str]:
    """What would make ``review`` easier to act on, in plain words; publishing is not blocked
    by any of it (issue 11). Vague learnings ("Test more.", "Be more careful.", as the coach
    reads them) and next steps that would become actions without an owner or a due date."""
    from learnloop.coach.engine import vague_learning

    advice: list[str] = []
    content = review.content or {}
    for section in review.sections:
        entries = content.get(section["key"]) or []
        if section.get("type") == "learnings":
            for i, text in enumerate(entries, 1):
                question = vague_learning(str(text))
                if question:
                    advice.append(
                        f"Learning {i}, “{text}”, does not say what to change. {question}"
                    )
        elif section.get("type") == "next_steps":
            for i, step in enumerate(entries, 1):
                if not isinstance(step, dict) or step.get("action_id"):
                    continue
                key = (not step.get("owner"), not step.get("due_date"))
                if any(key):
                    advice.append(f"Next step {i}, “{step.get('title')}”, {_NEXT_STEP_GAPS[key]}")
    return advice


def revisions_of(review: Review) -> QuerySet[ReviewRevision]:
    return review.revisions.select_related("author").order_by("-version")


def private_notes_of(*, user: Viewer, review: Review) -> QuerySet[PrivateNote]:
    """Only the author's own notes, whoever asks: nobody else ever sees them."""
    if not isinstance(user, User):
        return PrivateNote.objects.none()
    return PrivateNote.objects.filter(review=review, author=user).order_by("-updated_at")
