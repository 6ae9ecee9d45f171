"""The calendar page (your subscribe URLs) and the feed itself, which needs no sign-in: the
secret in its URL is the credential (decisions/0190)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.visibility import team_ids_of
from learnloop.calendars import selectors, services
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.validation import id_or_none


@login_required
@require_GET
def calendar_page(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request, "calendars/calendar_page.html", {"rows": selectors.feed_rows(request.user)}
    )


def _team_id(request: AuthedHttpRequest) -> int | None:
    """The team of the form, or None for the personal feed; a team not yours is a 404."""
    raw = request.POST.get("team", "")
    if raw == "":
        return None
    team_id = id_or_none(raw)
    if team_id is None or team_id not in team_ids_of(request.user):
        raise Http404("No such team")
    return team_id


@login_required
@require_POST
def feed_regenerate(request: AuthedHttpRequest) -> HttpResponse:
    services.feed_regenerate(actor=request.user, team_id=_team_id(request))
    messages.success(request, "New subscribe URL made. Any earlier URL for it no longer works.")
    return redirect("calendars:page")


@login_required
@require_POST
def feed_revoke(request: AuthedHttpRequest) -> HttpResponse:
    services.feed_revoke(actor=request.user, team_id=_team_id(request))
    messages.success(request, "Subscribe URL turned off.")
    return redirect("calendars:page")


@not_in_access_log  # the secret is in the path
@require_GET
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    found = selectors.feed_by_secret(secret)
    if found is None:
        raise Http404("No such calendar")
    response = HttpResponse(
        selectors.feed_document(found), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="learnloop.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
