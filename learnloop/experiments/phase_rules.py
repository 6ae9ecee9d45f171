"""Phase rules as data: each team has one rule per phase (Explore, Experiment, Execute), with
defaults made on first read; team admins change them (decisions/0150)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

from learnloop.accounts.models import Membership, Team, User
from learnloop.accounts.visibility import can_manage_team
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.validation import parse_int
from learnloop.core.versioning import claim_version
from learnloop.experiments.models import PHASE_ORDER, ApprovalMode, Phase, PhaseRule, Win
from learnloop.experiments.services import parse_amount

DEFAULTS: dict[str, dict[str, Any]] = {
    Phase.EXPLORE: {
        "budget_limit": Decimal("2000"),
        "approval": ApprovalMode.AUTO,
        "required_approvals": 1,
        "win": Win.INSIGHTS,
        "time_target_pct": 10,
        "budget_target_pct": 5,
    },
    Phase.EXPERIMENT: {
        "budget_limit": Decimal("25000"),
        "approval": ApprovalMode.ONE,
        "required_approvals": 1,
        "win": Win.FAST,
    },
    Phase.EXECUTE: {
        "budget_limit": None,
        "approval": ApprovalMode.FORMAL,
        "required_approvals": 2,
        "win": Win.DELIVERY,
    },
}
MAX_APPROVERS = 20
_KEEP: Any = object()


def _target(
    value: Any, field: str, current: int | None, errors: dict[str, list[str]]
) -> int | None:
    """A percentage target 0-100, empty for none; not given keeps the saved one."""
    if value is _KEEP:
        return current
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_int(value, field, minimum=0, maximum=100)
    except ApplicationError as exc:
        errors.update(exc.fields)
        return current


FIELDS = (
    "budget_limit",
    "approval",
    "required_approvals",
    "allow_self_approval",
    "win",
    "time_target_pct",
    "budget_target_pct",
)


def rules_for(team: Team) -> list[PhaseRule]:
    """The team's three rules in phase order, made from the defaults when missing."""
    existing = {
        r.phase: r for r in PhaseRule.objects.filter(team=team).prefetch_related("approvers")
    }
    missing = [p for p in PHASE_ORDER if p not in existing]
    if missing:
        with transaction.atomic():
            for phase in missing:
                rule, _ = PhaseRule.objects.get_or_create(
                    team=team, phase=phase, defaults=DEFAULTS[phase]
                )
                existing[phase] = rule
    return [existing[p] for p in PHASE_ORDER]


def rule_for(team: Team, phase: str) -> PhaseRule:
    return next(r for r in rules_for(team) if r.phase == phase)


def saved_values(rule: PhaseRule) -> dict[str, Any]:
    values = {name: getattr(rule, name) for name in FIELDS}
    values["approvers"] = sorted(u.name for u in rule.approvers.all())
    return values


def phase_rule_update(
    *,
    actor: User,
    rule: PhaseRule,
    version: int,
    budget_limit: Any = None,
    approval: str,
    required_approvals: Any = 1,
    allow_self_approval: bool = False,
    win: str,
    approvers: Iterable[User] = (),
    time_target_pct: Any = _KEEP,
    budget_target_pct: Any = _KEEP,
) -> PhaseRule:
    """Replace a phase's rule (team admins only). Named approvers must be team members."""
    if not can_manage_team(actor, rule.team):
        raise PermissionDenied("Only the team's admins change its phase rules.")
    errors: dict[str, list[str]] = {}
    limit = None
    try:
        limit = parse_amount(budget_limit, "budget_limit")
    except ApplicationError as exc:
        errors.update(exc.fields)
    if approval not in ApprovalMode.values:
        errors["approval"] = [f"Choose one of: {', '.join(ApprovalMode.values)}."]
    if win not in Win.values:
        errors["win"] = [f"Choose one of: {', '.join(Win.values)}."]
    needed = 1
    try:
        needed = parse_int(
            required_approvals, "required_approvals", minimum=1, maximum=MAX_APPROVERS, default=1
        )
    except ApplicationError as exc:
        errors.update(exc.fields)
    people = list(approvers)
    members = set(
        Membership.objects.filter(team=rule.team, user__in=people).values_list("user_id", flat=True)
    )
    outside = [p.name for p in people if p.pk not in members]
    if outside:
        errors["approvers"] = [
            f"Approvers must be members of {rule.team.name} (not: {', '.join(outside)})."
        ]
    if approval == ApprovalMode.FORMAL and len(people) < needed and not errors.get("approvers"):
        errors["approvers"] = [
            f"Name at least {needed} approvers for {needed} approvals "
            "(a team admin can always approve alone)."
        ]
    if approval == ApprovalMode.AUTO and limit is None and "budget_limit" not in errors:
        errors["budget_limit"] = ["Automatic approval needs a budget limit to stay under."]
    time_target = _target(time_target_pct, "time_target_pct", rule.time_target_pct, errors)
    budget_target = _target(budget_target_pct, "budget_target_pct", rule.budget_target_pct, errors)
    if errors:
        raise ApplicationError("The phase rule was not saved.", fields=errors)
    with transaction.atomic():
        submitted = {
            "budget_limit": limit,
            "approval": approval,
            "required_approvals": needed,
            "allow_self_approval": bool(allow_self_approval),
            "win": win,
            "time_target_pct": time_target,
            "budget_target_pct": budget_target,
        }
        new_version = claim_version(
            PhaseRule,
            pk=rule.pk,
            version=version,
            message="Someone else changed this phase rule meanwhile.",
            submitted=submitted,
            saved=saved_values,
        )
        current = PhaseRule.objects.get(pk=rule.pk)
        for key, value in submitted.items():
            setattr(current, key, value)
        current.version = new_version
        current.save()
        current.approvers.set(people)
    return current
