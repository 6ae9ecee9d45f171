"""Seeded drills, campaign results and leaders' pledges (issue 15), in proportion to the
incidents: one drill per 25 incidents, at least two per team, across kinds and states (planned
ahead, run, reviewed with the after-action template), with participants and findings, some made
actions or lessons; phishing and call-test campaigns as counts that add up (each person in
exactly one of reported, clicked or answered, ignored; at least five people), one a quarter per
team and one or two for each phishing or call drill, the report rate drifting up over the year;
the organisation's pledge in three versions and a pledge for every other team, each version
signed by its leaders.

Their own random source (derived from the seed), so adding them left every other row as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from learnloop.accounts.models import Membership, User
from learnloop.actions.models import Action
from learnloop.devtools.seeding.common import SeedContext, org_fields
from learnloop.devtools.seeding.rows import insert
from learnloop.devtools.seeding.words import COMPONENTS
from learnloop.drills.aar import AAR_KEYS
from learnloop.drills.models import (
    MIN_PEOPLE,
    Campaign,
    Drill,
    DrillKind,
    DrillStatus,
    Finding,
    Pledge,
    PledgeSignature,
    PledgeVersion,
)
from learnloop.drills.pledge import EXAMPLE
from learnloop.lessons.models import Lesson, SourceKind

INCIDENTS_PER_DRILL = 25
KINDS = [
    (DrillKind.TABLETOP, 5),
    (DrillKind.GAME_DAY, 3),
    (DrillKind.FAILOVER, 2),
    (DrillKind.RESTORE, 2),
    (DrillKind.PHISHING, 3),
    (DrillKind.SOCIAL, 1),
    (DrillKind.OTHER, 1),
]
SCENARIOS = {
    DrillKind.TABLETOP: "Walk through an outage of the {c} at the Friday peak on paper.",
    DrillKind.GAME_DAY: "Turn off the {c} in staging during working hours and follow the alerts.",
    DrillKind.FAILOVER: "Fail the {c} over to the second region and back, timing each step.",
    DrillKind.RESTORE: "Restore last night's backup of the {c} to a spare server and check it.",
    DrillKind.PHISHING: "A practice email that imitates the {c}'s password reset.",
    DrillKind.SOCIAL: "A practice phone call asking for access to the {c}.",
    DrillKind.OTHER: "Hand the on-call phone over mid-incident on the {c}.",
}
HAPPENED = [
    "The runbook for the {c} was found quickly, but one step pointed at a retired dashboard.",
    "The alert reached the right person; the second responder waited for access.",
    "It took twice the time we planned; the checklist missed the {c}'s dependencies.",
    "Everyone knew their part; the status message to customers went out late.",
]
FINDINGS = [
    "The runbook for the {c} names a dashboard that no longer exists.",
    "Access to the {c} needs an approval nobody on call can give at night.",
    "Nobody was sure who tells customers about the {c}.",
    "The alert for the {c} does not say which region is affected.",
    "Reporting the practice email took three clicks on a phone.",
    "The restore of the {c} has no timing target written down.",
]
CAMPAIGN_NAMES = {
    "phishing": ["Password reset for the {c}", "Invoice with new bank details", "Parcel notice"],
    "call": ["Caller asking for access to the {c}", "Caller posing as the help desk"],
}
TEAM_PLEDGE = (
    "In {team}, reporting a mistake, a near miss or a practice email you clicked earns thanks, "
    "never blame. We look at conditions and systems first. Deliberate harm and recklessness are "
    "the only exceptions."
)
ORG_PLEDGE_VERSIONS = [
    "No one is punished for reporting a mistake promptly or for an honest error.",
    EXAMPLE,
    EXAMPLE + " We review this pledge every year with the whole organisation.",
]


def _kind(rng: random.Random) -> str:
    return rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]


def create_drills(ctx: SeedContext, *, incidents: int, seed: int) -> None:
    rng = random.Random(seed * 7919 + 3)
    count = max(2 * len(ctx.teams), incidents // INCIDENTS_PER_DRILL)
    drills: list[Drill] = []
    people: dict[int, list[User]] = {}
    for i in range(count):
        team = ctx.teams[i % len(ctx.teams)] if i < 2 * len(ctx.teams) else rng.choice(ctx.teams)
        members = ctx.members.get(team.pk) or ctx.users[:1]
        kind = _kind(rng)
        days = rng.randint(-300, 45)
        if i < len(ctx.teams):  # every team has run a phishing simulation ...
            kind, days = DrillKind.PHISHING, rng.randint(-300, -3)
        elif i < 2 * len(ctx.teams):  # ... and has a drill planned
            days = rng.randint(3, 45)
        component = rng.choice(COMPONENTS)
        status = DrillStatus.PLANNED
        if days < -2:
            status = DrillStatus.REVIEWED if rng.random() < 0.65 else DrillStatus.RUN
        planned = ctx.today + dt.timedelta(days=days)
        created = ctx.anchor + dt.timedelta(days=min(days, 0) - rng.randint(7, 30), hours=10)
        drill = Drill(
            team=team,
            visibility="organisation" if rng.random() < 0.4 else "team",
            title=f"{DrillKind(kind).label}: the {component}",
            kind=kind,
            planned_for=planned,
            scenario=SCENARIOS[DrillKind(kind)].replace("{c}", component),
            facilitator=rng.choice(members),
            status=status,
            created_by=members[0],
            created_at=created,
            updated_at=created,
        )
        if status != DrillStatus.PLANNED:
            drill.what_happened = rng.choice(HAPPENED).replace("{c}", component)
            drill.updated_at = ctx.anchor + dt.timedelta(days=days + 1, hours=16)
        if status == DrillStatus.REVIEWED:
            drill.after_action = {
                k: f"{k.capitalize()} of the {component} drill." for k in AAR_KEYS
            }
            drill.updated_at = ctx.anchor + dt.timedelta(days=days + 2, hours=11)
        drills.append(drill)
        people[i] = rng.sample(members, min(len(members), rng.randint(2, 6)))
    insert(drills)
    through = Drill.participants.through
    rows = [through(drill_id=d.pk, user_id=p.pk) for i, d in enumerate(drills) for p in people[i]]
    insert(rows)
    ctx.result.counts["drill"] += len(drills)
    ctx.result.counts["drill participant"] += len(rows)
    _findings(ctx, rng, drills)
    _campaigns(ctx, rng, drills)
    _pledges(ctx, rng)


def _findings(ctx: SeedContext, rng: random.Random, drills: list[Drill]) -> None:
    """Findings of run drills; a quarter of the reviewed ones' become actions, a sixth lessons."""
    findings: list[Finding] = []
    actions: list[Action] = []
    lessons: list[Lesson] = []
    for drill in drills:
        if drill.status == DrillStatus.PLANNED:
            continue
        component = drill.title.split(": the ", 1)[-1]
        least = 2 if drill.status == DrillStatus.REVIEWED else 1
        for text in rng.sample(FINDINGS, rng.randint(least, 3)):
            finding = Finding(drill=drill, text=text.replace("{c}", component))
            finding.created_at = drill.updated_at
            findings.append(finding)
            if drill.status != DrillStatus.REVIEWED:
                continue
            # At every scale at least one finding became an action and one a lesson.
            roll = rng.random() if actions and lessons else (0.0 if not actions else 0.3)
            if roll < 0.25:
                finding.action = _action(ctx, rng, drill, finding.text)
                actions.append(finding.action)
            elif roll < 0.42:
                finding.lesson = Lesson(
                    **org_fields(Lesson, ctx.result.organisation_id),
                    team_id=drill.team_id,
                    visibility=drill.visibility,
                    statement=finding.text[:300],
                    source_kind=SourceKind.MANUAL,
                    source_label=f"Drill: {drill.title}"[:200],
                    created_by=drill.facilitator,
                    created_at=drill.updated_at,
                    updated_at=drill.updated_at,
                )
                lessons.append(finding.lesson)
    insert(actions)
    insert(lessons)
    for finding in findings:  # the ids the bulk inserts just gave
        finding.action_id = finding.action.pk if finding.action else None
        finding.lesson_id = finding.lesson.pk if finding.lesson else None
    insert(findings)
    ctx.result.counts["drill finding"] += len(findings)
    ctx.result.counts["action"] += len(actions)
    ctx.result.counts["lesson"] += len(lessons)


def _action(ctx: SeedContext, rng: random.Random, drill: Drill, text: str) -> Action:
    due = drill.planned_for + dt.timedelta(days=rng.randint(7, 45))
    done = due < ctx.today and rng.random() < 0.7
    done_at = (
        dt.datetime.combine(due, dt.time(15), tzinfo=dt.UTC)
        - dt.timedelta(days=rng.randint(-5, 10))
        if done
        else None
    )
    if done_at is not None:
        done_at = min(max(done_at, drill.updated_at), ctx.anchor)
    return Action(
        **org_fields(Action, ctx.result.organisation_id),
        team_id=drill.team_id,
        visibility=drill.visibility,
        title=text[:200],
        description=f"From the drill “{drill.title}” ({drill.planned_for}).",
        owner=drill.facilitator,
        due_date=due,
        kind=Action.Kind.PREVENT,
        status=Action.Status.DONE if done else Action.Status.OPEN,
        done_at=done_at,
        created_by=drill.facilitator,
        created_at=drill.updated_at,
        updated_at=done_at or drill.updated_at,
    )


def _counts(rng: random.Random, size: int, progress: float) -> dict[str, Any]:
    """Counts for a campaign to ``size`` people that add up; reporting improves with
    ``progress`` (0 a year ago, 1 today) as practice does."""
    size = max(MIN_PEOPLE, size)
    rate = min(0.95, max(0.05, 0.25 + 0.4 * progress + rng.uniform(-0.1, 0.1)))
    reported = round(size * rate)
    clicked = round((size - reported) * rng.uniform(0.15, 0.45))
    minutes = max(1, round(rng.lognormvariate(3.3 - progress, 0.6))) if reported else None
    return {
        "reported": reported,
        "clicked": clicked,
        "ignored": size - reported - clicked,
        "minutes_to_first_report": minutes,
    }


def _campaigns(ctx: SeedContext, rng: random.Random, drills: list[Drill]) -> None:
    campaigns: list[Campaign] = []

    def add(team_id: int, kind: str, ran_on: dt.date, drill: Drill | None, vis: str) -> None:
        size = len(ctx.members.get(team_id) or []) * rng.randint(2, 4)
        progress = max(0.0, 1 - (ctx.today - ran_on).days / 365)
        entered = dt.datetime.combine(ran_on, dt.time(17), tzinfo=dt.UTC) + dt.timedelta(days=1)
        name = rng.choice(CAMPAIGN_NAMES[kind]).replace("{c}", rng.choice(COMPONENTS))
        campaigns.append(
            Campaign(
                team_id=team_id,
                visibility=vis,
                name=name,
                kind=kind,
                ran_on=ran_on,
                drill=drill,
                created_at=min(entered, ctx.anchor),
                updated_at=min(entered, ctx.anchor),
                **_counts(rng, size, progress),
            )
        )

    for drill in drills:
        if drill.status == DrillStatus.PLANNED:
            continue
        if drill.kind in (DrillKind.PHISHING, DrillKind.SOCIAL):
            kind = "call" if drill.kind == DrillKind.SOCIAL else "phishing"
            for wave in range(rng.randint(1, 2)):
                ran_on = min(drill.planned_for + dt.timedelta(days=21 * wave), ctx.today)
                add(drill.team_id, kind, ran_on, drill, drill.visibility)
    for team in ctx.teams:  # one campaign a quarter for every team, entered without a drill
        for quarter in range(4):
            ran_on = ctx.today - dt.timedelta(days=91 * quarter + rng.randint(5, 60))
            add(team.pk, "phishing" if quarter % 2 == 0 else "call", ran_on, None, "organisation")
    insert(campaigns)
    ctx.result.counts["campaign"] += len(campaigns)


def _pledges(ctx: SeedContext, rng: random.Random) -> None:
    """The organisation's pledge (three versions, the admin signs each) and one for every
    other team (one or two versions, signed by the team's admins)."""
    admin = ctx.users[0]
    admins: dict[int, list[int]] = {}
    for team_id, user_id in Membership.objects.filter(team__in=ctx.teams, role="admin").values_list(
        "team_id", "user_id"
    ):
        admins.setdefault(team_id, []).append(user_id)
    by_id = {u.pk: u for u in ctx.users}
    plan: list[tuple[Pledge, list[tuple[str, User]]]] = []
    org_pledge = Pledge(organisation_id=ctx.result.organisation_id, team=None)
    plan.append((org_pledge, [(text, admin) for text in ORG_PLEDGE_VERSIONS]))
    for n, team in enumerate(ctx.teams):
        if n % 2:
            continue
        leaders = [by_id[i] for i in admins.get(team.pk, []) if i in by_id] or [admin]
        text = TEAM_PLEDGE.replace("{team}", team.name)
        versions = [(text, leaders[0])]
        if rng.random() < 0.5:
            versions.append((text + " We say so in every review.", leaders[-1]))
        plan.append((Pledge(organisation_id=ctx.result.organisation_id, team=team), versions))
    for pledge, versions in plan:
        pledge.version = len(versions)
    insert([p for p, _ in plan])
    rows: list[PledgeVersion] = []
    signers: list[tuple[PledgeVersion, list[User]]] = []
    for pledge, versions in plan:
        team_leaders = (
            [by_id[i] for i in admins.get(pledge.team.pk, []) if i in by_id]
            if pledge.team
            else [admin]
        )
        for number, (text, writer) in enumerate(versions, start=1):
            written = ctx.anchor - dt.timedelta(days=120 * (len(versions) - number) + 30)
            version = PledgeVersion(
                pledge=pledge,
                number=number,
                text=text,
                written_by=writer,
                written_by_name=writer.display_name,
                written_at=written,
            )
            rows.append(version)
            signers.append((version, team_leaders or [writer]))
    insert(rows)
    signatures = [
        PledgeSignature(
            version=version,
            signer=person,
            name=person.display_name,
            signed_on=(version.written_at + dt.timedelta(days=rng.randint(0, 5))).date(),
        )
        for version, people in signers
        for person in people
    ]
    insert(signatures)
    ctx.result.counts["pledge"] += len(plan)
    ctx.result.counts["pledge version"] += len(rows)
    ctx.result.counts["pledge signature"] += len(signatures)
