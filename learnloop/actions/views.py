"""Thin web views over actions.services and actions.selectors.

Every object lookup goes through the visibility rule, so another team's private action is a
404. Writing needs membership of the action's team; a visible action of another team is
read-only (the service refuses, the view answers 404 rather than revealing more).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.visibility import (
    get_visible_or_404,
    member_teams,
    team_ids_of,
    teams_visible_to,
)
from learnloop.actions import selectors, services
from learnloop.actions.forms import ActionCreateForm, ActionEditForm, FilterForm
from learnloop.actions.models import Action
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.forms import apply_error, versioned_edit
from learnloop.core.pagination import CappedPaginator
from learnloop.core.validation import local_path_or_none
from learnloop.incidents.models import Incident
from learnloop.reviews.models import Review

PAGE_SIZE = 25


def _can_edit(request: AuthedHttpRequest, action: Action) -> bool:
    return action.team_id in team_ids_of(request.user)


def _action_or_404(request: AuthedHttpRequest, pk: int) -> Action:
    return get_visible_or_404(
        Action.objects.select_related("team", "owner", "incident", "review", "created_by"),
        request.user,
        pk=pk,
    )


def _page(request: AuthedHttpRequest, qs: QuerySet[Action]) -> Page[Action]:
    return CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: AuthedHttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def follow_through(request: AuthedHttpRequest) -> HttpResponse:
    """A team's follow-through: counts for the team, then its actions with filters."""
    teams = list(teams_visible_to(request.user).order_by("name"))
    team = None
    slug = request.GET.get("team")
    if slug:
        team = next((t for t in teams if t.slug == slug), None)
        if team is None:
            raise Http404
    elif teams:
        mine = set(team_ids_of(request.user))
        team = next((t for t in teams if t.pk in mine), teams[0])
    form = FilterForm(request.GET or None, team=team)
    stats = page = None
    if team is not None:
        stats = selectors.follow_through(user=request.user, team=team)
        filters = form.cleaned_data if form.is_valid() else {}
        status = filters.get("status") or "open"
        qs = selectors.action_list(
            user=request.user,
            team=team,
            status=None if status in ("all", "overdue") else status,
            overdue=True if status == "overdue" else None,
            kind=filters.get("kind") or None,
            owner=filters.get("owner") or None,
        )
        if status in ("done", "wont_do"):
            qs = qs.order_by("-done_at", "-updated_at", "-id")
        page = _page(request, qs)
    context = {
        "teams": teams,
        "team": team,
        "form": form,
        "stats": stats,
        "page": page,
        "today": selectors.today(),
        "query": _query_without_page(request),
        "can_create": bool(team_ids_of(request.user)),
    }
    return render(request, "actions/follow_through.html", context)


@login_required
def mine(request: AuthedHttpRequest) -> HttpResponse:
    page = _page(request, selectors.actions_for_person(user=request.user))
    return render(
        request,
        "actions/mine.html",
        {"page": page, "today": selectors.today(), "query": _query_without_page(request)},
    )


def _safe_next(request: AuthedHttpRequest, value: str | None) -> str | None:
    return local_path_or_none(value, request.get_host())


@login_required
def create(request: AuthedHttpRequest) -> HttpResponse:
    teams = member_teams(request.user)
    if not teams:
        raise Http404
    initial = {"next": request.GET.get("next", ""), "incident": request.GET.get("incident")}
    team_slug = request.GET.get("team")
    if team_slug:
        initial["team"] = next((t for t in teams if t.slug == team_slug), None)
    form = ActionCreateForm(request.POST or None, teams=teams, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = review = None
            if data.get("incident"):
                incident = get_visible_or_404(Incident, request.user, pk=data["incident"])
            if data.get("review"):
                review = get_visible_or_404(Review, request.user, pk=data["review"])
            action = services.action_create(
                actor=request.user,
                team=data["team"],
                title=data["title"],
                owner=data["owner"],
                due_date=data["due_date"],
                kind=data["kind"],
                external_url=data["external_url"],
                description=data["description"],
                visibility=data["visibility"] or None,
                incident=incident,
                review=review,
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Action “{action.title}” added.")
            return redirect(_safe_next(request, data.get("next")) or action.get_absolute_url())
    return render(request, "actions/action_form.html", {"form": form})


@login_required
def detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk)
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "can_edit": _can_edit(request, action),
            "today": selectors.today(),
            "statuses": Action.Status.choices,
        },
    )


def _edit_values(action: Action) -> dict[str, Any]:
    """The edit form's values for the action as saved (its initial data)."""
    values: dict[str, Any] = {name: getattr(action, name) for name in services.EDITABLE_FIELDS}
    values["version"] = action.version
    return values


@login_required
def edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk)
    if not _can_edit(request, action):
        raise Http404
    initial = _edit_values(action)
    form = ActionEditForm(request.POST or None, teams=[action.team], initial=initial)

    def save(data: dict[str, Any]) -> Action:
        return services.action_update(
            actor=request.user,
            action=action,
            version=data["version"],
            title=data["title"],
            status=data["status"],
            owner=data["owner"],
            due_date=data["due_date"],
            kind=data["kind"],
            external_url=data["external_url"],
            description=data["description"],
            visibility=data["visibility"] or action.visibility,
        )

    return versioned_edit(
        request,
        form,
        save=save,
        saved_values=lambda: _edit_values(_action_or_404(request, pk)),
        noun="action",
        keep_url=action.get_absolute_url(),
        saved_message="Action saved.",
        template="actions/action_edit.html",
        context={"action": action},
    )


@login_required
@require_POST
def set_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Quick status change. With HTMX it answers the status fragment; otherwise redirects."""
    action = _action_or_404(request, pk)
    if not _can_edit(request, action):
        raise Http404
    error = ""
    try:
        action = services.action_set_status(
            actor=request.user, action=action, status=request.POST.get("status", "")
        )
    except PermissionDenied:
        raise Http404 from None
    except ApplicationError as exc:
        error = exc.fields.get("status", [exc.message])[0]
    if getattr(request, "htmx", False):
        return render(
            request,
            "actions/_status.html",
            {
                "action": action,
                "can_edit": True,
                "error": error,
                "today": selectors.today(),
                "statuses": Action.Status.choices,
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Marked “{action.get_status_display().lower()}”.")
    return redirect(_safe_next(request, request.POST.get("next")) or action.get_absolute_url())
