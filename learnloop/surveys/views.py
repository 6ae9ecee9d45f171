"""Thin web views over surveys.services and surveys.selectors. Another team's round is a 404;
answering writes no session, no message and no access-log line (decision 0210)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import can_manage_team, get_visible_or_404, team_ids_of
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.errors import ApplicationError
from learnloop.core.versioning import StaleVersion, require_version
from learnloop.surveys import selectors, services
from learnloop.surveys.models import SurveyRound
from learnloop.surveys.scale import AGREEMENT, EDMONDSON_ITEMS, POINTS


def _round_or_404(request: AuthedHttpRequest, pk: int) -> SurveyRound:
    return get_visible_or_404(
        SurveyRound.objects.select_related("team__organisation", "opened_by"),
        request.user,
        pk=pk,
    )


@login_required
def round_list(request: AuthedHttpRequest) -> HttpResponse:
    rounds = list(selectors.rounds_visible_to(request.user).order_by("-closes_at", "-id")[:50])
    answered = services.answered_rounds(request.user, rounds)
    mine = set(team_ids_of(request.user))
    my_teams = list(Team.objects.filter(pk__in=mine).select_related("organisation"))
    return render(
        request,
        "surveys/round_list.html",
        {
            "open_rounds": [r for r in rounds if r.is_open],
            "closed_rounds": [r for r in rounds if not r.is_open],
            "answered": answered,
            "mine": mine,
            "trends": selectors.team_trends(request.user, my_teams),
            "minimum": services.minimum_answers(request.user.organisation)
            if request.user.organisation
            else 5,
            "manageable": [t for t in my_teams if can_manage_team(request.user, t)],
        },
    )


def _form_context(request: AuthedHttpRequest, teams: list[Team], **extra: Any) -> dict[str, Any]:
    return {
        "teams": teams,
        "items": EDMONDSON_ITEMS,
        "default_closes": (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        **extra,
    }


@login_required
def round_open(request: AuthedHttpRequest) -> HttpResponse:
    teams = [
        t
        for t in Team.objects.filter(pk__in=team_ids_of(request.user)).select_related(
            "organisation"
        )
        if can_manage_team(request.user, t)
    ]
    if not teams:
        raise Http404
    if request.method != "POST":
        return render(request, "surveys/round_open.html", _form_context(request, teams))
    team = next((t for t in teams if t.slug == request.POST.get("team")), None)
    try:
        if team is None:
            raise ApplicationError(
                "The round was not opened.", fields={"team": ["Choose one of your teams."]}
            )
        survey = services.round_open(
            actor=request.user,
            team=team,
            title=request.POST.get("title", ""),
            closes_at=request.POST.get("closes_at"),
            extra_questions=request.POST.get("extra_questions", ""),
            allow_comments=request.POST.get("allow_comments") == "on",
            visibility=request.POST.get("visibility", "team"),
        )
    except ApplicationError as exc:
        context = _form_context(request, teams, error=exc, values=request.POST)
        return render(request, "surveys/round_open.html", context, status=400)
    return redirect("surveys:detail", pk=survey.pk)


def _detail(request: AuthedHttpRequest, survey: SurveyRound, **extra: Any) -> dict[str, Any]:
    manager = can_manage_team(request.user, survey.team)
    member = survey.team_id in team_ids_of(request.user)
    context: dict[str, Any] = {
        "survey": survey,
        "items": EDMONDSON_ITEMS,
        "points": [(p, AGREEMENT[p]) for p in POINTS],
        "member": member,
        "manager": manager,
        "answered": member and services.has_answered(request.user, survey),
        "minimum": services.minimum_answers(survey.team.organisation),
        **extra,
    }
    if survey.is_open and manager:
        context["answer_count"] = survey.comment_box.answers
    if not survey.is_open:
        context["result"] = selectors.round_result(survey)
    return context


@login_required
def round_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    survey = _round_or_404(request, pk)
    return render(request, "surveys/round_detail.html", _detail(request, survey))


@login_required
@require_POST
@not_in_access_log  # the time of an answer is nobody's business (decision 0210)
def round_answer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    survey = _round_or_404(request, pk)
    values = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "comment")}
    try:
        services.round_answer(
            actor=request.user,
            survey=survey,
            values=values,
            comment=request.POST.get("comment", ""),
        )
    except ApplicationError as exc:
        context = _detail(request, survey, error=exc, values=request.POST)
        return render(request, "surveys/round_detail.html", context, status=exc.status)
    # No redirect, no flash message: the session row is not touched by answering.
    return render(request, "surveys/round_detail.html", _detail(request, survey, thanked=True))


@login_required
@require_POST
def round_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    survey = _round_or_404(request, pk)
    try:
        services.round_close(
            actor=request.user, survey=survey, version=_version(request.POST.get("version"))
        )
    except StaleVersion as exc:
        return render(
            request, "surveys/round_detail.html", _detail(request, survey, error=exc), status=409
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        context = _detail(request, survey, error=exc)
        return render(request, "surveys/round_detail.html", context, status=exc.status)
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def round_extend(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    survey = _round_or_404(request, pk)
    try:
        services.round_extend(
            actor=request.user,
            survey=survey,
            closes_at=request.POST.get("closes_at"),
            version=_version(request.POST.get("version")),
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        survey.refresh_from_db()
        context = _detail(request, survey, error=exc)
        return render(request, "surveys/round_detail.html", context, status=exc.status)
    return redirect("surveys:detail", pk=survey.pk)


def _version(value: Any) -> int:
    return require_version(value)


@login_required
def organisation(request: AuthedHttpRequest) -> HttpResponse:
    if not request.user.is_org_admin or request.user.organisation is None:
        raise Http404
    org = request.user.organisation
    error = None
    if request.method == "POST":
        try:
            services.minimum_set(
                actor=request.user, organisation=org, value=request.POST.get("minimum_answers")
            )
            return redirect("surveys:organisation")
        except ApplicationError as exc:
            error = exc
    return render(
        request,
        "surveys/organisation.html",
        {
            "organisation": org,
            "results": selectors.organisation_results(org),
            "minimum": services.minimum_answers(org),
            "error": error,
        },
        status=400 if error else 200,
    )
