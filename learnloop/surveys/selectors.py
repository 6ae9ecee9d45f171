"""Reads for surveys, and the rules that decide whether a result may be shown (decision 0210):

* only after the round has closed (a mean that moves after each answer reveals the last one);
* only with at least the organisation's minimum of answers (5 or more) for scores, and at least
  10 (or the minimum, if higher) for comments, which come in no order and with no time;
* an organisation's aggregate adds up only rounds that are shown themselves, so no aggregate
  minus shown rounds leaves a hidden round's answers ("no differencing");
* a closed round never reopens, so one round's answers are never shown at two sizes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from learnloop.accounts.models import Organisation, Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.surveys.models import MIN_COMMENT_ANSWERS, SurveyCommentBox, SurveyRound, SurveyTally
from learnloop.surveys.scale import EDMONDSON_ITEMS, OVERALL, POINTS, Item
from learnloop.surveys.services import minimum_answers


def rounds_visible_to(user: User) -> QuerySet[SurveyRound]:
    return SurveyRound.objects.visible_to(user).select_related("team", "opened_by")


def rounds_for_team(user: User, team: Team) -> QuerySet[SurveyRound]:
    return rounds_visible_to(user).filter(team=team)


@dataclass
class ItemResult:
    key: str
    text: str
    reverse: bool
    counts: dict[int, int]  # agreement point -> how many chose it
    mean_score: float  # on the safety direction (reverse-scored where the item is negative)

    @property
    def distribution(self) -> list[tuple[int, int, int]]:
        """(point, count, percent of answers) for each point 1..7."""
        total = sum(self.counts.values()) or 1
        return [
            (p, self.counts.get(p, 0), round(100 * self.counts.get(p, 0) / total)) for p in POINTS
        ]


@dataclass
class RoundResult:
    shown: bool
    reason: str
    answers: int | None = None  # None while hidden below the minimum: the count itself is kept
    items: list[ItemResult] = field(default_factory=list)
    extras: list[ItemResult] = field(default_factory=list)
    overall_mean: float | None = None
    overall_counts: dict[int, int] = field(default_factory=dict)
    comments: list[str] | None = None
    comments_reason: str = ""


def _items_of(survey: SurveyRound) -> tuple[list[Item], list[Item]]:
    extras = [Item(q["key"], q["text"], bool(q.get("reverse"))) for q in survey.extra_questions]
    return list(EDMONDSON_ITEMS), extras


def _counts_by_round(round_ids: Iterable[int]) -> dict[int, dict[str, dict[int, int]]]:
    """Per round, per question, the number of answers at each point: one query."""
    out: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = SurveyTally.objects.filter(round_id__in=list(round_ids)).values_list(
        "round_id", "question", "point", "count"
    )
    for round_id, question, point, count in rows:
        out[round_id][question][point] = count
    return out


def _summed(per_round: Iterable[dict[str, dict[int, int]]]) -> dict[str, dict[int, int]]:
    """The counts of several rounds added up, per question and point."""
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for questions in per_round:
        for question, points in questions.items():
            for point, n in points.items():
                counts[question][point] = counts[question].get(point, 0) + n
    return counts


def _item_result(item: Item, counts: dict[int, int]) -> ItemResult:
    total = sum(counts.values())
    score = sum(item.score(p) * n for p, n in counts.items()) / total if total else 0.0
    return ItemResult(item.key, item.text, item.reverse, counts, round(score, 2))


def _answers_of(rounds: Iterable[int]) -> dict[int, int]:
    return dict(
        SurveyCommentBox.objects.filter(round_id__in=list(rounds)).values_list(
            "round_id", "answers"
        )
    )


def hidden_reason(survey: SurveyRound, answers: int, minimum: int) -> str:
    if survey.is_open:
        return "Results appear when the round closes, never while it runs."
    if answers < minimum:
        return (
            f"Fewer than {minimum} people answered, so no result is shown: "
            "with so few answers, a score could point to a person."
        )
    return ""


def round_result(survey: SurveyRound) -> RoundResult:
    minimum = minimum_answers(survey.team.organisation)
    answers = _answers_of([survey.pk]).get(survey.pk, 0)
    reason = hidden_reason(survey, answers, minimum)
    if reason:
        return RoundResult(shown=False, reason=reason)
    counts = _summed(_counts_by_round([survey.pk]).values())
    items, extras = _items_of(survey)
    item_results = [_item_result(i, counts[i.key]) for i in items]
    result = RoundResult(
        shown=True,
        reason="",
        answers=answers,
        items=item_results,
        extras=[_item_result(i, counts[i.key]) for i in extras],
        overall_mean=round(sum(r.mean_score for r in item_results) / len(item_results), 2),
        overall_counts=counts[OVERALL],
    )
    comment_minimum = max(MIN_COMMENT_ANSWERS, minimum)
    if not survey.allow_comments:
        result.comments_reason = "This round asked for no comments."
    elif answers < comment_minimum:
        result.comments_reason = (
            f"Comments are shown only when at least {comment_minimum} people answered."
        )
    else:
        box = SurveyCommentBox.objects.get(round=survey)
        comments = list(box.comments)
        random.shuffle(comments)  # shown in no order, whatever order they are stored in
        result.comments = comments
    return result


@dataclass
class TrendPoint:
    survey: SurveyRound
    shown: bool
    overall_mean: float | None
    answers: int | None


def team_trends(user: User, teams: Sequence[Team]) -> list[tuple[Team, list[TrendPoint]]]:
    """Each team's closed rounds, oldest first, with the overall score where it may be shown.
    A fixed number of queries whatever the number of teams and rounds."""
    if not teams:
        return []
    rounds = [
        r
        for r in rounds_visible_to(user).filter(team__in=teams).order_by("closes_at", "id")
        if not r.is_open
    ]
    minimum = minimum_answers(teams[0].organisation)
    answers = _answers_of(r.pk for r in rounds)
    shown_ids = [r.pk for r in rounds if answers.get(r.pk, 0) >= minimum]
    counts = _counts_by_round(shown_ids)
    by_team: dict[int, list[TrendPoint]] = defaultdict(list)
    for survey in rounds:
        if survey.pk not in counts:
            by_team[survey.team_id].append(TrendPoint(survey, False, None, None))
            continue
        means = [_item_result(i, counts[survey.pk][i.key]).mean_score for i in EDMONDSON_ITEMS]
        overall = round(sum(means) / len(means), 2)
        by_team[survey.team_id].append(TrendPoint(survey, True, overall, answers[survey.pk]))
    return [(team, by_team[team.pk]) for team in teams if by_team.get(team.pk)]


@dataclass
class OrganisationResult:
    period: str
    rounds: int  # shown rounds added up
    hidden_rounds: int
    answers: int
    items: list[ItemResult]
    overall_mean: float | None


def quarter_of(when: dt.datetime) -> str:
    local = timezone.localtime(when)
    return f"{local.year} Q{(local.month - 1) // 3 + 1}"


def organisation_results(organisation: Organisation) -> list[OrganisationResult]:
    """Per quarter (by closing time), the answers of every closed round that is shown itself,
    added up. Rounds hidden below the minimum are left out entirely, so subtracting the shown
    teams' results from this aggregate leaves nothing (decision 0210)."""
    minimum = minimum_answers(organisation)
    now = timezone.now()
    closed = [
        r
        for r in SurveyRound.objects.filter(team__organisation=organisation).order_by("closes_at")
        if not r.is_open and (r.closed_early_at or r.closes_at) <= now
    ]
    answers = _answers_of(r.pk for r in closed)
    per_round = _counts_by_round(r.pk for r in closed if answers.get(r.pk, 0) >= minimum)
    by_quarter: dict[str, list[SurveyRound]] = defaultdict(list)
    for survey in closed:
        by_quarter[quarter_of(survey.closed_at)].append(survey)
    results = []
    for period, rounds in by_quarter.items():
        shown = [r for r in rounds if answers.get(r.pk, 0) >= minimum]
        if not shown:
            results.append(OrganisationResult(period, 0, len(rounds), 0, [], None))
            continue
        counts = _summed(per_round[r.pk] for r in shown)
        items = [_item_result(i, counts[i.key]) for i in EDMONDSON_ITEMS]
        results.append(
            OrganisationResult(
                period,
                len(shown),
                len(rounds) - len(shown),
                sum(answers[r.pk] for r in shown),
                items,
                round(sum(i.mean_score for i in items) / len(items), 2),
            )
        )
    return results


def can_see_round(user: User, survey: SurveyRound) -> bool:
    return survey.team_id in team_ids_of(user) or survey.visibility == "organisation"


@dataclass
class ExtraQuestionResult:
    """One extra question (a pulse) added up over the rounds that are shown themselves."""

    rounds: int
    hidden_rounds: int
    answers: int
    result: ItemResult | None  # None when no round asking it may be shown


def extra_question_results(
    user: User, teams: Sequence[Team], text: str, *, since: dt.datetime, until: dt.datetime
) -> ExtraQuestionResult:
    """The extra question whose text is ``text``, over the closed rounds of ``teams`` that
    ``user`` may see and that closed in [since, until). Only rounds shown themselves (closed,
    at least the minimum answers) are added up, as in the organisation aggregate (decision
    0210); hidden rounds are counted, never opened. Three queries whatever the number."""
    if not teams:
        return ExtraQuestionResult(0, 0, 0, None)
    now = timezone.now()
    rounds = []
    for survey in rounds_visible_to(user).filter(team__in=teams).order_by("closes_at", "id"):
        key = next((q["key"] for q in survey.extra_questions if q.get("text") == text), None)
        if key and not survey.is_open and since <= survey.closed_at < min(until, now):
            rounds.append((survey, key))
    if not rounds:
        return ExtraQuestionResult(0, 0, 0, None)
    minimum = minimum_answers(teams[0].organisation)
    answers = _answers_of(s.pk for s, _ in rounds)
    shown = [(s, k) for s, k in rounds if answers.get(s.pk, 0) >= minimum]
    hidden = len(rounds) - len(shown)
    if not shown:
        return ExtraQuestionResult(0, hidden, 0, None)
    per_round = _counts_by_round(s.pk for s, _ in shown)
    counts: dict[int, int] = {}
    for survey, key in shown:
        for point, n in per_round[survey.pk][key].items():
            counts[point] = counts.get(point, 0) + n
    reverse = any(q.get("reverse") for s, k in shown for q in s.extra_questions if q["key"] == k)
    result = _item_result(Item("pulse", text, reverse), counts)
    return ExtraQuestionResult(len(shown), hidden, sum(answers[s.pk] for s, _ in shown), result)
