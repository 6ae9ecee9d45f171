"""Phishing and social-engineering campaign results: counts only, never people
(decisions/0172). Entered one by one or imported from CSV, all or nothing; counts that are
negative, do not add up to the people it went to, or cover fewer than five people are refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import QuerySet

from learnloop.accounts.models import Team, User
from learnloop.core.errors import ApplicationError
from learnloop.core.models import Visibility
from learnloop.core.validation import MIN_YEAR, int_or_none
from learnloop.drills.models import MIN_PEOPLE, Campaign, CampaignKind, Drill
from learnloop.drills.services import require_member

CSV_COLUMNS = ("name", "date", "reported", "clicked", "ignored")
CSV_OPTIONAL = ("kind", "sent", "minutes_to_first_report")
CSV_MAX_ROWS = 500
COUNT_MAX = 1_000_000


def _count(value: Any, name: str, errors: dict[str, list[str]], *, optional: bool = False) -> Any:
    if value in (None, "") and optional:
        return None
    number = int_or_none(value, minimum=-COUNT_MAX * 10, maximum=COUNT_MAX * 10)
    if number is None:
        errors[name] = ["Give a whole number."]
    elif number < 0:
        errors[name] = ["Cannot be negative."]
    elif number > COUNT_MAX:
        errors[name] = [f"At most {COUNT_MAX:,}."]
    else:
        return number
    return None


def campaign_check(values: dict[str, Any]) -> dict[str, list[str]]:
    """Check and normalise one campaign's values in place; errors by field."""
    errors: dict[str, list[str]] = {}
    values["name"] = " ".join(str(values.get("name") or "").split())
    if not values["name"] or len(values["name"]) > 200:
        errors["name"] = ["Name the campaign (1 to 200 characters)."]
    values["kind"] = values.get("kind") or CampaignKind.PHISHING
    if values["kind"] not in CampaignKind.values:
        errors["kind"] = [f"One of: {', '.join(CampaignKind.values)}."]
    ran_on = values.get("ran_on")
    if isinstance(ran_on, str):
        try:
            ran_on = dt.date.fromisoformat(ran_on.strip())
        except ValueError:
            ran_on = None
    if not isinstance(ran_on, dt.date) or not MIN_YEAR <= ran_on.year <= 2200:
        errors["ran_on"] = ["Give the date like 2026-12-31."]
    values["ran_on"] = ran_on
    for name in ("reported", "clicked", "ignored"):
        values[name] = _count(values.get(name), name, errors)
    values["minutes_to_first_report"] = _count(
        values.get("minutes_to_first_report"), "minutes_to_first_report", errors, optional=True
    )
    sent = _count(values.pop("sent", None), "sent", errors, optional=True)
    counts = [values[n] for n in ("reported", "clicked", "ignored")]
    if all(isinstance(c, int) for c in counts):
        total = sum(counts)
        if sent is not None and sent != total:
            errors["sent"] = [
                f"Reported + clicked or answered + ignored = {total}, not the {sent} it went to: "
                "each person counts in exactly one of the three."
            ]
        elif total < MIN_PEOPLE:
            errors["__all__"] = [
                f"Results about people need at least {MIN_PEOPLE} of them (these count {total})."
            ]
        if values["reported"] == 0 and values["minutes_to_first_report"] is not None:
            errors["minutes_to_first_report"] = ["Nobody reported it: leave this empty."]
    return errors


def campaign_create(
    *,
    actor: User,
    team: Team,
    drill: Drill | None = None,
    visibility: str = Visibility.TEAM,
    **values: Any,
) -> Campaign:
    require_member(actor, team)
    errors = campaign_check(values)
    if visibility not in Visibility.values:
        errors["visibility"] = ["Choose the team or the whole organisation."]
    if drill is not None and drill.team_id != team.pk:
        errors["drill"] = ["Choose a drill of the same team."]
    if errors:
        raise ApplicationError("The campaign's results are not valid.", fields=errors)
    with transaction.atomic():
        return Campaign.objects.create(team=team, drill=drill, visibility=visibility, **values)


def campaigns_import_csv(
    *, actor: User, team: Team, text: str, visibility: str = Visibility.TEAM
) -> list[Campaign]:
    """Import ``name,date,reported,clicked,ignored[,kind,sent,minutes_to_first_report]`` rows,
    all or nothing: one bad line and none is written, every problem named by line."""
    require_member(actor, team)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    unknown = [h for h in header if h not in CSV_COLUMNS + CSV_OPTIONAL]
    if missing or unknown:
        header_problems = [f"Missing column: {c}." for c in missing] + [
            f"Unknown column: {c[:40]} (names, e-mail addresses and per-person results are not "
            "accepted: counts only)."
            for c in unknown
        ]
        raise ApplicationError("The CSV's header is not valid.", fields={"file": header_problems})
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, raw in enumerate(reader, start=2):
        if len(rows) >= CSV_MAX_ROWS:
            problems.append(f"At most {CSV_MAX_ROWS} rows.")
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        values: dict[str, Any] = {k: row.get(k) for k in CSV_COLUMNS + CSV_OPTIONAL}
        values["ran_on"] = values.pop("date")
        errors = campaign_check(values)
        for field, messages in errors.items():
            where = "" if field == "__all__" else f" {field}:"
            problems.extend(f"Line {number}:{where} {m}" for m in messages)
        rows.append(values)
    if not rows and not problems:
        problems.append("The file has no rows.")
    if problems:
        raise ApplicationError(
            "The CSV has problems; nothing was imported.", fields={"file": problems}
        )
    with transaction.atomic():
        return [Campaign.objects.create(team=team, visibility=visibility, **v) for v in rows]


@dataclass
class TrendPoint:
    campaign: Campaign
    rate: float
    previous_rate: float | None

    @property
    def change(self) -> float | None:
        return None if self.previous_rate is None else self.rate - self.previous_rate


def trend(campaigns: QuerySet[Campaign] | list[Campaign]) -> list[TrendPoint]:
    """Report rate per campaign, oldest first, each beside the campaign before it."""
    points: list[TrendPoint] = []
    previous: float | None = None
    for campaign in sorted(campaigns, key=lambda c: (c.ran_on, c.pk)):
        points.append(TrendPoint(campaign, campaign.report_rate, previous))
        previous = campaign.report_rate
    return points


class Counts(NamedTuple):
    """What ``totals`` reads of a campaign, built from ``values_list`` rows (no model objects)."""

    people: int
    reported: int
    minutes_to_first_report: int | None


def totals(campaigns: Sequence[Campaign | Counts]) -> dict[str, Any]:
    """Sums over campaigns: the organisation's figure (people-weighted report rate, median
    minutes to first report)."""
    people = sum(c.people for c in campaigns)
    reported = sum(c.reported for c in campaigns)
    minutes = sorted(
        c.minutes_to_first_report for c in campaigns if c.minutes_to_first_report is not None
    )
    median = minutes[len(minutes) // 2] if minutes else None
    return {
        "campaigns": len(campaigns),
        "people": people,
        "report_rate": reported / people if people else None,
        "median_minutes": median,
    }
