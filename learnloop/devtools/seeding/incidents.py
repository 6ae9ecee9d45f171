"""Seeded incidents: spread over two years, older ones rarer, a few anonymous."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from learnloop.accounts.models import User
from learnloop.core.models import Tag
from learnloop.devtools.seeding.common import SeedContext, minutes, org_fields, weighted
from learnloop.devtools.seeding.rows import insert, insert_values
from learnloop.devtools.seeding.words import (
    COMPONENTS,
    CONDITIONS,
    DETECTIONS,
    FAILURES,
    IMPACTS,
    KIND_WEIGHTS,
    SEVERITY_WEIGHTS,
)
from learnloop.incidents.models import Incident

SPAN_DAYS = 730


@dataclass
class IncidentStory:
    """What the later parts of the seed need to tell about an incident consistently."""

    comp: str
    cause: str
    people: list[User]
    tags: list[Tag]
    reviewed: bool


def create_incidents(
    ctx: SeedContext, n: int, offset: int, total: int
) -> tuple[list[Incident], list[IncidentStory]]:
    """Incidents ``offset`` to ``offset + n`` of ``total``, with their tags."""
    incidents: list[Incident] = []
    stories: list[IncidentStory] = []
    for k in range(n):
        incident, story = _incident(ctx, offset + k, total)
        incidents.append(incident)
        stories.append(story)
    insert(incidents)
    ctx.result.counts["incident"] += len(incidents)
    rows = [
        (inc.pk, t.pk) for inc, story in zip(incidents, stories, strict=True) for t in story.tags
    ]
    insert_values(Incident.tags.through, ("incident_id", "tag_id"), rows)
    ctx.result.counts["incident tag"] += len(rows)
    return incidents, stories


def _incident(ctx: SeedContext, i: int, total: int) -> tuple[Incident, IncidentStory]:
    rng = ctx.rng
    team = ctx.teams[min(int(rng.paretovariate(1.2)) - 1, len(ctx.teams) - 1)]
    if rng.random() < 0.5:
        team = rng.choice(ctx.teams)
    people = ctx.members[team.pk] or ctx.users
    comp = rng.choice(COMPONENTS)
    verb, cause = rng.choice(FAILURES)
    cond = rng.choice(CONDITIONS)
    kind = weighted(rng, KIND_WEIGHTS)
    # Older incidents are rarer: reporting grew over time (position i spreads over 2 years).
    age = SPAN_DAYS * (1 - (i + rng.random()) / total) ** 1.5
    started = ctx.anchor - dt.timedelta(days=age, minutes=rng.randrange(0, 1440))
    detected = started + minutes(rng, 9)
    acknowledged = detected + minutes(rng, 4)
    resolved = acknowledged + minutes(rng, 50, 1.1)
    created = detected + minutes(rng, 3)
    if age < 3 and rng.random() < 0.5:
        resolved = None
    if kind in ("near_miss", "mistake") and rng.random() < 0.5:
        acknowledged = None
    anonymous = kind in ("mistake", "near_miss") and rng.random() < 0.1
    title = f"{comp.capitalize()} {verb} {cond}"
    m = int(rng.lognormvariate(3, 1)) + 1
    description = (
        f"The {comp} {verb} {cond}. {rng.choice(DETECTIONS)} "
        f"We believe {cause} was involved. "
        + rng.choice(IMPACTS).format(n=rng.randrange(3, 5000), m=m)
    )
    inc = Incident(
        **org_fields(Incident, ctx.result.organisation_id),
        team=team,
        visibility="organisation" if rng.random() < 0.6 else "team",
        title=title[:200],
        description=description,
        kind=kind,
        severity=weighted(rng, SEVERITY_WEIGHTS),
        started_at=started,
        detected_at=detected,
        acknowledged_at=acknowledged,
        resolved_at=resolved,
        reporter=None if anonymous else rng.choice(people),
        is_anonymous=anonymous,
        created_at=created,
        updated_at=resolved or created,
    )
    if anonymous:
        day = created.replace(hour=0, minute=0, second=0, microsecond=0)
        inc.created_at = inc.updated_at = day
        inc.pk = -(rng.randrange(1, 2**53 - 2))
    story = IncidentStory(
        comp=comp,
        cause=cause,
        people=people,
        tags=rng.sample(ctx.tags, rng.choice([0, 1, 1, 2, 2, 3])),
        reviewed=resolved is not None and kind != "drill" and rng.random() < 0.7,
    )
    return inc, story
