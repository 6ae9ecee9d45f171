"""Thin web views over transcripts.services and transcripts.selectors (decision 0211). A
meeting's analysis is a 404 for anybody who was not among its participants."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import member_teams
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import conflict_context
from learnloop.core.versioning import StaleVersion, require_version
from learnloop.retros.models import Retro
from learnloop.reviews.models import Review
from learnloop.transcripts import selectors, services
from learnloop.transcripts.models import Kind, Transcript
from learnloop.transcripts.reading import MAX_BYTES

CHOICES = 50  # reviews and retros offered to link to


@login_required
def transcript_list(request: AuthedHttpRequest) -> HttpResponse:
    teams = member_teams(request.user)
    mine = list(selectors.transcripts_visible_to(request.user).order_by("-held_on", "-id")[:100])
    return render(
        request,
        "transcripts/transcript_list.html",
        {
            "transcripts": mine,
            "trends": [(team, selectors.balance_trend(team)) for team in teams],
        },
    )


def _form_context(request: AuthedHttpRequest, team: Team, **extra: Any) -> dict[str, Any]:
    return {
        "teams": member_teams(request.user),
        "team": team,
        "kinds": [(k, label) for k, label in Kind.choices if k not in ("review", "retro")],
        "reviews": list(
            Review.objects.filter(team=team).only("pk", "title").order_by("-created_at")[:CHOICES]
        ),
        "retros": list(
            Retro.objects.filter(team=team).only("pk", "title").order_by("-created_at")[:CHOICES]
        ),
        "members": list(
            User.objects.filter(memberships__team=team, is_active=True).order_by(
                "display_name", "email"
            )
        ),
        "max_mb": MAX_BYTES // 1024 // 1024,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def transcript_new(request: AuthedHttpRequest) -> HttpResponse:
    teams = member_teams(request.user)
    if not teams:
        raise Http404
    slug = request.POST.get("team") or request.GET.get("team")
    team = next((t for t in teams if t.slug == slug), teams[0])
    if request.method != "POST":
        initial = {"review": request.GET.get("review", ""), "retro": request.GET.get("retro", "")}
        return render(
            request, "transcripts/transcript_new.html", _form_context(request, team, values=initial)
        )
    upload = request.FILES.get("file")
    try:
        transcript = services.transcript_analyse(
            actor=request.user,
            team=team,
            data=upload.read(MAX_BYTES + 1) if upload is not None else b"",
            title=request.POST.get("title", ""),
            kind=request.POST.get("kind", ""),
            review_id=request.POST.get("review") or None,
            retro_id=request.POST.get("retro") or None,
            held_on=request.POST.get("held_on") or None,
            participant_ids=request.POST.getlist("participants"),
            keep_text=request.POST.get("keep_text") == "on",
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        context = _form_context(
            request,
            team,
            error=exc,
            values=request.POST,
            chosen=request.POST.getlist("participants"),
        )
        return render(request, "transcripts/transcript_new.html", context, status=exc.status)
    return redirect("transcripts:detail", pk=transcript.pk)


def _detail_or_404(request: AuthedHttpRequest, pk: int) -> Transcript:
    transcript = selectors.transcript_detail(request.user, pk)
    if transcript is None:
        raise Http404("Not found")
    return transcript


def _detail_context(
    request: AuthedHttpRequest, transcript: Transcript, **extra: Any
) -> dict[str, Any]:
    return {
        "transcript": transcript,
        "speakers": list(transcript.speakers.all()),
        "participants": list(transcript.participants.order_by("display_name", "email")),
        "facilitator": transcript.facilitator_id == request.user.pk,
        "members": list(
            User.objects.filter(memberships__team=transcript.team_id, is_active=True).order_by(
                "display_name", "email"
            )
        )
        if transcript.facilitator_id == request.user.pk
        else [],
        **extra,
    }


@login_required
def transcript_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    transcript = _detail_or_404(request, pk)
    return render(
        request, "transcripts/transcript_detail.html", _detail_context(request, transcript)
    )


@login_required
@require_POST
def transcript_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    transcript = _detail_or_404(request, pk)
    try:
        services.transcript_update(
            actor=request.user,
            transcript=transcript,
            version=require_version(request.POST.get("version")),
            title=request.POST.get("title"),
            participant_ids=request.POST.getlist("participants")
            if "participants_sent" in request.POST
            else None,
            discard_text=request.POST.get("discard_text") == "on",
        )
    except StaleVersion as exc:
        fresh = _detail_or_404(request, pk)
        conflict = conflict_context(
            exc,
            rows=[("Title", fresh.title)],
            labels={"title": "Title"},
            noun="analysis",
            keep_url=fresh.get_absolute_url(),
        )
        context = _detail_context(request, fresh, conflict=conflict, values=request.POST)
        return render(request, "transcripts/transcript_detail.html", context, status=409)
    except ApplicationError as exc:
        context = _detail_context(request, transcript, error=exc, values=request.POST)
        return render(request, "transcripts/transcript_detail.html", context, status=exc.status)
    return redirect("transcripts:detail", pk=pk)


@login_required
@require_POST
def transcript_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    transcript = _detail_or_404(request, pk)
    try:
        services.transcript_delete(actor=request.user, transcript=transcript)
    except ApplicationError as exc:
        context = _detail_context(request, transcript, error=exc)
        return render(request, "transcripts/transcript_detail.html", context, status=exc.status)
    return redirect("transcripts:list")
