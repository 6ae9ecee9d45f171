"""A realistic, deterministic organisation at scale, for benchmarks (``learnloop seed``).

Why a generator of our own: benchmarks need the row mix a real organisation would have
(incidents with reviews, timelines, factors, learnings, actions done on time, late or overdue,
lessons applied elsewhere, comments, notifications), at 10k to 1M rows, in minutes, and the
same data for the same seed so figures can be compared across runs. Text comes from the word
lists and templates below (no corpus text).

Determinism: every choice comes from one ``random.Random(seed)``; times are offsets from the
start of the current UTC day (so the dashboard always shows recent months), which the
determinism test does not depend on. Inserts go through ``bulk_create`` in chunks, one
transaction per chunk; signals do not fire for bulk inserts, so the search index is rebuilt
once at the end (:func:`reindex_search`).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

#: Approximate total rows per scale (every table counted, the search index included).
SCALES = {"small": 600, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}

#: Rows one incident brings on average with the mix below (measured: see docs/benchmarks.md).
ROWS_PER_INCIDENT = 17.0

CHUNK = 2000  # incidents per transaction

# ------------------------------------------------------------------------------ word lists

FIRST_NAMES = [
    "Amara", "Ben", "Chidi", "Dana", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemi",
    "Lars", "Maya", "Nikhil", "Olga", "Priya", "Quentin", "Rosa", "Sami", "Tariq", "Uma",
    "Viktor", "Wen", "Ximena", "Yusuf", "Zofia", "Aleksander", "Bea", "Carlos", "Dilnoza",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Schmidt", "Tanaka", "Moreau", "Kowalski", "Haddad", "Lindqvist", "Mensah",
    "Novak", "Pereira", "Quist", "Rahman", "Silva", "Takahashi", "Usman", "Varga", "Weber",
    "Yilmaz", "Zhou", "Andersen", "Barros", "Costa", "Dubois", "Eriksen", "Fischer",
]  # fmt: skip
TEAM_AREAS = [
    "Payments", "Checkout", "Search", "Identity", "Platform", "Data", "Mobile", "Web", "Billing",
    "Logistics", "Warehouse", "Support", "Security", "Growth", "Catalogue", "Messaging",
    "Observability", "Networking", "Storage", "Release", "Partners", "Finance", "People",
    "Pricing", "Recommendations", "Onboarding", "Fraud", "Reporting", "Kitchen", "Delivery",
]  # fmt: skip
TEAM_SUFFIXES = ["", " Core", " Infra", " Apps", " Ops"]
COMPONENTS = [
    "payment gateway", "checkout service", "search cluster", "login service", "job queue",
    "primary database", "read replica", "cache layer", "load balancer", "DNS zone",
    "certificate store", "build pipeline", "deploy tool", "feature flag service", "CDN edge",
    "message broker", "billing export", "mobile API", "warehouse scanner app", "route planner",
    "email sender", "SMS provider", "object storage", "metrics pipeline", "alerting rules",
    "VPN gateway", "config repository", "backup job", "data warehouse", "order service",
]  # fmt: skip
FAILURES = [
    ("expired", "an expired certificate"),
    ("filled up", "a full disk"),
    ("timed out", "timeouts under load"),
    ("ran out of connections", "connection pool exhaustion"),
    ("served stale data", "a stale cache"),
    ("dropped messages", "a retry storm"),
    ("rejected requests", "a rate limit set too low"),
    ("deployed a bad config", "configuration drift between environments"),
    ("lost its leader", "a failed leader election"),
    ("slowed down", "a missing index on a growing table"),
    ("double-charged customers", "a non-idempotent retry"),
    ("stopped sending alerts", "an alert routed to an unused channel"),
    ("failed over too late", "a health check that never failed"),
    ("ran a migration that locked a table", "a long-running migration"),
    ("exposed a debug page", "a default setting left on"),
]  # fmt: skip
CONDITIONS = [
    "during the Friday peak", "after the weekly release", "while on-call was handing over",
    "during a planned maintenance", "after a dependency upgrade", "at the start of the month",
    "during a traffic spike from a campaign", "overnight", "while a migration was running",
    "right after a region failover",
]  # fmt: skip
DETECTIONS = [
    "A customer reported it through support.", "An alert fired on error rate.",
    "A colleague noticed it on the dashboard.", "A synthetic check failed.",
    "The nightly report showed the gap.", "A partner called the hotline.",
]  # fmt: skip
IMPACTS = [
    "About {n} customers could not complete their orders for {m} minutes.",
    "{n} requests failed over {m} minutes; no data was lost.",
    "Reports were late by {m} minutes for {n} teams.",
    "{n} orders were delayed; the team contacted every affected customer.",
]  # fmt: skip
HELPED = [
    "The runbook for the {c} was up to date.", "Rollback took one command.",
    "Several people joined the call within minutes.", "The dashboard showed the spike clearly.",
    "Support had a ready-made message for customers.",
]  # fmt: skip
DIFFICULT = [
    "The alert did not say which {c} was affected.", "Logs for the {c} were sampled too much.",
    "Two changes went out at the same time.", "Nobody knew who owned the {c}.",
    "The status page needed manual updates.",
]  # fmt: skip
LEARNINGS = [
    "Alerts on the {c} should name the affected dependency, not just the symptom.",
    "{f} gives no warning until it fails, so we need a check ahead of time.",
    "Rolling out to one region first would have limited the impact to a fraction of users.",
    "Our runbooks assumed the {c} fails loudly; it can fail quietly.",
    "Handovers are when context gets lost; a short written note helps.",
    "Load tests of the {c} did not include the retry traffic we saw.",
    "Ownership of the {c} was unclear, so fixes waited.",
    "Timeouts should be shorter than the caller's timeout, or retries pile up.",
]  # fmt: skip
ACTION_VERBS = [
    "Add an alert for", "Document the failover of", "Automate the renewal for",
    "Add a load test for", "Set an owner for", "Add a dashboard panel for",
    "Shorten the timeouts of", "Add a canary stage for", "Write a runbook for",
    "Remove the manual step from",
]  # fmt: skip
COMMENTS = [
    "Thanks for writing this up so quickly.", "I added the graph from the dashboard.",
    "Should we invite the {c} owners to the review?", "The timeline matches what I saw.",
    "Good catch on the handover; that happened to us last month too.",
    "I can take the action about the {c}.",
]  # fmt: skip
TAGS = [
    "customer-facing", "data", "security", "release", "on-call", "capacity", "dependency",
    "config", "monitoring", "database", "network", "third-party", "mobile", "payments",
    "compliance", "cost", "migration", "performance", "availability", "process",
]  # fmt: skip
TIMELINE_STEPS = [
    "Alert fired for the {c}.", "On-call acknowledged and opened a channel.",
    "Rolled back the last change to the {c}.", "Error rate returned to normal.",
    "Identified {f} as the trigger.", "Posted an update on the status page.",
    "Customer support informed.", "Scaled the {c} up.",
]  # fmt: skip
FACTOR_TEXT = {
    "technology": "The {c} had no protection against {f}.",
    "process": "The release checklist did not cover the {c}.",
    "communication": "The alert went to a channel nobody watched at that hour.",
    "knowledge": "Only one person knew how the {c} fails over.",
    "environment": "The team was handling three other pages at the time.",
    "organisation": "Work on the {c} was deprioritised twice this quarter.",
    "external": "The provider behind the {c} changed a default without notice.",
}
KIND_WEIGHTS = [
    ("service_incident", 55), ("mistake", 12), ("near_miss", 14), ("setback", 8),
    ("security_event", 6), ("drill", 5),
]  # fmt: skip
SEVERITY_WEIGHTS = [("sev1", 4), ("sev2", 16), ("sev3", 45), ("sev4", 30), ("", 5)]


@dataclass
class SeedResult:
    organisation_id: int
    admin_email: str
    password: str
    counts: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _minutes(rng: random.Random, median: float, sigma: float = 0.9) -> dt.timedelta:
    """A log-normal duration: most are short, a few are very long (as incident times are)."""
    return dt.timedelta(minutes=max(0.5, rng.lognormvariate(math.log(median), sigma)))


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
    import time

    from learnloop.accounts.models import Membership, Organisation, Team, User
    from learnloop.core.models import Tag

    rng = random.Random(seed)
    sizes = plan(scale, team_count, incidents)
    today = today or dt.datetime.now(dt.UTC).date()
    anchor = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    slug = f"seed-{seed}"
    domain = f"seed{seed}.example"
    result = SeedResult(0, f"bench@{domain}", password)
    t0 = time.perf_counter()
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Only this connection: a crash mid-seed loses the seed, never anything else.
        with connection.cursor() as cur:
            cur.execute("PRAGMA synchronous=OFF")

    with transaction.atomic():
        org = Organisation.objects.create(name=f"Seeded organisation {seed}", slug=slug)
        result.organisation_id = org.pk
        result.counts["organisation"] += 1
        names: list[str] = []
        for area in TEAM_AREAS:
            for suffix in TEAM_SUFFIXES:
                names.append(f"{area}{suffix}")
        teams = Team.objects.bulk_create(
            [
                Team(
                    organisation=org,
                    name=name,
                    slug=name.lower().replace(" ", "-"),
                    description=f"The {name} team.",
                )
                for name in names[: sizes["teams"]]
            ]
        )
        result.counts["team"] += len(teams)
        hashed = make_password(password)  # one hash for every seeded account (benchmark data)
        users = []
        for i in range(sizes["users"]):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = result.admin_email if i == 0 else f"{first}.{last}.{i}@{domain}".lower()
            users.append(
                User(
                    email=email,
                    username=email,
                    first_name=first,
                    last_name=last,
                    display_name=f"{first} {last}",
                    organisation=org,
                    password=hashed,
                    is_org_admin=i == 0,
                )
            )
        users = User.objects.bulk_create(users, batch_size=500)
        result.counts["user"] += len(users)
        members: dict[int, list[Any]] = {t.pk: [] for t in teams}
        memberships = []
        for i, user in enumerate(users):
            home = teams[0] if i == 0 else teams[i % len(teams)]
            chosen = [home]
            if i == 0:
                chosen.append(teams[1])
            elif rng.random() < 0.2:
                other = rng.choice(teams)
                if other is not home:
                    chosen.append(other)
            for j, team in enumerate(chosen):
                role = "admin" if (i < len(teams) * 2 and j == 0) or i == 0 else "member"
                if role == "member" and rng.random() < 0.15:
                    role = "facilitator"
                memberships.append(Membership(user=user, team=team, role=role))
                members[team.pk].append(user)
        Membership.objects.bulk_create(memberships, batch_size=1000)
        result.counts["membership"] += len(memberships)
        tags = Tag.objects.bulk_create([Tag(organisation=org, name=n) for n in TAGS])
        result.counts["tag"] += len(tags)
    result.seconds["organisation"] = time.perf_counter() - t0

    from learnloop.reviews.models import ReviewTemplate

    template = ReviewTemplate.objects.filter(is_shipped=True, slug="incident-review").first()
    sections = template.sections if template else []
    ctx = _Ctx(rng, teams, members, users, tags, template, sections, anchor, today, result)
    t1 = time.perf_counter()
    done = 0
    while done < sizes["incidents"]:
        n = min(CHUNK, sizes["incidents"] - done)
        with transaction.atomic(), _given_timestamps():
            _chunk(ctx, n, done, sizes["incidents"])
        done += n
        if progress:
            progress(n)
    result.seconds["rows"] = time.perf_counter() - t1
    return result


@dataclass
class _Ctx:
    rng: random.Random
    teams: list[Any]
    members: dict[int, list[Any]]
    users: list[Any]
    tags: list[Any]
    template: Any
    sections: list[dict[str, Any]]
    anchor: dt.datetime
    today: dt.date
    result: SeedResult
    lesson_pool: list[tuple[int, dt.datetime]] = field(default_factory=list)  # (id, created)
    applied: Counter = field(default_factory=Counter)


@contextmanager
def _given_timestamps() -> Iterator[None]:
    """Let bulk_create keep the times we generate instead of stamping "now" on them.

    ``auto_now``/``auto_now_add`` fields are switched off for the duration (this process only,
    and the seed command runs alone), then restored.
    """
    from django.apps import apps

    saved = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def _org_fields(model: Any, organisation_id: int) -> dict[str, int]:
    """``organisation_id`` for models that copy their team's organisation (e.g. lessons)."""
    names = {f.name for f in model._meta.concrete_fields}
    return {"organisation_id": organisation_id} if "organisation" in names else {}


def _fill(text: str, c: str, f: str) -> str:
    return text.replace("{c}", c).replace("{f}", f)


def _chunk(ctx: _Ctx, n: int, offset: int, total: int) -> None:  # noqa: C901, PLR0915
    from learnloop.actions.models import Action
    from learnloop.incidents.models import Incident
    from learnloop.lessons.models import Lesson, LessonApplication
    from learnloop.notifications.models import Notification
    from learnloop.reviews.models import (
        Comment,
        ContributingFactor,
        Learning,
        Review,
        ReviewRevision,
        TimelineEntry,
    )

    rng, counts = ctx.rng, ctx.result.counts
    org_id = ctx.result.organisation_id
    span_days = 730
    incidents: list[Any] = []
    meta: list[dict[str, Any]] = []
    for k in range(n):
        i = offset + k
        team = ctx.teams[min(int(rng.paretovariate(1.2)) - 1, len(ctx.teams) - 1)]
        if rng.random() < 0.5:
            team = rng.choice(ctx.teams)
        people = ctx.members[team.pk] or ctx.users
        comp = rng.choice(COMPONENTS)
        verb, cause = rng.choice(FAILURES)
        cond = rng.choice(CONDITIONS)
        kind = _weighted(rng, KIND_WEIGHTS)
        # Older incidents are rarer: reporting grew over time (position i spreads over 2 years).
        age = span_days * (1 - (i + rng.random()) / total) ** 1.5
        started = ctx.anchor - dt.timedelta(days=age, minutes=rng.randrange(0, 1440))
        detected = started + _minutes(rng, 9)
        acknowledged = detected + _minutes(rng, 4)
        resolved = acknowledged + _minutes(rng, 50, 1.1)
        created = detected + _minutes(rng, 3)
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
            **_org_fields(Incident, org_id),
            team=team,
            visibility="organisation" if rng.random() < 0.6 else "team",
            title=title[:200],
            description=description,
            kind=kind,
            severity=_weighted(rng, SEVERITY_WEIGHTS),
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
        incidents.append(inc)
        meta.append(
            {
                "comp": comp,
                "cause": cause,
                "people": people,
                "tags": rng.sample(ctx.tags, rng.choice([0, 1, 1, 2, 2, 3])),
                "review": resolved is not None and kind != "drill" and rng.random() < 0.7,
            }
        )
    Incident.objects.bulk_create(incidents, batch_size=1000)
    counts["incident"] += len(incidents)
    through = Incident.tags.through
    rows = [
        through(incident_id=inc.pk, tag_id=t.pk)
        for inc, m in zip(incidents, meta, strict=True)
        for t in m["tags"]
    ]
    through.objects.bulk_create(rows, batch_size=2000)
    counts["incident tag"] += len(rows)

    reviews, rmeta = [], []
    for inc, m in zip(incidents, meta, strict=True):
        if not m["review"]:
            continue
        comp, cause = m["comp"], m["cause"]
        created = inc.resolved_at + _minutes(rng, 600, 1.0)
        timeline_at = [inc.detected_at]
        for _ in range(rng.randrange(3, 9)):
            timeline_at.append(timeline_at[-1] + _minutes(rng, 6))
        timeline = [
            {
                "at": a.isoformat().replace("+00:00", "Z"),
                "text": _fill(rng.choice(TIMELINE_STEPS), comp, cause),
            }
            for a in timeline_at
        ]
        cats = rng.sample(list(FACTOR_TEXT), rng.randrange(1, 4))
        factors = [{"category": c, "description": _fill(FACTOR_TEXT[c], comp, cause)} for c in cats]
        learnings = [
            _fill(t, comp, cause).capitalize() for t in rng.sample(LEARNINGS, rng.randrange(1, 4))
        ]
        status = _weighted(rng, [("published", 65), ("in_review", 15), ("draft", 20)])
        if inc.resolved_at < ctx.anchor - dt.timedelta(days=60) and status == "draft":
            status = "published"
        published = created + _minutes(rng, 60 * 24 * 3, 1.0) if status == "published" else None
        content = {
            "summary": inc.description,
            "impact": rng.choice(IMPACTS).format(n=rng.randrange(3, 5000), m=rng.randrange(2, 300)),
            "timeline": timeline,
            "contributing_factors": factors,
            "went_well": [_fill(rng.choice(HELPED), comp, cause)],
            "difficult": [_fill(rng.choice(DIFFICULT), comp, cause)],
            "lucky": [],
            "learnings": learnings,
            "next_steps": [],
        }
        author = inc.reporter or rng.choice(m["people"])
        reviews.append(
            Review(
                **_org_fields(Review, org_id),
                team_id=inc.team_id,
                visibility=inc.visibility,
                incident=inc,
                template=ctx.template,
                sections=ctx.sections,
                title=f"Review: {inc.title}"[:200],
                status=status,
                content=content,
                published_at=published,
                created_by=author,
                created_at=created,
                updated_at=published or created,
            )
        )
        rmeta.append((inc, m, timeline_at, factors, learnings, author))
    Review.objects.bulk_create(reviews, batch_size=500)
    counts["review"] += len(reviews)

    timeline_rows, factor_rows, learning_rows, revisions, comments = [], [], [], [], []
    participants, actions, lessons = [], [], []
    for review, (inc, m, timeline_at, factors, learnings, author) in zip(
        reviews, rmeta, strict=True
    ):
        for pos, (at, entry) in enumerate(
            zip(timeline_at, review.content["timeline"], strict=True)
        ):
            timeline_rows.append(
                TimelineEntry(review=review, at=at, text=entry["text"], position=pos)
            )
        for pos, f in enumerate(factors):
            factor_rows.append(
                ContributingFactor(
                    review=review,
                    category=f["category"],
                    description=f["description"],
                    position=pos,
                )
            )
        for pos, text in enumerate(learnings):
            learning_rows.append(Learning(review=review, text=text, position=pos))
        revisions.append(
            ReviewRevision(
                review=review,
                version=1,
                author=author,
                title=review.title,
                content=review.content,
                created_at=review.created_at,
            )
        )
        people = m["people"]
        for p in {
            u.pk: u for u in rng.sample(people, min(len(people), rng.randrange(1, 4)))
        }.values():
            participants.append(Review.participants.through(review_id=review.pk, user_id=p.pk))
        for c in range(rng.choice([0, 1, 1, 2, 3, 4])):
            comments.append(
                Comment(
                    review=review,
                    author=rng.choice(people),
                    body=_fill(rng.choice(COMMENTS), m["comp"], m["cause"]),
                    created_at=review.created_at + dt.timedelta(hours=c + 1),
                    updated_at=review.created_at + dt.timedelta(hours=c + 1),
                )
            )
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            due = (review.created_at + dt.timedelta(days=rng.randrange(7, 60))).date()
            if due < ctx.today:
                status = _weighted(
                    rng, [("on_time", 55), ("late", 20), ("overdue", 18), ("wont_do", 7)]
                )
            else:
                status = _weighted(rng, [("on_time", 25), ("open", 45), ("in_progress", 30)])
            done_at = None
            if status == "on_time":
                done_at = (
                    review.created_at
                    + (dt.datetime.combine(due, dt.time(), tzinfo=dt.UTC) - review.created_at)
                    * rng.random()
                )
                done_at = min(done_at, ctx.anchor)
            elif status == "late":
                done_at = min(
                    dt.datetime.combine(due, dt.time(), tzinfo=dt.UTC)
                    + dt.timedelta(days=rng.randrange(1, 30)),
                    ctx.anchor,
                )
            real = {"on_time": "done", "late": "done", "overdue": "open"}.get(status, status)
            actions.append(
                Action(
                    **_org_fields(Action, org_id),
                    team_id=review.team_id,
                    visibility=review.visibility,
                    title=f"{rng.choice(ACTION_VERBS)} the {m['comp']}",
                    description=f"From the review of “{inc.title}”.",
                    review=review,
                    incident=inc,
                    owner=rng.choice(people),
                    due_date=due,
                    kind=rng.choice(["prevent", "detect", "mitigate", "process", "learn"]),
                    status=real,
                    done_at=done_at,
                    created_by=author,
                    created_at=review.created_at,
                    updated_at=done_at or review.created_at,
                )
            )
    TimelineEntry.objects.bulk_create(timeline_rows, batch_size=2000)
    ContributingFactor.objects.bulk_create(factor_rows, batch_size=2000)
    learning_rows = Learning.objects.bulk_create(learning_rows, batch_size=2000)
    ReviewRevision.objects.bulk_create(revisions, batch_size=500)
    Review.participants.through.objects.bulk_create(participants, batch_size=2000)
    Comment.objects.bulk_create(comments, batch_size=2000)
    Action.objects.bulk_create(actions, batch_size=1000)
    for name, rows in [
        ("timeline entry", timeline_rows),
        ("contributing factor", factor_rows),
        ("learning", learning_rows),
        ("review revision", revisions),
        ("review participant", participants),
        ("comment", comments),
        ("action", actions),
    ]:
        counts[name] += len(rows)

    # Lessons: about one learning in three is promoted to the library.
    by_review = {r.pk: r for r in reviews}
    for learning in learning_rows:
        if rng.random() >= 0.33:
            continue
        review = by_review[learning.review_id]
        lessons.append(
            Lesson(
                **_org_fields(Lesson, org_id),
                team_id=review.team_id,
                visibility="organisation" if rng.random() < 0.8 else "team",
                statement=learning.text[:300],
                context=f"From the review “{review.title}”.",
                source_kind="review",
                source_review=review,
                learning=learning,
                created_by=review.created_by,
                created_at=review.created_at + dt.timedelta(days=1),
                updated_at=review.created_at + dt.timedelta(days=1),
            )
        )
    Lesson.objects.bulk_create(lessons, batch_size=1000)
    counts["lesson"] += len(lessons)
    lesson_tags = [
        Lesson.tags.through(lesson_id=lesson.pk, tag_id=t.pk)
        for lesson in lessons
        for t in rng.sample(ctx.tags, rng.choice([0, 1, 1, 2]))
    ]
    Lesson.tags.through.objects.bulk_create(lesson_tags, batch_size=2000)
    counts["lesson tag"] += len(lesson_tags)

    # Applied here: earlier lessons reused on later incidents.
    applications, applied = [], Counter()
    seen = set()
    ctx.lesson_pool.extend((lesson.pk, lesson.created_at) for lesson in lessons)
    if len(ctx.lesson_pool) > 5000:
        del ctx.lesson_pool[: len(ctx.lesson_pool) - 5000]
    for inc in incidents:
        if not ctx.lesson_pool or rng.random() >= 0.12:
            continue
        lesson_id, learned_at = rng.choice(ctx.lesson_pool)
        if learned_at >= inc.created_at or (lesson_id, inc.pk) in seen:
            continue
        seen.add((lesson_id, inc.pk))
        applications.append(
            LessonApplication(
                lesson_id=lesson_id,
                team_id=inc.team_id,
                target_kind="incident",
                target_id=inc.pk if inc.pk > 0 else None,
                target_url="" if inc.pk > 0 else f"https://learnloop.invalid/incidents/{inc.pk}/",
                incident=inc,
                note="This looked like the same failure.",
                applied_by=inc.reporter,
                created_at=inc.created_at + dt.timedelta(hours=1),
            )
        )
        applied[lesson_id] += 1
    LessonApplication.objects.bulk_create(applications, batch_size=1000)
    counts["lesson application"] += len(applications)
    ctx.applied.update(applied)
    for lesson_id in applied:
        Lesson.objects.filter(pk=lesson_id).update(applied_count=ctx.applied[lesson_id])

    notifications = []
    for a in actions:
        if a.owner_id is None:
            continue
        notifications.append(
            Notification(
                recipient_id=a.owner_id,
                text=f"You own a new action: {a.title}"[:300],
                url=f"/actions/{a.pk}/",
                key=f"seed:action:{a.pk}:assigned",
                created_at=a.created_at,
                read_at=a.created_at + dt.timedelta(hours=2) if rng.random() < 0.7 else None,
            )
        )
    for c in comments:
        author = c.review.created_by_id
        if author is None or author == c.author_id:
            continue
        notifications.append(
            Notification(
                recipient_id=author,
                text=f"New comment on {c.review.title}"[:300],
                url=f"/reviews/{c.review_id}/",
                created_at=c.created_at,
                read_at=c.created_at + dt.timedelta(hours=5) if rng.random() < 0.6 else None,
            )
        )
    Notification.objects.bulk_create(notifications, batch_size=2000)
    counts["notification"] += len(notifications)


class _InlinePool:
    """``Pool.map_async`` without processes."""

    def __enter__(self) -> _InlinePool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map_async(self, func: Callable, items: list) -> Any:
        results = [func(i) for i in items]

        class _Done:
            def get(self) -> list:
                return results

        return _Done()


class _CaptureCursor:
    """Stands in for a DB cursor in worker processes: records the statements to run."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.rowcount = 0

    def execute(self, sql: str, params: Any = None) -> None:
        self.calls.append((sql, tuple(params or ())))

    def fetchone(self) -> tuple[int]:
        return (0,)


def _document_statements(args: tuple[str, list[dict[str, Any]]]) -> list[tuple[str, tuple]]:
    """In a worker process: the search app's own upsert statements for ``docs``.

    The expensive part of indexing (concept extraction) is pure Python, so it runs in parallel;
    the statements are exactly those ``learnloop.search.index.upsert_document`` would run.
    """
    from learnloop.search import index

    vendor, docs = args
    cur = _CaptureCursor()
    for doc in docs:
        index.upsert_document(cur, vendor, **doc)
    return cur.calls


def _run_statements(calls: list[tuple[str, tuple]]) -> None:
    from learnloop.search.sync import raw_cursor

    by_sql: dict[str, list[tuple]] = {}
    for sql, params in calls:
        by_sql.setdefault(sql.replace(" RETURNING id", ""), []).append(params)
    with raw_cursor() as cur:
        for sql, rows in by_sql.items():
            cur.executemany(sql, rows)


def index_organisation(organisation_id: int, *, processes: int | None = None) -> dict[str, int]:
    """Bring the search index in step for one seeded organisation (bulk inserts fire no signals).

    Same documents as ``learnloop.search.sync.reindex`` (it calls the search app's
    ``document_for`` and ``upsert_document``), but only for this organisation and with concept
    extraction spread over worker processes.
    """
    import multiprocessing as mp
    import os

    from learnloop.accounts.models import Team
    from learnloop.search import sync

    team_ids = list(
        Team.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
    )
    vendor = connection.vendor
    counts: dict[str, int] = {}
    processes = processes or max(1, os.cpu_count() or 1)
    if processes > 1:
        connection.close()  # never share a connection with forked workers
        pool_cm: Any = mp.get_context("fork").Pool(processes)
    else:  # in-process (tests: inside the test's transaction)
        pool_cm = _InlinePool()
    with pool_cm as pool:
        for kind in sync.KINDS:
            try:
                model = sync.model_for(kind)
            except LookupError:
                continue
            qs = model.objects.filter(team_id__in=team_ids).order_by("pk")
            if kind in ("incident", "lesson"):
                qs = qs.prefetch_related("tags")
            if kind == "review":
                qs = qs.select_related("incident").prefetch_related("incident__tags")
            n = 0
            pending = None
            batch: list[dict[str, Any]] = []

            def flush(batch: list[dict[str, Any]], pending: Any) -> Any:
                parts = [batch[i :: processes * 2] for i in range(processes * 2)]
                nxt = pool.map_async(_document_statements, [(vendor, p) for p in parts if p])
                if pending is not None:
                    with transaction.atomic():
                        for calls in pending.get():
                            _run_statements(calls)
                return nxt

            for obj in qs.iterator(chunk_size=2000):
                batch.append(sync.document_for(kind, obj))
                n += 1
                if len(batch) >= 2000:
                    pending = flush(batch, pending)
                    batch = []
            if batch:
                pending = flush(batch, pending)
            if pending is not None:
                with transaction.atomic():
                    for calls in pending.get():
                        _run_statements(calls)
            counts[kind] = n
    with sync.raw_cursor() as cur:
        from learnloop.search import index

        index.check_integrity(cur, vendor)
    return counts
