"""The toggle: one press adds or withdraws one's own reaction; HTMX swaps the bar in place."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.applause import registry, selectors, services
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.validation import local_path_or_none


@login_required
@require_POST
def toggle(request: AuthedHttpRequest, kind: str, object_id: int, emoji: str) -> HttpResponse:
    error = ""
    try:
        item = services.item_get(actor=request.user, kind=kind, object_id=object_id)
        services.reaction_toggle(actor=request.user, kind=kind, object_id=item.pk, emoji=emoji)
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        error = exc.message
    if request.htmx:
        bar = selectors.bars_for(user=request.user, kind=kind, ids=[item.pk])[item.pk]
        reactable = registry.KINDS[kind]
        return render(
            request,
            "applause/_bar.html",
            {
                "kind": kind,
                "object_id": item.pk,
                "bar": bar,
                "label": reactable.label,
                "error": error,
                "next": _next(request),
            },
            status=400 if error else 200,
        )
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    return redirect(_next(request) or "/")


def _next(request: AuthedHttpRequest) -> str:
    return local_path_or_none(request.POST.get("next"), request.get_host()) or ""
