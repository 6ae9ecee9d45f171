"""``/notifications/preferences/``: each person chooses, per kind, in the app and by email, in
the app only, or off (decision 0112). Only ever their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.errors import ApplicationError
from learnloop.notifications.delivery import preferences_for, preferences_update
from learnloop.notifications.models import Kind, channels_for_kind
from learnloop.notifications.unsubscribe import read_token, stop_emails


@login_required
def preferences(request: AuthedHttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    chosen = preferences_for(request.user)
    if request.method == "POST":
        # Kinds the form did not send keep their channel (a page from before a kind existed).
        submitted = {kind: request.POST[kind] for kind in Kind.values if kind in request.POST}
        try:
            preferences_update(user=request.user, values=submitted)
        except ApplicationError as exc:
            errors = exc.fields
            chosen = {**chosen, **submitted}
        else:
            messages.success(request, "Notification preferences saved.")
            return redirect("notifications:preferences")
    rows = [
        {
            "kind": kind,
            "label": label,
            "channel": chosen[kind],
            "channels": channels_for_kind(kind),
            "errors": errors.get(kind, []),
        }
        for kind, label in Kind.choices
    ]
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "errors": errors},
        status=400 if errors else 200,
    )


@not_in_access_log  # the token is in the path
@csrf_exempt  # RFC 8058: the mail client POSTs without a session; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners fetch URLs); POST, from the page or a mail client, unsubscribes."""
    found = read_token(token)
    if found is None:
        raise Http404("This unsubscribe link is not valid.")
    person, kind = found
    context = {"kind_label": Kind(kind).label, "done": False, "person": person}
    if request.method == "POST":
        context.update(done=True, channel=stop_emails(person, kind))
    response = render(request, "notifications/unsubscribe.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response
