"""Drills: plan, run, review, findings into actions and lessons, the restore test's backup, and
the charlie/mallory rule on every page and endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from learnloop.actions.models import Action
from learnloop.core.models import Visibility
from learnloop.drills.models import Drill, DrillStatus, Finding
from learnloop.lessons.models import Lesson
from learnloop.testing.builders import make_drill


def _json(c: Any, method: str, url: str, body: Any) -> Any:
    return getattr(c, method)(url, data=json.dumps(body), content_type="application/json")


def test_a_team_plans_runs_and_reviews_a_drill_on_the_page(client_for, bob, alice, alpha) -> None:
    c = client_for(bob)
    response = c.post(
        "/drills/new/",
        {
            "team": alpha.pk,
            "title": "Database failover",
            "kind": "failover_test",
            "planned_for": "2026-12-10",
            "scenario": "The primary disappears at 10:00.",
            "facilitator": alice.pk,
            "participants": [alice.pk, bob.pk],
            "visibility": "team",
        },
    )
    drill = Drill.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/drills/{drill.pk}/"
    assert drill.facilitator == alice and set(drill.participants.all()) == {alice, bob}
    assert drill.status == DrillStatus.PLANNED and drill.created_by == bob
    page = c.get(f"/drills/{drill.pk}/").content.decode()
    assert "Safe practice" in page and "not a record" in page
    edit = c.post(
        f"/drills/{drill.pk}/edit/",
        {
            "title": "Database failover",
            "kind": "failover_test",
            "planned_for": "2026-12-10",
            "status": "run",
            "what_happened": "Failover took 4 minutes.",
            "visibility": "team",
            "participants": [bob.pk],
            "version": 1,
        },
    )
    assert edit.status_code == 302
    stale = c.post(
        f"/drills/{drill.pk}/edit/",
        {
            "title": "Old tab",
            "kind": "other",
            "planned_for": "2026-12-10",
            "status": "planned",
            "visibility": "team",
            "version": 1,
        },
    )
    assert stale.status_code == 409
    # Nothing lost: the old tab's title stays in the form; the saved one is shown beside it.
    body = stale.content.decode()
    assert 'value="Old tab"' in body and "Failover took 4 minutes." in body
    assert Drill.objects.get(pk=drill.pk).title == "Database failover"
    c.post(
        f"/drills/{drill.pk}/after-action/",
        {"version": 2, "aar_expected": "Under a minute.", "aar_improve": "Pre-warm replicas."},
    )
    drill.refresh_from_db()
    assert (
        drill.status == DrillStatus.REVIEWED
        and drill.after_action["improve"] == "Pre-warm replicas."
    )
    assert drill.what_happened == "Failover took 4 minutes." and drill.title == "Database failover"


def test_findings_become_an_action_and_a_lesson_once(client_for, bob, alpha) -> None:
    drill = make_drill(alpha, kind="tabletop")
    c = client_for(bob)
    c.post(f"/drills/{drill.pk}/findings/", {"text": "Nobody knew who owns the DNS zone."})
    finding = Finding.objects.get()
    assert c.post(f"/drills/findings/{finding.pk}/to-action/").status_code == 302
    action = Action.objects.get()
    assert action.title == "Nobody knew who owns the DNS zone." and action.team == alpha
    assert c.post(f"/drills/findings/{finding.pk}/to-action/").status_code == 302
    assert Action.objects.count() == 1
    response = _json(c, "post", f"/api/drills/findings/{finding.pk}/lesson", {})
    assert response.status_code == 201 and response.json()["lesson_id"] == Lesson.objects.get().pk
    assert _json(c, "post", f"/api/drills/findings/{finding.pk}/lesson", {}).status_code == 409
    page = c.get(f"/drills/{drill.pk}/").content.decode()
    assert f"/actions/{action.pk}/" in page


def test_another_team_and_another_organisation_get_404_everywhere(
    client_for, bob, charlie, mallory, alpha
) -> None:
    private = make_drill(alpha)
    shared = make_drill(alpha, title="Org-wide tabletop", visibility=Visibility.ORGANISATION)
    Finding.objects.create(drill=private, text="x")
    finding = Finding.objects.get()
    for user in (charlie, mallory):
        c = client_for(user)
        for url in (
            f"/drills/{private.pk}/",
            f"/drills/{private.pk}/edit/",
            f"/api/drills/{private.pk}",
        ):
            assert c.get(url).status_code == 404, url
        for url in (
            f"/drills/{private.pk}/findings/",
            f"/drills/{private.pk}/after-action/",
            f"/drills/findings/{finding.pk}/to-action/",
        ):
            assert c.post(url, {"text": "x", "version": 1}).status_code == 404, url
        assert (
            _json(c, "patch", f"/api/drills/{private.pk}", {"version": 1, "title": "x"}).status_code
            == 404
        )
        assert _json(c, "post", f"/api/drills/findings/{finding.pk}/action", {}).status_code == 404
        assert c.get("/api/drills").json()["count"] == (1 if user == charlie else 0)
    assert client_for(charlie).get(f"/drills/{shared.pk}/").status_code == 200
    assert client_for(charlie).get(f"/drills/{shared.pk}/edit/").status_code == 404
    assert client_for(mallory).get(f"/drills/{shared.pk}/").status_code == 404
    assert not Action.objects.exists()


def test_the_api_plans_and_refuses_bad_input_naming_fields(client_for, bob, charlie, alpha) -> None:
    c = client_for(bob)
    ok = _json(
        c,
        "post",
        "/api/drills",
        {
            "team": "alpha",
            "title": "Restore",
            "kind": "restore_test",
            "planned_for": "2026-12-12",
            "participant_ids": [bob.pk],
        },
    )
    assert ok.status_code == 201 and ok.json()["participant_ids"] == [bob.pk]
    for body, field in (
        ({"title": ""}, "title"),
        ({"participant_ids": [charlie.pk]}, "participants"),
        ({"team": "beta"}, "team"),
        ({"planned_for": "1200-01-01"}, "planned_for"),
    ):
        base = {
            "team": "alpha",
            "title": "T",
            "kind": "tabletop",
            "planned_for": "2026-12-12",
            **body,
        }
        bad = _json(c, "post", "/api/drills", base)
        assert bad.status_code == 400 and field in bad.json()["error"]["fields"], body
    assert (
        _json(
            c,
            "post",
            "/api/drills",
            {"team": "alpha", "title": "T", "kind": "nope", "planned_for": "2026-12-12"},
        ).status_code
        == 422
    )
    assert Drill.objects.count() == 1
    pk = ok.json()["id"]
    assert (
        _json(c, "patch", f"/api/drills/{pk}", {"version": 1, "status": "run"}).json()["status"]
        == "run"
    )
    assert (
        _json(c, "patch", f"/api/drills/{pk}", {"version": 1, "status": "reviewed"}).status_code
        == 409
    )


def test_backup_link_reads_the_manifest(alpha, tmp_path: Path, settings) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the backup snapshot of PostgreSQL needs pg_dump; the manifest is the same")
    drill = make_drill(alpha, kind="restore_test", title="Quarterly restore")
    out = tmp_path / "backup.tar.gz"
    call_command("backup", "--out", str(out))
    call_command("drill_backup", str(drill.pk), str(out))
    drill.refresh_from_db()
    assert drill.backup_file == "backup.tar.gz" and len(drill.backup_sha256) == 64
    assert drill.backup_created_at.startswith("20")
    bogus = tmp_path / "not-a-backup.tar.gz"
    bogus.write_bytes(b"hello")
    with pytest.raises(Exception, match="not-a-backup"):
        call_command("drill_backup", str(drill.pk), str(bogus))
