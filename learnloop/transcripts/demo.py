"""Demo turn-taking for Crumb & Co: the platform team's last retro (uploaded by its
facilitator, linked to the retro) and two earlier platform meetings, and a delivery review
meeting, so the team's balance trend has several months. Transcripts are written for the demo
and go through the service, as a facilitator's upload would; no text is kept."""

from __future__ import annotations

from learnloop.core.demo import DemoContext, step
from learnloop.retros.models import Retro
from learnloop.transcripts.services import transcript_analyse

#: (speaker key, seconds) turn by turn; "~" marks a turn that starts 2 s early (an overlap).
PLATFORM_RETRO = [
    ("jonas", 40), ("priya", 70), ("ines", 55), ("jonas", 30), ("amara", 45),
    ("~priya", 35), ("ines", 60), ("jonas", 25), ("amara", 50), ("priya", 40),
]  # fmt: skip
PLATFORM_EARLIER = [
    ("amara", 180), ("jonas", 30), ("amara", 150), ("~priya", 20), ("amara", 120),
    ("ines", 15), ("amara", 90),
]  # fmt: skip
PLATFORM_OLDER = [
    ("amara", 120), ("jonas", 60), ("~amara", 90), ("priya", 45), ("amara", 60),
    ("ines", 40), ("jonas", 30),
]  # fmt: skip
DELIVERY_REVIEW = [
    ("tomas", 60), ("sofia", 50), ("oskar", 45), ("amara", 40), ("tomas", 30),
    ("oskar", 35), ("sofia", 30),
]  # fmt: skip
WORDS = "Here is what I saw from where I sat."


def _clock(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    return f"00:{minutes:02}:{seconds:02}.000"


def demo_vtt(turns: list[tuple[str, int]], ctx: DemoContext) -> str:
    """A WebVTT transcript with one voice-span cue per turn."""
    cues, at = ["WEBVTT", ""], 0
    for key, seconds in turns:
        start = max(0, at - 2) if key.startswith("~") else at
        name = ctx.users[key.lstrip("~")].display_name
        cues += [f"{_clock(start)} --> {_clock(start + seconds)}", f"<v {name}>{WORDS}</v>", ""]
        at = start + seconds
    return "\n".join(cues)


@step(64)
def transcripts(ctx: DemoContext) -> None:
    platform, delivery = ctx.teams["platform"], ctx.teams["delivery"]
    people = [ctx.users[k].pk for k in ("amara", "jonas", "priya", "ines")]
    retro = Retro.objects.filter(team=platform, title="Platform retro, last month").first()
    transcript_analyse(
        actor=ctx.users["jonas"] if retro else ctx.users["amara"],
        team=platform,
        data=demo_vtt(PLATFORM_RETRO, ctx),
        retro_id=retro.pk if retro else None,
        held_on=ctx.date(-20),
        participant_ids=people,
    )
    for turns, days, title in (
        (PLATFORM_EARLIER, -50, "Platform planning"),
        (PLATFORM_OLDER, -80, "Platform incident review meeting"),
    ):
        transcript_analyse(
            actor=ctx.users["amara"],
            team=platform,
            data=demo_vtt(turns, ctx),
            title=title,
            held_on=ctx.date(days),
            participant_ids=people,
        )
    transcript_analyse(
        actor=ctx.users["tomas"],
        team=delivery,
        data=demo_vtt(DELIVERY_REVIEW, ctx),
        title="Delivery route review",
        kind="review",
        held_on=ctx.date(-12),
        participant_ids=[ctx.users[k].pk for k in ("tomas", "sofia", "oskar", "amara")],
    )
