"""Thin web views over lessons.services and lessons.selectors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.visibility import can_see, get_visible_or_404, member_teams, team_ids_of
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import apply_error, conflict_view
from learnloop.core.validation import parse_page
from learnloop.core.versioning import StaleVersion
from learnloop.lessons import selectors, services
from learnloop.lessons.forms import LessonForm
from learnloop.lessons.models import Lesson
from learnloop.reviews.models import Review, Status

PAGE_SIZE = 25


def _member(request: AuthedHttpRequest, lesson: Lesson) -> bool:
    return lesson.team_id in team_ids_of(request.user)


def incident_url(incident_id: int) -> str | None:
    """Link to an incident page once the incidents app has one."""
    try:
        return reverse("incidents:detail", args=[incident_id])
    except NoReverseMatch:
        return None


@login_required
def library(request: AuthedHttpRequest) -> HttpResponse:
    filters = selectors.LessonFilters.from_params(request.GET)
    number = parse_page(request.GET.get("page"))
    qs = selectors.lesson_list(user=request.user, filters=filters)
    page = selectors.lesson_page(qs, page=number, page_size=PAGE_SIZE)
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "page": page,
        "filters": filters,
        "choices": selectors.library_choices(request.user),
        "query": urlencode(params),
        "can_create": bool(team_ids_of(request.user)),
    }
    template = "lessons/library.html"
    if request.htmx and request.htmx.target == "lesson-results":
        template = "lessons/_results.html"
    return render(request, template, context)


@login_required
def lesson_create(request: AuthedHttpRequest) -> HttpResponse:
    teams = member_teams(request.user)
    if not teams:
        messages.error(request, "Join a team to write lessons.")
        return redirect("lessons:library")
    form = LessonForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = next(t for t in teams if str(t.pk) == data.pop("team"))
        try:
            lesson = services.lesson_create(actor=request.user, team=team, **data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Lesson added to the library.")
            return redirect("lessons:detail", pk=lesson.pk)
    return render(request, "lessons/form.html", {"form": form, "lesson": None})


def _detail_context(request: AuthedHttpRequest, lesson: Lesson) -> dict[str, Any]:
    applications = selectors.applications_visible(user=request.user, lesson=lesson)
    for application in applications:
        application.url = incident_url(application.incident_id) if application.incident_id else None
    return {
        "lesson": lesson,
        "member": _member(request, lesson),
        "applications": applications,
        "incidents": selectors.incidents_to_apply(user=request.user, lesson=lesson),
        "source_review_visible": bool(
            lesson.source_review_id
            and lesson.source_review.team_id is not None
            and _can_see_review(request, lesson)
        ),
    }


def _can_see_review(request: AuthedHttpRequest, lesson: Lesson) -> bool:
    review = lesson.source_review
    return review is not None and can_see(request.user, review)


@login_required
def lesson_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get(user=request.user, pk=pk)
    return render(request, "lessons/detail.html", _detail_context(request, lesson))


@login_required
@require_POST
def lesson_apply(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get(user=request.user, pk=pk)
    error = None
    try:
        _, created = services.lesson_apply(
            actor=request.user,
            lesson=lesson,
            target_id=request.POST.get("incident") or None,
            note=request.POST.get("note", ""),
        )
    except ApplicationError as exc:
        error = exc.message
    context = _detail_context(request, lesson)
    context["apply_error"] = error
    if request.htmx:
        return render(request, "lessons/_applied.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    elif created:
        messages.success(request, "Recorded: this lesson was applied here.")
    else:
        messages.info(request, "Already recorded for that incident.")
    return redirect("lessons:detail", pk=lesson.pk)


def _edit_values(lesson: Lesson) -> dict[str, Any]:
    """The edit form's values for the lesson as saved (its initial data)."""
    values: dict[str, Any] = {name: getattr(lesson, name) for name in services.UPDATABLE_COLUMNS}
    values["tags"] = ", ".join(t.name for t in lesson.tags.all())
    values["version"] = lesson.version
    return values


@login_required
def lesson_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get(user=request.user, pk=pk)
    if not _member(request, lesson):
        raise Http404
    form = LessonForm(request.POST or None, initial=_edit_values(lesson), editing=True)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_update(actor=request.user, lesson=lesson, **form.cleaned_data)
        except StaleVersion as exc:
            conflict = conflict_view(
                form,
                exc,
                saved=_edit_values(selectors.lesson_get(user=request.user, pk=pk)),
                noun="lesson",
                keep_url=reverse("lessons:detail", args=[pk]),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Lesson saved.")
            return redirect("lessons:detail", pk=lesson.pk)
    return render(
        request,
        "lessons/form.html",
        {"form": form, "lesson": lesson, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
def lesson_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get(user=request.user, pk=pk)
    if not _member(request, lesson):
        raise Http404
    if request.method == "POST":
        services.lesson_delete(actor=request.user, lesson=lesson)
        messages.success(request, "Lesson deleted.")
        return redirect("lessons:library")
    return render(request, "lessons/confirm_delete.html", {"lesson": lesson})


@login_required
def from_review(request: AuthedHttpRequest, review_id: int) -> HttpResponse:
    """Choose which learnings of a published review become lessons."""
    review = get_visible_or_404(
        Review.objects.select_related("team", "incident"), request.user, pk=review_id
    )
    if review.team_id not in team_ids_of(request.user):
        raise Http404
    learnings = list(review.learnings.select_related("lesson").order_by("position", "id"))
    error = None
    if request.method == "POST":
        try:
            created = services.lessons_from_review(
                actor=request.user, review=review, learning_ids=request.POST.getlist("learning")
            )
        except ApplicationError as exc:
            error = next(iter(exc.fields.values()), [exc.message])[0] if exc.fields else exc.message
            error = exc.message if not exc.fields else f"{exc.message} {error}"
        else:
            messages.success(
                request,
                f"{len(created)} lesson{'s' if len(created) != 1 else ''} added to the library.",
            )
            return redirect(f"{reverse('lessons:library')}?source=review:{review.pk}")
    return render(
        request,
        "lessons/from_review.html",
        {
            "review": review,
            "learnings": learnings,
            "published": review.status == Status.PUBLISHED,
            "error": error,
        },
        status=400 if error else 200,
    )
