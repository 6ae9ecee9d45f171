"""Demo deliverables for Crumb & Co: one active on Platform with a running debrief log and
applause, one closed on Delivery whose lesson learned went to the library. Through the
services (decisions/0090); dates moved into the past afterwards."""

from __future__ import annotations

from learnloop.applause.models import Reaction
from learnloop.applause.services import reaction_add
from learnloop.core.demo import DemoContext, step
from learnloop.core.models import Visibility
from learnloop.debriefs import closing, services
from learnloop.debriefs.models import DebriefEntry, Deliverable

# (team, owner, collaborators, title, description, started days ago, closed, entries)
# entries: (author, kind, days ago, text, [(who applauds, emoji)], promote)
DELIVERABLES = [
    (
        "platform",
        "amara",
        ["priya", "ines", "jonas"],
        "New checkout retry flow",
        "Replace the payment retries with idempotent requests and a retry budget, so a slow "
        "provider never charges a café twice.",
        40,
        False,
        [
            (
                "priya",
                "win",
                35,
                "Idempotency keys are live for card payments.",
                [("amara", "tada")],
                False,
            ),
            (
                "ines",
                "opportunity",
                28,
                "The provider's sandbox cannot simulate slow answers; a local stub could.",
                [("jonas", "bulb")],
                False,
            ),
            (
                "priya",
                "lesson",
                20,
                "Retry budgets need a per-café limit, not only a global one.",
                [("ines", "clap"), ("amara", "bulb")],
                False,
            ),
            (
                "jonas",
                "win",
                12,
                "The checkout stayed up through the provider's Friday slowdown.",
                [("priya", "rocket"), ("ines", "heart")],
                False,
            ),
        ],
    ),
    (
        "delivery",
        "tomas",
        ["oskar", "keiko"],
        "Winter route plan",
        "Earlier departures and salted routes for the first frost weeks.",
        120,
        True,
        [
            (
                "oskar",
                "win",
                110,
                "Vans left 20 minutes earlier without missing a café.",
                [("tomas", "clap")],
                False,
            ),
            (
                "keiko",
                "lesson",
                95,
                "Check the frost forecast at 4 p.m., when the routes for the night are still open to change.",
                [("oskar", "pray")],
                True,
            ),
            ("oskar", "opportunity", 90, "The driver app could show gritted roads.", [], False),
        ],
    ),
]


@step(61)
def debriefs(ctx: DemoContext) -> None:
    for team, owner, people, title, text, started, closed, entries in DELIVERABLES:
        lead = ctx.users[owner]
        deliverable = services.deliverable_create(
            actor=lead,
            team=ctx.teams[team],
            title=title,
            description=text,
            collaborators=[ctx.users[p] for p in people],
            start_date=ctx.date(-started),
            target_date=ctx.date(-started + 60),
            visibility=Visibility.ORGANISATION,
        )
        promote = []
        for author, kind, days, entry_text, claps, promoted in entries:
            entry = services.entry_create(
                actor=ctx.users[author], deliverable=deliverable, kind=kind, text=entry_text
            )
            DebriefEntry.objects.filter(pk=entry.pk).update(
                created_at=ctx.at(days, 11), updated_at=ctx.at(days, 11)
            )
            for who, emoji in claps:
                reaction = reaction_add(
                    actor=ctx.users[who], kind="entry", object_id=entry.pk, emoji=emoji
                )
                Reaction.objects.filter(pk=reaction.pk).update(created_at=ctx.at(days, 15))
            if promoted:
                promote.append(entry.pk)
        last = min(e[2] for e in entries)
        Deliverable.objects.filter(pk=deliverable.pk).update(
            created_at=ctx.at(started, 9), last_activity_at=ctx.at(last, 11)
        )
        if closed:
            deliverable.refresh_from_db()
            closing.deliverable_close(actor=lead, deliverable=deliverable, promote=promote)
            Deliverable.objects.filter(pk=deliverable.pk).update(closed_at=ctx.at(last - 2, 17))
