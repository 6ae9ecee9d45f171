"""Formats on the web: the shipped ones and the team's copies; copy one, edit a copy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import team_ids_of
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import apply_error, conflict_view
from learnloop.core.versioning import StaleVersion
from learnloop.retros import selectors, services
from learnloop.retros.forms import FormatForm, columns_as_text
from learnloop.retros.models import RetroFormat


def format_for(request: AuthedHttpRequest, pk: int) -> RetroFormat:
    fmt = selectors.formats_for(team_ids=team_ids_of(request.user)).filter(pk=pk).first()
    if fmt is None:
        raise Http404
    return fmt


@login_required
def format_list(request: AuthedHttpRequest) -> HttpResponse:
    teams = list(Team.objects.filter(pk__in=team_ids_of(request.user)).order_by("name"))
    formats = list(selectors.formats_for(team_ids=[t.pk for t in teams]).select_related("team"))
    return render(request, "retros/format_list.html", {"formats": formats, "teams": teams})


@login_required
@require_POST
def format_copy(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    source = format_for(request, pk)
    team = Team.objects.filter(
        pk__in=team_ids_of(request.user), slug=request.POST.get("team", "")
    ).first()
    if team is None:
        raise Http404
    copy = services.format_copy(actor=request.user, team=team, source=source)
    messages.success(request, f"Copied “{source.name}” for {team.name}; edit it below.")
    return redirect(reverse("retros:format-edit", args=[copy.pk]))


@login_required
def format_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    fmt = format_for(request, pk)
    if fmt.team_id is None:
        raise Http404  # shipped formats are copied, not edited
    initial = {
        "name": fmt.name,
        "description": fmt.description,
        "columns": columns_as_text(fmt.columns),
        "version": fmt.version,
    }
    form = FormatForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.format_update(
                actor=request.user,
                fmt=fmt,
                version=form.cleaned_data["version"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                columns=form.parsed_columns(),
            )
        except StaleVersion as exc:
            current = RetroFormat.objects.get(pk=fmt.pk)
            saved = {
                "name": current.name,
                "description": current.description,
                "columns": columns_as_text(current.columns),
            }
            keep = reverse("retros:format-edit", args=[fmt.pk])
            conflict = conflict_view(form, exc, saved=saved, noun="format", keep_url=keep)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Format saved.")
            return redirect("retros:formats")
    return render(
        request,
        "retros/format_edit.html",
        {"form": form, "format": fmt, "conflict": conflict},
        status=409 if conflict else 200,
    )
