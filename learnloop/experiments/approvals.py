"""The approval path shared by test cards and efficiency changes: submit → approve or reject
with a reason → (running → learning card → decided). Each trip is an ``ApprovalRequest`` with
its lead time; every change is in the history; approvers hear through notifications."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from learnloop.accounts.models import Membership, Role, User
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.validation import clean_text
from learnloop.experiments.models import (
    PHASE_ORDER,
    ApprovalMode,
    ApprovalRequest,
    ApprovalVote,
    Decision,
    Experiment,
    Kind,
    Outcome,
    Phase,
    PhaseRule,
    State,
)
from learnloop.experiments.phase_rules import rule_for
from learnloop.experiments.services import (
    TEXT_MAX,
    experiment_set_state,
    parse_amount,
    parse_person_days,
    record,
    require_member,
)
from learnloop.notifications.delivery import notify
from learnloop.notifications.models import Kind as NotificationKind

CARD_FIELDS = {
    "hypothesis": "Say what you believe (“We believe that …”).",
    "test": "Say how you will test it (“To verify that, we will …”).",
    "metric": "Say what you will measure.",
    "success_criterion": "Set the success criterion before the test (“We are right if …”).",
}


def _state_error(experiment: Experiment, doing: str) -> ApplicationError:
    return ApplicationError(
        f"You cannot {doing} now: the card is {experiment.get_state_display().lower()}.",
        code="invalid_state",
        fields={"state": [f"It is {experiment.get_state_display().lower()}."]},
    )


def money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return "no limit"
    return (
        f"{amount:,.0f} {currency}"
        if amount == amount.to_integral()
        else f"{amount:,.2f} {currency}"
    )


def _locked(experiment: Experiment) -> Experiment:
    return (
        Experiment.objects.select_for_update()
        .select_related("team__organisation")
        .get(pk=experiment.pk)
    )


def team_admins(team_id: int) -> list[User]:
    return list(
        User.objects.filter(
            memberships__team_id=team_id, memberships__role=Role.ADMIN, is_active=True
        )
    )


def _submission_errors(experiment: Experiment, rule: PhaseRule) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if experiment.kind == Kind.EXPERIMENT:
        for name, message in CARD_FIELDS.items():
            if not getattr(experiment, name).strip():
                errors[name] = [message]
    elif experiment.expected_saving is None:
        errors["expected_saving"] = ["Say what the change is expected to save."]
    if rule.budget_limit is not None and experiment.budget > rule.budget_limit:
        errors["budget"] = [
            f"Over the {rule.get_phase_display()} limit of "
            f"{money(rule.budget_limit, experiment.currency)}: lower it, or propose it in a "
            "phase whose rule allows it."
        ]
    return errors


def _open_request(experiment: Experiment, actor: User, rule: PhaseRule) -> ApprovalRequest:
    now = timezone.now()
    request = ApprovalRequest.objects.create(
        experiment=experiment,
        team_id=experiment.team_id,
        kind=experiment.kind,
        phase=experiment.phase,
        budget=experiment.budget,
        approval=rule.approval,
        required_approvals=rule.required_approvals,
        allow_self_approval=rule.allow_self_approval,
        submitted_by=actor,
        submitted_at=now,
    )
    request.approvers.set(rule.approvers.all())
    return request


def _submit(experiment: Experiment, actor: User, what: str) -> Experiment:
    rule = rule_for(experiment.team, experiment.phase)
    errors = _submission_errors(experiment, rule)
    if errors:
        raise ApplicationError("The card is not ready to submit.", fields=errors)
    request = _open_request(experiment, actor, rule)
    if rule.approval == ApprovalMode.AUTO:
        request.outcome = Outcome.AUTO
        request.decided_at = request.submitted_at
        request.lead_time_seconds = 0
        request.save()
        experiment_set_state(
            experiment,
            actor=actor,
            to=State.APPROVED,
            what=what,
            note=f"Approved automatically: under the {rule.get_phase_display()} limit "
            f"of {money(rule.budget_limit, experiment.currency)}.",
        )
        return experiment
    experiment_set_state(experiment, actor=actor, to=State.SUBMITTED, what=what)
    notify(
        recipients=eligible_approvers(request, exclude_self=True),
        kind=NotificationKind.APPROVAL,
        text=f"{actor.name} asks for approval of “{experiment.title}” "
        f"({experiment.get_phase_display()}, {money(experiment.budget, experiment.currency)})",
        path=experiment.get_absolute_url(),
        actor=actor,
    )
    return experiment


def experiment_submit(*, actor: User, experiment: Experiment) -> Experiment:
    """Submit a draft (or a rejected card, changed) for its phase's approval rule."""
    require_member(actor, experiment.team)
    with transaction.atomic():
        current = _locked(experiment)
        if current.state not in (State.DRAFT, State.REJECTED):
            raise _state_error(current, "submit it")
        return _submit(current, actor, "submitted")


def experiment_move_phase(
    *, actor: User, experiment: Experiment, budget: Any = None, person_days: Any = None
) -> Experiment:
    """Move to the next phase (Explore → Experiment → Execute): the card goes through that
    phase's rule again, with the new budget when one is given."""
    require_member(actor, experiment.team)
    with transaction.atomic():
        current = _locked(experiment)
        movable = current.state in (State.APPROVED, State.RUNNING) or (
            current.state == State.DECIDED
            and current.decision in (Decision.SCALE, Decision.PERSEVERE)
        )
        if not movable or current.phase == PHASE_ORDER[-1]:
            raise _state_error(current, "move it to the next phase")
        if budget not in (None, ""):
            current.budget = parse_amount(budget, "budget", required=True) or Decimal("0")
        if person_days not in (None, ""):
            current.person_days = parse_person_days(person_days)
        before = Phase(current.phase).label
        current.phase = PHASE_ORDER[PHASE_ORDER.index(Phase(current.phase)) + 1]
        return _submit(current, actor, f"moved from {before} to {Phase(current.phase).label}")


def pending_request(experiment: Experiment) -> ApprovalRequest | None:
    return (
        experiment.approval_requests.filter(outcome=Outcome.PENDING)
        .prefetch_related("approvers", "votes")
        .first()
    )


def eligible_approvers(request: ApprovalRequest, *, exclude_self: bool = False) -> list[User]:
    """Who may decide: the rule's named approvers and the team's admins (minus the proposer
    and owner when the rule forbids approving one's own proposal)."""
    people = {u.pk: u for u in team_admins(request.team_id)}
    people.update({u.pk: u for u in request.approvers.filter(is_active=True)})
    if exclude_self and not request.allow_self_approval:
        for pk in _own_ids(request):
            people.pop(pk, None)
    return list(people.values())


def _own_ids(request: ApprovalRequest) -> set[int]:
    exp = request.experiment
    return {pk for pk in (request.submitted_by_id, exp.owner_id, exp.created_by_id) if pk}


def approver_problem(actor: User, request: ApprovalRequest) -> str | None:
    """Why ``actor`` may not decide ``request``, or None."""
    is_admin = Membership.objects.filter(
        user=actor, team_id=request.team_id, role=Role.ADMIN
    ).exists()
    named = request.approvers.filter(pk=actor.pk).exists()
    if not (is_admin or named):
        return "Only a team admin or a named approver of this phase can decide."
    if not request.allow_self_approval and actor.pk in _own_ids(request):
        return "This phase's rule does not let you approve your own proposal."
    return None


def _decide(
    experiment: Experiment, actor: User, *, approve: bool, note: str
) -> tuple[Experiment, ApprovalRequest]:
    require_member(actor, experiment.team)
    note = clean_text(note, "note" if approve else "reason").strip()
    if len(note) > TEXT_MAX:
        raise ApplicationError("Too long.", fields={"note": [f"At most {TEXT_MAX} characters."]})
    if not approve and not note:
        raise ApplicationError(
            "Give the reason for the rejection.",
            fields={"reason": ["Say why, so the team can learn from it."]},
        )
    current = _locked(experiment)
    request = pending_request(current)
    if current.state != State.SUBMITTED or request is None:
        raise _state_error(current, "approve or reject it")
    problem = approver_problem(actor, request)
    if problem:
        raise PermissionDenied(problem)
    if request.votes.filter(approver=actor).exists():
        raise ApplicationError(
            "You have already approved this.", fields={"approver": ["One vote per person."]}
        )
    now = timezone.now()
    ApprovalVote.objects.create(request=request, approver=actor, approve=approve, note=note, at=now)
    is_admin = actor.pk in {u.pk for u in team_admins(request.team_id)}
    approvals = request.votes.filter(approve=True).count()
    needed = 1 if request.approval == ApprovalMode.ONE else request.required_approvals
    if approve and not is_admin and approvals < needed:
        record(current, actor=actor, what="approval given", before=current.state, note=note)
        return current, request
    request.outcome = Outcome.APPROVED if approve else Outcome.REJECTED
    request.decided_at = now
    request.lead_time_seconds = max(0, int((now - request.submitted_at).total_seconds()))
    request.reason = note
    request.save()
    experiment_set_state(
        current,
        actor=actor,
        to=State.APPROVED if approve else State.REJECTED,
        what="approved" if approve else "rejected",
        note=note,
    )
    verb = "approved" if approve else "rejected"
    notify(
        recipients=[current.owner, request.submitted_by, current.created_by],
        kind=NotificationKind.APPROVAL,
        text=f"{actor.name} {verb} “{current.title}”" + (f": {note}" if note else ""),
        path=current.get_absolute_url(),
        actor=actor,
    )
    return current, request


def experiment_approve(*, actor: User, experiment: Experiment, note: str = "") -> Experiment:
    with transaction.atomic():
        return _decide(experiment, actor, approve=True, note=note)[0]


def experiment_reject(*, actor: User, experiment: Experiment, reason: str) -> Experiment:
    with transaction.atomic():
        return _decide(experiment, actor, approve=False, note=reason)[0]


def experiment_start(*, actor: User, experiment: Experiment) -> Experiment:
    """Approved → running: the test begins (the time box counts from here)."""
    require_member(actor, experiment.team)
    with transaction.atomic():
        current = _locked(experiment)
        if current.state != State.APPROVED:
            raise _state_error(current, "start it")
        return experiment_set_state(current, actor=actor, to=State.RUNNING, what="started")
