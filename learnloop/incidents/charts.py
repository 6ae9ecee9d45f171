"""Server-rendered inline SVG bar charts: no CDN, no JavaScript, readable by screen readers.

Each chart is an ``<svg role="img">`` with ``<title>`` and ``<desc>``, and the page shows the
same numbers in a table beside it (the accessible fallback and the precise values).
"""

from __future__ import annotations

import itertools
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from learnloop.incidents.metrics import MEASURE_LABELS

#: Colours for plain series (mean, median, p90; counts): blues and greys only, so that
#: green, amber and red keep one meaning on every chart, the states of STATE_COLOURS.
COLOURS = ["#1f5fa8", "#6a4c93", "#455a64", "#7b9acc"]
#: One colour per state, the same wherever a state is drawn (and for the overdue badge in
#: app.css): done on time is green, done late amber, overdue red, still open blue.
STATE_COLOURS = {
    "on_time": "#2e7d32",
    "late": "#b26a00",
    "overdue": "#c62828",
    "open": "#1f5fa8",
}
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 84, 12, 28, 48

_ids = itertools.count(1)


def format_minutes(value: float | None) -> str:
    """A human duration: “42 min”, “3 h 5 min”, “2 d 4 h”."""
    if value is None:
        return "–"
    minutes = round(value)
    if minutes < 1:
        return "< 1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def bar_chart(
    *,
    title: str,
    desc: str,
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
    value_format: Any = str,
    colours: list[str] | None = None,
) -> SafeString:
    """Grouped bars: one group per category, one bar per series (coloured by ``colours``,
    one per series, or else by COLOURS in turn)."""
    colours = colours or [COLOURS[i % len(COLOURS)] for i in range(len(series))]
    uid = f"chart-{next(_ids)}"
    peak = max([v for _, vals in series for v in vals if v is not None] or [0]) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(categories), 1)
    bar_w = max(min(group_w * 0.8 / max(len(series), 1), 40), 2)
    parts = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
            'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title>'
            '<desc id="{}-d">{}</desc>',
            WIDTH,
            HEIGHT,
            uid,
            uid,
            uid,
            title,
            uid,
            desc,
        ),  # fmt: skip
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" stroke-width="1"/>',
            LEFT,
            TOP + plot_h,
            LEFT + plot_w,
            TOP + plot_h,
        ),  # fmt: skip
        format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="currentColor">{}</text>',
            LEFT - 4,
            TOP + 4,
            value_format(peak),
        ),  # fmt: skip
    ]
    for ci, category in enumerate(categories):
        gx = LEFT + ci * group_w + (group_w - bar_w * len(series)) / 2
        for si, (name, values) in enumerate(series):
            value = values[ci]
            if value is None:
                continue
            h = plot_h * value / peak
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}, {}: {}</title></rect>",
                    round(gx + si * bar_w, 1),
                    round(TOP + plot_h - h, 1),
                    round(bar_w, 1),
                    round(h, 1),
                    colours[si],
                    category,
                    name,
                    value_format(value),
                )  # fmt: skip
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" '
                'fill="currentColor">{}</text>',
                round(LEFT + ci * group_w + group_w / 2, 1),
                TOP + plot_h + 16,
                category,
            )  # fmt: skip
        )
    for si, (name, _) in enumerate(series):
        x = LEFT + si * 110
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="{}" font-size="11" fill="currentColor">{}</text>',
                x,
                HEIGHT - 14,
                colours[si],
                x + 14,
                HEIGHT - 5,
                name,
            )  # fmt: skip
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def _stats_chart(
    title: str, desc: str, groups: dict[str, dict[str, Any]], labels: dict[str, Any] | None = None
) -> dict[str, Any]:
    categories = list(groups)
    names = [(labels or {}).get(c, c) or "No severity" for c in categories]
    series = [
        (stat.title() if stat != "p90" else "p90", [groups[c][stat] for c in categories])
        for stat in ("mean", "median", "p90")
    ]
    return {
        "title": title,
        "svg": bar_chart(
            title=title, desc=desc, categories=names, series=series, value_format=format_minutes
        ),
        "headers": ["", "Incidents", "Mean", "Median", "p90"],
        "rows": [
            [
                n,
                groups[c]["count"],
                *(format_minutes(groups[c][s]) for s in ("mean", "median", "p90")),
            ]
            for n, c in zip(names, categories, strict=True)
        ],
    }


def _count_charts(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Incidents per month, by start time or, without one, by report date (said on the chart)."""
    counts = data.get("incidents_by_month") or {}
    if counts:
        months = list(counts)
        keys = [("started", "By start time"), ("reported", "By report date (no start time)")]
        by_report = sum(c["reported"] for c in counts.values())
        return [
            {
                "title": "Incidents by month",
                "note": (
                    f"{by_report} of {data['incident_count']} incidents have no start time "
                    "and are counted in the month they were reported."
                    if by_report
                    else "Every incident is counted in the month it started."
                ),
                "svg": bar_chart(
                    title="Incidents by month",
                    desc="Incidents per month they started; an incident without a start time "
                    "is counted in the month it was reported.",
                    categories=months,
                    series=[(name, [counts[m][k] for m in months]) for k, name in keys],
                    colours=[COLOURS[0], COLOURS[3]],
                ),
                "headers": ["Month", *(name for _, name in keys)],
                "rows": [[m, *(counts[m][k] for k, _ in keys)] for m in months],
            }
        ]
    return []


def dashboard_charts(
    data: dict[str, Any], severity_labels: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Charts (SVG plus table rows) for the numbers of metrics.dashboard_metrics."""
    charts = _count_charts(data)
    for measure, label in MEASURE_LABELS.items():
        block = data["durations"][measure]
        for key, by in (("by_severity", "severity"), ("by_month", "month")):
            if not block[key]:
                continue
            charts.append(
                _stats_chart(
                    f"{label} by {by}",
                    f"Mean, median and 90th percentile {label.lower()} per {by}, "
                    f"from {block['overall']['count']} incidents.",
                    block[key],
                    severity_labels if by == "severity" else None,
                )
            )
    lag = data["review_lag"]
    if lag["by_month"]:
        charts.append(
            _stats_chart(
                "Time from resolution to published review, by month",
                "Mean, median and 90th percentile time from an incident's resolution to its "
                "first published review, per month of resolution.",
                lag["by_month"],
            )
        )
    actions = data["actions"]
    if actions:
        months = list(actions)
        keys = [("on_time", "Done on time"), ("late", "Done late"), ("overdue", "Overdue"),
                ("open", "Open")]  # fmt: skip
        charts.append(
            {
                "title": "Actions by month due",
                "svg": bar_chart(
                    title="Actions by month due",
                    desc="Per month of due date: actions done on time, done late, overdue "
                    "and still open.",
                    categories=months,
                    series=[(name, [actions[m][k] for m in months]) for k, name in keys],
                    colours=[STATE_COLOURS[k] for k, _ in keys],
                ),
                "headers": ["Month due", *(name for _, name in keys)],
                "rows": [[m, *(actions[m][k] for k, _ in keys)] for m in months],
            }
        )
    return charts
