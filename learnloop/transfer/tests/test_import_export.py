from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from learnloop.actions.models import Action
from learnloop.core.models import Tag, Visibility
from learnloop.incidents.models import Incident
from learnloop.lessons import services
from learnloop.lessons.models import ImportRecord, Lesson, LessonApplication
from learnloop.reviews.models import Learning, Review
from learnloop.testing.builders import make_incident

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
CORPUS = SHARED / "corpus" / "postmortems"

GOOD = """---
uuid: 11111111-aaaa-4bbb-8ccc-000000000001
url: https://status.example.org/incidents/1
title: Certificate expiry took down the mobile API
start_time: 2024-03-01T08:00:00Z
end_time: 2024-03-01T09:30:00Z
categories:
- config-change
keywords:
- tls
- certificate expiry
company: Example Co
product: Mobile API
summary: "An intermediate certificate expired: clients could not connect for 90 minutes."
---

The intermediate certificate on the API load balancer expired at 08:00.

Renewal was manual and the reminder went to a mailbox nobody read.
"""

THIN = """---
uuid: 11111111-aaaa-4bbb-8ccc-000000000002
url: https://example.net/postmortem
categories: []
company: Thin Corp
product: Queue
---

A queue filled up because a consumer stopped. Messages were delayed for an hour.
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run_import(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_files", *args, "--no-progress", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_it_imports_markdown_as_historical_published_reviews(tmp_path, org) -> None:
    write(tmp_path, "a/good.md", GOOD)
    write(tmp_path, "a/b/thin.md", THIN)
    write(tmp_path, "a/ignored.txt", "not markdown")
    code, out, err = run_import(
        str(tmp_path / "a"), "--team", "SRE", "--visibility", "organisation"
    )
    assert code == 0, err
    assert out.strip() == "imported 2, updated 0, failed 0"
    review = Review.objects.get(external_id="11111111-aaaa-4bbb-8ccc-000000000001")
    assert review.team.name == "SRE" and review.team.organisation == org
    assert review.is_historical and review.status == "published" and review.published_at
    assert review.visibility == Visibility.ORGANISATION
    assert review.content["summary"].startswith("The intermediate certificate")
    incident = review.incident
    assert incident.external_id == review.external_id
    assert incident.title == "Certificate expiry took down the mobile API"
    assert incident.description.startswith("An intermediate certificate expired")
    assert incident.source_url == "https://status.example.org/incidents/1"
    assert incident.started_at.isoformat() == "2024-03-01T08:00:00+00:00"
    assert incident.kind == "service_incident"
    assert sorted(t.name for t in incident.tags.all()) == [
        "certificate expiry",
        "config-change",
        "tls",
    ]
    thin = Incident.objects.get(external_id="11111111-aaaa-4bbb-8ccc-000000000002")
    assert thin.title == "A queue filled up because a consumer stopped"
    assert thin.description.startswith("A queue filled up")


def test_reimporting_updates_and_never_duplicates(tmp_path, org) -> None:
    path = write(tmp_path, "good.md", GOOD)
    run_import(str(path), "--team", "SRE")
    write(tmp_path, "good.md", GOOD.replace("took down", "stopped"))
    code, out, _ = run_import(str(path), "--team", "sre")
    assert code == 0 and out.strip() == "imported 0, updated 1, failed 0"
    assert Incident.objects.count() == 1 and Review.objects.count() == 1
    assert Review.objects.get().title == "Certificate expiry stopped the mobile API"


def test_the_file_stem_is_the_id_without_a_uuid(tmp_path, org) -> None:
    path = write(
        tmp_path, "no-uuid.md", GOOD.replace("uuid: 11111111-aaaa-4bbb-8ccc-000000000001\n", "")
    )
    assert run_import(str(path), "--team", "SRE")[0] == 0
    assert Review.objects.get().external_id == "no-uuid"


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b"\xff\xfe not utf-8", 1, "not UTF-8"),
        ("Just text, no front matter.\n", 1, "no YAML front matter"),
        ("---\ntitle: Open\n", 1, "not closed"),
        ("---\nuuid: x\ntitle: [unclosed\ncompany: A\n---\nBody\n", 4, "YAML error"),
        ("---\nuuid: x\ncompany: A\n---\n", 1, "nothing to import"),
        (
            "---\nuuid: x\ntitle: T\nstart_time: yesterday-ish\n---\nBody\n",
            4,
            "start_time: not a date",
        ),
        ("---\nuuid: x\ntitle: " + "t" * 201 + "\n---\nBody\n", 3, "title: too long"),
        ("---\nuuid: x\ntitle: T\nkeywords:\n- " + "k" * 61 + "\n---\nBody\n", 4, "keywords:"),
    ],
)
def test_a_bad_file_is_reported_with_line_and_reason_while_others_import(
    tmp_path, org, content, line, reason
) -> None:
    bad = write(tmp_path, "bad.md", content)
    good = write(tmp_path, "good.md", GOOD)
    code, out, err = run_import(str(bad), str(good), "--team", "SRE")
    assert code == 1
    assert out.strip() == "imported 1, updated 0, failed 1"
    assert f"{bad}:{line}: " in err and reason in err, err
    assert Review.objects.count() == 1 and Incident.objects.count() == 1


def test_an_unreadable_file_is_reported(tmp_path, org) -> None:
    code, _, err = run_import(str(tmp_path / "missing.md"), "--team", "SRE")
    assert code == 1 and "missing.md:0: cannot read the file" in err


def test_a_file_failing_after_its_incident_is_written_leaves_nothing(
    tmp_path, org, monkeypatch
) -> None:
    from learnloop.transfer import markdown_import as importing

    monkeypatch.setattr(importing, "BODY_MAX", 50)
    path = write(tmp_path, "long.md", GOOD)
    code, _, err = run_import(str(path), "--team", "SRE")
    assert code == 1 and "body: too long" in err and f"{path}:16:" in err
    assert not Incident.objects.exists() and not Review.objects.exists()
    assert not ImportRecord.objects.exists() and not Tag.objects.exists()

    # Same when the database refuses the review after the incident was saved.
    monkeypatch.setattr(importing, "BODY_MAX", 200_000)

    def broken(*args, **kwargs):
        raise importing.FileError(1, "simulated failure")

    monkeypatch.setattr(importing, "incident_review_sections", broken)
    code, _, err = run_import(str(path), "--team", "SRE")
    assert code == 1 and "simulated failure" in err
    assert not Incident.objects.exists() and not Review.objects.exists()


def test_a_fresh_install_gets_an_organisation_and_a_default_team(tmp_path, db, monkeypatch) -> None:
    from learnloop.accounts.models import Organisation, Team, User

    path = write(tmp_path, "good.md", GOOD)
    code, _, err = run_import(str(path))
    assert code == 0
    assert "Created organisation 'Learnloop'" in err and "importing into 'Imported'" in err
    team = Team.objects.get()
    assert team.name == "Imported" and team.organisation == Organisation.objects.get()
    assert Review.objects.get().team == team
    # createadmin then joins that organisation rather than starting another.
    monkeypatch.setenv("LEARNLOOP_ADMIN_PASSWORD", "a-long-admin-password")
    call_command("createadmin", "--email", "ops@example.org", stdout=io.StringIO())
    assert User.objects.get().organisation == team.organisation


def _wipe() -> None:
    LessonApplication.objects.all().delete()
    Lesson.objects.all().delete()
    ImportRecord.objects.all().delete()
    Action.objects.all().delete()
    Review.objects.all().delete()
    Incident.objects.all().delete()
    Tag.objects.all().delete()


def _normalised(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text())
    data.pop("exported_at")
    return data


def _add_app_content(team, user) -> None:
    """Content made in the app (no external ids): learnings, a lesson, an action, a reuse."""
    review = Review.objects.order_by("id").first()
    Learning.objects.create(
        review=review, text="Alert on expiry dates, not on outages.", position=0
    )
    [lesson] = services.lessons_from_review(
        actor=user, review=review, learning_ids=[review.learnings.get().pk]
    )
    services.lesson_create(
        actor=user, team=team, statement="Own the calendar of renewals.", tags=["tls"]
    )
    Action.objects.create(team=team, review=review, title="Automate renewal", kind="prevent")
    incident = make_incident(team, title="Expiry again, caught early")
    services.lesson_apply(actor=user, lesson=lesson, target=incident, note="Saw it coming")


def _round_trip(
    tmp_path: Path, paths: list[Path], team_name: str, user
) -> tuple[dict[str, Any], dict[str, Any]]:
    from learnloop.accounts.models import Membership, Team

    assert run_import(*map(str, paths), "--team", team_name)[0] == 0
    team = Team.objects.get(name=team_name)
    Membership.objects.get_or_create(user=user, team=team)
    user._learnloop_team_ids = None
    user.__dict__.pop("_learnloop_team_ids", None)
    _add_app_content(team, user)
    call_command("export_files", "--out", str(tmp_path / "one"))
    first = _normalised(tmp_path / "one" / "learnloop.json")
    _wipe()
    code, _, err = run_import(str(tmp_path / "one" / "learnloop.json"))
    assert code == 0, err
    call_command("export_files", "--out", str(tmp_path / "two"))
    second = _normalised(tmp_path / "two" / "learnloop.json")
    return first, second


def test_export_then_import_gives_the_same_content(tmp_path, org, alice) -> None:
    paths = [write(tmp_path, "in/good.md", GOOD), write(tmp_path, "in/thin.md", THIN)]
    first, second = _round_trip(tmp_path, paths, "SRE", alice)
    assert first == second
    assert len(first["reviews"]) == 2 and len(first["lessons"]) == 2
    assert first["applications"][0]["note"] == "Saw it coming"
    assert [lesson["applied_count"] for lesson in first["lessons"]] in ([1, 0], [0, 1])
    lesson = Lesson.objects.get(source_kind="review")
    assert lesson.learning is not None and lesson.applied_count == 1
    # Importing the same export again updates, never duplicates.
    code, out, _ = run_import(str(tmp_path / "one" / "learnloop.json"))
    assert code == 0 and out.startswith("imported 0, updated ")
    assert Lesson.objects.count() == 2 and Action.objects.count() == 1


def test_exported_markdown_reads_back_to_the_same_reviews(tmp_path, org) -> None:
    write(tmp_path, "in/good.md", GOOD)
    write(tmp_path, "in/thin.md", THIN)
    run_import(str(tmp_path / "in"), "--team", "SRE")
    call_command("export_files", "--out", str(tmp_path / "one"), "--team", "SRE")
    first = _normalised(tmp_path / "one" / "learnloop.json")
    _wipe()
    md = sorted((tmp_path / "one" / "reviews").glob("*.md"))
    assert [p.name for p in md] == [
        "11111111-aaaa-4bbb-8ccc-000000000001.md",
        "11111111-aaaa-4bbb-8ccc-000000000002.md",
    ]
    code, _, err = run_import(*map(str, md), "--team", "SRE")
    assert code == 0, err
    call_command("export_files", "--out", str(tmp_path / "two"), "--team", "SRE")
    second = _normalised(tmp_path / "two" / "learnloop.json")

    def strip(data: dict[str, Any]) -> dict[str, Any]:
        for kind in ("incidents", "reviews"):
            for item in data[kind]:
                item.pop("created_at")
                # Generated at import when the file has no date at all (the thin file).
                if kind == "reviews" and not item["source"].get("end_time"):
                    item.pop("published_at")
        return data

    assert strip(first) == strip(second)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is absent ({CORPUS})")
def test_corpus_files_survive_the_round_trip(tmp_path, org, alice) -> None:
    files = sorted(CORPUS.glob("*.md"))[:12]
    first, second = _round_trip(tmp_path, files, "Corpus", alice)
    assert first == second
    assert len(first["reviews"]) == 12


def test_a_broken_export_is_reported_and_imports_nothing(tmp_path, org) -> None:
    bad = write(
        tmp_path, "learnloop.json", '{\n  "format": "learnloop-export",\n  "version": 1,\n  oops\n}'
    )
    code, out, err = run_import(str(bad))
    assert code == 1 and f"{bad}:4: JSON error" in err and out.strip().endswith("failed 1")
    other = write(tmp_path, "other.json", json.dumps({"format": "something-else"}))
    code, _, err = run_import(str(other))
    assert code == 1 and "not a Learnloop export" in err
    half = {
        "format": "learnloop-export",
        "version": 1,
        "teams": [{"slug": "sre", "name": "SRE", "description": ""}],
        "incidents": [
            {
                "team": "sre",
                "id": "i-1",
                "title": "Fine",
                "description": "ok",
                "kind": "service_incident",
                "visibility": "team",
                "tags": [],
            },
            {
                "team": "sre",
                "id": "i-2",
                "title": "t" * 201,
                "description": "ok",
                "kind": "service_incident",
                "visibility": "team",
                "tags": [],
            },
        ],
    }
    path = write(tmp_path, "half.json", json.dumps(half))
    code, _, err = run_import(str(path))
    assert code == 1 and "title" in err
    assert not Incident.objects.exists()
