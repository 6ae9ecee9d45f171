"""Reads for experiments. Every query starts from ``Experiment.objects.visible_to(user)``."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import get_visible_or_404
from learnloop.core.sql import count_of
from learnloop.experiments.models import (
    ApprovalRequest,
    Event,
    Experiment,
    LearningCard,
)

#: The brief's "$10K experiment versus a $10K efficiency upgrade": the reference amount, in the
#: team's currency, that the immune-system check and the organisation's metrics compare at.
REFERENCE_AMOUNT = Decimal("10000")


def similar_cost(
    requests: QuerySet[ApprovalRequest], amount: Decimal = REFERENCE_AMOUNT
) -> QuerySet[ApprovalRequest]:
    """Approval requests "of similar cost" to ``amount``: a budget from half to double it. The one
    definition the immune-system check and the approval lead-time metric share."""
    return requests.filter(budget__gte=amount / 2, budget__lte=amount * 2)


def experiments_visible(*, user: User) -> QuerySet[Experiment]:
    return Experiment.objects.visible_to(user).select_related("owner").prefetch_related("team")


def experiments_filtered(
    *,
    user: User,
    team: Team | None = None,
    kind: str | None = None,
    phase: str | None = None,
    state: str | None = None,
) -> QuerySet[Experiment]:
    """The visible experiments with the list's filters, newest first (the API's list)."""
    qs = experiments_visible(user=user)
    if team is not None:
        qs = qs.filter(team=team)
    if kind:
        qs = qs.filter(kind=kind)
    if phase:
        qs = qs.filter(phase=phase)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-id")


def with_cycles(experiments: QuerySet[Experiment]) -> QuerySet[Experiment]:
    """``experiments`` (``experiments_filtered``'s list) with each row's learning cycles (its
    learning cards) as ``cycles``, counted by a correlated subquery for the rows shown (decision
    0185): ``Count`` over the join grouped every visible experiment and sorted them in a
    temporary B-tree before the limit."""
    return experiments.annotate(cycles=count_of(LearningCard.objects.all(), "experiment"))


def experiment_or_404(*, user: User, pk: int) -> Experiment:
    return get_visible_or_404(
        Experiment.objects.select_related(
            "team__organisation", "owner", "created_by", "previous"
        ).prefetch_related("participants"),
        user,
        pk=pk,
    )


def history(experiment: Experiment) -> QuerySet[Event]:
    return experiment.events.select_related("actor").order_by("at", "id")


def approval_requests(experiment: Experiment) -> QuerySet[ApprovalRequest]:
    return experiment.approval_requests.select_related("submitted_by").prefetch_related(
        "votes__approver", "approvers"
    )


def learning_cards(experiment: Experiment) -> QuerySet[LearningCard]:
    return experiment.learning_cards.select_related("created_by").order_by("created_at", "id")


def iterations(experiment: Experiment, *, user: User) -> list[Experiment]:
    """The chain of iterations this experiment belongs to, first to last (visible ones)."""
    first = experiment
    seen = {first.pk}
    while first.previous_id and first.previous_id not in seen:
        prev = experiments_visible(user=user).filter(pk=first.previous_id).first()
        if prev is None:
            break
        seen.add(prev.pk)
        first = prev
    chain = [first]
    while True:
        nxt = (
            experiments_visible(user=user)
            .filter(previous=chain[-1])
            .exclude(pk__in=[e.pk for e in chain])
            .order_by("created_at", "id")
            .first()
        )
        if nxt is None:
            return chain
        chain.append(nxt)
