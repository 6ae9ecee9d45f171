from __future__ import annotations

import json
from typing import Any

import pytest

from learnloop.core.models import Visibility
from learnloop.lessons.models import Lesson, LessonApplication
from learnloop.testing.builders import make_incident, make_lesson


@pytest.fixture
def private(alpha):
    return make_lesson(alpha, statement="Alpha private lesson", tags=["dns"])


def _json(c, method: str, url: str, body: dict[str, Any] | None = None):
    return getattr(c, method)(url, data=json.dumps(body or {}), content_type="application/json")


def test_it_lists_with_filters_and_pagination(
    client_for, bob, charlie, alpha, beta, private
) -> None:
    make_lesson(alpha, statement="Alpha shared", visibility=Visibility.ORGANISATION)
    make_lesson(beta, statement="Beta private")
    data = client_for(bob).get("/api/lessons", {"page_size": 1}).json()
    assert data["count"] == 2 and len(data["items"]) == 1
    data = client_for(bob).get("/api/lessons", {"tag": "dns"}).json()
    assert [i["statement"] for i in data["items"]] == ["Alpha private lesson"]
    assert data["items"][0]["tags"] == ["dns"] and data["items"][0]["team"] == "alpha"
    data = client_for(charlie).get("/api/lessons").json()
    assert sorted(i["statement"] for i in data["items"]) == ["Alpha shared", "Beta private"]
    assert client_for(bob).get("/api/lessons", {"kind": "bogus"}).status_code == 422


def test_it_creates_reads_updates_and_deletes(client_for, bob, alpha) -> None:
    c = client_for(bob)
    response = _json(
        c,
        "post",
        "/api/lessons",
        {"team": "alpha", "statement": "Name owners.", "tags": ["ownership"]},
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert c.get(f"/api/lessons/{pk}").json()["tags"] == ["ownership"]
    response = _json(
        c, "patch", f"/api/lessons/{pk}", {"version": 1, "statement": "Name one owner."}
    )
    assert response.json()["statement"] == "Name one owner."
    assert response.json()["tags"] == ["ownership"]
    response = _json(c, "post", "/api/lessons", {"team": "alpha", "statement": "x" * 301})
    assert response.status_code == 400 and "statement" in response.json()["error"]["fields"]
    response = _json(c, "post", "/api/lessons", {"team": "beta", "statement": "Not my team"})
    assert response.status_code == 400 and "team" in response.json()["error"]["fields"]
    assert c.delete(f"/api/lessons/{pk}").status_code == 204
    assert not Lesson.objects.exists()


def test_it_applies_once_per_incident(client_for, bob, alpha, private) -> None:
    incident = make_incident(alpha)
    c = client_for(bob)
    response = _json(c, "post", f"/api/lessons/{private.pk}/apply", {"target_id": incident.pk})
    assert response.status_code == 201 and response.json()["applied_count"] == 1
    response = _json(c, "post", f"/api/lessons/{private.pk}/apply", {"target_id": incident.pk})
    assert response.status_code == 200 and response.json()["applied_count"] == 1
    assert c.get(f"/api/lessons/{private.pk}/applications").json()["count"] == 1


def test_other_teams_and_organisations_get_404_and_change_nothing(
    client_for, charlie, mallory, beta, private
) -> None:
    incident = make_incident(beta, visibility=Visibility.ORGANISATION)
    for person in (charlie, mallory):
        c = client_for(person)
        assert c.get(f"/api/lessons/{private.pk}").status_code == 404
        assert (
            _json(
                c, "patch", f"/api/lessons/{private.pk}", {"version": 1, "statement": "x"}
            ).status_code
            == 404
        )
        assert c.delete(f"/api/lessons/{private.pk}").status_code == 404
        response = _json(c, "post", f"/api/lessons/{private.pk}/apply", {"target_id": incident.pk})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert c.get(f"/api/lessons/{private.pk}/applications").status_code == 404
        assert c.get("/api/lessons").json()["count"] == 0
    private.refresh_from_db()
    assert private.statement == "Alpha private lesson"
    assert not LessonApplication.objects.exists()


def test_it_needs_authentication(client, private) -> None:
    assert client.get("/api/lessons").status_code == 401


def test_it_filters_by_date_range(client_for, bob, alpha, private) -> None:
    import datetime as dt

    Lesson.objects.filter(pk=private.pk).update(created_at=dt.datetime(2021, 6, 1, tzinfo=dt.UTC))
    make_lesson(alpha, statement="Recent")
    c = client_for(bob)
    old = c.get("/api/lessons", {"from": "2021-06-01", "to": "2021-06-01"}).json()
    assert [i["statement"] for i in old["items"]] == ["Alpha private lesson"]
    assert c.get("/api/lessons", {"from": "2022-01-01"}).json()["count"] == 1
    assert c.get("/api/lessons", {"from": "yesterday"}).status_code == 422
