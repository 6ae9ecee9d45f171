"""Demo drills, campaigns and pledges for Crumb & Co, built through the services as people would:
the organisation's pledge (two versions, signed by Amara) and the Delivery team's; a tabletop
exercise run and reviewed, one finding turned into an action and one into a lesson; a phishing
simulation for Customer Care in two waves whose counts show the report rate rising; the other
teams' campaign results (counts only, decisions/0172); and a restore test still planned."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from learnloop.accounts.models import Team, User
from learnloop.core.demo import DemoContext, step
from learnloop.core.models import Visibility
from learnloop.drills import campaigns, pledge, services
from learnloop.drills.models import (
    Campaign,
    Drill,
    DrillKind,
    DrillStatus,
    Finding,
    PledgeSignature,
    PledgeVersion,
)
from learnloop.lessons.models import Lesson

ORG = Visibility.ORGANISATION

# The organisation's pledge: (days ago, words). Amara signs each version the day it is written.
ORG_PLEDGE = [
    (
        120,
        "No one at Crumb & Co is punished for reporting a mistake, a near miss or a practice "
        "email they clicked. We would much rather hear about it early than not at all.",
    ),
    (
        60,
        "No one at Crumb & Co is punished for reporting a mistake promptly, for an honest "
        "error, or for clicking a link in a practice email. We would always rather hear early "
        "than not at all. The exceptions are deliberate harm and recklessness (knowingly taking "
        "a risk nobody could justify), and even then we first ask what made it possible. "
        "Hold us to this.",
    ),
]
DELIVERY_PLEDGE = (
    45,
    "On the Delivery team, a driver who reports a near miss, a late van or a wrong drop gets "
    "thanks and help, never a mark against their name. We look at routes, schedules and tools "
    "first. Deliberate harm and recklessness are the only exceptions.",
)

TABLETOP: dict[str, Any] = {
    "team": "platform",
    "kind": DrillKind.TABLETOP,
    "planned": -40,
    "facilitator": "jonas",
    "people": ["jonas", "priya", "ines", "amara"],
    "title": "Tabletop: the ordering site is down at 05:10 on a Saturday",
    "scenario": (
        "It is 05:10 on a Saturday. The ordering site answers every café with an error and the "
        "vans leave at 05:45. The on-call phone has rung once. Walk through who notices, who is "
        "told, what the cafés hear and when."
    ),
    "what_happened": (
        "The on-call person found the runbook within ten minutes, but its status-page link "
        "pointed at the page we retired in the spring. The room then spent twenty minutes on "
        "who may message the cafés out of hours: on a real Saturday that is the whole window "
        "before the vans leave."
    ),
    "after_action": {
        "expected": "Cafés hear within fifteen minutes what is wrong and how to order by phone.",
        "actual": "On paper, the first message to the cafés went out after forty minutes.",
        "difference": (
            "The runbook had not been updated since the status page moved, and nothing written "
            "says who may send out-of-hours messages to customers."
        ),
        "sustain": "Paging reached the right person first time; the phone-order fallback works.",
        "improve": "Fix the runbook link and name the out-of-hours sender before the next drill.",
    },
}
TABLETOP_FINDINGS = [
    ("The on-call runbook still links the status page we retired in the spring.", "action"),
    (
        "Agree who may message customers out of hours before an outage, not during one.",
        "lesson",
    ),
    ("The 05:00 handover between the bakery and platform on-call has no checklist.", None),
]

PHISHING: dict[str, Any] = {
    "team": "support",
    "kind": DrillKind.PHISHING,
    "planned": -35,
    "facilitator": "keiko",
    "people": ["keiko", "hana", "lena"],
    "title": "Phishing simulation: invoices and refund requests",
    "scenario": (
        "Two practice emails three weeks apart to everyone who answers the Customer Care inbox: "
        "first a supplier invoice with a new bank account, then a refund request with a "
        "lookalike payment link. Results are counted for the team, never per person."
    ),
    "what_happened": (
        "More people reported the second email, and the first report came much sooner. "
        "The 'Report phishing' button is easy to miss on the shared inbox's phone app."
    ),
}
# name, kind, days ago, reported, clicked or answered, ignored, minutes to the first report
CampaignRow = tuple[str, str, int, int, int, int, int]
PHISHING_WAVES: list[CampaignRow] = [
    ("Wave 1: supplier invoice with new bank details", "phishing", 35, 6, 5, 7, 38),
    ("Wave 2: refund request with a lookalike link", "phishing", 14, 11, 2, 5, 9),
]
# The other teams' campaign results, entered without a drill: (team, who enters them, row).
OTHER_CAMPAIGNS: list[tuple[str, str, CampaignRow]] = [
    ("support", "lena", ("Fake flour-mill invoice", "phishing", 200, 5, 4, 9, 42)),
    ("delivery", "tomas", ("Parcel-tracking text message", "phishing", 130, 6, 3, 7, 25)),
    ("platform", "amara", ("Password-reset lookalike", "phishing", 75, 9, 1, 4, 9)),
    ("support", "lena", ("Voice call asking for the café list", "call", 30, 8, 1, 5, 6)),
]

RESTORE: dict[str, Any] = {
    "team": "platform",
    "kind": DrillKind.RESTORE,
    "planned": 10,
    "facilitator": "ines",
    "people": ["ines", "jonas"],
    "title": "Restore test: the order database on a spare server within 30 minutes",
    "scenario": (
        "Restore last night's backup of the order database to the spare server, time each "
        "step, and check a sample of this week's orders. The last restore took 95 minutes "
        "against the 30 promised to the cafés."
    ),
}


@step(66)
def drills(ctx: DemoContext) -> None:
    _pledges(ctx)
    _tabletop(ctx)
    _phishing(ctx)
    _restore_test(ctx)


def _pledges(ctx: DemoContext) -> None:
    amara = ctx.users["amara"]
    # `seed-demo` makes Amara the organisation admin at its end; writing the organisation's
    # pledge needs that now (the same flag, set earlier).
    User.objects.filter(pk=amara.pk).update(is_org_admin=True)
    amara.is_org_admin = True
    written = None
    for ago, text in ORG_PLEDGE:
        version = written.version if written else None
        written = pledge.pledge_write(actor=amara, team=None, text=text, version=version)
        _date_version(written.versions.all(), ctx.at(ago, 9))
        signature = pledge.pledge_sign(actor=amara, pledge=written)
        PledgeSignature.objects.filter(pk=signature.pk).update(signed_on=ctx.date(-ago))
    ago, text = DELIVERY_PLEDGE
    tomas = ctx.users["tomas"]
    team_pledge = pledge.pledge_write(actor=tomas, team=ctx.teams["delivery"], text=text)
    _date_version(team_pledge.versions.all(), ctx.at(ago, 8))
    signature = pledge.pledge_sign(actor=tomas, pledge=team_pledge)
    PledgeSignature.objects.filter(pk=signature.pk).update(signed_on=ctx.date(-ago))


def _date_version(versions: QuerySet[PledgeVersion], when: dt.datetime) -> None:
    """Date the newest version (the one just written) ``when``."""
    newest = versions.order_by("-number").first()
    assert newest is not None
    PledgeVersion.objects.filter(pk=newest.pk).update(written_at=when)


def _drill(ctx: DemoContext, actor: User, spec: dict[str, Any]) -> Drill:
    """Plan the drill ``spec`` describes and, when it says what happened, mark it run."""
    drill = services.drill_create(
        actor=actor,
        team=ctx.teams[spec["team"]],
        title=spec["title"],
        kind=spec["kind"],
        planned_for=ctx.date(spec["planned"]),
        scenario=spec["scenario"],
        facilitator=ctx.users[spec["facilitator"]],
        participants=[ctx.users[k].pk for k in spec["people"]],
        visibility=ORG,
    )
    if not spec.get("what_happened"):
        return drill
    return services.drill_update(
        actor=actor,
        drill=drill,
        version=drill.version,
        status=DrillStatus.RUN,
        what_happened=spec["what_happened"],
    )


def _tabletop(ctx: DemoContext) -> None:
    jonas, ines = ctx.users["jonas"], ctx.users["ines"]
    drill = _drill(ctx, jonas, TABLETOP)
    drill = services.drill_update(
        actor=jonas, drill=drill, version=drill.version, after_action=TABLETOP["after_action"]
    )
    for text, becomes in TABLETOP_FINDINGS:
        finding = services.finding_add(actor=jonas, drill=drill, text=text)
        if becomes == "action":
            services.finding_to_action(
                actor=jonas, finding=finding, owner=ines, due_date=ctx.date(12)
            )
        elif becomes == "lesson":
            lesson = services.finding_to_lesson(actor=jonas, finding=finding)
            Lesson.objects.filter(pk=lesson.pk).update(created_at=ctx.at(39, 15))
    Finding.objects.filter(drill=drill).update(created_at=ctx.at(40, 11))
    Drill.objects.filter(pk=drill.pk).update(created_at=ctx.at(55, 10), updated_at=ctx.at(39, 15))


def _phishing(ctx: DemoContext) -> None:
    lena = ctx.users["lena"]
    team = ctx.teams["support"]
    drill = _drill(ctx, lena, PHISHING)
    for row in PHISHING_WAVES:
        _campaign(ctx, lena, team, row, drill=drill)
    services.finding_add(
        actor=lena,
        drill=drill,
        text="The 'Report phishing' button is hidden in a menu on the shared inbox's phone app.",
    )
    Drill.objects.filter(pk=drill.pk).update(created_at=ctx.at(42, 9), updated_at=ctx.at(13, 16))
    for team_key, who, row in OTHER_CAMPAIGNS:
        _campaign(ctx, ctx.users[who], ctx.teams[team_key], row)


def _campaign(
    ctx: DemoContext, actor: User, team: Team, row: CampaignRow, *, drill: Drill | None = None
) -> None:
    """Enter one campaign's counts as its team would, the day after it ran."""
    name, kind, ago, reported, clicked, ignored, minutes = row
    made = campaigns.campaign_create(
        actor=actor,
        team=team,
        drill=drill,
        visibility=ORG,
        name=name,
        kind=kind,
        ran_on=ctx.date(-ago),
        reported=reported,
        clicked=clicked,
        ignored=ignored,
        minutes_to_first_report=minutes,
    )
    entered = ctx.at(ago - 1, 10)
    Campaign.objects.filter(pk=made.pk).update(created_at=entered, updated_at=entered)


def _restore_test(ctx: DemoContext) -> None:
    _drill(ctx, ctx.users["ines"], RESTORE)
