"""Seeded deliverables, their debrief entries and applause on them, in proportion to the
incidents (one deliverable per 8 incidents, 0-8 entries each, 0-3 reactions per entry).

They draw from their own random source (derived from the seed), so adding them left every
other seeded row as it was."""

from __future__ import annotations

import datetime as dt
import random

from learnloop.applause.models import Emoji, Reaction
from learnloop.debriefs.models import DebriefEntry, Deliverable
from learnloop.devtools.seeding.common import SeedContext
from learnloop.devtools.seeding.rows import insert
from learnloop.devtools.seeding.words import COMPONENTS, DIFFICULT, HELPED, LEARNINGS

INCIDENTS_PER_DELIVERABLE = 8
CHUNK = 2000
GOALS = ["Rebuild", "Migrate", "Speed up", "Simplify", "Harden", "Launch", "Retire", "Split"]


def _text(rng: random.Random, kind: str, component: str) -> str:
    pool = {"win": HELPED, "opportunity": DIFFICULT, "lesson": LEARNINGS}[kind]
    return rng.choice(pool).replace("{c}", component).replace("{f}", "the rollout")


def create_debriefs(ctx: SeedContext, *, incidents: int, seed: int) -> None:
    rng = random.Random(seed * 7919 + 140)
    count = max(1, incidents // INCIDENTS_PER_DELIVERABLE)
    done = 0
    while done < count:
        n = min(CHUNK, count - done)
        _chunk(ctx, rng, n)
        done += n


def _chunk(ctx: SeedContext, rng: random.Random, n: int) -> None:
    deliverables, people = [], []
    for _ in range(n):
        team = rng.choice(ctx.teams)
        members = ctx.members[team.pk] or ctx.users[:1]
        on_it = rng.sample(members, min(len(members), rng.randint(1, 4)))
        start = ctx.anchor - dt.timedelta(days=rng.randint(5, 360))
        closed = rng.random() < 0.5
        component = rng.choice(COMPONENTS)
        deliverables.append(
            Deliverable(
                team=team,
                visibility="organisation" if rng.random() < 0.6 else "team",
                title=f"{rng.choice(GOALS)} the {component}",
                description=f"Work on the {component}.",
                owner=on_it[0],
                created_by=on_it[0],
                status="closed" if closed else "active",
                start_date=start.date(),
                target_date=(start + dt.timedelta(days=rng.randint(14, 90))).date(),
                closed_at=start + dt.timedelta(days=rng.randint(14, 120)) if closed else None,
                last_activity_at=start,
                created_at=start,
                updated_at=start,
            )
        )
        people.append((on_it, component))
    insert(deliverables)
    links = [
        Deliverable.collaborators.through(deliverable_id=d.pk, user_id=u.pk)
        for d, (on_it, _) in zip(deliverables, people, strict=True)
        for u in on_it
    ]
    insert(links)
    entries = []
    for d, (on_it, component) in zip(deliverables, people, strict=True):
        for i in range(rng.randint(0, 8)):
            kind = rng.choice(["win", "win", "opportunity", "lesson"])
            at = d.created_at + dt.timedelta(days=i * 3 + rng.randint(0, 2))
            entries.append(
                DebriefEntry(
                    deliverable=d,
                    team_id=d.team_id,
                    visibility=d.visibility,
                    kind=kind,
                    text=_text(rng, kind, component),
                    author=rng.choice(on_it),
                    created_at=at,
                    updated_at=at,
                )
            )
    insert(entries)
    reactions = []
    emoji = Emoji.values
    for e in entries:
        givers = ctx.members[e.team_id] or ctx.users[:1]
        for user in rng.sample(givers, min(len(givers), rng.choice([0, 0, 1, 2, 3]))):
            reactions.append(
                Reaction(
                    kind="entry",
                    object_id=e.pk,
                    team_id=e.team_id,
                    recipient_id=e.author_id,
                    emoji=rng.choice(emoji),
                    user=user,
                    created_at=e.created_at + dt.timedelta(hours=rng.randint(1, 48)),
                )
            )
    insert(reactions, ignore_conflicts=True)
    counts = ctx.result.counts
    counts["deliverable"] += len(deliverables)
    counts["deliverable collaborator"] += len(links)
    counts["debrief entry"] += len(entries)
    counts["reaction"] += len(reactions)
