"""Demo lessons for Crumb & Co (written for the demo; a bakery with deliveries)."""

from __future__ import annotations

from learnloop.core.demo import DemoContext, step
from learnloop.core.models import Visibility
from learnloop.lessons import services
from learnloop.lessons.models import SourceKind

LESSONS = [
    (
        "platform",
        "amara",
        "Put renewal dates for certificates and domains in the team calendar, not in one inbox.",
        "The ordering site's certificate renewal reminder went to a former colleague's mailbox. "
        "A shared calendar entry, two weeks ahead, reaches whoever is on the rota.",
        ["certificates", "expiry", "ownership"],
        Visibility.ORGANISATION,
    ),
    (
        "platform",
        "priya",
        "Cap retries with a budget so a slow dependency cannot multiply its own load.",
        "When the payment provider slowed down, every checkout retried five times at once. "
        "A retry budget with jitter keeps a blip a blip.",
        ["retries", "payments", "overload"],
        Visibility.ORGANISATION,
    ),
    (
        "delivery",
        "tomas",
        "Check the route plan against road closures the evening before, not at loading time.",
        "A marathon closed half the city centre; drivers found out at the first café. "
        "The council publishes closures a week ahead.",
        ["routes", "planning"],
        Visibility.ORGANISATION,
    ),
    (
        "delivery",
        "keiko",
        "Label the gluten-free crates by colour as well as by text.",
        "In the dark of a 5 a.m. loading bay, the printed labels were hard to read; "
        "a coloured strap is visible from across the van.",
        ["allergens", "loading"],
        Visibility.TEAM,
    ),
    (
        "support",
        "lena",
        "Post a status note within ten minutes of a known outage, even if it only says we are looking.",
        "Cafés called us one by one during the ordering outage; a short public note would have "
        "answered most of them and freed the phones for the urgent ones.",
        ["communication", "status page"],
        Visibility.ORGANISATION,
    ),
]


@step(50)
def lessons(ctx: DemoContext) -> None:
    for team_key, author, statement, context, tags, visibility in LESSONS:
        services.lesson_create(
            actor=ctx.users[author],
            team=ctx.teams[team_key],
            statement=statement,
            context=context,
            tags=tags,
            visibility=visibility,
            source_kind=SourceKind.MANUAL,
        )
