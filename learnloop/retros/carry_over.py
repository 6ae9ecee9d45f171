"""Carry-over: a retro starts by showing the actions earlier retros of the team left open, and
the room marks each one done, still open, or dropped with a reason (decisions/0162)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from learnloop.accounts.models import User
from learnloop.actions.models import Action
from learnloop.actions.services import action_set_status
from learnloop.core.errors import ApplicationError
from learnloop.retros.models import CarryOver, Retro, TopicAction
from learnloop.retros.services import bump, clean_field, require_member

REASON_MAX = 500
OPEN = (Action.Status.OPEN, Action.Status.IN_PROGRESS)


@dataclass(frozen=True)
class CarriedAction:
    action: Action
    from_retro: Retro
    outcome: str  # "" until the room marks it
    reason: str


def carry_over_for(*, retro: Retro) -> list[CarriedAction]:
    """Actions from the team's earlier retros that were open when this one started, or that
    this retro has marked (so a marked one stays listed with its outcome)."""
    marks = {c.action_id: c for c in CarryOver.objects.filter(retro=retro)}
    links = (
        TopicAction.objects.filter(
            retro__team_id=retro.team_id, retro__created_at__lt=retro.created_at
        )
        .exclude(retro=retro)
        .select_related("action", "action__owner", "retro")
        .order_by("retro__created_at", "action__due_date", "action_id")
    )
    out = []
    for link in links:
        mark = marks.get(link.action_id)
        if mark is None and link.action.status not in OPEN:
            continue
        out.append(
            CarriedAction(
                action=link.action,
                from_retro=link.retro,
                outcome=mark.outcome if mark else "",
                reason=mark.reason if mark else "",
            )
        )
    return out


def carry_over_mark(
    *, actor: User, retro: Retro, action: Action, outcome: str, reason: str = ""
) -> CarryOver:
    """Done closes the action; dropped (with a reason) marks it "won't do"; still open leaves
    it open for the next retro. Any member may mark, during any phase before closed."""
    require_member(actor, retro.team_id)
    if not any(c.action.pk == action.pk for c in carry_over_for(retro=retro)):
        raise ApplicationError(
            "That action is not carried over into this retro.", fields={"action": ["Unknown."]}
        )
    errors: dict[str, list[str]] = {}
    if outcome not in CarryOver.Outcome.values:
        errors["outcome"] = [f"Choose one of: {', '.join(CarryOver.Outcome.values)}."]
    reason, msgs = clean_field(reason, "reason", maximum=REASON_MAX, required=outcome == "dropped")
    if msgs:
        errors["reason"] = ["Say why it is dropped."] if not reason else msgs
    if errors:
        raise ApplicationError("Check the carry-over.", fields=errors)
    with transaction.atomic():
        mark, _ = CarryOver.objects.update_or_create(
            retro=retro, action=action, defaults={"outcome": outcome, "reason": reason}
        )
        status = {
            CarryOver.Outcome.DONE: Action.Status.DONE,
            CarryOver.Outcome.DROPPED: Action.Status.WONT_DO,
        }.get(CarryOver.Outcome(outcome))
        if status is not None and action.status != status:
            action_set_status(actor=actor, action=action, status=status)
        elif outcome == CarryOver.Outcome.OPEN and action.status not in OPEN:
            action_set_status(actor=actor, action=action, status=Action.Status.OPEN)
        bump(retro)
    return mark
