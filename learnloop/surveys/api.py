"""Surveys API: rounds (list, open, read, close, extend), answering once, results (only after
closing and with enough answers; otherwise ``shown: false`` and the reason), and the
organisation's aggregate. No endpoint returns anything per person."""

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import get_visible_or_404, team_ids_of
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn, Id
from learnloop.core.accesslog import leave_out_of_access_log
from learnloop.core.errors import ApplicationError
from learnloop.core.versioning import require_version
from learnloop.surveys import selectors, services
from learnloop.surveys.models import SurveyRound
from learnloop.surveys.selectors import ItemResult

router = Router(tags=["surveys"])


class RoundOut(Schema):
    id: int
    team: str
    title: str
    closes_at: dt.datetime
    closed_at: dt.datetime
    is_open: bool
    extra_questions: list[dict[str, Any]]
    allow_comments: bool
    visibility: str
    eligible_count: int
    answered_by_me: bool
    version: int
    url: str


def _round_out(request: AuthedHttpRequest, survey: SurveyRound, answered: set[int]) -> RoundOut:
    return RoundOut(
        id=survey.pk,
        team=survey.team.slug,
        title=survey.title,
        closes_at=survey.closes_at,
        closed_at=survey.closed_at,
        is_open=survey.is_open,
        extra_questions=survey.extra_questions,
        allow_comments=survey.allow_comments,
        visibility=survey.visibility,
        eligible_count=survey.eligible_count,
        answered_by_me=survey.pk in answered,
        version=survey.version,
        url=f"/surveys/{survey.pk}/",
    )


def _round_or_404(request: AuthedHttpRequest, pk: int) -> SurveyRound:
    return get_visible_or_404(
        SurveyRound.objects.select_related("team__organisation"), request.user, pk=pk
    )


@router.get("/rounds", response={200: list[RoundOut], **errors()})
def round_list(request: AuthedHttpRequest) -> list[RoundOut]:
    rounds = list(selectors.rounds_visible_to(request.user).order_by("-closes_at", "-id")[:100])
    answered = services.answered_rounds(request.user, rounds)
    return [_round_out(request, r, answered) for r in rounds]


class RoundIn(BodyIn):
    team: str
    closes_at: str
    title: str = ""
    extra_questions: list[str] = []
    allow_comments: bool = True
    visibility: str = "team"


@router.post("/rounds", response={201: RoundOut, **errors(403, 404, 422)})
def round_open(request: AuthedHttpRequest, payload: RoundIn) -> Status[RoundOut]:
    team = Team.objects.filter(pk__in=team_ids_of(request.user), slug=payload.team).first()
    if team is None:
        raise ApplicationError("No team of yours has that slug.", code="not_found", status=404)
    survey = services.round_open(
        actor=request.user,
        team=team,
        title=payload.title,
        closes_at=payload.closes_at,
        extra_questions=payload.extra_questions,
        allow_comments=payload.allow_comments,
        visibility=payload.visibility,
    )
    return Status(201, _round_out(request, survey, set()))


@router.get("/rounds/{round_id}", response={200: RoundOut, **errors(404, 422)})
def round_detail(request: AuthedHttpRequest, round_id: Id) -> RoundOut:
    survey = _round_or_404(request, round_id)
    return _round_out(request, survey, services.answered_rounds(request.user, [survey]))


class AnswerIn(BodyIn):
    answers: dict[str, int]
    comment: str = ""


class AnswerOut(Schema):
    answered: bool


@router.post("/rounds/{round_id}/answer", response={201: AnswerOut, **errors(404, 409, 422)})
def round_answer(request: AuthedHttpRequest, round_id: Id, payload: AnswerIn) -> Status[AnswerOut]:
    leave_out_of_access_log(request)  # the time of an answer is nobody's business (decision 0210)
    survey = _round_or_404(request, round_id)
    services.round_answer(
        actor=request.user, survey=survey, values=payload.answers, comment=payload.comment
    )
    return Status(201, AnswerOut(answered=True))


class RoundPatch(BodyIn):
    version: int
    closes_at: str | None = None
    closed: bool | None = None


@router.patch(
    "/rounds/{round_id}", response={200: RoundOut, **errors(403, 404, 409, 422, conflict=True)}
)
def round_update(request: AuthedHttpRequest, round_id: Id, payload: RoundPatch) -> RoundOut:
    """Move the closing time (``closes_at``) or close now (``closed: true``); a closed round
    never reopens (``closed: false`` on a closed round is refused)."""
    survey = _round_or_404(request, round_id)
    version = require_version(payload.version)
    if payload.closed is False and not survey.is_open:
        raise ApplicationError(
            "A closed round cannot be reopened.",
            fields={"closed": ["A closed round cannot be reopened: a late answer would show."]},
        )
    if payload.closes_at is not None:
        survey = services.round_extend(
            actor=request.user, survey=survey, closes_at=payload.closes_at, version=version
        )
        version = survey.version
    if payload.closed:
        services.round_close(actor=request.user, survey=survey, version=version)
    return _round_out(request, survey, services.answered_rounds(request.user, [survey]))


class ItemOut(Schema):
    key: str
    text: str
    reverse: bool
    mean_score: float
    counts: dict[str, int]


def _item_out(item: ItemResult) -> ItemOut:
    return ItemOut(
        key=item.key,
        text=item.text,
        reverse=item.reverse,
        mean_score=item.mean_score,
        counts={str(p): item.counts.get(p, 0) for p in range(1, 8)},
    )


class ResultOut(Schema):
    shown: bool
    reason: str
    answers: int | None
    overall_mean: float | None
    overall_counts: dict[str, int]
    items: list[ItemOut]
    extras: list[ItemOut]
    comments: list[str] | None
    comments_reason: str


@router.get("/rounds/{round_id}/results", response={200: ResultOut, **errors(404, 422)})
def round_results(request: AuthedHttpRequest, round_id: Id) -> ResultOut:
    result = selectors.round_result(_round_or_404(request, round_id))
    return ResultOut(
        shown=result.shown,
        reason=result.reason,
        answers=result.answers,
        overall_mean=result.overall_mean,
        overall_counts={str(p): n for p, n in sorted(result.overall_counts.items())},
        items=[_item_out(i) for i in result.items],
        extras=[_item_out(i) for i in result.extras],
        comments=result.comments,
        comments_reason=result.comments_reason,
    )


class PeriodOut(Schema):
    period: str
    rounds: int
    hidden_rounds: int
    answers: int
    overall_mean: float | None
    items: list[ItemOut]


@router.get("/organisation", response={200: list[PeriodOut], **errors(404)})
def organisation_results(request: AuthedHttpRequest) -> list[PeriodOut]:
    if not request.user.is_org_admin or request.user.organisation is None:
        raise Http404
    return [
        PeriodOut(
            period=r.period,
            rounds=r.rounds,
            hidden_rounds=r.hidden_rounds,
            answers=r.answers,
            overall_mean=r.overall_mean,
            items=[_item_out(i) for i in r.items],
        )
        for r in selectors.organisation_results(request.user.organisation)
    ]
