"""Thin web views over debriefs.services and debriefs.selectors.

Every lookup goes through the visibility rule: another team's private deliverable or entry is a
404. Writing needs membership of the deliverable's team (the services refuse the rest).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import get_visible_or_404, member_teams, team_ids_of
from learnloop.applause.selectors import bars_for
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.forms import apply_error, versioned_edit
from learnloop.core.pagination import CappedPaginator
from learnloop.debriefs import closing, selectors, services, suggestions
from learnloop.debriefs.forms import (
    DeliverableCreateForm,
    DeliverableEditForm,
    EntryEditForm,
    EntryForm,
)
from learnloop.debriefs.models import DebriefEntry, Deliverable
from learnloop.lessons.models import Lesson, TargetKind
from learnloop.lessons.services import lesson_apply

PAGE_SIZE = 25


def _deliverable_or_404(request: AuthedHttpRequest, pk: int) -> Deliverable:
    return get_visible_or_404(selectors.deliverable_detail_qs(), request.user, pk=pk)


def _entry_or_404(request: AuthedHttpRequest, pk: int) -> DebriefEntry:
    return get_visible_or_404(
        DebriefEntry.objects.select_related("deliverable", "team", "author"), request.user, pk=pk
    )


@login_required
def deliverable_list(request: AuthedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "active")
    teams = list(
        Team.objects.filter(organisation_id=request.user.organisation_id or 0).order_by("name")
    )
    team = next((t for t in teams if t.slug == request.GET.get("team")), None)
    qs = selectors.deliverable_list(
        user=request.user,
        team=team,
        status=status if status != "all" else None,
        mine=request.GET.get("mine") == "1",
    )
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "debriefs/list.html",
        {
            "page": page,
            "status": status,
            "team": team,
            "teams": teams,
            "mine": request.GET.get("mine") == "1",
            "query": params.urlencode(),
            "can_create": bool(team_ids_of(request.user)),
        },
    )


def _deliverable_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "description": data["description"],
        "collaborators": list(data["collaborators"]),
        "start_date": data["start_date"],
        "target_date": data["target_date"],
        "external_url": data["external_url"],
        "visibility": data["visibility"],
    }


@login_required
def deliverable_create(request: AuthedHttpRequest) -> HttpResponse:
    teams = member_teams(request.user)
    if not teams:
        raise Http404
    initial: dict[str, Any] = {}
    if request.GET.get("team"):
        initial["team"] = next((t for t in teams if t.slug == request.GET["team"]), None)
    form = DeliverableCreateForm(request.POST or None, teams=teams, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deliverable = services.deliverable_create(
                actor=request.user,
                team=data["team"],
                owner=data["owner"],
                **_deliverable_kwargs(data),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Deliverable created. Before you start: see what we learned.")
            return redirect(deliverable.get_absolute_url())
    return render(request, "debriefs/form.html", {"form": form})


@login_required
def deliverable_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    deliverable = _deliverable_or_404(request, pk)
    return render(request, "debriefs/detail.html", detail_context(request, deliverable))


def detail_context(
    request: AuthedHttpRequest, deliverable: Deliverable, *, entry_form: EntryForm | None = None
) -> dict[str, Any]:
    user = request.user
    contributor = deliverable.is_active and is_person_on(request, deliverable)
    people = list(deliverable.collaborators.all())
    if deliverable.owner is not None and deliverable.owner not in people:
        people.append(deliverable.owner)
    entries = list(selectors.entries_of(deliverable=deliverable))
    groups = suggestions.before_you_start(user=user, deliverable=deliverable, people=people)
    return {
        "deliverable": deliverable,
        "entries": entries,
        "bars": bars_for(user=user, kind="entry", ids=[e.pk for e in entries]),
        "suggestion_groups": [
            ("Written by people on it", groups.people),
            ("This team", groups.team),
            ("Other teams", groups.others),
        ],
        "no_suggestions": groups.empty,
        "collaborators": sorted(people, key=lambda u: u.name.lower()),
        "can_edit": deliverable.team_id in team_ids_of(user),
        "can_steer": services.can_steer(user, deliverable),
        "can_write": contributor,
        "entry_form": entry_form or (EntryForm(initial={"kind": "win"}) if contributor else None),
    }


def is_person_on(request: AuthedHttpRequest, deliverable: Deliverable) -> bool:
    """Owner or collaborator (collaborators are prefetched on the detail page)."""
    if deliverable.team_id not in team_ids_of(request.user):
        return False
    uid = request.user.pk
    return uid == deliverable.owner_id or any(u.pk == uid for u in deliverable.collaborators.all())


def _edit_values(deliverable: Deliverable) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(deliverable, name) for name in services.DELIVERABLE_FIELDS
    }
    values["collaborators"] = list(deliverable.collaborators.all())
    values["version"] = deliverable.version
    return values


@login_required
def deliverable_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    deliverable = _deliverable_or_404(request, pk)
    if deliverable.team_id not in team_ids_of(request.user):
        raise Http404
    form = DeliverableEditForm(
        request.POST or None, teams=[deliverable.team], initial=_edit_values(deliverable)
    )

    def save(data: dict[str, Any]) -> Deliverable:
        return services.deliverable_update(
            actor=request.user,
            deliverable=deliverable,
            version=data["version"],
            owner=data["owner"],
            **_deliverable_kwargs(data),
        )

    return versioned_edit(
        request,
        form,
        save=save,
        saved_values=lambda: _edit_values(_deliverable_or_404(request, pk)),
        noun="deliverable",
        keep_url=deliverable.get_absolute_url(),
        saved_message="Deliverable saved.",
        template="debriefs/edit.html",
        context={"deliverable": deliverable},
    )


@login_required
@require_POST
def deliverable_reopen(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    deliverable = _deliverable_or_404(request, pk)
    try:
        services.deliverable_set_status(
            actor=request.user, deliverable=deliverable, status=Deliverable.Status.ACTIVE
        )
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, "Reopened: the debrief log is open again.")
    return redirect(deliverable.get_absolute_url())


@login_required
@require_POST
def entry_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    deliverable = _deliverable_or_404(request, pk)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            entry = services.entry_create(
                actor=request.user,
                deliverable=deliverable,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                link=form.cleaned_data["link"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{entry.get_kind_display()} added to the log.")
            return redirect(entry.get_absolute_url())
    context = detail_context(request, deliverable, entry_form=form)
    return render(request, "debriefs/detail.html", context, status=400)


@login_required
def entry_detail(request: AuthedHttpRequest, entry_id: int) -> HttpResponse:
    """An entry's own address (search results link here): its place in the log."""
    return redirect(_entry_or_404(request, entry_id).get_absolute_url())


def _entry_values(entry: DebriefEntry) -> dict[str, Any]:
    return {"kind": entry.kind, "text": entry.text, "link": entry.link, "version": entry.version}


@login_required
def entry_edit(request: AuthedHttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_or_404(request, entry_id)
    if entry.author_id != request.user.pk:
        raise Http404
    form = EntryEditForm(request.POST or None, initial=_entry_values(entry))

    def save(data: dict[str, Any]) -> DebriefEntry:
        return services.entry_update(
            actor=request.user,
            entry=entry,
            version=data["version"],
            kind=data["kind"],
            text=data["text"],
            link=data["link"],
        )

    return versioned_edit(
        request,
        form,
        save=save,
        saved_values=lambda: _entry_values(_entry_or_404(request, entry_id)),
        noun="entry",
        keep_url=entry.get_absolute_url(),
        saved_message="Entry saved.",
        template="debriefs/entry_edit.html",
        context={"entry": entry},
    )


@login_required
@require_POST
def entry_delete(request: AuthedHttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_or_404(request, entry_id)
    try:
        services.entry_delete(actor=request.user, entry=entry)
    except PermissionDenied:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, exc.fields.get("deliverable", [exc.message])[0])
    else:
        messages.success(request, "Entry removed.")
    return redirect(entry.deliverable.get_absolute_url())


@login_required
def deliverable_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Closing asks which lessons learned (and opportunities) become library lessons."""
    deliverable = _deliverable_or_404(request, pk)
    if not services.can_steer(request.user, deliverable):
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            _, lessons = closing.deliverable_close(
                actor=request.user,
                deliverable=deliverable,
                promote=request.POST.getlist("promote"),
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            done = f" {len(lessons)} lesson{'s'[: len(lessons) != 1]} added to the library."
            messages.success(request, "Deliverable closed." + (done if lessons else ""))
            return redirect(deliverable.get_absolute_url())
    return render(
        request,
        "debriefs/close.html",
        {
            "deliverable": deliverable,
            "error": error,
            "entries": closing.promotable_entries(deliverable),
            "chosen": {str(v) for v in request.POST.getlist("promote")},
        },
        status=400 if error else 200,
    )


@login_required
def deliverable_summary(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The closing summary as a Markdown file."""
    deliverable = _deliverable_or_404(request, pk)
    entries = list(selectors.entries_of(deliverable=deliverable).select_related("lesson"))
    text = closing.summary_markdown(deliverable, entries)
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deliverable-{deliverable.pk}.md"'
    return response


@login_required
@require_POST
def lesson_applied(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """ "Applied here": a suggested lesson was reused on this deliverable (counts reuse)."""
    deliverable = _deliverable_or_404(request, pk)
    if deliverable.team_id not in team_ids_of(request.user):
        raise Http404
    lesson = get_visible_or_404(Lesson, request.user, pk=request.POST.get("lesson"))
    error = ""
    try:
        lesson_apply(
            actor=request.user,
            lesson=lesson,
            target_kind=TargetKind.DELIVERABLE,
            target=deliverable,
        )
    except ApplicationError as exc:
        error = exc.message
    if request.htmx:
        context = detail_context(request, deliverable)
        context["apply_error"] = error
        return render(
            request, "debriefs/_before_you_start.html", context, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Recorded: this lesson was applied here.")
    return redirect(deliverable.get_absolute_url() + "#before-you-start")
