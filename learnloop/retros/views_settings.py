"""A retro's settings in the web: title, facilitator, participants, vote limits, and the
deliverable, experiment or incident it is about. Any member may change them; a stale save shows the
shared conflict view (decisions/0014)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import apply_error, conflict_view
from learnloop.core.versioning import StaleVersion
from learnloop.retros import services
from learnloop.retros.forms import RetroSettingsForm
from learnloop.retros.models import Retro
from learnloop.retros.views import retro_for


def _saved(retro: Retro) -> dict[str, object]:
    return {
        "title": retro.title,
        "votes_per_person": retro.votes_per_person,
        "votes_per_topic": retro.votes_per_topic,
    }


@login_required
def retro_settings(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    retro = retro_for(request, pk)
    initial = {
        **_saved(retro),
        "facilitator": retro.facilitator_id,
        "participants": list(retro.participants.values_list("pk", flat=True)),
        "deliverable": retro.deliverable_id,
        "experiment": retro.experiment_id,
        "incident": retro.incident_id,
        "version": retro.version,
    }
    form = RetroSettingsForm(request.POST or None, retro=retro, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.retro_update(
                actor=request.user,
                retro=retro,
                version=data["version"],
                title=data["title"],
                facilitator=data["facilitator"],
                participants=data["participants"],
                votes_per_person=data["votes_per_person"],
                votes_per_topic=data["votes_per_topic"],
                deliverable=data["deliverable"],
                experiment=data["experiment"],
                incident=data["incident"],
            )
        except StaleVersion as exc:
            keep = reverse("retros:settings", args=[retro.pk])
            saved = _saved(Retro.objects.get(pk=retro.pk))
            conflict = conflict_view(form, exc, saved=saved, noun="retro", keep_url=keep)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect(retro.get_absolute_url())
    return render(
        request,
        "retros/settings.html",
        {"form": form, "retro": retro, "conflict": conflict},
        status=409 if conflict else 200,
    )
