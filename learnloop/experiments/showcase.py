"""The monthly showcase (docs/experiments.md, decisions/0151): for a team, or the organisation,
and a month, an agenda of the month's stopped, pivoted and failed experiments with what each
taught — the leaders' own items first (team admins and organisation admins), then the rest.
The facilitator reorders and adds items, marks them presented; each item collects applause
(reactable kind ``showcase_item``).

Who sees what: a team showcase is the team's (or organisation-visible if its team says so); an
organisation showcase is hosted by a team and always organisation-visible. An item is only
drawn from experiments that everyone who sees the showcase may open, so a showcase never
shows a team-private card beyond its team.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from learnloop.accounts.models import Membership, Role, Team, User
from learnloop.accounts.visibility import can_manage_team, can_see, team_ids_of
from learnloop.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from learnloop.core.models import Visibility
from learnloop.core.validation import clean_text, parse_datetime_in_range, parse_int
from learnloop.core.versioning import claim_version
from learnloop.experiments.models import (
    Decision,
    Experiment,
    Kind,
    LearningCard,
    Showcase,
    ShowcaseItem,
    ShowcaseScope,
    State,
)
from learnloop.lessons.models import Lesson

TITLE_MAX = 200
TEXT_MAX = 4000
OUTCOMES = {
    Decision.STOP: "stopped on data",
    Decision.PIVOT: "pivoted on data",
}
FAILED = "ran past its time box"


# --- months -----------------------------------------------------------------------------------


def month_start(value: Any, field: str = "month") -> dt.date:
    """The first day of the month given as ``YYYY-MM`` (or a date/``YYYY-MM-DD`` in it)."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = clean_text(value, field).strip()
    try:
        parsed = dt.date.fromisoformat(text + "-01" if len(text) == 7 else text)
    except ValueError:
        raise ApplicationError(
            "Check the month.", fields={field: ["Give a month as YYYY-MM, e.g. 2026-11."]}
        ) from None
    if not 2000 <= parsed.year <= 2100:
        raise ApplicationError("Check the month.", fields={field: ["A year from 2000 to 2100."]})
    return parsed.replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the month in the display time zone, as aware datetimes."""
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(month, dt.time.min, tzinfo=tz),
        dt.datetime.combine(nxt, dt.time.min, tzinfo=tz),
    )


# --- who ----------------------------------------------------------------------------------------


def leader_ids(team_ids: Iterable[int], organisation_id: int) -> set[int]:
    """Team admins of these teams and the organisation's admins: the "leaders"."""
    admins = Membership.objects.filter(team_id__in=list(team_ids), role=Role.ADMIN).values_list(
        "user_id", flat=True
    )
    org_admins = User.objects.filter(
        organisation_id=organisation_id, is_org_admin=True
    ).values_list("pk", flat=True)
    return set(admins) | set(org_admins)


def can_facilitate(user: User, showcase: Showcase) -> bool:
    """The facilitator, the host team's admins, and (for an organisation showcase) its admins."""
    if showcase.facilitator_id == user.pk:
        return showcase.team_id in team_ids_of(user) or showcase.scope == ShowcaseScope.ORGANISATION
    return can_manage_team(user, showcase.team)


def require_facilitator(actor: User, showcase: Showcase) -> None:
    if not can_see(actor, showcase):
        raise NotFound()
    if not can_facilitate(actor, showcase):
        raise PermissionDenied("Only the facilitator or the team's admins change the agenda.")


# --- what qualifies ---------------------------------------------------------------------------


def source_experiments(showcase: Showcase) -> QuerySet[Experiment]:
    """Experiments whose items everyone who sees ``showcase`` may open."""
    qs = Experiment.objects.filter(kind=Kind.EXPERIMENT)
    if showcase.scope == ShowcaseScope.ORGANISATION:
        return qs.filter(
            team__organisation_id=showcase.team.organisation_id,
            visibility=Visibility.ORGANISATION,
        )
    qs = qs.filter(team_id=showcase.team_id)
    if showcase.visibility == Visibility.ORGANISATION:
        qs = qs.filter(visibility=Visibility.ORGANISATION)
    return qs


def month_candidates(showcase: Showcase) -> list[Experiment]:
    """The month's stopped and pivoted experiments (decided on a learning card that month) and
    the ones whose time box ended that month while still running (failed, in the portfolio's
    words), oldest first."""
    start, end = month_bounds(showcase.month)
    qs = source_experiments(showcase).select_related("owner", "team")
    decided = qs.filter(
        state=State.DECIDED,
        decision__in=[Decision.STOP, Decision.PIVOT],
        decided_at__gte=start,
        decided_at__lt=end,
    )
    running = qs.filter(
        state=State.RUNNING, started_at__lt=end, started_at__gte=start - dt.timedelta(days=3650)
    )
    now = timezone.now()
    failed = [
        e
        for e in running
        if e.started_at is not None
        and start <= e.started_at + dt.timedelta(days=e.time_box_days) < min(end, now)
    ]
    found = list(decided) + failed
    found.sort(key=lambda e: (e.decided_at or e.started_at or e.created_at, e.pk))
    return found


def _last_cards(experiments: list[Experiment]) -> dict[int, LearningCard]:
    cards: dict[int, LearningCard] = {}
    for card in LearningCard.objects.filter(experiment__in=experiments).order_by(
        "created_at", "id"
    ):
        cards[card.experiment_id] = card  # the last one wins
    return cards


def _item_for(
    showcase: Showcase, experiment: Experiment, card: LearningCard | None, leaders: set[int]
) -> ShowcaseItem:
    if card is not None:
        insight = "; ".join(card.learnings) or card.observed
    else:
        insight = "No learning card yet: what did it teach us?"
    return ShowcaseItem(
        showcase=showcase,
        team_id=showcase.team_id,
        visibility=showcase.visibility,
        position=0,
        experiment=experiment,
        learning_card=card,
        title=experiment.title,
        insight=insight[:TEXT_MAX],
        outcome=OUTCOMES.get(Decision(experiment.decision), FAILED)
        if experiment.decision
        else FAILED,
        presenter=experiment.owner,
        leader=experiment.owner_id in leaders,
    )


def _place(showcase: Showcase, new: list[ShowcaseItem]) -> None:
    """Put ``new`` items on the agenda: leaders' after the last leader item already there, the
    rest at the end; positions stay 1..n."""
    items = list(showcase.items.order_by("position", "id"))
    last_leader = max((i for i, it in enumerate(items) if it.leader), default=-1)
    leaders = [it for it in new if it.leader]
    others = [it for it in new if not it.leader]
    ordered = items[: last_leader + 1] + leaders + items[last_leader + 1 :] + others
    for position, item in enumerate(ordered, start=1):
        item.position = position
    for item in new:
        item.save()
    if items:
        ShowcaseItem.objects.bulk_update(items, ["position"])


def showcase_refresh(*, actor: User, showcase: Showcase) -> int:
    """Add the month's qualifying experiments not on the agenda yet; returns how many."""
    require_facilitator(actor, showcase)
    return agenda_refresh(showcase)


def agenda_refresh(showcase: Showcase) -> int:
    """:func:`showcase_refresh` without the person (the seed and the demo build agendas)."""
    with transaction.atomic():
        locked = Showcase.objects.select_for_update().select_related("team").get(pk=showcase.pk)
        present = set(
            locked.items.exclude(experiment__isnull=True).values_list("experiment_id", flat=True)
        )
        found = [e for e in month_candidates(locked) if e.pk not in present]
        if not found:
            return 0
        cards = _last_cards(found)
        team_ids = {e.team_id for e in found}
        leaders = leader_ids(team_ids, locked.team.organisation_id)
        _place(locked, [_item_for(locked, e, cards.get(e.pk), leaders) for e in found])
        Showcase.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return len(found)


# --- the showcase itself ------------------------------------------------------------------------


def _meeting(values: dict[str, Any], errors: dict[str, list[str]], out: dict[str, Any]) -> None:
    if "meeting_at" in values:
        try:
            out["meeting_at"] = parse_datetime_in_range(values["meeting_at"], "meeting_at")
        except ApplicationError as exc:
            errors.update(exc.fields)
    if "duration_minutes" in values:
        try:
            out["duration_minutes"] = parse_int(
                values["duration_minutes"], "duration_minutes", minimum=5, maximum=600, default=60
            )
        except ApplicationError as exc:
            errors.update(exc.fields)
    for name, limit in (("title", TITLE_MAX), ("location", TITLE_MAX)):
        if name in values:
            try:
                text = clean_text(values[name], name).strip()
            except ApplicationError as exc:
                errors.update(exc.fields)
                continue
            if len(text) > limit:
                errors[name] = [f"At most {limit} characters."]
            out[name] = text


def _facilitator(team: Team, scope: str, person: User | None, errors: dict[str, list[str]]) -> None:
    if person is None:
        return
    if scope == ShowcaseScope.ORGANISATION:
        ok = person.organisation_id == team.organisation_id
    else:
        ok = Membership.objects.filter(user=person, team=team).exists()
    if not ok:
        where = "the organisation" if scope == ShowcaseScope.ORGANISATION else team.name
        errors["facilitator"] = [f"The facilitator must be in {where}."]


def showcase_create(
    *,
    actor: User,
    team: Team,
    month: Any,
    scope: str = ShowcaseScope.TEAM,
    facilitator: User | None = None,
    title: str = "",
    meeting_at: Any = None,
    duration_minutes: Any = 60,
    location: str = "",
    visibility: str = Visibility.TEAM,
) -> Showcase:
    """A team's (team admins) or the organisation's (organisation admins) showcase for a month,
    its agenda built at once; the facilitator defaults to the person creating it."""
    if team.pk not in team_ids_of(actor) and not (
        actor.is_org_admin and actor.organisation_id == team.organisation_id
    ):
        raise NotFound()
    if scope not in ShowcaseScope.values:
        raise ApplicationError(
            "Check the scope.", fields={"scope": [f"One of: {', '.join(ShowcaseScope.values)}."]}
        )
    if scope == ShowcaseScope.ORGANISATION and not actor.is_org_admin:
        raise PermissionDenied("Only organisation admins hold the organisation's showcase.")
    if scope == ShowcaseScope.TEAM and not can_manage_team(actor, team):
        raise PermissionDenied("Only the team's admins set up its showcase.")
    errors: dict[str, list[str]] = {}
    first = None
    try:
        first = month_start(month)
    except ApplicationError as exc:
        errors.update(exc.fields)
    if visibility not in Visibility.values:
        errors["visibility"] = [f"One of: {', '.join(Visibility.values)}."]
    values: dict[str, Any] = {}
    _meeting(
        {
            "title": title,
            "meeting_at": meeting_at,
            "duration_minutes": duration_minutes,
            "location": location,
        },
        errors,
        values,
    )
    _facilitator(team, scope, facilitator, errors)
    if errors:
        raise ApplicationError("The showcase was not saved.", fields=errors)
    assert first is not None
    where = "the organisation" if scope == ShowcaseScope.ORGANISATION else team.name
    values["title"] = values["title"] or f"Showcase of {where}, {first:%B %Y}"
    try:
        with transaction.atomic():
            showcase = Showcase.objects.create(
                team=team,
                scope=scope,
                month=first,
                visibility=Visibility.ORGANISATION
                if scope == ShowcaseScope.ORGANISATION
                else visibility,
                facilitator=facilitator or actor,
                created_by=actor,
                **values,
            )
    except IntegrityError:
        raise Conflict(
            f"{where} already has a showcase for {first:%B %Y}.",
            fields={"month": ["Open the existing one instead."]},
        ) from None
    showcase_refresh(actor=actor, showcase=showcase)
    return showcase


def saved_values(showcase: Showcase) -> dict[str, Any]:
    return {
        "title": showcase.title,
        "meeting_at": showcase.meeting_at,
        "duration_minutes": showcase.duration_minutes,
        "location": showcase.location,
        "facilitator": showcase.facilitator,
    }


def showcase_update(*, actor: User, showcase: Showcase, version: int, **changes: Any) -> Showcase:
    """Title, meeting time, duration, place and facilitator; a stale ``version`` is a 409."""
    require_facilitator(actor, showcase)
    unknown = set(changes) - {"title", "meeting_at", "duration_minutes", "location", "facilitator"}
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    _meeting(changes, errors, values)
    if "title" in values and not values["title"]:
        errors["title"] = ["Give the showcase a title."]
    if "facilitator" in changes:
        if changes["facilitator"] is None:
            errors["facilitator"] = ["Choose a facilitator."]
        else:
            _facilitator(showcase.team, showcase.scope, changes["facilitator"], errors)
            values["facilitator"] = changes["facilitator"]
    if errors:
        raise ApplicationError("The showcase was not saved.", fields=errors)
    with transaction.atomic():
        new_version = claim_version(
            Showcase,
            pk=showcase.pk,
            version=version,
            message="Someone else changed this showcase while you were editing it.",
            submitted=values,
            saved=saved_values,
        )
        current = Showcase.objects.select_related("team__organisation").get(pk=showcase.pk)
        for key, value in values.items():
            setattr(current, key, value)
        current.version = new_version
        current.save()
    return current


# --- items --------------------------------------------------------------------------------------


def _linked(
    actor: User, showcase: Showcase, experiment: Experiment | None, lesson: Lesson | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if experiment is not None and (
        not can_see(actor, experiment)
        or not source_experiments(showcase).filter(pk=experiment.pk).exists()
    ):
        errors["experiment_id"] = ["Choose an experiment everyone at this showcase may open."]
    if lesson is not None:
        everyone = lesson.visibility == Visibility.ORGANISATION or (
            showcase.visibility == Visibility.TEAM and lesson.team_id == showcase.team_id
        )
        if not can_see(actor, lesson) or not everyone:
            errors["lesson_id"] = ["Choose a lesson everyone at this showcase may open."]
    return errors


def showcase_item_add(
    *,
    actor: User,
    showcase: Showcase,
    title: str,
    insight: str = "",
    presenter: User | None = None,
    experiment: Experiment | None = None,
    lesson: Lesson | None = None,
) -> ShowcaseItem:
    """The facilitator adds an item (any story worth telling, linked to an experiment, its last
    learning card, or a lesson); a leader's item joins the leaders' block at the top."""
    require_facilitator(actor, showcase)
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for name, value, limit in (("title", title, TITLE_MAX), ("insight", insight, TEXT_MAX)):
        try:
            values[name] = clean_text(value, name).strip()
        except ApplicationError as exc:
            errors.update(exc.fields)
            continue
        if len(values[name]) > limit:
            errors[name] = [f"At most {limit} characters."]
    if not values.get("title") and "title" not in errors:
        if experiment is not None:
            values["title"] = experiment.title
        else:
            errors["title"] = ["Give the item a title."]
    errors.update(_linked(actor, showcase, experiment, lesson))
    if presenter is not None and presenter.organisation_id != showcase.team.organisation_id:
        errors["presenter"] = ["The presenter must be in the organisation."]
    if experiment is not None and showcase.items.filter(experiment=experiment).exists():
        errors["experiment_id"] = ["This experiment is on the agenda already."]
    if errors:
        raise ApplicationError("The item was not added.", fields=errors)
    presenter = presenter or (experiment.owner if experiment is not None else None)
    leaders = leader_ids([showcase.team_id], showcase.team.organisation_id)
    card = experiment.learning_cards.order_by("-created_at", "-id").first() if experiment else None
    item = ShowcaseItem(
        showcase=showcase,
        team_id=showcase.team_id,
        visibility=showcase.visibility,
        position=0,
        experiment=experiment,
        learning_card=card,
        lesson=lesson,
        title=values["title"],
        insight=values.get("insight", ""),
        presenter=presenter,
        leader=presenter is not None and presenter.pk in leaders,
        added_by=actor,
    )
    with transaction.atomic():
        Showcase.objects.select_for_update().get(pk=showcase.pk)
        _place(showcase, [item])
    return item


def showcase_item_move(*, actor: User, item: ShowcaseItem, position: Any) -> ShowcaseItem:
    """Move ``item`` to ``position`` (1 = first); the facilitator's order wins over the
    leaders-first default."""
    showcase = item.showcase
    require_facilitator(actor, showcase)
    with transaction.atomic():
        Showcase.objects.select_for_update().get(pk=showcase.pk)
        count = showcase.items.aggregate(n=Max("position"))["n"] or 1
        target = parse_int(position, "position", minimum=1, maximum=max(count, 1))
        items = [i for i in showcase.items.order_by("position", "id") if i.pk != item.pk]
        items.insert(target - 1, item)
        for index, each in enumerate(items, start=1):
            each.position = index
        ShowcaseItem.objects.bulk_update(items, ["position"])
    return item


def showcase_item_presented(*, actor: User, item: ShowcaseItem, presented: bool) -> ShowcaseItem:
    """Mark an item presented (or not yet)."""
    require_facilitator(actor, item.showcase)
    item.presented_at = timezone.now() if presented else None
    ShowcaseItem.objects.filter(pk=item.pk).update(
        presented_at=item.presented_at, updated_at=timezone.now()
    )
    return item


def showcase_item_remove(*, actor: User, item: ShowcaseItem) -> None:
    showcase = item.showcase
    require_facilitator(actor, showcase)
    with transaction.atomic():
        item.delete()
        rest = list(showcase.items.order_by("position", "id"))
        for index, each in enumerate(rest, start=1):
            each.position = index
        ShowcaseItem.objects.bulk_update(rest, ["position"])


def showcases_visible(user: User) -> QuerySet[Showcase]:
    return Showcase.objects.visible_to(user).select_related("team", "facilitator")


def items_of(showcase: Showcase) -> QuerySet[ShowcaseItem]:
    return showcase.items.select_related(
        "presenter", "experiment", "lesson", "learning_card"
    ).order_by("position", "id")
