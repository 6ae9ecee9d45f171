"""Incidents from an incident tool's CSV export (``learnloop import-csv``, the team admin's
import page and ``POST /api/transfer/import-csv``; decision 0192).

Every line is checked first; a bad line is reported with its line number and nothing of it is
written, while the good lines import in one transaction. An incident is keyed by (team, source
tool, the tool's id), so importing the same export again updates instead of duplicating. With
``dry_run`` the same work runs and is rolled back: nothing is written.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from learnloop.accounts.models import Team
from learnloop.core.errors import ApplicationError
from learnloop.core.models import Visibility
from learnloop.incidents.models import DEFAULT_SEVERITY_SCALE, Incident, Kind
from learnloop.incidents.services import incident_errors
from learnloop.transfer.csv_formats import (
    FORMATS,
    REQUIRED,
    SEVERITY_WORDS,
    TARGETS,
    TIME_FIELDS,
    CsvFormat,
    parse_time,
    time_hint,
    zone,
)

MAX_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 10
COMPARED = ("title", "description", "severity", "source_url", *TIME_FIELDS)


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class CsvReport:
    format: str
    header: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    time_zone: str = "UTC"
    encoding: str = "utf-8"
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    preview: list[dict[str, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


class CsvFileError(ApplicationError):
    """The whole file cannot be read (no header, a required column missing, an unknown
    format or zone); ``line`` says where."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}", fields={"file": [f"line {line}: {message}"]})
        self.line = line


# --- reading --------------------------------------------------------------------------------


def decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    """The text and the encoding used: the one given, else UTF-16 by its byte-order mark, else
    UTF-8 (a BOM dropped). Bytes the encoding cannot read become lone surrogates, so the lines
    holding them are reported (not the whole file refused)."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise CsvFileError(1, f"unknown encoding {encoding!r} (e.g. utf-8, cp1252)") from None
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    return data.decode(encoding, errors="surrogateescape"), encoding.replace("-sig", "")


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, fields) per CSV record; a record may span lines (quoted newlines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                out.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CsvFileError(reader.line_num or start, f"not readable as CSV ({exc})") from None
    return out


def effective_columns(fmt: CsvFormat, mapping: Mapping[str, str] | None) -> dict[str, str]:
    """The preset's columns with ``mapping`` on top (an empty value unmaps a field)."""
    columns = dict(fmt.columns)
    for target, column in (mapping or {}).items():
        if target not in TARGETS:
            raise ApplicationError(
                f"Unknown field {target!r} in the column mapping.",
                fields={"mapping": [f"Fields are: {', '.join(TARGETS)}."]},
            )
        if column.strip():
            columns[target] = column.strip()
        else:
            columns.pop(target, None)
    return columns


# --- one line -------------------------------------------------------------------------------


def _severity(value: str, scale: set[str]) -> str:
    word = value.strip().lower()
    key = word if word in scale else SEVERITY_WORDS.get(word, "")
    return key if key in scale else ""


def _row_values(
    row: list[str],
    index: dict[str, int],
    fmt: CsvFormat,
    tz: dt.tzinfo,
    scale: set[str],
) -> tuple[dict[str, Any], list[str]]:
    """The incident fields of one line and the problems found, worded for the person."""
    problems: list[str] = []
    raw = {target: row[i].strip() for target, i in index.items() if i < len(row)}
    values: dict[str, Any] = {t: raw.get(t, "") for t in ("external_id", "title", "source_url")}
    for target in REQUIRED:
        if not raw.get(target):
            problems.append(f"{target} (column {fmt.columns.get(target, target)!r}) is empty")
    for target in TIME_FIELDS:
        text = raw.get(target, "")
        values[target] = None
        if text:
            try:
                values[target] = parse_time(text, fmt, tz)
            except ValueError:
                problems.append(f"{target}: {text!r} is not a date and time; {time_hint(fmt)}")
    values["severity"] = _severity(raw.get("severity", ""), scale)
    details = [
        f"{name}: {row[index[name]].strip()}"
        for name in fmt.details
        if name in index and index[name] < len(row) and row[index[name]].strip()
    ]
    if raw.get("severity") and not values["severity"]:
        details.append(f"Severity in the source: {raw['severity']}")
    values["description"] = (
        "\n\n".join(p for p in (raw.get("description", ""), "\n".join(details)) if p)
        or values["title"]
    )
    return values, problems


# --- the import -----------------------------------------------------------------------------


def csv_import(
    *,
    team: Team,
    data: bytes,
    format: str,
    mapping: Mapping[str, str] | None = None,
    time_zone: str = "UTC",
    encoding: str | None = None,
    dry_run: bool = False,
    visibility: str = Visibility.TEAM,
) -> CsvReport:
    """Check every line of ``data`` and import the good ones into ``team`` (see module)."""
    fmt = FORMATS.get(format)
    if fmt is None:
        raise CsvFileError(1, f"unknown format {format!r}; one of {', '.join(FORMATS)}")
    if len(data) > MAX_BYTES:
        raise CsvFileError(1, f"the file is over {MAX_BYTES // (1024 * 1024)} MB")
    try:
        tz = zone(time_zone)
    except ValueError as exc:
        raise CsvFileError(1, str(exc)) from None
    text, used = decode(data, encoding)
    report = CsvReport(format=fmt.key, time_zone=time_zone, encoding=used, dry_run=dry_run)
    records = _records(text)
    if not records:
        raise CsvFileError(1, "the file is empty (a header line is needed)")
    header_line, header = records[0]
    report.header = [h.strip() for h in header]
    columns = effective_columns(fmt, mapping)
    report.columns = columns
    bound = CsvFormat(fmt.key, fmt.label, columns, fmt.details, fmt.time_patterns)
    position = {name: i for i, name in reversed(list(enumerate(report.header)))}
    missing = [f"{columns[t]!r} (for {t})" for t in REQUIRED if columns.get(t) not in position]
    if missing:
        raise CsvFileError(header_line, "missing column " + ", ".join(missing))
    index = {t: position[c] for t, c in columns.items() if c in position}
    for target, column in columns.items():
        if column not in position:
            report.notes.append(f"No column {column!r} in the file: {target} stays empty.")
    index.update({name: position[name] for name in fmt.details if name in position})
    scale = _scale(team)

    good: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for line, row in records[1:]:
        report.rows += 1
        problems = _line_problems(row, report, used)
        values, more = _row_values(row, index, bound, tz, scale)
        problems += more
        key = values["external_id"]
        if key and key in seen:
            problems.append(f"the id {key!r} is also on line {seen[key]}")
        problems += _rule_problems(values, team)
        if problems:
            report.errors.append(LineError(line, "; ".join(problems)))
            continue
        seen[key] = line
        good.append((line, values))
        if len(report.preview) < PREVIEW_ROWS:
            report.preview.append({t: _show(values.get(t)) for t in TARGETS})
    _write(team, fmt.key, good, report, visibility)
    return report


def _line_problems(row: list[str], report: CsvReport, encoding: str) -> list[str]:
    problems = []
    if len(row) != len(report.header):
        problems.append(f"has {len(row)} fields, the header has {len(report.header)}")
    if any("\udc80" <= ch <= "\udcff" for cell in row for ch in cell):
        problems.append(
            f"holds bytes that are not {encoding} (is the file in another encoding? "
            "save it as UTF-8, or name it, e.g. --encoding cp1252)"
        )
    return problems


def _rule_problems(values: dict[str, Any], team: Team) -> list[str]:
    """The incidents' own rules (text limits, times in range and in order), as reporting."""
    if not values["title"] or not values["external_id"]:
        return []
    if len(values["external_id"]) > 200:
        return ["the id is longer than 200 characters"]
    data = {
        "title": values["title"],
        "description": values["description"],
        "kind": Kind.SERVICE_INCIDENT,
        "visibility": Visibility.TEAM,
        **{t: values[t] for t in TIME_FIELDS},
    }
    errors = incident_errors(data, team.organisation, history=True)
    values.update({k: data[k] for k in ("title", "description", *TIME_FIELDS)})
    if values["source_url"] and not values["source_url"].startswith(("http://", "https://")):
        errors["source_url"] = ["is not an http(s) link"]
    return [f"{name}: {' '.join(msgs)}" for name, msgs in errors.items()]


def _scale(team: Team) -> set[str]:
    scale = (team.organisation.settings or {}).get("severity_scale") or DEFAULT_SEVERITY_SCALE
    return {str(item.get("key")) for item in scale if isinstance(item, dict)}


def _show(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return "" if value is None else str(value)


def _write(
    team: Team,
    source: str,
    good: list[tuple[int, dict[str, Any]]],
    report: CsvReport,
    visibility: str,
) -> None:
    if team.pk is None:  # a dry run into a team the real run would create: all would be new
        report.created = len(good)
        return
    with transaction.atomic():
        existing = {
            i.external_id: i
            for i in Incident.objects.filter(
                team=team,
                external_source=source,
                external_id__in=[v["external_id"] for _, v in good],
            )
        }
        for line, values in good:
            incident = existing.get(values["external_id"])
            if incident is not None and all(
                getattr(incident, name) == values[name] for name in COMPARED
            ):
                report.unchanged += 1
                continue
            created = incident is None
            if incident is None:
                first = values["detected_at"] or values["started_at"] or timezone.now()
                incident = Incident(
                    team=team,
                    external_source=source,
                    external_id=values["external_id"],
                    visibility=visibility,
                    kind=Kind.SERVICE_INCIDENT,
                    created_at=min(first, timezone.now()),
                )
            for name in COMPARED:
                setattr(incident, name, values[name])
            try:
                incident.full_clean(
                    exclude=["team", "reporter", "tags"], validate_constraints=False
                )
            except ValidationError as exc:
                report.errors.append(LineError(line, "; ".join(exc.messages)))
                continue
            incident.save()
            if created:
                report.created += 1
            else:
                report.updated += 1
        if report.dry_run:
            transaction.set_rollback(True)
