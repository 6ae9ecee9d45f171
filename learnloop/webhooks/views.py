"""Thin web views over webhooks.services and webhooks.selectors. An endpoint the person does
not manage is a 404. A new secret is shown once, in the response to the POST that made it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import apply_error, versioned_edit
from learnloop.webhooks import selectors, services
from learnloop.webhooks.forms import ORGANISATION, EndpointCreateForm, EndpointEditForm
from learnloop.webhooks.models import Endpoint


def _may_add(request: AuthedHttpRequest) -> tuple[list[Any], bool]:
    teams = services.admin_teams(request.user)
    return teams, bool(request.user.is_org_admin)


@login_required
def endpoint_list(request: AuthedHttpRequest) -> HttpResponse:
    teams, org_admin = _may_add(request)
    endpoints = list(selectors.endpoints_for(request.user))
    context = {"endpoints": endpoints, "can_add": bool(teams or org_admin)}
    return render(request, "webhooks/list.html", context)


def _secret_page(request: AuthedHttpRequest, endpoint: Endpoint, secret: str) -> HttpResponse:
    response = render(request, "webhooks/secret.html", {"endpoint": endpoint, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def endpoint_create(request: AuthedHttpRequest) -> HttpResponse:
    teams, org_admin = _may_add(request)
    if not teams and not org_admin:
        raise Http404
    form = EndpointCreateForm(request.POST or None, teams=teams, org_admin=org_admin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = next((t for t in teams if t.slug == data["scope"]), None)
        if team is None and data["scope"] != ORGANISATION:
            raise Http404
        try:
            endpoint, secret = services.endpoint_create(
                actor=request.user,
                team=team,
                url=data["url"],
                events=data["events"],
                description=data["description"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            return _secret_page(request, endpoint, secret)
    return render(request, "webhooks/form.html", {"form": form})


@login_required
def endpoint_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_or_404(request.user, pk)
    context = {"endpoint": endpoint, "deliveries": selectors.delivery_log(endpoint)}
    return render(request, "webhooks/detail.html", context)


def _edit_values(endpoint: Endpoint) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(endpoint, name) for name in services.EDITABLE_FIELDS}
    values["version"] = endpoint.version
    return values


@login_required
def endpoint_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_or_404(request.user, pk)
    form = EndpointEditForm(request.POST or None, initial=_edit_values(endpoint))

    def save(data: dict[str, Any]) -> Endpoint:
        return services.endpoint_update(
            actor=request.user,
            endpoint=endpoint,
            version=data["version"],
            url=data["url"],
            description=data["description"],
            events=list(data["events"]),
            is_active=data["is_active"],
        )

    def saved_values() -> dict[str, Any]:
        current = selectors.endpoint_or_404(request.user, pk)
        return {**_edit_values(current), "events": ", ".join(current.events)}

    return versioned_edit(
        request,
        form,
        save=save,
        saved_values=saved_values,
        noun="endpoint",
        keep_url=endpoint.get_absolute_url(),
        saved_message="Endpoint saved.",
        template="webhooks/edit.html",
        context={"endpoint": endpoint},
    )


@login_required
@require_POST
def endpoint_rotate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_or_404(request.user, pk)
    endpoint, secret = services.endpoint_rotate_secret(actor=request.user, endpoint=endpoint)
    return _secret_page(request, endpoint, secret)


@login_required
@require_POST
def endpoint_test(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_or_404(request.user, pk)
    services.endpoint_test(actor=request.user, endpoint=endpoint)
    messages.success(request, "A test message is queued; its outcome appears in the log below.")
    return redirect(endpoint.get_absolute_url())


@login_required
@require_POST
def endpoint_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_or_404(request.user, pk)
    services.endpoint_delete(actor=request.user, endpoint=endpoint)
    messages.success(request, f"Endpoint {endpoint.url} deleted.")
    return redirect("webhooks:list")
