"""core.sql: the SQL month key and minutes agree with the Python definitions they replace
(``incidents.metrics.month_of`` and ``_minutes``), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from learnloop.core.sql import MinutesBetween, MonthKey
from learnloop.incidents.metrics import month_of
from learnloop.incidents.models import Incident
from learnloop.testing.builders import make_campaign, make_incident

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 31, 23, 59, 30, 250_000, tzinfo=dt.UTC)


def test_the_month_key_is_the_utc_month_of_a_datetime_and_of_a_date(alpha) -> None:
    # 00:30 in UTC+2 is still the 31st of January in UTC: the key must say January.
    late = dt.datetime(2026, 2, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    incident = make_incident(alpha, started_at=late, detected_at=None)
    row = (
        Incident.objects.filter(pk=incident.pk)
        .annotate(started=MonthKey("started_at"), detected=MonthKey("detected_at"))
        .values_list("started", "detected")
        .get()
    )
    assert month_of(late) == "2026-01"
    assert list(row) == ["2026-01", None]
    campaign = make_campaign(alpha, ran_on=dt.date(2025, 12, 31))
    ran = (
        type(campaign)
        .objects.filter(pk=campaign.pk)
        .annotate(m=MonthKey("ran_on"))
        .values_list("m", flat=True)
        .get()
    )
    assert ran == "2025-12"


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        (dt.timedelta(minutes=90), 90.0),
        (dt.timedelta(seconds=30, milliseconds=500), 30.5 / 60),
        (dt.timedelta(days=40, hours=1), 40 * 1440 + 60.0),
        (-dt.timedelta(minutes=5), -5.0),
    ],
)
def test_minutes_between_two_times_to_the_millisecond(alpha, later, expected) -> None:
    incident = make_incident(
        alpha, started_at=START, detected_at=START + later, acknowledged_at=None
    )
    row = (
        Incident.objects.filter(pk=incident.pk)
        .annotate(
            detect=MinutesBetween("started_at", "detected_at"),
            ack=MinutesBetween("detected_at", "acknowledged_at"),
        )
        .values_list("detect", "ack")
        .get()
    )
    assert row[0] == pytest.approx(expected, abs=1e-9)
    assert row[1] is None
