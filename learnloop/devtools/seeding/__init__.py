"""A realistic, deterministic organisation at scale, for benchmarks (``learnloop seed``).

Why a generator of our own: benchmarks need the row mix a real organisation would have
(incidents with reviews, timelines, factors, learnings, actions done on time, late or overdue,
lessons applied elsewhere, comments, notifications), at 10k to 1M rows, in minutes, and the
same data for the same seed so figures can be compared across runs. Text comes from the word
lists in :mod:`.words` (no corpus text).

Determinism: every choice comes from ``random.Random(seed)`` or a source of its own derived
from the seed (``seed * 7919 + k``), never from ``secrets`` (the random ids and order keys the
product gives anonymous rows are drawn from those sources here); times are offsets from the
start of the UTC day the seed runs on, ``today`` (so the dashboard always shows recent months),
and whatever the seed or the product code it calls stamps with "now" gets that start of the day
(:func:`.common.fixed_clock`). So two runs of the same seed on the same day (or with the same
``--today``) write the same rows, ids included, except the accounts' shared password hash, whose
salt is random (``devtools/tests/test_seed_deterministic.py``). Inserts go through :func:`.rows.insert` (the driver's
``executemany``, COPY on PostgreSQL, ids reserved per batch; decisions 0086 and 0089) in chunks,
one transaction per chunk; signals do not fire for them, so the search index is built once at
the end (:func:`index_organisation`, from plain rows, the full-text index filled in one pass),
without dense vectors.

One module per entity: :mod:`.organisation` (teams, people, tags), :mod:`.incidents`,
:mod:`.reviews` (and their rows), :mod:`.actions`, :mod:`.lessons`, :mod:`.notifications`,
:mod:`.debriefs` (deliverables, entries, applause; their own random source),
:mod:`.experiments` (test cards, approvals, learning cards, showcases; their own source),
:mod:`.retros`, :mod:`.drills` (drills, findings, campaign counts, pledges) and :mod:`.journal`
(private entries; both their own sources), :mod:`.search_index`. The order of the random draws is part of the output: the parts are
called in a fixed order, so the same seed gives the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

from learnloop.devtools.seeding import organisation
from learnloop.devtools.seeding.actions import actions_for, save_actions
from learnloop.devtools.seeding.common import (
    SeedContext,
    SeedResult,
    bulk_pragmas,
    fixed_clock,
    given_timestamps,
)
from learnloop.devtools.seeding.debriefs import create_debriefs
from learnloop.devtools.seeding.drills import create_drills
from learnloop.devtools.seeding.experiments import create_experiments, create_showcases
from learnloop.devtools.seeding.incidents import create_incidents
from learnloop.devtools.seeding.journal import create_journal
from learnloop.devtools.seeding.lessons import apply_lessons, create_lessons
from learnloop.devtools.seeding.notifications import create_notifications
from learnloop.devtools.seeding.retros import create_retros
from learnloop.devtools.seeding.reviews import (
    ReviewParts,
    add_review_parts,
    create_reviews,
    save_review_parts,
)
from learnloop.devtools.seeding.search_index import index_organisation
from learnloop.devtools.seeding.surveys import create_survey_rounds
from learnloop.devtools.seeding.transcripts import create_transcripts
from learnloop.devtools.seeding.webhooks import create_webhooks
from learnloop.reviews.models import ReviewTemplate

__all__ = ["SCALES", "SeedResult", "index_organisation", "plan", "seed"]

#: Approximate total rows per scale (every table counted, the search index included).
SCALES = {"small": 600, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}

#: Rows one incident brings on average with the mix below (measured: see docs/benchmarks.md).
ROWS_PER_INCIDENT = 17.0

CHUNK = 2000  # incidents per transaction


def plan(scale: str, team_count: int | None = None, incidents: int | None = None) -> dict[str, int]:
    """How many incidents, teams and users give roughly ``SCALES[scale]`` rows."""
    target = SCALES[scale]
    incidents = incidents or max(12, round(target / ROWS_PER_INCIDENT))
    teams = team_count or max(3, min(60, round(incidents / 1500) + 3))
    users = max(teams * 4, min(2000, teams * 12))
    return {"incidents": incidents, "teams": teams, "users": users}


def seed(
    *,
    scale: str,
    seed: int,
    password: str,
    team_count: int | None = None,
    incidents: int | None = None,
    progress: Callable[[int], Any] | None = None,
    today: dt.date | None = None,
) -> SeedResult:
    """Write a new organisation ``seed-<seed>`` with about ``SCALES[scale]`` rows.

    ``progress(n)`` is called as incidents are written (for a progress bar).
    """
    rng = random.Random(seed)
    sizes = plan(scale, team_count, incidents)
    today = today or dt.datetime.now(dt.UTC).date()
    anchor = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    domain = f"seed{seed}.example"
    result = SeedResult(0, f"bench@{domain}", password)
    with bulk_pragmas(), fixed_clock(anchor):
        _seed(rng, sizes, seed, domain, password, anchor, today, result, progress)
    return result


def _seed(
    rng: random.Random,
    sizes: dict[str, int],
    seed: int,
    domain: str,
    password: str,
    anchor: dt.datetime,
    today: dt.date,
    result: SeedResult,
    progress: Callable[[int], Any] | None,
) -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    with transaction.atomic():
        org = organisation.create_organisation(seed=seed, result=result)
        teams = organisation.create_teams(organisation=org, count=sizes["teams"], result=result)
        users = organisation.create_users(
            rng=rng,
            organisation=org,
            count=sizes["users"],
            domain=domain,
            password=password,
            joined=anchor,
            result=result,
        )
        members = organisation.create_memberships(rng=rng, teams=teams, users=users, result=result)
        tags = organisation.create_tags(organisation=org, result=result)
    result.seconds["organisation"] = time.perf_counter() - t0
    result.cpu["organisation"] = time.process_time() - c0

    template = ReviewTemplate.objects.filter(is_shipped=True, slug="incident-review").first()
    sections = template.sections if template else []
    ctx = SeedContext(rng, teams, members, users, tags, template, sections, anchor, today, result)
    t1, c1 = time.perf_counter(), time.process_time()
    done = 0
    while done < sizes["incidents"]:
        n = min(CHUNK, sizes["incidents"] - done)
        with transaction.atomic(), given_timestamps():
            _write_chunk(ctx, n, done, sizes["incidents"])
        done += n
        if progress:
            progress(n)
    with transaction.atomic(), given_timestamps():
        create_debriefs(ctx, incidents=sizes["incidents"], seed=seed)
    with transaction.atomic(), given_timestamps():
        create_experiments(ctx, incidents=sizes["incidents"], seed=seed)
    with transaction.atomic():
        create_showcases(ctx)
    with transaction.atomic():
        create_webhooks(ctx, seed)
    with transaction.atomic():
        create_retros(ctx, 2 * len(teams) + sizes["incidents"] // 10, seed)
    with transaction.atomic(), given_timestamps():
        create_drills(ctx, incidents=sizes["incidents"], seed=seed)
        create_journal(ctx, incidents=sizes["incidents"], seed=seed)
    result.seconds["rows"] = time.perf_counter() - t1
    result.cpu["rows"] = time.process_time() - c1
    t2, c2 = time.perf_counter(), time.process_time()
    with transaction.atomic(), given_timestamps():
        create_survey_rounds(ctx, seed)
        create_transcripts(ctx, seed)
    result.seconds["surveys"] = time.perf_counter() - t2
    result.cpu["surveys"] = time.process_time() - c2


def _write_chunk(ctx: SeedContext, n: int, offset: int, total: int) -> None:
    """Incidents ``offset`` to ``offset + n`` and everything that follows from them."""
    incidents, stories = create_incidents(ctx, n, offset, total)
    drafts = create_reviews(ctx, incidents, stories)
    parts, actions = ReviewParts(), []
    for draft in drafts:  # one review's rows, then its actions: the order of the random draws
        add_review_parts(ctx, draft, parts)
        actions.extend(actions_for(ctx, draft))
    save_review_parts(ctx, parts)
    save_actions(ctx, actions)
    create_lessons(ctx, [d.review for d in drafts], parts.learnings)
    apply_lessons(ctx, incidents)
    create_notifications(ctx, actions, parts.comments)
