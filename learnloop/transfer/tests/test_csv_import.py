"""``import-csv``: each incident tool's export imports, and again without duplicates; bad lines
are reported by line number and nothing of them is written; --dry-run writes nothing."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command

from learnloop.incidents.models import Incident
from learnloop.testing.statistics import assert_refreshed, forget_statistics, statistics_mark
from learnloop.transfer.csv_import import CsvFileError, csv_import
from learnloop.transfer.models import CsvMapping
from learnloop.transfer.tests.test_import_bulk import committed  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLE = {
    "pagerduty": "pagerduty-incidents.csv",
    "incident-io": "incident-io-incidents.csv",
    "jira": "jira-issues.csv",
    "generic": "generic-incidents.csv",
}
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def sample(fmt: str) -> bytes:
    return (SAMPLES / SAMPLE[fmt]).read_bytes()


@pytest.mark.parametrize(
    ("fmt", "count"), [("pagerduty", 3), ("incident-io", 2), ("jira", 2), ("generic", 2)]
)
def test_each_format_imports_and_imports_again_without_duplicates(alpha, fmt, count) -> None:
    first = csv_import(team=alpha, data=sample(fmt), format=fmt, time_zone="Europe/Berlin")
    assert (first.created, first.updated, first.errors) == (count, 0, [])
    again = csv_import(team=alpha, data=sample(fmt), format=fmt, time_zone="Europe/Berlin")
    assert (again.created, again.updated, again.unchanged) == (0, 0, count)
    assert Incident.objects.filter(team=alpha, external_source=fmt).count() == count


def test_pagerduty_fields_and_offsets_are_kept(alpha) -> None:
    csv_import(team=alpha, data=sample("pagerduty"), format="pagerduty")
    incident = Incident.objects.get(external_source="pagerduty", external_id="Q0LLSAMPLE1")
    assert incident.title == "Checkout API answers 502 for a quarter of requests"
    # created_on is when PagerDuty was triggered: detected, at -05:00.
    assert incident.detected_at == dt.datetime(2026, 3, 3, 19, 2, 11, tzinfo=dt.UTC)
    assert incident.resolved_at == dt.datetime(2026, 3, 3, 20, 10, 40, tzinfo=dt.UTC)
    assert incident.created_at == incident.detected_at and incident.started_at is None
    assert incident.severity == "sev2"  # urgency "high"
    assert "service_name: checkout-api" in incident.description
    assert incident.source_url.endswith("/Q0LLSAMPLE1")
    assert incident.reporter is None
    open_one = Incident.objects.get(external_id="Q0LLSAMPLE3")
    assert open_one.resolved_at is None


def test_jira_times_without_an_offset_are_read_in_the_chosen_zone(alpha) -> None:
    report = csv_import(team=alpha, data=sample("jira"), format="jira", time_zone="Europe/Berlin")
    assert report.errors == []
    incident = Incident.objects.get(external_source="jira", external_id="OPS-311")
    assert incident.detected_at == dt.datetime(2026, 3, 3, 14, 14, tzinfo=BERLIN)
    assert incident.resolved_at == dt.datetime(2026, 3, 3, 16, 2, tzinfo=BERLIN)
    assert "nobody reads.\r\nThe wiki" in incident.description or "nobody reads.\nThe wiki" in (
        incident.description
    )
    assert incident.severity == "sev2"  # Priority "High"


def test_incident_io_utc_times_and_changes_update_on_reimport(alpha) -> None:
    csv_import(team=alpha, data=sample("incident-io"), format="incident-io")
    incident = Incident.objects.get(external_id="01LLSAMPLEAAAA2")
    assert incident.detected_at == dt.datetime(2026, 4, 20, 14, 45, tzinfo=dt.UTC)
    assert incident.acknowledged_at == dt.datetime(2026, 4, 20, 14, 50, tzinfo=dt.UTC)
    changed = sample("incident-io").replace(b"Feature flag served", b"A feature flag served")
    report = csv_import(team=alpha, data=changed, format="incident-io")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    incident.refresh_from_db()
    assert incident.title.startswith("A feature flag served")


def test_the_same_id_from_two_tools_is_two_incidents(alpha) -> None:
    data = b"external_id,title\r\nOPS-311,From the generic file\r\n"
    csv_import(team=alpha, data=sample("jira"), format="jira")
    csv_import(team=alpha, data=data, format="generic")
    assert Incident.objects.filter(external_id="OPS-311").count() == 2


def test_bad_lines_are_reported_by_number_and_nothing_of_them_is_written(alpha) -> None:
    data = (
        b"external_id,title,started_at,resolved_at\r\n"
        b"a-1,Good line,2026-05-01T10:00:00Z,2026-05-01T11:00:00Z\r\n"
        b"a-2,Bad date,yesterday at noon,\r\n"
        b'"a-3","A title\r\nacross two lines",2026-05-01T10:00:00Z,\r\n'
        b",No id,,\r\n"
        b"a-5,Resolved before it started,2026-05-02T10:00:00Z,2026-05-01T10:00:00Z\r\n"
        b"a-1,Same id again,,\r\n"
        b"a-7,Too few fields\r\n"
    )
    report = csv_import(team=alpha, data=data, format="generic")
    lines = {e.line: e.message for e in report.errors}
    assert sorted(lines) == [3, 6, 7, 8, 9]
    assert "'yesterday at noon' is not a date and time" in lines[3]
    assert "external_id" in lines[6] and "empty" in lines[6]
    assert "resolved_at" in lines[7]
    assert "also on line 2" in lines[8]
    assert "has 2 fields, the header has 4" in lines[9]
    assert sorted(str(i) for i in Incident.objects.values_list("external_id", flat=True)) == [
        "a-1",
        "a-3",
    ]
    assert Incident.objects.get(external_id="a-1").title == "Good line"


def test_a_missing_column_refuses_the_file(alpha) -> None:
    with pytest.raises(CsvFileError) as exc:
        csv_import(team=alpha, data=b"id,Summary\r\n1,x\r\n", format="jira")
    assert exc.value.line == 1 and "'Issue key' (for external_id)" in exc.value.message
    assert not Incident.objects.exists()


def test_another_encoding_is_detected_per_line_and_read_when_named(alpha) -> None:
    data = "external_id,title\r\nx-1,Plain line\r\nx-2,Caf\u00e9 outage\r\n".encode("cp1252")
    report = csv_import(team=alpha, data=data, format="generic")
    assert [e.line for e in report.errors] == [3]
    assert (
        "not utf-8" in report.errors[0].message and "--encoding cp1252" in report.errors[0].message
    )
    assert list(Incident.objects.values_list("external_id", flat=True)) == ["x-1"]
    report = csv_import(team=alpha, data=data, format="generic", encoding="cp1252")
    assert report.errors == [] and Incident.objects.get(external_id="x-2").title == "Café outage"
    utf16 = "external_id,title\r\nu-1,Grüße\r\n".encode("utf-16")
    assert csv_import(team=alpha, data=utf16, format="generic").created == 1


def test_a_dry_run_writes_nothing(alpha) -> None:
    report = csv_import(team=alpha, data=sample("pagerduty"), format="pagerduty", dry_run=True)
    assert report.created == 3 and len(report.preview) == 3
    assert not Incident.objects.exists()


def test_the_command_reports_file_and_line_and_dry_run_writes_nothing(
    alpha, tmp_path, capsys
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(
        sample("jira") + b"Broken,OPS-313,1,Incident,Done,High,,31/Feb/26 9:00 AM,,x,\r\n"
    )
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "import_csv", str(path), "--format", "jira", "--team", "Alpha", "--dry-run",
            "--time-zone", "Europe/Berlin",
        )  # fmt: skip
    assert exit_.value.code == 1
    assert not Incident.objects.exists() and not CsvMapping.objects.exists()
    captured = capsys.readouterr()
    assert "would import 2 of 3 lines" in captured.out
    assert f"{path}:5: detected_at: '31/Feb/26 9:00 AM' is not a date and time" in captured.err


def test_the_command_imports_and_saves_the_mapping(alpha, tmp_path, capsys) -> None:
    path = tmp_path / "renamed.csv"
    path.write_bytes(sample("generic").replace(b"external_id,title", b"Ref,Headline"))
    call_command(
        "import_csv", str(path), "--format", "generic", "--team", "alpha",
        "--map", "external_id=Ref", "--map", "title=Headline",
    )  # fmt: skip
    assert Incident.objects.filter(team=alpha).count() == 2
    mapping = CsvMapping.objects.get(team=alpha, format="generic")
    assert mapping.columns["external_id"] == "Ref" and mapping.columns["title"] == "Headline"
    # The next import of the same shape needs no --map.
    call_command("import_csv", str(path), "--format", "generic", "--team", "alpha")
    assert "0 new, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_the_command_prints_each_bad_line_with_file_and_number(alpha, tmp_path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"external_id,title,started_at\r\nb-1,Fine,\r\nb-2,Bad,not a time\r\n")
    with pytest.raises(SystemExit):
        call_command("import_csv", str(path), "--format", "generic", "--team", "alpha")
    err = capsys.readouterr().err
    assert f"{path}:3: started_at: 'not a time' is not a date and time" in err
    assert list(Incident.objects.values_list("external_id", flat=True)) == ["b-1"]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_the_page_previews_then_imports_for_team_admins(alpha, alice, client_for) -> None:
    client = client_for(alice)
    url = f"/teams/{alpha.slug}/import-csv/"
    assert client.get(url).status_code == 200
    upload = io.BytesIO(sample("pagerduty"))
    upload.name = "pd.csv"
    preview = client.post(
        url, {"format": "pagerduty", "time_zone": "UTC", "file": upload, "action": "preview"}
    )
    page = preview.content.decode()
    assert preview.status_code == 200 and "3 would import (3 new" in page
    assert "Checkout API answers 502" in page and 'name="map_title"' in page
    assert not Incident.objects.exists()
    done = client.post(
        url,
        {"format": "pagerduty", "time_zone": "UTC", "content": _b64(sample("pagerduty")), "action": "import",
         **{f"map_{t}": c for t, c in {"external_id": "id", "title": "description", "detected_at": "created_on"}.items()}},
    )  # fmt: skip
    assert done.status_code == 200 and "Imported 3 of 3 lines" in done.content.decode()
    assert Incident.objects.filter(team=alpha, external_source="pagerduty").count() == 3
    assert CsvMapping.objects.get(team=alpha, format="pagerduty").columns == {
        "external_id": "id", "title": "description", "detected_at": "created_on",
    }  # fmt: skip


def test_the_page_shows_line_errors_and_refuses_a_missing_file(alpha, alice, client_for) -> None:
    client = client_for(alice)
    url = f"/teams/{alpha.slug}/import-csv/"
    assert client.post(url, {"format": "generic", "action": "preview"}).status_code == 400
    bad = b"external_id,title,started_at\r\nb-1,Fine,\r\nb-2,Bad,not a time\r\n"
    page = client.post(
        url, {"format": "generic", "content": _b64(bad), "action": "preview"}
    ).content.decode()
    assert "line 3: started_at" in page
    missing = client.post(
        url, {"format": "jira", "content": _b64(b"a,b\r\n1,2\r\n"), "action": "preview"}
    )
    assert missing.status_code == 400 and "missing column" in missing.content.decode()


def test_members_and_other_teams_get_404(alpha, bob, charlie, mallory, client_for) -> None:
    for person in (bob, charlie, mallory):
        client = client_for(person)
        assert client.get(f"/teams/{alpha.slug}/import-csv/").status_code == 404
        data = {"format": "generic", "content": _b64(sample("generic")), "action": "import"}
        assert client.post(f"/teams/{alpha.slug}/import-csv/", data).status_code == 404
        api = client.post(
            "/api/transfer/import-csv",
            {"team_id": alpha.pk, "format": "generic", "content_base64": _b64(sample("generic"))},
            content_type="application/json",
        )
        assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    assert not Incident.objects.exists()


def test_the_api_imports_with_a_dry_run_first(alpha, alice, client_for) -> None:
    client = client_for(alice)
    body = {"team_id": alpha.pk, "format": "jira", "content_base64": _b64(sample("jira")),
            "time_zone": "Europe/Berlin", "dry_run": True}  # fmt: skip
    dry = client.post("/api/transfer/import-csv", body, content_type="application/json").json()
    assert dry["created"] == 2 and dry["dry_run"] is True and not Incident.objects.exists()
    real = client.post(
        "/api/transfer/import-csv", {**body, "dry_run": False}, content_type="application/json"
    ).json()
    assert real["created"] == 2 and Incident.objects.count() == 2
    bad = client.post(
        "/api/transfer/import-csv",
        {**body, "content_base64": "***"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "content_base64" in bad.json()["error"]["fields"]
    wrong = client.post(
        "/api/transfer/import-csv", {**body, "format": "nope"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and "unknown format" in wrong.json()["error"]["message"]


@pytest.mark.usefixtures("committed")
def test_the_command_refreshes_planner_statistics_after_it_writes(alpha, tmp_path) -> None:
    """Like ``learnloop import`` and the seeds (decision 0248): ANALYZE on SQLite, VACUUM
    (ANALYZE) on PostgreSQL once the lines are committed; a dry run or an import that changes
    nothing leaves the statistics alone."""
    path = tmp_path / "generic.csv"
    path.write_bytes(sample("generic"))
    before = forget_statistics("incidents_incident")
    call_command("import_csv", str(path), "--format", "generic", "--team", "alpha", "--dry-run")
    assert statistics_mark("incidents_incident") == before
    call_command("import_csv", str(path), "--format", "generic", "--team", "alpha")
    assert_refreshed(before, statistics_mark("incidents_incident"))
    before = forget_statistics("incidents_incident")
    call_command("import_csv", str(path), "--format", "generic", "--team", "alpha")  # unchanged
    assert statistics_mark("incidents_incident") == before
