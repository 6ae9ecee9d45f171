"""The innovation immune-system check page, and asking the anonymous pulse (a survey round
with the pulse as its extra question: surveys keeps only counters, decision 0210)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import can_manage_team, team_ids_of, teams_visible_to
from learnloop.core import shared_memory as shared
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.experiments import diagnostic, services
from learnloop.experiments.models import Experiment
from learnloop.experiments.views import chosen_team
from learnloop.surveys.services import round_open
from learnloop.web.data_version import data_version

PULSE_DAYS = 7
#: The check is kept per viewer, scope, amount, day and data version of the organisation (so
#: any write shows on the next view) for ``CACHE_SECONDS``, and then served while one thread of
#: the server computes it again for ``shared.STALE_SECONDS`` more (decision 0246).
CACHE_SECONDS = 300


def diagnostic_for(
    user: User, *, team: Team | None, amount: object = None
) -> diagnostic.Diagnostic:
    """The check of ``team``, or of every team the person may open (``team=None``), computed
    once per viewer and data version by one worker of the server (``core.shared_memory``): at
    1M rows it reads every experiment of the organisation (decision 0240)."""
    teams = [team] if team is not None else list(teams_visible_to(user).order_by("name"))
    currency = services.currency_of(teams[0]) if teams else services.DEFAULT_CURRENCY
    reference = diagnostic.amount_from(amount)
    key = ":".join(
        [
            "diagnostic:v1",
            str(user.pk),
            team.slug if team is not None else "-",
            ",".join(str(t.pk) for t in teams),
            str(reference),
            currency,
            timezone.localdate().isoformat(),
            str(data_version(user.organisation_id or 0)),
        ]
    )
    return shared.get_or_compute(
        key,
        lambda: diagnostic.diagnose(
            user=user,
            experiments=Experiment.objects.visible_to(user),
            teams=teams,
            team=team,
            currency=currency,
            amount=reference,
        ),
        max_age=CACHE_SECONDS,
        stale_for=shared.STALE_SECONDS,
    )


@login_required
def diagnostic_page(request: AuthedHttpRequest) -> HttpResponse:
    scope_org = request.GET.get("scope") == "organisation"
    teams, team = chosen_team(request)
    chosen = None if scope_org else team
    result = diagnostic_for(request.user, team=chosen, amount=request.GET.get("amount"))
    return render(
        request,
        "experiments/diagnostic.html",
        {
            "teams": teams,
            "team": chosen,
            "scope_org": scope_org,
            "d": result,
            "can_ask": chosen is not None and can_manage_team(request.user, chosen),
            "pulse_question": diagnostic.PULSE_QUESTION,
        },
    )


@login_required
@require_POST
def pulse_open(request: AuthedHttpRequest) -> HttpResponse:
    """A team admin asks the pulse: a survey round with the pulse as its extra question."""
    team = Team.objects.filter(
        pk__in=team_ids_of(request.user), slug=str(request.POST.get("team", ""))[:100]
    ).first()
    if team is None:
        raise Http404
    back = reverse("experiments:diagnostic") + f"?team={team.slug}"
    try:
        survey = round_open(
            actor=request.user,
            team=team,
            closes_at=timezone.now() + dt.timedelta(days=PULSE_DAYS),
            title=diagnostic.PULSE_TITLE,
            extra_questions=[diagnostic.PULSE_QUESTION],
        )
    except PermissionDenied as exc:
        messages.error(request, exc.message)
        return redirect(back)
    except ApplicationError as exc:
        details = [m for msgs in exc.fields.values() for m in msgs]
        messages.error(request, " ".join([exc.message, *details]))
        return redirect(back)
    messages.success(
        request, "The pulse is open for a week: answers are anonymous and shown from 5 on."
    )
    return redirect(f"/surveys/{survey.pk}/")
