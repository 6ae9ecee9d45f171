"""Writes for test cards and efficiency-change proposals: create, update (optimistic version),
and the history every state change leaves (:func:`record`).

Approvals live in ``experiments/approvals.py``, phase rules in ``experiments/phase_rules.py``,
learning cards in ``experiments/learning.py`` (decisions/0084: modules by concern).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from learnloop.accounts.models import Membership, Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.models import Visibility
from learnloop.core.validation import clean_text, parse_int
from learnloop.core.versioning import claim_version
from learnloop.experiments.models import Event, Experiment, Kind, Phase, State
from learnloop.lessons.models import Lesson, TargetKind
from learnloop.lessons.services import lesson_apply

TITLE_MAX = 200
TEXT_MAX = 4000
MONEY_MAX = Decimal("9999999999.99")
DAYS_MAX = 3650
DEFAULT_CURRENCY = "EUR"

TEXT_FIELDS = ("title", "hypothesis", "test", "metric", "success_criterion", "riskiest_assumption")
EDITABLE_FIELDS = (
    *TEXT_FIELDS,
    "budget",
    "expected_saving",
    "time_box_days",
    "person_days",
    "owner",
    "phase",
    "visibility",
)

_UNSET: Any = object()


def currency_of(team: Team) -> str:
    """The organisation's currency (``organisation.settings["currency"]``), EUR by default."""
    value = (team.organisation.settings or {}).get("currency")
    return value if isinstance(value, str) and len(value) == 3 else DEFAULT_CURRENCY


def require_member(actor: User, team: Team) -> None:
    if team.pk not in team_ids_of(actor):
        raise PermissionDenied("Only members of the team can change its experiments.")


def parse_amount(value: Any, field: str, *, required: bool = False) -> Decimal | None:
    """Money: a non-negative number with at most two decimals; empty is None (or 0 if
    ``required``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal("0") if required else None
    if isinstance(value, bool):
        raise ApplicationError("Check the amount.", fields={field: ["Enter an amount."]})
    try:
        amount = Decimal(str(clean_text(value, field)).strip())
    except InvalidOperation:
        raise ApplicationError(
            "Check the amount.", fields={field: ["Enter an amount, e.g. 2500 or 2500.50."]}
        ) from None
    if not amount.is_finite() or amount < 0:
        raise ApplicationError(
            "Check the amount.", fields={field: ["Enter an amount of zero or more."]}
        )
    if amount > MONEY_MAX or amount != amount.quantize(Decimal("0.01")):
        raise ApplicationError(
            "Check the amount.",
            fields={field: [f"At most {MONEY_MAX} with two decimals."]},
        )
    return amount


def parse_person_days(value: Any) -> Decimal:
    amount = parse_amount(value, "person_days", required=True)
    assert amount is not None
    if amount > DAYS_MAX or amount != amount.quantize(Decimal("0.1")):
        raise ApplicationError(
            "Check the person-days.",
            fields={"person_days": [f"Between 0 and {DAYS_MAX}, with one decimal at most."]},
        )
    return amount


def _collect(errors: dict[str, list[str]], fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except ApplicationError as exc:
        for key, messages in exc.fields.items():
            errors.setdefault(key, []).extend(messages)
        return None


def _clean(data: dict[str, Any], team: Team, errors: dict[str, list[str]]) -> dict[str, Any]:
    """Check and convert the card's fields given in ``data`` (by name), collecting errors."""
    out: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in data:
            text = (_collect(errors, clean_text, data[name], name) or "").strip()
            limit = TITLE_MAX if name == "title" else TEXT_MAX
            if len(text) > limit:
                errors.setdefault(name, []).append(f"At most {limit} characters.")
            out[name] = text
    if "title" in out and not out["title"]:
        errors.setdefault("title", []).append("Give the card a title.")
    if "budget" in data:
        out["budget"] = _collect(errors, parse_amount, data["budget"], "budget", required=True)
    if "expected_saving" in data:
        out["expected_saving"] = _collect(
            errors, parse_amount, data["expected_saving"], "expected_saving"
        )
    if "time_box_days" in data:
        out["time_box_days"] = _collect(
            errors,
            parse_int,
            data["time_box_days"],
            "time_box_days",
            minimum=0,
            maximum=DAYS_MAX,
            default=0,
        )
    if "person_days" in data:
        out["person_days"] = _collect(errors, parse_person_days, data["person_days"])
    if "phase" in data:
        if data["phase"] not in Phase.values:
            errors.setdefault("phase", []).append(f"Choose one of: {', '.join(Phase.values)}.")
        out["phase"] = data["phase"]
    if "visibility" in data:
        if data["visibility"] not in Visibility.values:
            errors.setdefault("visibility", []).append(
                f"Choose one of: {', '.join(Visibility.values)}."
            )
        out["visibility"] = data["visibility"]
    if "owner" in data:
        owner = data["owner"]
        if owner is not None and not Membership.objects.filter(user=owner, team=team).exists():
            errors.setdefault("owner", []).append(f"The owner must be a member of {team.name}.")
        out["owner"] = owner
    return out


def _participants(team: Team, people: Iterable[User], errors: dict[str, list[str]]) -> list[User]:
    people = list(people)
    members = set(
        Membership.objects.filter(team=team, user__in=people).values_list("user_id", flat=True)
    )
    outside = [p.name for p in people if p.pk not in members]
    if outside:
        errors.setdefault("participants", []).append(
            f"Participants must be members of {team.name} (not: {', '.join(outside)})."
        )
    return people


def record(
    experiment: Experiment, *, actor: User | None, what: str, before: str = "", note: str = ""
) -> Event:
    """One line of the experiment's history (call in the writer's transaction)."""
    return Event.objects.create(
        experiment=experiment,
        at=timezone.now(),
        actor=actor,
        what=what,
        from_state=before,
        to_state=experiment.state,
        note=note,
    )


def experiment_create(
    *,
    actor: User,
    team: Team,
    title: str,
    kind: str = Kind.EXPERIMENT,
    hypothesis: str = "",
    test: str = "",
    metric: str = "",
    success_criterion: str = "",
    riskiest_assumption: str = "",
    budget: Any = 0,
    expected_saving: Any = None,
    time_box_days: Any = 0,
    person_days: Any = 0,
    owner: User | None = None,
    participants: Iterable[User] = (),
    phase: str = Phase.EXPLORE,
    visibility: str = Visibility.TEAM,
    previous: Experiment | None = None,
    applied_lessons: Iterable[Lesson] = (),
) -> Experiment:
    """A new test card (or efficiency change) in ``team``, as a draft. ``applied_lessons``:
    past lessons the author reused while writing it ("Applied here", in the same transaction)."""
    require_member(actor, team)
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [f"Choose one of: {', '.join(Kind.values)}."]
    values = _clean(
        {
            "title": title,
            "hypothesis": hypothesis,
            "test": test,
            "metric": metric,
            "success_criterion": success_criterion,
            "riskiest_assumption": riskiest_assumption,
            "budget": budget,
            "expected_saving": expected_saving,
            "time_box_days": time_box_days,
            "person_days": person_days,
            "owner": owner,
            "phase": phase,
            "visibility": visibility,
        },
        team,
        errors,
    )
    people = _participants(team, participants, errors)
    if errors:
        raise ApplicationError("Please correct the highlighted fields.", fields=errors)
    with transaction.atomic():
        experiment = Experiment.objects.create(
            team=team,
            kind=kind,
            currency=currency_of(team),
            created_by=actor,
            previous=previous,
            iteration=previous.iteration + 1 if previous is not None else 1,
            **values,
        )
        experiment.participants.set(people)
        record(experiment, actor=actor, what="created")
        for lesson in applied_lessons:
            lesson_apply(
                actor=actor, lesson=lesson, target_kind=TargetKind.EXPERIMENT, target=experiment
            )
    return experiment


def saved_values(experiment: Experiment) -> dict[str, Any]:
    return {name: getattr(experiment, name) for name in EDITABLE_FIELDS}


def experiment_update(
    *,
    actor: User,
    experiment: Experiment,
    version: int,
    participants: Iterable[User] | None = None,
    **changes: Any,
) -> Experiment:
    """Change the card while it is a draft (or rejected, to resubmit); a stale ``version``
    is refused (409). Unknown field names are a programming error."""
    require_member(actor, experiment.team)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    changes = {k: v for k, v in changes.items() if v is not _UNSET}
    errors: dict[str, list[str]] = {}
    if not experiment.is_editable and set(changes) - {"visibility", "owner"}:
        raise ApplicationError(
            "The card is fixed once submitted.",
            code="invalid_state",
            fields={"state": [f"It is {experiment.get_state_display().lower()}."]},
        )
    values = _clean(changes, experiment.team, errors)
    people = (
        _participants(experiment.team, participants, errors) if participants is not None else None
    )
    if errors:
        raise ApplicationError("Please correct the highlighted fields.", fields=errors)
    with transaction.atomic():
        new_version = claim_version(
            Experiment,
            pk=experiment.pk,
            version=version,
            message="Someone else changed this card while you were editing it.",
            submitted=values,
            saved=saved_values,
        )
        current = Experiment.objects.select_related("team__organisation").get(pk=experiment.pk)
        for key, value in values.items():
            setattr(current, key, value)
        current.version = new_version
        current.save()
        if people is not None:
            current.participants.set(people)
        record(current, actor=actor, what="edited", before=current.state)
    return current


def experiment_set_state(
    experiment: Experiment, *, actor: User | None, to: str, what: str, note: str = ""
) -> Experiment:
    """Move ``experiment`` to state ``to`` and record it (inside the caller's transaction)."""
    before = experiment.state
    experiment.state = to
    experiment.version += 1
    if to == State.RUNNING and experiment.started_at is None:
        experiment.started_at = timezone.now()
    experiment.save()
    record(experiment, actor=actor, what=what, before=before, note=note)
    return experiment
