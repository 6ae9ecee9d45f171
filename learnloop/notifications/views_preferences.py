"""``/notifications/preferences/``: each person chooses, per kind, in the app and by email, in
the app only, or off (decision 0112). Only ever their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.core.errors import ApplicationError
from learnloop.notifications.delivery import preferences_for, preferences_update
from learnloop.notifications.models import Channel, Kind


@login_required
def preferences(request: AuthedHttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    chosen = preferences_for(request.user)
    if request.method == "POST":
        submitted = {kind: request.POST.get(kind, "") for kind in Kind.values}
        try:
            preferences_update(user=request.user, values=submitted)
        except ApplicationError as exc:
            errors = exc.fields
            chosen = {**chosen, **submitted}
        else:
            messages.success(request, "Notification preferences saved.")
            return redirect("notifications:preferences")
    rows = [
        {"kind": kind, "label": label, "channel": chosen[kind], "errors": errors.get(kind, [])}
        for kind, label in Kind.choices
    ]
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "channels": Channel.choices, "errors": errors},
        status=400 if errors else 200,
    )
