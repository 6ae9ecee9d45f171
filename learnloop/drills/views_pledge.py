"""The pledge page: the current words, who signed them and when, every earlier version, and
for the organisation's or team's admins the form to change them (``core.forms.versioned_edit``:
a stale save shows the latest words beside the writer's, which stay in the form) and the button
to sign."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import versioned_edit
from learnloop.drills import pledge as pledges
from learnloop.drills.forms import PledgeForm
from learnloop.drills.models import Pledge


def _team(request: AuthedHttpRequest) -> Team | None:
    slug = (request.GET.get("team") or request.POST.get("team") or "").strip()[:60]
    if not slug:
        return None
    team = Team.objects.filter(organisation_id=request.user.organisation_id or 0, slug=slug).first()
    if team is None:
        raise Http404
    return team


def _page_url(team: Team | None) -> str:
    return Pledge(team=team).get_absolute_url()


@login_required
def pledge_page(request: AuthedHttpRequest) -> HttpResponse:
    if request.user.organisation_id is None:
        raise Http404
    team = _team(request)
    organisation_id = request.user.organisation_id
    pledge = pledges.pledge_for(organisation_id=organisation_id, team=team)
    can_write = pledges.can_write(request.user, team)
    if request.method == "POST" and not can_write:
        raise Http404
    versions = pledges.history(pledge) if pledge else []
    context: dict[str, Any] = {
        "team": team,
        "pledge": pledge,
        "versions": versions,
        "can_write": can_write,
        "signed": bool(
            versions and any(s.signer_id == request.user.pk for s in versions[0].signatures.all())
        ),
    }
    if request.method == "POST" and request.POST.get("do") == "sign":
        error = None
        try:
            if pledge is None:
                raise ApplicationError("There is no pledge to sign yet.")
            pledges.pledge_sign(actor=request.user, pledge=pledge)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, "Signed with your name and today's date.")
            return redirect(_page_url(team))
        form = PledgeForm(initial=_saved(pledge))
        return render(
            request, "drills/pledge.html", {**context, "form": form, "error": error}, status=400
        )
    form = PledgeForm(request.POST or None, initial=_saved(pledge))

    def saved_now() -> dict[str, Any]:
        return _saved(pledges.pledge_for(organisation_id=organisation_id, team=team))

    return versioned_edit(
        request,
        form,
        save=lambda data: pledges.pledge_write(
            actor=request.user, team=team, text=data["text"], version=data["version"]
        ),
        saved_values=saved_now,
        noun="pledge",
        keep_url=_page_url(team),
        saved_message="Pledge saved as a new version; earlier ones stay visible.",
        template="drills/pledge.html",
        context=context,
    )


def _saved(pledge: Pledge | None) -> dict[str, Any]:
    """The words as saved now (the form's starting point), or the example for a first pledge."""
    current = pledge.versions.order_by("-number").first() if pledge else None
    if pledge is None or current is None:
        return {"text": pledges.EXAMPLE, "version": None}
    return {"text": current.text, "version": pledge.version}
