"""Seeded experiments in proportion to the incidents (one per 5 incidents, at least two per
team): test cards and efficiency changes across phases and states, their approval trips with
lead times, learning cards (some stopped on data this month), the history, and each team's
showcase for this month and the last, built from them as the product builds it.

They draw from their own random source (derived from the seed), so adding them left every
other seeded row as it was."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from learnloop.devtools.seeding.common import SeedContext
from learnloop.devtools.seeding.rows import insert
from learnloop.devtools.seeding.words import COMPONENTS, LEARNINGS
from learnloop.experiments.models import (
    ApprovalRequest,
    ApprovalVote,
    Event,
    Experiment,
    LearningCard,
    Showcase,
)
from learnloop.experiments.showcase import agenda_refresh

INCIDENTS_PER_EXPERIMENT = 5
IDEAS = [
    "A self-serve guide cuts setup calls for the {c}",
    "Canary releases halve rollbacks of the {c}",
    "A weekly office hour speeds up questions on the {c}",
    "Caching the {c} makes checkout feel instant",
    "Pairing on the {c} spreads knowledge faster",
]
EFFICIENCY = [
    "Move the {c} to a cheaper instance type",
    "Automate the manual restart of the {c}",
    "Consolidate the {c} dashboards",
]
# (phase, budget range, approval mode) and the state mix.
PHASES = [
    ("explore", (200, 2000), "auto"),
    ("experiment", (4000, 20000), "one"),
    ("execute", (20000, 90000), "formal"),
]
STATES = [
    ("draft", 2),
    ("submitted", 2),
    ("rejected", 1),
    ("approved", 1),
    ("running", 3),
    ("decided", 4),
]
DECISIONS = ["stop", "stop", "pivot", "scale"]


def _pick(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def create_experiments(ctx: SeedContext, *, incidents: int, seed: int) -> None:
    rng = random.Random(seed * 7919 + 150)
    count = max(2 * len(ctx.teams), incidents // INCIDENTS_PER_EXPERIMENT)
    month_start = ctx.anchor.replace(day=1)
    experiments: list[Experiment] = []
    for i in range(count):
        team = ctx.teams[i % len(ctx.teams)] if i < 2 * len(ctx.teams) else rng.choice(ctx.teams)
        members = ctx.members[team.pk] or ctx.users[:1]
        owner = rng.choice(members)
        kind = "efficiency" if rng.random() < 0.2 else "experiment"
        phase, (low, high), _ = rng.choice(PHASES if kind == "experiment" else PHASES[1:2])
        state = _pick(rng, STATES)
        if i < len(ctx.teams):  # every team stopped one on data lately: its showcase has it
            kind, phase, state, (low, high) = "experiment", "explore", "decided", (200, 2000)
        created = ctx.anchor - dt.timedelta(days=rng.randint(10, 300), hours=rng.randint(0, 23))
        component = rng.choice(COMPONENTS)
        title = rng.choice(EFFICIENCY if kind == "efficiency" else IDEAS).replace("{c}", component)
        budget = Decimal(rng.randint(low, high))
        e = Experiment(
            team=team,
            visibility="organisation" if rng.random() < 0.5 else "team",
            kind=kind,
            title=title,
            hypothesis=f"{title.lower()}" if kind == "experiment" else "",
            test=f"try it on the {component} for two weeks",
            metric="support tickets and time to first value",
            success_criterion="a third fewer tickets",
            riskiest_assumption=f"people use the {component} the way we think",
            budget=budget,
            currency="EUR",
            expected_saving=budget * 3 if kind == "efficiency" else None,
            time_box_days=rng.choice([7, 14, 21, 30]),
            person_days=Decimal(rng.randint(1, 40)),
            owner=owner,
            created_by=owner,
            phase=phase,
            state=state,
            created_at=created,
            updated_at=created,
        )
        if state in ("running", "decided"):
            e.started_at = created + dt.timedelta(days=rng.randint(1, 10))
        if state == "decided" and i < len(ctx.teams):
            e.decision = "stop"
            e.decided_at = ctx.anchor - dt.timedelta(hours=1)
            e.started_at = e.decided_at - dt.timedelta(days=5)
        elif state == "decided":
            e.decision = rng.choice(DECISIONS)
            # A quarter of the decisions fall in this month: the showcase has something.
            if rng.random() < 0.25 and ctx.anchor - month_start > dt.timedelta(hours=2):
                span = int((ctx.anchor - month_start).total_seconds())
                e.decided_at = month_start + dt.timedelta(seconds=rng.randint(0, span - 1))
                e.started_at = min(e.started_at or e.decided_at, e.decided_at)
            else:
                e.decided_at = (e.started_at or created) + dt.timedelta(days=rng.randint(3, 40))
                e.decided_at = min(e.decided_at, ctx.anchor - dt.timedelta(hours=1))
        experiments.append(e)
    insert(experiments)
    requests, votes, cards, events = [], [], [], []
    for e in experiments:
        events.append(Event(experiment=e, at=e.created_at, actor=e.owner, what="created"))
        if e.state == "draft":
            continue
        mode = next(m for p, _, m in PHASES if p == e.phase)
        submitted = e.created_at + dt.timedelta(hours=rng.randint(1, 48))
        waited = dt.timedelta(seconds=1 if mode == "auto" else rng.randint(600, 9 * 86400))
        outcome = {"submitted": "pending", "rejected": "rejected"}.get(e.state, "approved")
        if mode == "auto" and outcome == "approved":
            outcome = "auto"
        decided = None if outcome == "pending" else submitted + waited
        requests.append(
            ApprovalRequest(
                experiment=e,
                team_id=e.team_id,
                kind=e.kind,
                phase=e.phase,
                budget=e.budget,
                approval=mode,
                required_approvals=2 if mode == "formal" else 1,
                submitted_by=e.owner,
                submitted_at=submitted,
                outcome=outcome,
                decided_at=decided,
                lead_time_seconds=int(waited.total_seconds()) if decided else None,
                reason="Not this quarter: we are full." if outcome == "rejected" else "",
            )
        )
        if e.state in ("running", "decided"):
            for n in range(1 if e.state == "running" else rng.randint(1, 3)):
                last = e.state == "decided" and n == 0
                at = (e.decided_at if last else e.started_at) or e.created_at
                cards.append(
                    LearningCard(
                        experiment=e,
                        team_id=e.team_id,
                        observed=f"{rng.randint(3, 19)} of 20 tried it; the rest asked for help",
                        learned=rng.choice(LEARNINGS)
                        .replace("{c}", "the test")
                        .replace("{f}", "the rollout"),
                        data="https://example.org/sheet",
                        decision=e.decision if last else "persevere",
                        created_by=e.owner,
                        created_at=at,
                        updated_at=at,
                    )
                )
            started = e.started_at or e.created_at
            events.append(Event(experiment=e, at=started, actor=e.owner, what="started"))
    insert(requests)
    for r in requests:
        if r.outcome in ("approved", "rejected"):
            people = ctx.members[r.team_id] or ctx.users[:1]
            votes.append(
                ApprovalVote(
                    request=r,
                    approver=rng.choice(people),
                    approve=r.outcome == "approved",
                    note="Go ahead." if r.outcome == "approved" else r.reason,
                    at=r.decided_at or r.submitted_at,
                )
            )
    insert(votes, ignore_conflicts=True)
    insert(cards)
    insert(events)
    counts = ctx.result.counts
    counts["experiment"] += len(experiments)
    counts["approval request"] += len(requests)
    counts["approval vote"] += len(votes)
    counts["learning card"] += len(cards)
    counts["experiment event"] += len(events)


def create_showcases(ctx: SeedContext) -> None:
    """This month's and last month's showcase per team, built as the product builds them
    (outside ``given_timestamps``: the items are saved one by one, with their own times)."""
    month_start = ctx.anchor.replace(day=1)
    last = (month_start - dt.timedelta(days=1)).replace(day=1)
    made = items = 0
    for team in ctx.teams:
        host = (ctx.members[team.pk] or ctx.users[:1])[0]
        for month in (last.date(), month_start.date()):
            showcase = Showcase.objects.create(
                team=team,
                month=month,
                title=f"Showcase of {team.name}, {month:%B %Y}",
                facilitator=host,
                created_by=host,
                meeting_at=ctx.anchor + dt.timedelta(days=7, hours=15)
                if month == month_start.date()
                else None,
            )
            showcase.team = team
            items += agenda_refresh(showcase)
            made += 1
    ctx.result.counts["showcase"] += made
    ctx.result.counts["showcase item"] += items
