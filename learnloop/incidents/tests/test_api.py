import json

import pytest

from learnloop.incidents.models import Incident
from learnloop.testing.builders import make_incident

pytestmark = pytest.mark.django_db


def post(c, url, data):
    return c.post(url, json.dumps(data), content_type="application/json")


def patch(c, url, data):
    return c.patch(url, json.dumps(data), content_type="application/json")


def test_it_creates_reads_and_updates_an_incident(client_for, bob):
    c = client_for(bob)
    response = post(
        c,
        "/api/incidents",
        {
            "title": "Queue stuck",
            "description": "x",
            "tags": ["Queue"],
            "started_at": "2026-03-02T10:00:00Z",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["team"] == "alpha" and body["tags"] == ["Queue"] and body["reporter"] == "Bob"
    assert body["status"] == "open"
    pk = body["id"]
    assert c.get(f"/api/incidents/{pk}").json()["title"] == "Queue stuck"
    response = patch(
        c,
        f"/api/incidents/{pk}",
        {"version": 1, "resolved_at": "2026-03-02T11:00:00Z", "severity": "sev2"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "resolved"
    assert response.json()["severity"] == "sev2"
    assert response.json()["title"] == "Queue stuck"


def test_it_files_anonymous_reports_through_the_api_too(client_for, bob):
    response = post(
        client_for(bob), "/api/incidents", {"title": "A", "description": "x", "anonymous": True}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["reporter"] is None and body["is_anonymous"] is True
    assert body["id"] < 0
    assert body["created_at"].endswith("T00:00:00Z") or "T00:00:00" in body["created_at"]
    assert Incident.objects.get().reporter_id is None


def test_it_names_the_field_in_validation_errors_and_saves_nothing(client_for, bob, beta):
    c = client_for(bob)
    cases = [
        ({"title": "A", "description": "x", "team": "beta"}, "team"),
        ({"title": "A", "description": "x", "team": "nope"}, "team"),
        ({"title": "A" * 201, "description": "x"}, "title"),
        ({"title": "A", "description": "x" * 20001}, "description"),
        (
            {
                "title": "A",
                "description": "x",
                "started_at": "2026-03-02T10:00:00Z",
                "resolved_at": "2026-03-02T09:00:00Z",
            },
            "resolved_at",
        ),
        ({"title": "A", "description": "x", "kind": "oops"}, "kind"),
        ({"title": "A", "description": "x", "visibility": "world"}, "visibility"),
        ({"description": "x"}, "title"),
    ]
    for data, field in cases:
        response = post(c, "/api/incidents", data)
        assert response.status_code in (400, 422), (data, response.content)
        assert field in response.json()["error"]["fields"], (data, response.json())
    unknown = post(c, "/api/incidents", {"title": "A", "description": "x", "team": "beta"}).json()
    assert unknown["error"]["message"] == "team: unknown team"
    assert unknown["error"]["fields"] == {"team": ["Unknown team."]}
    assert not Incident.objects.exists()


def test_it_refuses_a_patch_with_times_out_of_order(client_for, bob, alpha):
    import datetime as dt

    incident = make_incident(
        alpha, reporter=bob, started_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    )
    response = patch(
        client_for(bob),
        f"/api/incidents/{incident.pk}",
        {"version": 1, "detected_at": "2026-03-01T10:00:00Z"},
    )
    assert response.status_code == 400
    assert "detected_at" in response.json()["error"]["fields"]
    incident.refresh_from_db()
    assert incident.detected_at is None


def test_it_lists_with_filters_and_pagination(
    client_for, bob, alpha, django_assert_max_num_queries
):
    import datetime as dt

    for n in range(7):
        i = make_incident(
            alpha,
            reporter=bob,
            title=f"I{n}",
            kind="drill" if n < 3 else "mistake",
            severity="sev1" if n == 0 else "",
        )
        i.tags.create(organisation=alpha.organisation, name=f"t{n}")
    make_incident(
        alpha, reporter=bob, title="done", resolved_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    c = client_for(bob)
    with django_assert_max_num_queries(8):
        page = c.get("/api/incidents?page=1&page_size=3").json()
    assert page["count"] == 8 and len(page["items"]) == 3 and page["page_size"] == 3
    assert c.get("/api/incidents?kind=drill").json()["count"] == 3
    assert c.get("/api/incidents?severity=sev1").json()["count"] == 1
    assert c.get("/api/incidents?tag=t4").json()["items"][0]["title"] == "I4"
    assert c.get("/api/incidents?status=resolved").json()["count"] == 1
    assert c.get("/api/incidents?status=open").json()["count"] == 7
    assert c.get("/api/incidents?team=alpha").json()["count"] == 8
    today = dt.date.today().isoformat()
    assert c.get(f"/api/incidents?created_after={today}").json()["count"] == 8
    assert c.get("/api/incidents?created_before=2000-01-01").json()["count"] == 0
    assert c.get("/api/incidents?status=weird").status_code == 400


def test_it_answers_metrics_for_a_team(client_for, bob, alpha):
    import datetime as dt

    t0 = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    make_incident(
        alpha,
        reporter=bob,
        severity="sev1",
        started_at=t0,
        detected_at=t0 + dt.timedelta(minutes=30),
    )
    data = client_for(bob).get("/api/incidents/metrics?team=alpha").json()
    assert data["teams"] == ["alpha"]
    assert data["durations"]["detect"]["by_severity"]["sev1"]["median"] == 30
    assert data["durations"]["detect"]["by_month"]["2026-03"]["count"] == 1
    bad = client_for(bob).get("/api/incidents/metrics?team=beta")
    assert bad.status_code == 400 and bad.json()["error"]["fields"] == {"team": ["Unknown team."]}
    assert client_for(bob).get("/api/incidents/metrics?team=alpha&months=0").json()["months"] == 0
    bad = client_for(bob).get("/api/incidents/metrics?months=7")
    assert bad.status_code == 400 and "months" in bad.json()["error"]["fields"]


def test_it_requires_authentication(client):
    assert client.get("/api/incidents").status_code == 401
