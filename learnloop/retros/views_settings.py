"""A retro's settings in the web: title, facilitator, participants, vote limits, and the
deliverable, experiment or incident it is about. Any member may change them; a stale save
shows the shared conflict view (``core.forms.versioned_edit``, decisions/0014)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.core.forms import versioned_edit
from learnloop.retros import services
from learnloop.retros.forms import RetroSettingsForm
from learnloop.retros.models import Retro
from learnloop.retros.views import retro_for


def _saved(retro: Retro) -> dict[str, object]:
    """What the conflict view shows of the saved version (the fields a stale save compares)."""
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

    def save(data: dict[str, Any]) -> Retro:
        return services.retro_update(
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

    return versioned_edit(
        request,
        form,
        save=save,
        saved_values=lambda: _saved(Retro.objects.get(pk=retro.pk)),
        noun="retro",
        keep_url=reverse("retros:settings", args=[retro.pk]),
        saved_message="Settings saved.",
        template="retros/settings.html",
        context={"retro": retro},
    )
