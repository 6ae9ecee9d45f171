"""Thin web views over the experiments services and selectors. Another team's private card
is a 404 everywhere; writing needs membership of the card's team."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import member_teams, team_ids_of, teams_visible_to
from learnloop.applause.selectors import bars_for
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.forms import apply_error, conflict_view
from learnloop.core.pagination import CappedPaginator
from learnloop.core.validation import id_or_none
from learnloop.core.versioning import StaleVersion
from learnloop.experiments import approvals, learning, related, selectors, services
from learnloop.experiments.forms import (
    CardCreateForm,
    CardEditForm,
    DecideForm,
    LearningCardForm,
    MoveForm,
)
from learnloop.experiments.models import PHASE_ORDER, Experiment, Kind, Phase, State
from learnloop.lessons.models import Lesson
from learnloop.reviews.models import ReviewTemplate

PAGE_SIZE = 25
CARD_FIELDS = (
    "title",
    "hypothesis",
    "test",
    "metric",
    "success_criterion",
    "riskiest_assumption",
    "budget",
    "expected_saving",
    "time_box_days",
    "person_days",
    "owner",
    "phase",
    "visibility",
)


def _mine_or_404(request: AuthedHttpRequest, pk: int) -> Experiment:
    experiment = selectors.experiment_or_404(user=request.user, pk=pk)
    if experiment.team_id not in team_ids_of(request.user):
        raise Http404
    return experiment


def chosen_team(request: AuthedHttpRequest) -> tuple[list[Team], Team | None]:
    """The teams the person may look at and the one chosen (``?team=slug``; their own first)."""
    teams = list(teams_visible_to(request.user).order_by("name"))
    slug = request.GET.get("team")
    if slug:
        team = next((t for t in teams if t.slug == slug), None)
        if team is None:
            raise Http404
        return teams, team
    mine = set(team_ids_of(request.user))
    return teams, next((t for t in teams if t.pk in mine), teams[0] if teams else None)


@login_required
def experiment_list(request: AuthedHttpRequest) -> HttpResponse:
    teams, team = chosen_team(request)
    phase = request.GET.get("phase") if request.GET.get("phase") in Phase.values else None
    state = request.GET.get("state") if request.GET.get("state") in State.values else None
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else None
    page = None
    if team is not None:
        qs = selectors.with_cycles(
            selectors.experiments_filtered(
                user=request.user, team=team, phase=phase, state=state, kind=kind
            )
        )
        page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "experiments/list.html",
        {
            "teams": teams,
            "team": team,
            "page": page,
            "phase": phase,
            "state": state,
            "kind": kind,
            "phases": Phase.choices,
            "states": State.choices,
            "kinds": Kind.choices,
            "query": query.urlencode(),
            "can_create": bool(team_ids_of(request.user)),
        },
    )


def _currency(teams: list[Team]) -> str:
    return services.currency_of(teams[0]) if teams else services.DEFAULT_CURRENCY


@login_required
def create(request: AuthedHttpRequest) -> HttpResponse:
    teams = member_teams(request.user)
    if not teams:
        raise Http404
    initial: dict[str, Any] = {"kind": request.GET.get("kind") or Kind.EXPERIMENT}
    slug = request.GET.get("team")
    if slug:
        initial["team"] = next((t for t in teams if t.slug == slug), None)
    form = CardCreateForm(
        request.POST or None, teams=teams, currency=_currency(teams), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            experiment = services.experiment_create(
                actor=request.user,
                team=data["team"],
                kind=data["kind"],
                participants=data["participants"],
                applied_lessons=_chosen_lessons(request),
                **{name: data[name] for name in CARD_FIELDS},
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Card “{experiment.title}” saved as a draft.")
            return redirect(experiment.get_absolute_url())
    found = None
    if request.method == "POST":
        post = request.POST
        found = related.related_for(
            user=request.user,
            title=post.get("title", "")[:10000],
            text=related.card_text(
                hypothesis=post.get("hypothesis", "")[:10000],
                test=post.get("test", "")[:10000],
                riskiest_assumption=post.get("riskiest_assumption", "")[:10000],
            ),
        )
    return render(
        request,
        "experiments/form.html",
        {
            "form": form,
            "experiment": None,
            "related": found,
            "asked": True,
            "chosen": set(request.POST.getlist("applied")),
        },
    )


def _chosen_lessons(request: AuthedHttpRequest) -> list[Lesson]:
    """The lessons ticked "Applied here" while writing the card (only ones the person sees)."""
    ids = [i for i in (id_or_none(v) for v in request.POST.getlist("applied")[:50]) if i]
    return list(Lesson.objects.visible_to(request.user).filter(pk__in=ids))


def _edit_values(experiment: Experiment) -> dict[str, Any]:
    values = {name: getattr(experiment, name) for name in CARD_FIELDS}
    values["participants"] = list(experiment.participants.all())
    values["version"] = experiment.version
    return values


@login_required
def edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    experiment = _mine_or_404(request, pk)
    form = CardEditForm(
        request.POST or None,
        teams=[experiment.team],
        currency=experiment.currency,
        initial=_edit_values(experiment),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            experiment = services.experiment_update(
                actor=request.user,
                experiment=experiment,
                version=data["version"],
                participants=data["participants"],
                **{name: data[name] for name in CARD_FIELDS},
            )
        except StaleVersion as exc:
            current = _mine_or_404(request, pk)
            conflict = conflict_view(
                form,
                exc,
                saved=_edit_values(current),
                noun="card",
                keep_url=experiment.get_absolute_url(),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Card saved.")
            return redirect(experiment.get_absolute_url())
    return render(
        request,
        "experiments/form.html",
        {"form": form, "experiment": experiment, "conflict": conflict},
        status=409 if conflict else 200,
    )


def experiment_review_template() -> ReviewTemplate | None:
    """The shipped experiment review template, offered from the learning card."""
    return ReviewTemplate.objects.filter(slug="experiment-review", team__isnull=True).first()


def _cards_with_lessons(experiment: Experiment) -> list[tuple[Any, list[tuple[str, Any]]]]:
    """Each learning card with its learnings, and the library lesson each became (if any)."""
    lessons = {lesson.statement: lesson for lesson in experiment.lessons.all()}
    return [
        (card, [(text, lessons.get(text[:300])) for text in card.learnings])
        for card in selectors.learning_cards(experiment)
    ]


def _detail_context(request: AuthedHttpRequest, experiment: Experiment) -> dict[str, Any]:
    can_edit = experiment.team_id in team_ids_of(request.user)
    pending = approvals.pending_request(experiment)
    problem = approvals.approver_problem(request.user, pending) if pending and can_edit else None
    phase_index = PHASE_ORDER.index(Phase(experiment.phase))
    cards = _cards_with_lessons(experiment)
    return {
        "experiment": experiment,
        "can_edit": can_edit,
        "pending": pending,
        "can_decide": bool(pending and can_edit and problem is None),
        "decide_problem": problem,
        "history": selectors.history(experiment),
        "requests": selectors.approval_requests(experiment),
        "cards": cards,
        "card_bars": bars_for(
            user=request.user, kind="learning_card", ids=[card.pk for card, _ in cards]
        ),
        "chain": selectors.iterations(experiment, user=request.user),
        "next_phase": PHASE_ORDER[phase_index + 1].label
        if phase_index + 1 < len(PHASE_ORDER)
        else None,
        "decide_form": DecideForm(),
        "move_form": MoveForm(),
        "card_form": LearningCardForm(),
        "review_template": experiment_review_template(),
        "related": related.related_to_card(user=request.user, experiment=experiment),
    }


@login_required
def detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    experiment = selectors.experiment_or_404(user=request.user, pk=pk)
    return render(request, "experiments/detail.html", _detail_context(request, experiment))


def _step(request: AuthedHttpRequest, pk: int, run: Any, done: str) -> HttpResponse:
    """Run one state change; an error shows on the card page (400), success redirects."""
    experiment = _mine_or_404(request, pk)
    try:
        run(experiment)
    except PermissionDenied as exc:
        messages.error(request, exc.message)
        return redirect(experiment.get_absolute_url())
    except ApplicationError as exc:
        context = _detail_context(request, experiment)
        context["step_error"] = exc
        return render(request, "experiments/detail.html", context, status=400)
    messages.success(request, done)
    return redirect(experiment.get_absolute_url())


@login_required
@require_POST
def submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda e: approvals.experiment_submit(actor=request.user, experiment=e),
        "Submitted.",
    )


@login_required
@require_POST
def approve(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _step(
        request,
        pk,
        lambda e: approvals.experiment_approve(actor=request.user, experiment=e, note=note),
        "Approval recorded.",
    )


@login_required
@require_POST
def reject(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("note", "")
    return _step(
        request,
        pk,
        lambda e: approvals.experiment_reject(actor=request.user, experiment=e, reason=reason),
        "Rejected, with the reason recorded for the team.",
    )


@login_required
@require_POST
def start(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda e: approvals.experiment_start(actor=request.user, experiment=e),
        "Started: the time box runs from now.",
    )


@login_required
@require_POST
def move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    data = request.POST
    return _step(
        request,
        pk,
        lambda e: approvals.experiment_move_phase(
            actor=request.user,
            experiment=e,
            budget=data.get("budget"),
            person_days=data.get("person_days"),
        ),
        "Moved to the next phase.",
    )


@login_required
@require_POST
def learning_card(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    experiment = _mine_or_404(request, pk)
    form = LearningCardForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            card = learning.learning_card_create(
                actor=request.user,
                experiment=experiment,
                observed=data["observed"],
                learned=data["learned"],
                data=data["evidence"],
                decision=data["decision"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            if card.decision in ("stop", "pivot"):
                messages.success(request, "Stopped on data — that is a win. 🎉")
            else:
                messages.success(request, "Learning card saved.")
            return redirect(experiment.get_absolute_url())
    context = _detail_context(request, experiment)
    context["card_form"] = form
    return render(request, "experiments/detail.html", context, status=400)


@login_required
@require_POST
def make_lesson(request: AuthedHttpRequest, pk: int, learning_card_pk: int) -> HttpResponse:
    experiment = _mine_or_404(request, pk)
    card = experiment.learning_cards.filter(pk=learning_card_pk).first()
    if card is None:
        raise Http404
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        index = -1
    try:
        lesson = learning.lesson_from_learning(actor=request.user, card=card, index=index)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"In the library: “{lesson.statement}”.")
    return redirect(experiment.get_absolute_url())
