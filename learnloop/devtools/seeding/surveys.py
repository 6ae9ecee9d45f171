"""Psychological-safety rounds for the benchmark seed: per team, one closed round a quarter for
the last year, answered by most members (counters and has-answered marks, as the product
writes them; no answer rows exist). Its own random source, so the rest of the seed is
unchanged by it."""

from __future__ import annotations

import datetime as dt
import random

from learnloop.devtools.seeding.common import SeedContext, negative_id
from learnloop.devtools.seeding.rows import insert
from learnloop.surveys.models import (
    SurveyCommentBox,
    SurveyParticipation,
    SurveyRound,
    SurveyTally,
)
from learnloop.surveys.scale import EDMONDSON_ITEMS, OVERALL, POINTS, overall_bucket

QUARTERS = 4


def create_survey_rounds(ctx: SeedContext, seed: int) -> None:
    rng = random.Random(seed * 7919 + 1)
    ids = random.Random(seed * 7919 + 210)  # the has-answered marks' ids, outside the sequence
    rounds: list[SurveyRound] = []
    tallies: list[SurveyTally] = []
    boxes: list[SurveyCommentBox] = []
    marks: list[SurveyParticipation] = []
    for team in ctx.teams:
        members = ctx.members.get(team.pk, [])
        if not members:
            continue
        for quarter in range(QUARTERS):
            closes = ctx.anchor - dt.timedelta(days=91 * quarter + 10)
            survey = SurveyRound(
                team=team,
                title="Team psychological safety",
                closes_at=closes,
                eligible_count=len(members),
            )
            survey.created_at = survey.updated_at = closes - dt.timedelta(days=14)
            rounds.append(survey)
    insert(rounds)
    for survey in rounds:
        members = ctx.members[survey.team_id]
        answering = [m for m in members if rng.random() < 0.8]
        counts: dict[tuple[str, int], int] = {}
        lean = rng.uniform(-1.0, 1.0)  # each round's climate
        for _person in answering:
            scores = []
            for item in EDMONDSON_ITEMS:
                safe = min(7, max(1, round(rng.gauss(5 + lean, 1.2))))
                answer = 8 - safe if item.reverse else safe
                counts[(item.key, answer)] = counts.get((item.key, answer), 0) + 1
                scores.append(safe)
            bucket = overall_bucket(scores)
            counts[(OVERALL, bucket)] = counts.get((OVERALL, bucket), 0) + 1
        for key in [i.key for i in EDMONDSON_ITEMS] + [OVERALL]:
            for point in POINTS:
                tallies.append(
                    SurveyTally(
                        round=survey, question=key, point=point, count=counts.get((key, point), 0)
                    )
                )
        boxes.append(SurveyCommentBox(round=survey, answers=len(answering)))
        marks.extend(
            SurveyParticipation(id=negative_id(ids), round=survey, user=m) for m in answering
        )
    insert(tallies)
    insert(boxes)
    insert(marks)
    ctx.result.counts["survey round"] += len(rounds)
    ctx.result.counts["survey counter"] += len(tallies) + len(boxes)
    ctx.result.counts["survey has-answered mark"] += len(marks)
