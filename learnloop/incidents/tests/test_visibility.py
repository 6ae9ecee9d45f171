"""Charlie (another team) and Mallory (another organisation) get 404 on Alpha's private
incidents everywhere, and nothing changes; organisation-visible incidents are shown."""

import json

import pytest

from learnloop.testing.builders import make_incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(alpha, bob):
    return make_incident(alpha, reporter=bob, title="Alpha private")


@pytest.fixture
def shared(alpha, bob):
    return make_incident(alpha, reporter=bob, title="Alpha shared", visibility="organisation")


@pytest.fixture
def anonymous(alpha):
    return make_incident(alpha, title="Alpha anonymous", is_anonymous=True)


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_it_answers_404_on_every_page_of_a_private_incident(
    request, client_for, private, anonymous, who
):
    c = client_for(request.getfixturevalue(who))
    for incident in (private, anonymous):
        assert c.get(f"/incidents/{incident.pk}/").status_code == 404
        assert c.get(f"/incidents/{incident.pk}/edit/").status_code == 404
        assert (
            c.post(
                f"/incidents/{incident.pk}/edit/",
                {
                    "title": "Hacked",
                    "description": "x",
                    "kind": "drill",
                    "visibility": "organisation",
                },
            ).status_code
            == 404
        )
        assert c.get(f"/api/incidents/{incident.pk}").status_code == 404
        response = c.patch(
            f"/api/incidents/{incident.pk}",
            json.dumps({"version": 1, "title": "Hacked"}),
            content_type="application/json",
        )
        assert response.status_code == 404
        incident.refresh_from_db()
        assert incident.title.startswith("Alpha") and incident.visibility == "team"


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_it_never_lists_private_incidents_of_other_teams(
    request, client_for, private, anonymous, shared, who
):
    c = client_for(request.getfixturevalue(who))
    body = c.get("/incidents/").content.decode()
    api = c.get("/api/incidents").json()
    titles = [i["title"] for i in api["items"]]
    assert "Alpha private" not in body and "Alpha anonymous" not in body
    assert "Alpha private" not in titles and "Alpha anonymous" not in titles
    if who == "charlie":
        assert "Alpha shared" in body and titles == ["Alpha shared"]
        assert c.get(f"/incidents/{shared.pk}/").status_code == 200
        assert "Alpha private" not in c.get("/").content.decode()
    else:
        assert "Alpha shared" not in body and titles == []
        assert c.get(f"/incidents/{shared.pk}/").status_code == 404


def test_it_shows_org_visible_incidents_but_does_not_let_other_teams_edit_them(
    client_for, charlie, shared
):
    c = client_for(charlie)
    assert c.get(f"/incidents/{shared.pk}/edit/").status_code == 404
    response = c.patch(
        f"/api/incidents/{shared.pk}",
        json.dumps({"version": 1, "title": "Hacked"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    shared.refresh_from_db()
    assert shared.title == "Alpha shared"


def test_it_counts_only_visible_incidents_on_the_dashboard(client_for, charlie, private, shared):
    import datetime as dt

    for incident in (private, shared):
        incident.started_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        incident.detected_at = incident.started_at + dt.timedelta(minutes=10)
        incident.save()
    c = client_for(charlie)
    assert "0 incidents you can see" in c.get("/incidents/dashboard/").content.decode()
    data = c.get("/api/incidents/metrics").json()
    assert data["incident_count"] == 0  # charlie's own team (Beta) has none
    assert c.get("/api/incidents/metrics?team=alpha").status_code == 400
    assert c.get("/incidents/dashboard/?team=alpha").status_code == 404
