"""The import is refused by the same domain rules the web and the API apply (decision 0053):
the first problem is reported as ``path:line: reason`` and nothing of the file is written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from learnloop.accounts.models import Team, User
from learnloop.actions.models import Action
from learnloop.actions.services import action_create
from learnloop.core.errors import ApplicationError
from learnloop.incidents.models import Incident
from learnloop.incidents.services import incident_create
from learnloop.lessons.models import Lesson
from learnloop.lessons.services import lesson_create
from learnloop.reviews.content import content_clean
from learnloop.reviews.models import Review
from learnloop.transfer.tests.test_import_export import GOOD, run_import, write

FAR_FUTURE = "9999-01-01T00:00:00Z"


def export(**content: list[dict[str, Any]]) -> dict[str, Any]:
    """A version-2 export of one team holding ``content`` (incidents, reviews, ...)."""
    return {
        "format": "learnloop-export",
        "version": 2,
        "teams": [{"slug": "imported", "name": "Imported", "description": ""}],
        **content,
    }


INCIDENT = {
    "team": "imported",
    "id": "i-1",
    "title": "Queue stalled",
    "description": "A consumer stopped.",
    "kind": "service_incident",
    "visibility": "team",
    "tags": ["queue"],
}
REVIEW = {
    "team": "imported",
    "id": "r-1",
    "incident": {"team": "imported", "id": "i-1"},
    "title": "Review: queue stalled",
    "status": "published",
    "visibility": "team",
    "sections": [{"key": "summary", "title": "Summary", "type": "rich_text", "min_count": 0}],
    "content": {"summary": "It stalled."},
    "timeline": [{"at": "2024-03-01T08:00:00Z", "text": "Alert fired", "position": 0}],
}
ACTION = {
    "team": "imported",
    "id": "a-1",
    "review": {"team": "imported", "id": "r-1"},
    "title": "Alert on consumer lag",
    "kind": "detect",
    "status": "open",
    "visibility": "team",
}


def refused(tmp_path: Path, data: dict[str, Any]) -> str:
    """Import ``data``; assert it failed and left nothing behind; the error line."""
    path = write(tmp_path, "export.json", json.dumps(data))
    code, out, err = run_import(str(path))
    assert code == 1 and out.strip().endswith("failed 1"), (out, err)
    assert not Team.objects.filter(slug="imported").exists()
    assert not Incident.objects.exists() and not Review.objects.exists()
    assert not Action.objects.exists() and not Lesson.objects.exists()
    assert err.startswith(f"{path}:0: "), err
    return err


def test_a_whole_export_with_valid_data_imports(tmp_path: Path, org: Any) -> None:
    path = write(
        tmp_path,
        "export.json",
        json.dumps(export(incidents=[INCIDENT], reviews=[REVIEW], actions=[ACTION])),
    )
    code, _, err = run_import(str(path))
    assert code == 0, err
    assert Action.objects.get().kind == "detect"
    assert Review.objects.get().timeline.get().text == "Alert fired"


def test_an_action_of_an_unknown_kind_is_refused_by_the_actions_rule(
    tmp_path: Path, alice: User, alpha: Team
) -> None:
    err = refused(
        tmp_path,
        export(incidents=[INCIDENT], reviews=[REVIEW], actions=[{**ACTION, "kind": "bogus"}]),
    )
    with pytest.raises(ApplicationError) as web:
        action_create(actor=alice, team=alpha, title="Alert on lag", kind="bogus")
    assert f"action a-1: kind: {web.value.fields['kind'][0]}" in err


def test_a_far_future_due_date_is_refused_as_the_web_refuses_it(
    tmp_path: Path, alice: User, alpha: Team
) -> None:
    err = refused(
        tmp_path,
        export(
            incidents=[INCIDENT], reviews=[REVIEW], actions=[{**ACTION, "due_date": "3000-01-01"}]
        ),
    )
    with pytest.raises(ApplicationError) as web:
        action_create(actor=alice, team=alpha, title="Alert on lag", due_date="3000-01-01")
    assert f"action a-1: due_date: {web.value.fields['due_date'][0]}" in err


def test_a_timeline_entry_at_an_impossible_time_is_refused_by_the_review_content_rule(
    tmp_path: Path, org: Any, alpha: Team
) -> None:
    timeline = [{"at": FAR_FUTURE, "text": "Alert fired", "position": 0}]
    err = refused(
        tmp_path, export(incidents=[INCIDENT], reviews=[{**REVIEW, "timeline": timeline}])
    )
    section = {"key": "timeline", "title": "Timeline", "type": "timeline", "min_count": 0}
    editor = Review(team=alpha, sections=[section], content={})
    _, errors = content_clean(
        review=editor, content={"timeline": [{"at": FAR_FUTURE, "text": "Alert fired"}]}
    )
    assert f"review r-1: timeline.0: at: {errors['content.timeline.0.at'][0]}" in err


def test_incident_times_out_of_order_are_refused_as_reporting_refuses_them(
    tmp_path: Path, alice: User, alpha: Team
) -> None:
    times = {"started_at": "2024-03-01T10:00:00Z", "resolved_at": "2024-03-01T09:00:00Z"}
    err = refused(tmp_path, export(incidents=[{**INCIDENT, **times}]))
    with pytest.raises(ApplicationError) as web:
        incident_create(
            actor=alice,
            team=alpha,
            title="Queue stalled",
            description="A consumer stopped.",
            started_at=dt.datetime(2024, 3, 1, 10, tzinfo=dt.UTC),
            resolved_at=dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC),
        )
    assert f"incident i-1: resolved_at: {web.value.fields['resolved_at'][0]}" in err


def test_an_empty_lesson_statement_is_refused_by_the_lessons_rule(
    tmp_path: Path, alice: User, alpha: Team
) -> None:
    lesson = {"team": "imported", "id": "l-1", "statement": "  ", "visibility": "team"}
    err = refused(tmp_path, export(incidents=[INCIDENT], lessons=[lesson]))
    with pytest.raises(ApplicationError) as web:
        lesson_create(actor=alice, team=alpha, statement="  ")
    assert f"lesson l-1: statement: {web.value.fields['statement'][0]}" in err


def test_a_markdown_file_ending_before_it_started_names_the_line(tmp_path: Path, org: Any) -> None:
    good = write(tmp_path, "good.md", GOOD.replace("000000000001", "000000000009"))
    backwards = GOOD.replace("end_time: 2024-03-01T09:30:00Z", "end_time: 2024-03-01T07:00:00Z")
    bad = write(tmp_path, "backwards.md", backwards)
    code, out, err = run_import(str(good), str(bad), "--team", "SRE")
    assert code == 1 and out.strip() == "imported 1, updated 0, failed 1"
    line = 1 + backwards.splitlines().index("end_time: 2024-03-01T07:00:00Z")
    assert f"{bad}:{line}: resolved_at: Must be on or after the time it started" in err
    # The good file imported; of the bad one nothing (the incident is written first).
    assert list(Incident.objects.values_list("external_id", flat=True)) == [
        "11111111-aaaa-4bbb-8ccc-000000000009"
    ]


def test_a_markdown_file_from_the_far_future_is_refused(tmp_path: Path, org: Any) -> None:
    text = GOOD.replace("start_time: 2024-03-01T08:00:00Z", "start_time: 9999-03-01T08:00:00Z")
    bad = write(tmp_path, "future.md", text)
    code, _, err = run_import(str(bad), "--team", "SRE")
    line = 1 + text.splitlines().index("start_time: 9999-03-01T08:00:00Z")
    assert code == 1 and f"{bad}:{line}: started_at: Enter a date between 1000 and 2200." in err
    assert not Incident.objects.exists() and not Review.objects.exists()


def test_history_older_than_1900_imports_but_not_older_than_1000(tmp_path: Path, org: Any) -> None:
    # The corpus holds the Vasa's sinking (1628): imported history may start in year 1000.
    vasa = GOOD.replace("2024-03-01T", "1628-08-10T")
    assert run_import(str(write(tmp_path, "vasa.md", vasa)), "--team", "SRE")[0] == 0
    started_at = Incident.objects.get().started_at
    assert started_at is not None and started_at.year == 1628
    older = write(
        tmp_path,
        "older.md",
        GOOD.replace("2024-03-01T", "0999-08-10T").replace("000000000001", "000000000002"),
    )
    code, _, err = run_import(str(older), "--team", "SRE")
    assert code == 1 and "started_at: Enter a date between 1000 and 2200." in err
