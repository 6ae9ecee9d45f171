"""What every metric returns: monthly series with a unit, a one-line plain reading, and the
table, CSV and JSON made from the same numbers (so the page, the exports and the API agree).

No result ever holds a person: series are labelled by measure or by team, never by name."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from learnloop.incidents.charts import format_minutes

#: Units a series can have; each decides how a value is written in the table and the reading.
UNITS = ("minutes", "hours", "days", "share", "count", "ratio", "score", "gini")


def fmt(value: float | None, unit: str) -> str:
    """A value written for people (the table and the reading); "–" for no value."""
    if value is None:
        return "–"
    if unit == "minutes":
        return format_minutes(value)
    if unit == "hours":
        return format_minutes(value * 60)
    if unit == "days":
        return f"{value:.1f} d"
    if unit == "share":
        return f"{round(100 * value)}%"
    if unit == "count":
        return f"{value:g}"
    if unit == "gini":
        return f"{value:.2f}"
    return f"{value:.2f}"


@dataclass
class Series:
    label: str
    values: list[float | None]
    unit: str
    #: Drawn as a reference line (a target), not as data.
    reference: bool = False


@dataclass
class Match:
    """A new incident and the past incident it closely matches (repeat incidents)."""

    incident_id: int
    incident_title: str
    incident_url: str
    past_id: int
    past_title: str
    past_url: str
    confidence: float
    month: str


@dataclass
class Metric:
    key: str
    title: str
    group: str
    #: One plain sentence: what the numbers say, in blameless words, or why there are none.
    reading: str
    #: How it is computed, in one or two sentences (docs/metrics.md has the full definition).
    definition: str
    months: list[str]
    series: list[Series] = field(default_factory=list)
    #: "ok", "no_data" (nothing to count yet) or "restricted" (this viewer may not see it).
    state: str = "ok"
    #: When the numbers were computed, for metrics that are computed ahead (repeat incidents).
    as_of: dt.datetime | None = None
    matches: list[Match] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.state == "ok"

    def headers(self) -> list[str]:
        return ["Month", *(s.label for s in self.series)]

    def rows(self) -> list[list[str]]:
        """The data table: one row per month that has any value, values written for people."""
        out = []
        for i, month in enumerate(self.months):
            values = [s.values[i] for s in self.series]
            if all(v is None for s, v in zip(self.series, values, strict=True) if not s.reference):
                continue
            out.append([month, *(fmt(v, s.unit) for s, v in zip(self.series, values, strict=True))])
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "group": self.group,
            "state": self.state,
            "reading": self.reading,
            "definition": self.definition,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "months": self.months,
            "series": [
                {"label": s.label, "unit": s.unit, "reference": s.reference, "values": s.values}
                for s in self.series
            ],
            "matches": [vars(m) for m in self.matches],
        }

    def as_csv(self) -> str:
        """One row per month, one column per series, raw values (minutes, shares as 0–1)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["month", *(f"{s.label} ({s.unit})" for s in self.series)])
        for i, month in enumerate(self.months):
            writer.writerow(
                [month, *("" if s.values[i] is None else s.values[i] for s in self.series)]
            )
        return buffer.getvalue()


def chart_data(metric: Metric) -> dict[str, Any]:
    """What the page's script hands to the charting library (read from a JSON script tag)."""
    return {
        "title": metric.title,
        "months": metric.months,
        "series": [
            {"label": s.label, "unit": s.unit, "reference": s.reference, "values": s.values}
            for s in metric.series
        ],
    }
