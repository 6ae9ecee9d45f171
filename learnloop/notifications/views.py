"""The notifications page. A person only ever sees and changes their own notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.notifications import selectors, services


@login_required
def notification_list(request: AuthedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    qs = selectors.notification_list(user=request.user, unread_only=unread_only)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(user=request.user),
        },
    )


@login_required
@require_POST
def notification_open(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Mark read, then go where the notification points (a local path only)."""
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404
    if request.POST.get("stay") or not url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect("notifications:list")
    return redirect(notification.url or "notifications:list")


@login_required
@require_POST
def notification_read_all(request: AuthedHttpRequest) -> HttpResponse:
    services.notification_mark_all_read(user=request.user)
    return redirect("notifications:list")
