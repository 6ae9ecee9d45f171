"""Demo experiments for Crumb & Co's Platform team, through the services (decisions/0090):
Amara (the team admin) stopped her own experiment on data and Priya pivoted hers this month,
Jonas's 10K experiment waited two days for approval while a 10K efficiency change waited
three hours, one idea was turned down before any test, one test is running, and this month's
showcase puts Amara's own stop first, with applause. Order 62: after the debriefs (60)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from learnloop.applause.services import reaction_add
from learnloop.core.demo import DemoContext, step
from learnloop.experiments import approvals
from learnloop.experiments.learning import learning_card_create
from learnloop.experiments.models import ApprovalRequest, Experiment, ShowcaseItem
from learnloop.experiments.services import experiment_create
from learnloop.experiments.showcase import showcase_create

CARDS = [
    # (owner, title, hypothesis, phase, budget, days ago, outcome)
    (
        "amara",
        "Drop the manual sign-off for small releases",
        "releases under 50 lines need no manual sign-off to stay safe",
        "explore",
        800,
        20,
        "stop",
    ),
    (
        "priya",
        "A self-serve onboarding guide for new cafés",
        "new cafés can set up ordering without a call",
        "explore",
        1500,
        25,
        "pivot",
    ),
    (
        "jonas",
        "Canary releases for the checkout",
        "a 5% canary catches payment regressions before every café sees them",
        "experiment",
        10000,
        12,
        "running",
    ),
    (
        "ines",
        "A second payment provider on standby",
        "a warm standby provider keeps checkout up when ours is slow",
        "experiment",
        9000,
        9,
        "rejected",
    ),
]


def _card(
    ctx: DemoContext, owner: str, title: str, hypothesis: str, phase: str, budget: int
) -> Experiment:
    return experiment_create(
        actor=ctx.users[owner],
        team=ctx.teams["platform"],
        title=title,
        hypothesis=hypothesis,
        test="try it for two weeks on the platform team's own releases",
        metric="rollbacks, support tickets and time to release",
        success_criterion="no more rollbacks than before, and a day saved per week",
        riskiest_assumption="small changes are as safe as they look",
        budget=budget,
        time_box_days=14,
        person_days=6,
        owner=ctx.users[owner],
        phase=phase,
    )


def _waited(experiment: Experiment, hours: float) -> None:
    """Move the approval trip's submission back so its lead time reads ``hours``."""
    request = ApprovalRequest.objects.filter(experiment=experiment).order_by("-id").first()
    if request is not None and request.decided_at is not None:
        ApprovalRequest.objects.filter(pk=request.pk).update(
            submitted_at=request.decided_at - dt.timedelta(hours=hours),
            lead_time_seconds=int(hours * 3600),
        )


@step(63)
def experiments(ctx: DemoContext) -> None:
    team, amara = ctx.teams["platform"], ctx.users["amara"]
    decided = []
    for owner, title, hypothesis, phase, budget, days, outcome in CARDS:
        card = _card(ctx, owner, title, hypothesis, phase, budget)
        approvals.experiment_submit(actor=ctx.users[owner], experiment=card)
        if outcome == "rejected":
            approvals.experiment_reject(
                actor=amara, experiment=card, reason="Not this quarter: the provider contract runs."
            )
            _waited(card, 30)
        else:
            if phase == "experiment":
                approvals.experiment_approve(
                    actor=amara, experiment=card, note="Yes — keep the canary at 5%."
                )
                _waited(card, 48)
            approvals.experiment_start(actor=ctx.users[owner], experiment=card)
        if outcome in ("stop", "pivot"):
            learning_card_create(
                actor=ctx.users[owner],
                experiment=card,
                observed="Two of nine small releases needed a rollback anyway."
                if outcome == "stop"
                else "Cafés finished the guide but still called about the printer.",
                learned="Line count is not risk: a one-line config change took checkout down\n"
                "Review by risk, not by size"
                if outcome == "stop"
                else "The printer set-up is the hard part, not ordering",
                data="Release log, weeks 40-42; support tickets tagged onboarding",
                decision=outcome,
            )
            decided.append(card)
        Experiment.objects.filter(pk=card.pk).update(created_at=ctx.at(days, 9))
    efficiency = experiment_create(
        actor=ctx.users["jonas"],
        team=team,
        kind="efficiency",
        title="Automate the oven-sensor restarts",
        budget=Decimal(10000),
        expected_saving=Decimal(30000),
        time_box_days=10,
        person_days=5,
        owner=ctx.users["jonas"],
        phase="experiment",
    )
    approvals.experiment_submit(actor=ctx.users["jonas"], experiment=efficiency)
    approvals.experiment_approve(actor=amara, experiment=efficiency, note="Obvious saving.")
    _waited(efficiency, 3)
    showcase = showcase_create(
        actor=amara,
        team=team,
        month=ctx.today.date(),
        meeting_at=ctx.today + dt.timedelta(days=7, hours=15),
        duration_minutes=45,
        location="Bakery loft, or the usual video link",
    )
    first = ShowcaseItem.objects.filter(showcase=showcase).order_by("position").first()
    if first is not None:
        reaction_add(
            actor=ctx.users["priya"], kind="showcase_item", object_id=first.pk, emoji="clap"
        )
    for card in decided:
        last = card.learning_cards.order_by("-id").first()
        if last is not None:
            reaction_add(
                actor=ctx.users["ines"], kind="learning_card", object_id=last.pk, emoji="bulb"
            )
