"""Seeded private journals (issue 15): two in five people keep one, the seeded admin (the
account benchmarks sign in with) always; entries in proportion to the incidents (one per ten),
written over the last year in the shipped frameworks, the organisation's own and a few personal
ones, with the author's tags; a quarter are about an incident of the author's team; a few were
shared on purpose as named lessons of the author's team (never anonymously here: an anonymous
share needs the sharing service's unlinkability, decisions/0171); some people opted in to a
weekly reminder. Every entry has its author: a journal is its author's alone.

Its own random source (derived from the seed), so adding it left every other row as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from learnloop.accounts.models import User
from learnloop.devtools.seeding.common import SeedContext, org_fields
from learnloop.devtools.seeding.rows import insert
from learnloop.devtools.seeding.words import COMPONENTS, LEARNINGS
from learnloop.incidents.models import Incident
from learnloop.journal.frameworks import SHIPPED, clean_prompts
from learnloop.journal.models import Entry, Framework, LinkKind, Reminder
from learnloop.journal.sharing import SOURCE_LABEL
from learnloop.lessons.models import Lesson, SourceKind

INCIDENTS_PER_ENTRY = 10
KEEPERS = 0.4  # the share of people who keep a journal
ADMIN_ENTRIES = 12  # at least, for the seeded admin
SHARED = 0.05
LINKED = 0.25
TAGS = ["on-call", "feedback", "planning", "drills", "handover", "estimates", "reviews"]
ANSWERS = [
    "I noticed the {c} only after the second alert.",
    "I felt rushed and skipped the checklist for the {c}.",
    "Asking for help earlier would have saved an hour.",
    "The plan for the {c} assumed a quiet week.",
    "Next time I will write the handover note before leaving.",
    "What went well: the team shared what they saw without waiting.",
]
ORG_FRAMEWORK = ("Weekly look back", ["What surprised me?", "What did I learn?", "What next?"])
OWN_FRAMEWORK = ("After a hard conversation", ["What did I mean?", "What did they hear?"])


def create_journal(ctx: SeedContext, *, incidents: int, seed: int) -> None:
    rng = random.Random(seed * 7919 + 4)
    org_id = ctx.result.organisation_id
    name, prompts = ORG_FRAMEWORK
    shared_fw = Framework(organisation_id=org_id, name=name, prompts=clean_prompts(prompts))
    keepers = [ctx.users[0]] + [u for u in ctx.users[1:] if rng.random() < KEEPERS]
    own = [
        Framework(
            organisation_id=org_id,
            owner=person,
            name=OWN_FRAMEWORK[0],
            prompts=clean_prompts(OWN_FRAMEWORK[1]),
        )
        for person in keepers
        if rng.random() < 0.1
    ]
    frameworks = [shared_fw, *own]
    for fw in frameworks:
        fw.created_at = fw.updated_at = ctx.anchor - dt.timedelta(days=365)
    insert(frameworks)
    own_by_person = {fw.owner_id: fw for fw in own}
    recent = _recent_incidents(ctx)
    total = max(len(keepers), incidents // INCIDENTS_PER_ENTRY)
    entries: list[Entry] = []
    for n, person in enumerate(keepers):
        count = max(1, round(total / len(keepers) * rng.uniform(0.4, 1.6)))
        if n == 0:
            count = max(count, ADMIN_ENTRIES)
        choices: list[dict[str, Any]] = [*SHIPPED, _as_dict(shared_fw)]
        if person.pk in own_by_person:
            choices.append(_as_dict(own_by_person[person.pk]))
        teams = [t.pk for t in ctx.teams if person in ctx.members.get(t.pk, [])]
        for _ in range(count):
            entries.append(_entry(ctx, rng, person, rng.choice(choices), teams, recent))
    insert(entries)
    _share(ctx, rng, entries)
    reminders = [Reminder(user=p, weekday=rng.randint(0, 6)) for p in keepers if rng.random() < 0.3]
    insert(reminders)
    ctx.result.counts["journal entry"] += len(entries)
    ctx.result.counts["journal framework"] += len(frameworks)
    ctx.result.counts["journal reminder"] += len(reminders)


def _as_dict(fw: Framework) -> dict[str, Any]:
    return {"key": fw.key, "name": fw.name, "prompts": fw.prompts}


def _recent_incidents(ctx: SeedContext) -> dict[int, list[tuple[int, dt.datetime]]]:
    """Per team, its latest named incidents (id, reported): what an entry may be about."""
    recent: dict[int, list[tuple[int, dt.datetime]]] = {}
    for team in ctx.teams:
        rows = Incident.objects.filter(team=team, is_anonymous=False, pk__gt=0).order_by(
            "-created_at"
        )
        recent[team.pk] = list(rows.values_list("pk", "created_at")[:200])
    return recent


def _entry(
    ctx: SeedContext,
    rng: random.Random,
    person: User,
    framework: dict[str, Any],
    teams: list[int],
    recent: dict[int, list[tuple[int, dt.datetime]]],
) -> Entry:
    component = rng.choice(COMPONENTS)
    answers = {
        p["key"]: rng.choice(ANSWERS + LEARNINGS).replace("{c}", component).replace("{f}", "it")
        for p in framework["prompts"]
        if rng.random() < 0.9
    }
    written = ctx.anchor - dt.timedelta(days=rng.uniform(0, 365))
    entry = Entry(
        author=person,
        title=f"Thinking about the {component}",
        framework_key=framework["key"],
        framework_name=framework["name"],
        prompts=[dict(p) for p in framework["prompts"]],
        answers=answers,
        tags=sorted(rng.sample(TAGS, rng.randint(0, 2))),
        created_at=written,
        updated_at=written + dt.timedelta(minutes=rng.randint(0, 600)),
    )
    pool = [i for t in teams for i in recent.get(t, []) if i[1] < written]
    if pool and rng.random() < LINKED:
        entry.link_kind, entry.link_id = LinkKind.INCIDENT, rng.choice(pool)[0]
    return entry


def _share(ctx: SeedContext, rng: random.Random, entries: list[Entry]) -> None:
    """A few entries shared with their author's name as lessons of one of the author's teams
    (the lesson carries no link back; the entry remembers its lesson)."""
    teams_of: dict[int, list[int]] = {}
    for team_id, people in ctx.members.items():
        for person in people:
            teams_of.setdefault(person.pk, []).append(team_id)
    # The admin's first entry is shared, so every scale has one.
    chosen = [e for n, e in enumerate(entries) if e.answers and (n == 0 or rng.random() < SHARED)]
    lessons: list[Lesson] = []
    for entry in chosen:
        shared_at = min(entry.updated_at + dt.timedelta(days=rng.randint(0, 7)), ctx.anchor)
        first = next(iter(entry.answers.values()))
        lessons.append(
            Lesson(
                **org_fields(Lesson, ctx.result.organisation_id),
                team_id=rng.choice(teams_of.get(entry.author_id) or [ctx.teams[0].pk]),
                visibility="organisation" if rng.random() < 0.5 else "team",
                statement=first[:300],
                context="\n\n".join(entry.answers.values()),
                source_kind=SourceKind.JOURNAL,
                source_label=SOURCE_LABEL,
                created_by_id=entry.author_id,
                created_at=shared_at,
                updated_at=shared_at,
            )
        )
    insert(lessons)
    for entry, lesson in zip(chosen, lessons, strict=True):
        entry.shared_lesson = lesson
    Entry.objects.bulk_update(chosen, ["shared_lesson"], batch_size=1000)
    ctx.result.counts["lesson"] += len(lessons)
