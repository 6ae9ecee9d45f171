"""What a retro is about: a deliverable, experiment or incident of its own team, chosen when it
is created (web form and API) or later in its settings, and shown on its page. Another team's
object is a clear 4xx naming the field, and nothing is saved."""

from __future__ import annotations

import json
from typing import Any

import pytest

from learnloop.accounts.models import Membership, Role
from learnloop.retros import forms as retro_forms
from learnloop.retros.models import Retro, RetroFormat
from learnloop.testing.builders import (
    make_deliverable,
    make_experiment,
    make_incident,
    make_review,
)

pytestmark = pytest.mark.django_db


def _create_form(team_pk: int, **links: object) -> dict[str, object]:
    data: dict[str, object] = {
        "team": team_pk,
        "title": "Checkout retro",
        "format": RetroFormat.objects.get(slug="start-stop-continue").pk,
        "anonymity": "named",
        "votes_per_person": 3,
        "votes_per_topic": 2,
        "deliverable": "",
        "experiment": "",
        "incident": "",
    }
    data.update(links)
    return data


def _links(alpha: Any) -> dict[str, Any]:
    return {
        "deliverable": make_deliverable(alpha, title="Checkout v3"),
        "experiment": make_experiment(alpha, title="Guided setup"),
        "incident": make_incident(alpha, title="Checkout timed out"),
    }


def test_the_create_form_links_a_deliverable_experiment_and_incident(
    client_for, alice, alpha
) -> None:
    links = _links(alpha)
    client = client_for(alice)
    page = client.get("/retros/new/").content.decode()
    for obj in links.values():
        assert f'<option value="{obj.pk}">{obj.title}</option>' in page
    response = client.post(
        "/retros/new/", _create_form(alpha.pk, **{k: o.pk for k, o in links.items()})
    )
    assert response.status_code == 302, response.context["form"].errors
    retro = Retro.objects.get()
    assert (retro.deliverable, retro.experiment, retro.incident) == (
        links["deliverable"],
        links["experiment"],
        links["incident"],
    )
    body = client.get(retro.get_absolute_url()).content.decode()
    assert f'for <a href="/incidents/{links["incident"].pk}/">Checkout timed out</a>' in body
    assert f'about <a href="/deliverables/{links["deliverable"].pk}/">Checkout v3</a>' in body
    assert f'about <a href="/experiments/{links["experiment"].pk}/">Guided setup</a>' in body


def test_an_anonymous_report_can_be_what_the_retro_is_for(client_for, alice, alpha) -> None:
    report = make_incident(alpha, title="Deploys feel rushed", is_anonymous=True)
    assert report.pk < 0  # anonymous reports have ids outside the sequence
    response = client_for(alice).post("/retros/new/", _create_form(alpha.pk, incident=report.pk))
    assert response.status_code == 302, response.context["form"].errors
    assert Retro.objects.get().incident_id == report.pk


@pytest.mark.parametrize("kind", ["deliverable", "experiment", "incident"])
def test_the_create_form_refuses_another_team_s_object(
    client_for, alice, alpha, beta, kind
) -> None:
    foreign = _links(beta)[kind]
    client = client_for(alice)
    # Beta is not alice's team: its objects are not on the menu and are no valid choice.
    assert foreign.title not in client.get("/retros/new/").content.decode()
    response = client.post("/retros/new/", _create_form(alpha.pk, **{kind: foreign.pk}))
    assert response.status_code == 200 and kind in response.context["form"].errors
    # Alice in both teams: beta's object is on the menu, but an Alpha retro refuses it.
    Membership.objects.create(user=alice, team=beta, role=Role.MEMBER)
    page = client.get("/retros/new/").content.decode()
    assert '<optgroup label="Beta">' in page and foreign.title in page
    response = client.post("/retros/new/", _create_form(alpha.pk, **{kind: foreign.pk}))
    assert response.status_code == 200
    assert response.context["form"].errors[kind] == [f"The {kind} belongs to another team."]
    assert not Retro.objects.exists()


@pytest.mark.parametrize("value", ["x", "-1", "99999999999999999999999", "0"])
def test_the_create_form_refuses_unreadable_link_ids(client_for, alice, alpha, value) -> None:
    for kind in ("deliverable", "experiment", "incident"):
        response = client_for(alice).post("/retros/new/", _create_form(alpha.pk, **{kind: value}))
        assert response.status_code == 200 and kind in response.context["form"].errors
    assert not Retro.objects.exists()


def _api_create(client: Any, team: Any, **fields: object) -> Any:
    body = {
        "team": team.slug,
        "title": "Checkout retro",
        "format_id": RetroFormat.objects.get(slug="4ls").pk,
        **fields,
    }
    return client.post("/api/retros", json.dumps(body), content_type="application/json")


def test_the_api_creates_a_retro_with_its_links(client_for, alice, alpha) -> None:
    links = _links(alpha)
    response = _api_create(client_for(alice), alpha, **{f"{k}_id": o.pk for k, o in links.items()})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["deliverable_id"], body["experiment_id"], body["incident_id"]) == (
        links["deliverable"].pk,
        links["experiment"].pk,
        links["incident"].pk,
    )


@pytest.mark.parametrize("kind", ["deliverable", "experiment", "incident"])
def test_the_api_refuses_another_team_s_object_and_saves_nothing(
    client_for, alice, alpha, beta, kind
) -> None:
    own = _links(alpha)
    foreign = _links(beta)[kind]
    fields = {f"{k}_id": o.pk for k, o in own.items()}
    fields[f"{kind}_id"] = foreign.pk
    response = _api_create(client_for(alice), alpha, **fields)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [f"{kind}_id"]
    assert not Retro.objects.exists()


def test_settings_link_an_incident_and_refuse_another_team_s(
    client_for, alice, alpha, beta, retro
) -> None:
    incident = make_incident(alpha, title="Search was down")
    foreign = make_incident(beta, title="Beta's outage")
    client = client_for(alice)
    api = client.patch(
        f"/api/retros/{retro.pk}",
        json.dumps({"version": retro.version, "incident_id": foreign.pk}),
        content_type="application/json",
    )
    assert api.status_code == 400 and "incident_id" in api.json()["error"]["fields"]
    api = client.patch(
        f"/api/retros/{retro.pk}",
        json.dumps({"version": retro.version, "incident_id": incident.pk}),
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["incident_id"] == incident.pk
    retro.refresh_from_db()
    assert retro.version == 2


def test_an_old_link_stays_on_the_settings_menu_and_is_kept_on_save(
    client_for, alice, alpha, retro, monkeypatch
) -> None:
    monkeypatch.setattr(retro_forms, "LINK_CHOICES_MAX", 1)
    older = make_incident(alpha, title="The old outage")
    make_incident(alpha, title="A newer outage")
    Retro.objects.filter(pk=retro.pk).update(incident=older)
    client = client_for(alice)
    url = f"/retros/{retro.pk}/settings/"
    page = client.get(url).content.decode()
    assert f'<option value="{older.pk}" selected>The old outage</option>' in page
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["title"] = "Renamed"
    assert client.post(url, data).status_code == 302
    retro.refresh_from_db()
    assert (retro.title, retro.incident_id) == ("Renamed", older.pk)


def test_the_api_unlinks_with_an_explicit_null_and_keeps_what_is_absent(
    client_for, alice, alpha
) -> None:
    links = _links(alpha)
    client = client_for(alice)
    body = _api_create(client, alpha, **{f"{k}_id": o.pk for k, o in links.items()}).json()
    response = client.patch(
        f"/api/retros/{body['id']}",
        json.dumps({"version": body["version"], "deliverable_id": None, "title": "Renamed"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    after = response.json()
    assert after["deliverable_id"] is None
    assert (after["experiment_id"], after["incident_id"]) == (
        links["experiment"].pk,
        links["incident"].pk,
    )
    retro = Retro.objects.get(pk=body["id"])
    assert retro.deliverable_id is None and retro.experiment_id == links["experiment"].pk


@pytest.mark.parametrize("kind", ["deliverable", "experiment", "incident"])
def test_start_a_retro_about_this_preselects_the_object_and_its_team(
    client_for, alice, alpha, beta, kind
) -> None:
    Membership.objects.create(user=alice, team=beta, role=Role.MEMBER)
    obj = _links(beta)[kind]
    client = client_for(alice)
    page = {
        "deliverable": f"/deliverables/{obj.pk}/",
        "experiment": f"/experiments/{obj.pk}/",
        "incident": f"/incidents/{obj.pk}/",
    }[kind]
    start = f"/retros/new/?{kind}={obj.pk}"
    assert start in client.get(page).content.decode()
    form = client.get(start).context["form"]
    assert form.initial[kind] == obj.pk
    assert form.initial["team"] == beta
    assert form.initial["title"] == f"Retro: {obj.title}"


def test_start_a_retro_ignores_another_team_s_object(client_for, alice, beta) -> None:
    foreign = make_incident(beta, title="Not yours")
    response = client_for(alice).get(f"/retros/new/?incident={foreign.pk}")
    assert response.status_code == 200
    assert "incident" not in response.context["form"].initial
    assert "Not yours" not in response.content.decode()


def test_the_page_links_the_incident_and_review_a_retro_was_made_for(
    client_for, alice, alpha, beta
) -> None:
    """The API takes a ``review_id`` of the same team; the page links it beside the incident."""
    incident = make_incident(alpha, title="Checkout timed out")
    review = make_review(alpha, title="Checkout timeout review", incident=incident)
    client = client_for(alice)
    refused = _api_create(client, alpha, review_id=make_review(beta, title="Beta's").pk)
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["review_id"]
    created = _api_create(client, alpha, incident_id=incident.pk, review_id=review.pk)
    assert created.status_code == 201 and created.json()["review_id"] == review.pk
    body = client.get(f"/retros/{created.json()['id']}/").content.decode()
    assert f'for <a href="/incidents/{incident.pk}/">Checkout timed out</a>' in body
    assert f'review <a href="/reviews/{review.pk}/">Checkout timeout review</a>' in body


def test_the_demo_retros_look_back_on_a_deliverable_and_on_a_reviewed_incident(
    demo, client_for
) -> None:
    last = Retro.objects.get(team__organisation=demo, title="Platform retro, last month")
    now = Retro.objects.get(team__organisation=demo, title="Platform retro")
    deliverable, incident, review = last.deliverable, now.incident, now.review
    assert deliverable is not None and deliverable.title == "New checkout retry flow"
    assert incident is not None
    assert incident.title == "Some customers were charged twice for one order"
    assert review is not None and review.incident_id == incident.pk
    assert review.status == "published"
    page = client_for(now.facilitator).get(now.get_absolute_url()).content.decode()
    assert f'for <a href="/incidents/{now.incident_id}/">' in page
    assert f'review <a href="/reviews/{now.review_id}/">' in page
    page = client_for(last.facilitator).get(last.get_absolute_url()).content.decode()
    assert f'about <a href="/deliverables/{last.deliverable_id}/">' in page
