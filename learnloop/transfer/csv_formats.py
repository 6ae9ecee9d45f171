"""The CSV shapes ``learnloop import-csv`` reads: which column fills which incident field for
each incident tool's export, and how their times are written (decision 0192).

The presets follow the publicly documented CSV exports (PagerDuty's incidents CSV,
incident.io's incidents CSV, Jira's issue CSV); every column can be remapped per team. A tool's
"created" time is when the incident was triggered or reported, so it fills ``detected_at``; when
the trouble started is not in these exports (map a column to ``started_at`` if yours has one).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field

#: Incident fields a CSV can fill, in the order the mapping form shows them.
TARGETS: tuple[str, ...] = (
    "external_id",
    "title",
    "description",
    "started_at",
    "detected_at",
    "acknowledged_at",
    "resolved_at",
    "severity",
    "source_url",
)
REQUIRED: tuple[str, ...] = ("external_id", "title")
TIME_FIELDS: tuple[str, ...] = ("started_at", "detected_at", "acknowledged_at", "resolved_at")
TARGET_LABELS = {
    "external_id": "Id in the source tool",
    "title": "Title",
    "description": "What happened",
    "started_at": "Started",
    "detected_at": "Detected",
    "acknowledged_at": "Acknowledged",
    "resolved_at": "Resolved",
    "severity": "Severity",
    "source_url": "Link to the source",
}


@dataclass(frozen=True)
class CsvFormat:
    key: str
    label: str
    columns: dict[str, str]
    #: Further columns kept as "Name: value" lines under the description.
    details: tuple[str, ...] = ()
    #: strptime patterns tried after ISO 8601 (times without an offset are in the chosen zone).
    time_patterns: tuple[str, ...] = field(default=())


FORMATS: dict[str, CsvFormat] = {
    "pagerduty": CsvFormat(
        "pagerduty",
        "PagerDuty (incidents CSV export)",
        {
            "external_id": "id",
            "title": "description",
            "detected_at": "created_on",
            "resolved_at": "resolved_on",
            "severity": "urgency",
            "source_url": "html_url",
        },
        details=("incident_number", "service_name", "escalation_policy_name", "status", "priority"),
    ),
    "incident-io": CsvFormat(
        "incident-io",
        "incident.io (incidents CSV export)",
        {
            "external_id": "ID",
            "title": "Name",
            "description": "Summary",
            "detected_at": "Reported at",
            "acknowledged_at": "Accepted at",
            "resolved_at": "Resolved at",
            "severity": "Severity",
            "source_url": "Permalink",
        },
        details=("Reference", "Status", "Incident Type"),
    ),
    "jira": CsvFormat(
        "jira",
        "Jira (issue CSV export)",
        {
            "external_id": "Issue key",
            "title": "Summary",
            "description": "Description",
            "detected_at": "Created",
            "resolved_at": "Resolved",
            "severity": "Priority",
        },
        details=("Issue Type", "Status", "Resolution", "Labels"),
        # Jira writes times in the exporting person's zone and date format, without an offset.
        time_patterns=("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M"),
    ),
    "generic": CsvFormat(
        "generic",
        "Generic (one column per field, ISO 8601 times)",
        {name: name for name in TARGETS},
    ),
}

#: Severity words of the tools, to the keys of the shipped scale (used only if on the
#: organisation's scale; anything else is left empty and kept under the description).
SEVERITY_WORDS = {
    "sev1": "sev1", "sev2": "sev2", "sev3": "sev3", "sev4": "sev4",
    "p1": "sev1", "p2": "sev2", "p3": "sev3", "p4": "sev4", "p5": "sev4",
    "critical": "sev1", "highest": "sev1", "blocker": "sev1",
    "major": "sev2", "high": "sev2",
    "minor": "sev3", "medium": "sev3",
    "low": "sev4", "lowest": "sev4", "trivial": "sev4",
}  # fmt: skip

_UTC_SUFFIX = re.compile(r"\s*(?:UTC|GMT|Z)$", re.IGNORECASE)


def zone(name: str) -> dt.tzinfo:
    """A zoneinfo zone by name; ValueError with a readable message for an unknown one."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (e.g. UTC, Europe/Berlin)") from None


def parse_time(value: str, fmt: CsvFormat, tz: dt.tzinfo) -> dt.datetime:
    """An aware datetime: the value's own offset when it has one (kept as the same instant),
    else the value read in ``tz``. ValueError when it is not a time in a known shape."""
    text = value.strip()
    utc = bool(_UTC_SUFFIX.search(text)) and not text.endswith("+00:00")
    if utc:
        text = _UTC_SUFFIX.sub("", text)
    parsed = _parse_naive_or_aware(text, fmt)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC if utc else tz)
    return parsed


def _parse_naive_or_aware(text: str, fmt: CsvFormat) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in fmt.time_patterns:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError("not a date and time")


def time_hint(fmt: CsvFormat) -> str:
    examples = ["2026-03-03T14:02:00+01:00"]
    if fmt.key == "jira":
        examples.append("03/Mar/26 2:02 PM")
    return "expected e.g. " + " or ".join(examples)
