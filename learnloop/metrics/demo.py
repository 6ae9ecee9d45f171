"""Demo data for the leaders' page: every metric shows numbers on the demo organisation.

Most metrics read what the other apps' demo steps made (incidents, reviews, actions, lessons,
debriefs, retros, surveys, transcripts, and the campaign results of drills/demo.py). This step
runs last and adds only what is still missing — experiments with approval lead times and
learning cards — then compares the demo incidents for repeats (``metrics.repeats``, as the
daily job does)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from learnloop.core.demo import DemoContext, step
from learnloop.experiments.models import ApprovalRequest, Experiment, LearningCard
from learnloop.metrics.repeats import scan_organisation

# team, kind, phase, title, budget, person-days, days ago created, hours to approval,
# state, decision (None: still running), learning card?
# fmt: off
EXPERIMENTS = [
    ("platform", "experiment", "explore", "Would a status banner cut café calls in an outage?",
     "600", "3", 150, 70, "decided", "stop", True),
    ("delivery", "experiment", "explore", "Can drivers pick their own loading order?",
     "400", "4", 120, 50, "decided", "pivot", True),
    ("bakery", "experiment", "experiment", "Overnight cold proof for the rye loaves",
     "8000", "15", 95, 240, "decided", "stop", False),
    ("platform", "experiment", "explore", "Let cafés reorder from the delivery text message",
     "900", "5", 60, 30, "decided", "persevere", True),
    ("support", "experiment", "execute", "Callback queue instead of hold music",
     "9500", "30", 40, 120, "running", None, False),
    ("platform", "efficiency", "experiment", "Move the nightly backup to faster disks",
     "9000", "4", 110, 6, "approved", None, False),
    ("delivery", "efficiency", "experiment", "Second charging point in the yard",
     "7500", "3", 70, 10, "approved", None, False),
    ("bakery", "efficiency", "experiment", "Replace the worn mixer interlock switches",
     "3000", "2", 12, 4, "approved", None, False),
]
# fmt: on


def _experiments(ctx: DemoContext) -> None:
    if ApprovalRequest.objects.filter(team__organisation=ctx.organisation).exists():
        return  # the experiments demo made its own
    for team, kind, phase, title, budget, days, ago, hours, state, decision, card in EXPERIMENTS:
        created = ctx.at(ago, 9)
        submitted = created + dt.timedelta(hours=2)
        decided = submitted + dt.timedelta(hours=hours)
        started = decided + dt.timedelta(days=1) if kind == "experiment" else None
        experiment = Experiment.objects.create(
            team=ctx.teams[team],
            visibility="organisation",
            kind=kind,
            title=title,
            hypothesis="" if kind == "efficiency" else f"We believe: {title[:-1].lower()}.",
            budget=Decimal(budget),
            person_days=Decimal(days),
            time_box_days=21,
            phase=phase,
            state=state,
            started_at=started,
            decision=decision or "",
            decided_at=started + dt.timedelta(days=21) if decision and started else None,
        )
        Experiment.objects.filter(pk=experiment.pk).update(created_at=created)
        ApprovalRequest.objects.create(
            experiment=experiment,
            team=ctx.teams[team],
            kind=kind,
            phase=phase,
            budget=Decimal(budget),
            approval="one",
            submitted_at=submitted,
            outcome="approved",
            decided_at=decided,
            lead_time_seconds=hours * 3600,
        )
        if card and decision:
            LearningCard.objects.create(
                experiment=experiment,
                observed="What the data showed after three weeks.",
                learned="What we will try differently next time.",
                decision=decision,
            )


@step(95)
def metrics_demo(ctx: DemoContext) -> None:
    _experiments(ctx)
    scan_organisation(ctx.organisation)
