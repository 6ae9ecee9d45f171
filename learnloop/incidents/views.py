"""Thin views over incidents.services / selectors. Object lookups go through the visibility
rule, so other teams' private incidents answer 404, never 403.

Nothing here logs anything about a request: an anonymous report must leave no trace that
names its reporter (docs/decisions/0010-anonymous-reports.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.visibility import teams_visible_to
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.forms import apply_error, conflict_view
from learnloop.core.pagination import CappedPaginator
from learnloop.core.validation import int_or_none
from learnloop.core.versioning import StaleVersion
from learnloop.incidents import charts, detail_page, metrics, page_parts, selectors, services
from learnloop.incidents.forms import IncidentForm, SeverityScaleForm
from learnloop.incidents.models import Incident, Kind

PAGE_SIZE = 25


@login_required
@never_cache
@not_in_access_log
def incident_new(request: AuthedHttpRequest) -> HttpResponse:
    """The report form. After an anonymous report the reporter lands on a neutral thank-you
    page without the report's id, and neither request is in the access log (decision 0010)."""
    teams = services.reporting_teams(request.user)
    form = IncidentForm(request.POST or None, teams=teams, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            if exc.status == 429:
                form.add_error(None, exc.message)
            else:
                apply_error(form, exc)
        else:
            if incident.is_anonymous:
                return redirect("incidents:thanks")
            messages.success(request, "Thank you for reporting.")
            return redirect("incidents:detail", pk=incident.pk)
    return render(request, "incidents/incident_form.html", {"form": form, "teams": teams})


@login_required
@not_in_access_log
def incident_thanks(request: AuthedHttpRequest) -> HttpResponse:
    """Where an anonymous reporter lands: no id, nothing that says which report or when."""
    return render(request, "incidents/thanks.html")


@login_required
def incident_list(request: AuthedHttpRequest) -> HttpResponse:
    g = request.GET
    status = g.get("status") if g.get("status") in selectors.STATUSES else None
    filters = {
        "team": g.get("team") or None,
        "kind": g.get("kind") if g.get("kind") in Kind.values else None,
        "severity": g.get("severity") or None,
        "tag": g.get("tag") or None,
        "status": status,
    }
    qs = selectors.incident_list(user=request.user, **filters)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(g.get("page"))
    labels = services.severity_labels(request.user.organisation)
    for incident in page.object_list:
        incident.severity_label = labels.get(incident.severity, incident.severity)
    query = g.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "teams": teams_visible_to(request.user),
        "kinds": Kind.choices,
        "severities": services.severity_scale(request.user.organisation),
    }
    return render(request, "incidents/incident_list.html", context)


@login_required
def incident_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Rendered in Python, not by the template engine (decision 0238): an anonymous report's
    page is never kept, so every view pays for its render."""
    incident = selectors.incident_get(user=request.user, pk=pk, with_tags=False)
    return detail_page.detail_response(
        request,
        incident,
        tags=selectors.tag_names(incident),
        can_edit=services.can_edit_incident(request.user, incident),
        severity_label=services.severity_labels(incident.team.organisation).get(
            incident.severity, incident.severity
        ),
        related_panel=page_parts.related_panel(request, incident),
    )


def _edit_values(incident: Incident) -> dict[str, Any]:
    """The edit form's values for the incident as saved (its initial data)."""
    values = {name: getattr(incident, name) for name in services.EDITABLE_FIELDS}
    values["tags"] = ", ".join(t.name for t in incident.tags.all())
    values["version"] = incident.version
    return values


@login_required
def incident_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, pk=pk)
    if not services.can_edit_incident(request.user, incident):
        raise Http404
    form = IncidentForm(
        request.POST or None,
        initial=_edit_values(incident),
        teams=[],
        organisation=incident.team.organisation,
        editing=True,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_update(actor=request.user, incident=incident, **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except StaleVersion as exc:
            current = selectors.incident_get(user=request.user, pk=pk)
            conflict = conflict_view(
                form,
                exc,
                saved=_edit_values(current),
                noun="report",
                keep_url=reverse("incidents:detail", args=[pk]),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "incidents/incident_form.html",
        {"form": form, "incident": incident, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
def severity_settings(request: AuthedHttpRequest) -> HttpResponse:
    if not request.user.is_org_admin or request.user.organisation is None:
        raise Http404
    org = request.user.organisation
    form = SeverityScaleForm(
        request.POST or None,
        initial={"scale": SeverityScaleForm.initial_text(services.severity_scale(org))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_set_severity_scale(
                actor=request.user, organisation=org, scale=form.parsed()
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Severity scale saved.")
            return redirect("incidents:settings")
    return render(request, "incidents/settings.html", {"form": form})


@login_required
def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    teams = list(teams_visible_to(request.user))
    slug = request.GET.get("team", "")
    selected = next((t for t in teams if t.slug == slug), None)
    if slug and selected is None:
        raise Http404
    chosen = [selected] if selected else teams
    months = int_or_none(request.GET.get("months"), minimum=0)
    if months not in metrics.WINDOWS:
        months = metrics.DEFAULT_WINDOW
    data = metrics.cached_dashboard_metrics(user=request.user, teams=chosen, months=months)
    labels = services.severity_labels(request.user.organisation)
    context = {
        "teams": teams,
        "selected": selected,
        "months": months,
        "windows": [(m, f"Last {m} months" if m else "All time") for m in metrics.WINDOWS],
        "cache_minutes": metrics.CACHE_SECONDS // 60,
        "data": data,
        "charts": charts.dashboard_charts(data, labels),
    }
    return render(request, "incidents/dashboard.html", context)
