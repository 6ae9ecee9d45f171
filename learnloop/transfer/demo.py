"""Demo: incidents the platform team brought over from its paging tool's CSV export (written
for the demo), imported the way a team admin would (decision 0192)."""

from __future__ import annotations

import csv
import io

from learnloop.core.demo import DemoContext, step
from learnloop.transfer.csv_import import csv_import
from learnloop.transfer.csv_mappings import mapping_save

# (id, title, days ago, hour, minutes to resolve, urgency, service)
PAGED = [
    ("PDEMO01", "Proofing-room humidity alert paged at 3 a.m.", 300, 3, 50, "high", "proofing"),
    (
        "PDEMO02",
        "Order tablets lost Wi-Fi after the router update",
        240,
        7,
        95,
        "high",
        "shop-wifi",
    ),
    ("PDEMO03", "Label printer queue stuck on a malformed job", 150, 10, 35, "low", "labels"),
    ("PDEMO04", "Delivery app showed yesterday's routes", 60, 5, 40, "high", "routes"),
]
HEADER = ["id", "incident_number", "description", "service_name", "created_on", "resolved_on"]
HEADER += ["urgency", "status", "html_url"]


@step(65)
def imported_incidents(ctx: DemoContext) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n, (key, title, days, hour, minutes, urgency, service) in enumerate(PAGED, start=101):
        start = ctx.at(days, hour)
        end = ctx.at(days, hour, minutes)
        url = f"https://crumb.pagerduty.example/incidents/{key}"
        row = [key, n, title, service, start.isoformat(), end.isoformat(), urgency, "resolved", url]
        writer.writerow(row)
    team = ctx.teams["platform"]
    report = csv_import(team=team, data=out.getvalue().encode(), format="pagerduty")
    mapping_save(team=team, format="pagerduty", columns=report.columns, time_zone="UTC")
