"""Related past lessons and experiments: the partial shown while a card is written (a POST, so
the text being typed is never in a URL or the access log) and "Applied here" on a card."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.visibility import get_visible_or_404, team_ids_of
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.errors import ApplicationError
from learnloop.experiments import related, selectors
from learnloop.lessons.models import Lesson

TEXT_MAX = 10000


@login_required
@require_POST
@not_in_access_log
def related_partial(request: AuthedHttpRequest) -> HttpResponse:
    """HTMX: suggestions for the card being typed, with an "Applied here" box per lesson."""
    data = request.POST
    title = data.get("title", "")[:TEXT_MAX]
    text = related.card_text(
        hypothesis=data.get("hypothesis", "")[:TEXT_MAX],
        test=data.get("test", "")[:TEXT_MAX],
        riskiest_assumption=data.get("riskiest_assumption", "")[:TEXT_MAX],
    )
    found = related.related_for(user=request.user, title=title, text=text)
    chosen = set(data.getlist("applied"))
    return render(
        request,
        "experiments/_related.html",
        {"related": found, "asked": bool((title + text).strip()), "chosen": chosen},
    )


@login_required
@require_POST
def applied(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """ "Applied here": a suggested lesson was reused on this card (counts the lesson's reuse)."""
    experiment = selectors.experiment_or_404(user=request.user, pk=pk)
    if experiment.team_id not in team_ids_of(request.user):
        raise Http404
    lesson = get_visible_or_404(Lesson, request.user, pk=request.POST.get("lesson"))
    error = ""
    try:
        related.experiment_apply_lessons(
            actor=request.user, experiment=experiment, lessons=[lesson]
        )
    except ApplicationError as exc:
        error = exc.message
    if request.htmx:
        context = {
            "experiment": experiment,
            "related": related.related_to_card(user=request.user, experiment=experiment),
            "can_edit": True,
            "apply_error": error,
        }
        return render(request, "experiments/_before.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Recorded: this lesson was applied here.")
    return redirect(experiment.get_absolute_url() + "#before-you-start")
