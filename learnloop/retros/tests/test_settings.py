"""A retro's settings in the web form (stale save refused, 404 for other teams) and its link
to a deliverable or experiment of the same team (web and API)."""

from __future__ import annotations

import json

import pytest

from learnloop.retros.models import Retro
from learnloop.testing.builders import make_deliverable, make_experiment

pytestmark = pytest.mark.django_db


def _form(retro: Retro, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": retro.title,
        "facilitator": retro.facilitator_id,
        "participants": list(retro.participants.values_list("pk", flat=True)),
        "votes_per_person": retro.votes_per_person,
        "votes_per_topic": retro.votes_per_topic,
        "deliverable": "",
        "experiment": "",
        "version": retro.version,
    }
    data.update(changes)
    return data


def test_a_member_changes_the_settings_and_links_a_deliverable(
    client_for, alpha, bob, retro
) -> None:
    deliverable = make_deliverable(alpha, title="Checkout v3")
    client = client_for(bob)
    url = f"/retros/{retro.pk}/settings/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, _form(retro, title="December retro", votes_per_person=5, deliverable=deliverable.pk)
    )
    assert response.status_code == 302, response.context["form"].errors
    retro.refresh_from_db()
    assert (retro.title, retro.votes_per_person, retro.deliverable_id) == (
        "December retro",
        5,
        deliverable.pk,
    )
    assert retro.version == 2
    page = client.get(f"/retros/{retro.pk}/").content.decode()
    assert f'about <a href="/deliverables/{deliverable.pk}/">Checkout v3</a>' in page


def test_a_stale_save_is_refused_and_shows_both(client_for, alice, bob, retro) -> None:
    """The settings page is ``core.forms.versioned_edit``: 409 with the saved version beside
    the person's input, nothing saved; the form then carries the current version, so saving
    again knowingly replaces it."""
    url = f"/retros/{retro.pk}/settings/"
    stale = _form(retro, title="From an old tab")
    assert client_for(alice).post(url, _form(retro, title="Newer")).status_code == 302
    response = client_for(bob).post(url, stale)
    assert response.status_code == 409 and "Newer" in response.content.decode()
    conflict = response.context["conflict"]
    assert ("title", "Newer") in conflict["rows"] and conflict["fields"] == ["title"]
    assert response.context["form"]["title"].value() == "From an old tab"
    retro.refresh_from_db()
    assert (retro.title, retro.version) == ("Newer", 2)
    again = client_for(bob).post(url, response.context["form"].data)
    assert again.status_code == 302 and again["Location"] == f"/retros/{retro.pk}/"
    retro.refresh_from_db()
    assert (retro.title, retro.version) == ("From an old tab", 3)


def test_another_team_s_deliverable_or_experiment_is_refused(
    client_for, alice, beta, retro
) -> None:
    other = make_deliverable(beta, title="Beta's")
    response = client_for(alice).post(
        f"/retros/{retro.pk}/settings/", _form(retro, deliverable=other.pk)
    )
    assert response.status_code == 200 and "deliverable" in response.context["form"].errors
    hidden = make_experiment(beta, title="Beta test")
    api = client_for(alice).patch(
        f"/api/retros/{retro.pk}",
        json.dumps({"version": retro.version, "experiment_id": hidden.pk}),
        content_type="application/json",
    )
    assert api.status_code == 400 and "experiment_id" in api.json()["error"]["fields"]
    retro.refresh_from_db()
    assert retro.deliverable_id is None and retro.experiment_id is None and retro.version == 1


def test_the_api_links_an_experiment(client_for, alice, alpha, retro) -> None:
    experiment = make_experiment(alpha, title="Guided setup")
    response = client_for(alice).patch(
        f"/api/retros/{retro.pk}",
        json.dumps({"version": retro.version, "experiment_id": experiment.pk}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["experiment_id"] == experiment.pk


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_another_team_gets_404(request, client_for, who, retro) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(f"/retros/{retro.pk}/settings/").status_code == 404
    assert client.post(f"/retros/{retro.pk}/settings/", _form(retro)).status_code == 404
