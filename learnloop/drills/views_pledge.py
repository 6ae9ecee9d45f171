"""The pledge page: the current words, who signed them and when, every earlier version, and
for the organisation's or team's admins the form to change them and the button to sign."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.core.errors import ApplicationError
from learnloop.drills import pledge as pledges


def _team(request: AuthedHttpRequest) -> Team | None:
    slug = (request.GET.get("team") or request.POST.get("team") or "").strip()[:60]
    if not slug:
        return None
    team = Team.objects.filter(organisation_id=request.user.organisation_id or 0, slug=slug).first()
    if team is None:
        raise Http404
    return team


@login_required
def pledge_page(request: AuthedHttpRequest) -> HttpResponse:
    if request.user.organisation_id is None:
        raise Http404
    team = _team(request)
    pledge = pledges.pledge_for(organisation_id=request.user.organisation_id, team=team)
    can_write = pledges.can_write(request.user, team)
    error = None
    if request.method == "POST" and can_write:
        try:
            if request.POST.get("do") == "sign" and pledge is not None:
                pledges.pledge_sign(actor=request.user, pledge=pledge)
                messages.success(request, "Signed with your name and today's date.")
            else:
                pledges.pledge_write(
                    actor=request.user,
                    team=team,
                    text=request.POST.get("text", ""),
                    version=request.POST.get("version"),
                )
                messages.success(
                    request, "Pledge saved as a new version; earlier ones stay visible."
                )
        except ApplicationError as exc:
            error = exc.message + " " + " ".join(m for ms in exc.fields.values() for m in ms)
        else:
            url = reverse("drills:pledge")
            return redirect(f"{url}?team={team.slug}" if team else url)
    elif request.method == "POST":
        raise Http404
    versions = pledges.history(pledge) if pledge else []
    return render(
        request,
        "drills/pledge.html",
        {
            "team": team,
            "pledge": pledge,
            "versions": versions,
            "can_write": can_write,
            "example": pledges.EXAMPLE,
            "error": error,
            "signed": bool(
                versions
                and any(s.signer_id == request.user.pk for s in versions[0].signatures.all())
            ),
        },
        status=400 if error else 200,
    )
