"""Turn-taking analyses for the benchmark seed: per team, one analysed meeting a month for the
last six months, with per-speaker totals as the product stores them (no text kept). Its own
random source, so the rest of the seed is unchanged by it."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from learnloop.core.stats import gini
from learnloop.devtools.seeding.common import SeedContext
from learnloop.devtools.seeding.rows import insert
from learnloop.transcripts.analysis import reading_of
from learnloop.transcripts.models import Kind, SpeakerTotal, Transcript

MONTHS = 6


def create_transcripts(ctx: SeedContext, seed: int) -> None:
    rng = random.Random(seed * 7919 + 2)
    planned: list[tuple[Transcript, list[tuple[str, int, int, int]], list[int]]] = []
    for team in ctx.teams:
        members = ctx.members.get(team.pk, [])
        if len(members) < 2:
            continue
        for month in range(MONTHS):
            people = members[: rng.randint(2, min(8, len(members)))]
            totals = [
                (p.display_name or p.email.split("@")[0], rng.randint(20, 900) * 1000)
                for p in people
            ]
            totals.sort(key=lambda t: -t[1])
            speaking = sum(ms for _, ms in totals)
            balance = round(1 - (gini([ms for _, ms in totals]) or 0.0), 3)
            turns = [max(1, ms // 40_000) for _, ms in totals]
            transcript = Transcript(
                team=team,
                title=f"Team meeting {month + 1}",
                kind=Kind.MEETING,
                held_on=ctx.today - dt.timedelta(days=30 * month + 3),
                facilitator=people[0],
                duration_ms=speaking + rng.randint(0, 120) * 1000,
                speaking_ms=speaking,
                cues=sum(turns) * 3,
                speaker_count=len(totals),
                turns=sum(turns),
                interruptions=rng.randint(0, 12),
                balance=balance,
                reading=reading_of([ms / speaking for _, ms in totals], balance),
            )
            held = dt.datetime.combine(transcript.held_on, dt.time(15), tzinfo=dt.UTC)
            transcript.created_at = transcript.updated_at = held
            speakers = [
                (name, ms, t, min(ms, rng.randint(10, 240) * 1000))
                for (name, ms), t in zip(totals, turns, strict=True)
            ]
            planned.append((transcript, speakers, [p.pk for p in people]))
    insert([t for t, _, _ in planned])
    rows: list[SpeakerTotal] = []
    through = Transcript.participants.through
    links: list[Any] = []
    for transcript, speakers, person_ids in planned:
        for position, (name, ms, count, longest) in enumerate(speakers):
            rows.append(
                SpeakerTotal(
                    transcript=transcript,
                    position=position,
                    name=name[:100],
                    speaking_ms=ms,
                    turns=count,
                    longest_turn_ms=longest,
                )
            )
        links.extend(through(transcript_id=transcript.pk, user_id=uid) for uid in person_ids)
    insert(rows)
    insert(links)
