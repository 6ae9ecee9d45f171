"""Web views for review meetings, comments and exports: thin wrappers over the services in
``meeting.py``, ``comments.py`` and ``export.py``. Every lookup goes through the visibility rule,
so another team's private review is a 404 here as everywhere else.

The review page (``reviews/extras/_panel.html``) loads the panel with HTMX; without JavaScript
the same panel is a page of its own, and every form posts and redirects as usual.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.visibility import can_manage_team, get_visible_or_404, team_ids_of
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import apply_error
from learnloop.reviews import comments as comment_services
from learnloop.reviews import export, meeting
from learnloop.reviews.models import Review


class MeetingForm(forms.Form):
    """Raw fields only: the service validates, so web and API give the same messages."""

    meeting_at = forms.CharField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    duration_minutes = forms.CharField(
        label="Duration (minutes)",
        initial=meeting.DEFAULT_DURATION,
        widget=forms.NumberInput(
            attrs={"min": meeting.MIN_DURATION, "max": meeting.MAX_DURATION, "step": 5}
        ),
    )
    location = forms.CharField(
        label="Where",
        required=False,
        help_text="A room or a video-call link.",
        widget=forms.TextInput(attrs={"placeholder": "Room 2 or https://meet.example.org/…"}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown works. Describe conditions and decisions, not culprits.",
    )


def _review(request: AuthedHttpRequest, pk: int) -> Review:
    return get_visible_or_404(
        Review.objects.select_related("team__organisation", "incident"), request.user, pk=pk
    )


def _review_page(review: Review) -> str:
    try:
        return reverse("reviews:detail", args=[review.pk])
    except NoReverseMatch:
        return reverse("reviews:extras", args=[review.pk])


def _meeting_context(
    request: AuthedHttpRequest, review: Review, form: MeetingForm | None = None
) -> dict[str, Any]:
    if form is None:
        initial = {"duration_minutes": meeting.meeting_duration(review)}
        if review.meeting_at:
            initial["meeting_at"] = timezone.localtime(review.meeting_at).strftime("%Y-%m-%dT%H:%M")
            initial["location"] = review.meeting_location
        form = MeetingForm(initial=initial)
    return {
        "review": review,
        "meeting_form": form,
        "can_schedule": review.team_id in team_ids_of(request.user),
        "duration": meeting.meeting_duration(review),
        "invitations": meeting.meeting_invitations(review),
        "time_zone": timezone.get_current_timezone_name(),
    }


def _comments_context(
    request: AuthedHttpRequest, review: Review, form: CommentForm | None = None
) -> dict[str, Any]:
    qs = comment_services.comment_list(user=request.user, review=review)
    paginator = Paginator(qs, comment_services.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    manager = can_manage_team(request.user, review.team)
    for comment in page:
        comment.can_delete = manager or comment.author_id == request.user.pk
    return {"review": review, "comment_form": form or CommentForm(), "comments_page": page}


def _panel_context(request: AuthedHttpRequest, review: Review, **forms_: object) -> dict[str, Any]:
    return {
        **_meeting_context(request, review, forms_.get("meeting_form")),
        **_comments_context(request, review, forms_.get("comment_form")),
        "review_page": _review_page(review),
    }


@login_required
@require_GET
def panel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    context = _panel_context(request, review)
    if request.htmx:
        return render(request, "reviews/extras/_panel_body.html", context)
    return render(request, "reviews/extras/page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_schedule(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    if request.method == "GET":
        return redirect(reverse("reviews:extras", args=[pk]) + "#review-meeting")
    form = MeetingForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            meeting.review_meeting_schedule(
                actor=request.user,
                review=review,
                meeting_at=meeting.parse_meeting_at(form.cleaned_data["meeting_at"]),
                duration_minutes=form.cleaned_data["duration_minutes"],
                location=form.cleaned_data["location"],
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from None
            apply_error(form, exc)
            status = 400
        else:
            if not request.htmx:
                return redirect(_review_page(review) + "#review-meeting")
            review.refresh_from_db()
            form = None
    else:
        status = 400
    if request.htmx:
        return render(
            request, "reviews/extras/_meeting.html", _meeting_context(request, review, form)
        )
    context = _panel_context(request, review, meeting_form=form)
    return render(request, "reviews/extras/page.html", context, status=status)


@login_required
@require_GET
def meeting_ics(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    if review.meeting_at is None:
        raise Http404("No meeting scheduled")
    response = HttpResponse(
        meeting.meeting_ics(review), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{meeting.meeting_filename(review)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def comments(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = None
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment_services.comment_add(
                    actor=request.user, review=review, body=form.cleaned_data["body"]
                )
            except ApplicationError as exc:
                apply_error(form, exc)
                status = 400
            else:
                if not request.htmx:
                    return redirect(_review_page(review) + "#review-comments")
                form = None
        else:
            status = 400
    if request.htmx:
        return render(
            request, "reviews/extras/_comments.html", _comments_context(request, review, form)
        )
    context = _panel_context(request, review, comment_form=form)
    return render(request, "reviews/extras/page.html", context, status=status)


@login_required
@require_POST
def comment_delete(request: AuthedHttpRequest, pk: int, cid: int) -> HttpResponse:
    review = _review(request, pk)
    try:
        comment = comment_services.comment_get(user=request.user, review=review, comment_id=cid)
        comment_services.comment_delete(actor=request.user, comment=comment)
    except ApplicationError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        raise Http404 from None
    if request.htmx:
        return render(request, "reviews/extras/_comments.html", _comments_context(request, review))
    return redirect(_review_page(review) + "#review-comments")


@login_required
@require_GET
def export_markdown(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    response = HttpResponse(
        export.review_to_markdown(review), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.export_filename(review)}"'
    return response


@login_required
@require_GET
def print_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review, body = export.review_print_html(_review(request, pk))
    context = {
        "review": review,
        "body": body,
        "duration": meeting.meeting_duration(review),
        "review_page": _review_page(review),
        "url": meeting.review_url(review),
    }
    return render(request, "reviews/extras/print.html", context)
