"""Repeat incidents: the daily comparison through the real related engine and search index, the
share per month, the matches listed, and the day rule for anonymous reports."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from learnloop.metrics.models import RepeatCheck, RepeatMatch, RepeatScan
from learnloop.metrics.repeats import scan_organisation
from learnloop.testing.builders import make_incident

CERT = (
    "Payment gateway certificate expired",
    "The TLS certificate of the payment gateway expired overnight and every card payment at "
    "checkout failed until the certificate was renewed by hand.",
)


def test_a_close_match_among_earlier_incidents_counts_and_is_listed(
    client_for, alice, org, alpha, beta
) -> None:
    now = timezone.now()
    first = make_incident(
        alpha, title=CERT[0], description=CERT[1], created_at=now - dt.timedelta(days=3)
    )
    again = make_incident(
        alpha,
        title="Card payments failing: gateway certificate expired again",
        description=CERT[1],
        created_at=now - dt.timedelta(days=2),
    )
    other = make_incident(
        alpha,
        title="Delivery van stuck in snow",
        description="A van could not leave the depot because the yard was not cleared.",
        created_at=now - dt.timedelta(days=2),
    )
    today = make_incident(alpha, title=CERT[0], description=CERT[1], created_at=now)
    assert scan_organisation(org, now=now) == 3  # today's report waits for tomorrow
    assert not RepeatCheck.objects.filter(incident=today).exists()
    assert set(RepeatMatch.objects.values_list("incident_id", "past_id")) == {(again.pk, first.pk)}
    assert RepeatScan.objects.get(organisation=org).as_of == now
    assert scan_organisation(org, now=now) == 0  # each incident is compared once

    metric = client_for(alice).get("/api/metrics/teams/alpha/repeat-incidents").json()
    values = dict(zip(metric["months"], metric["series"][0]["values"], strict=True))
    months = {f"{i.created_at.astimezone(dt.UTC):%Y-%m}" for i in (first, again, other)}
    assert sum(v for m, v in values.items() if m in months and v) > 0
    assert [(m["incident_id"], m["past_id"]) for m in metric["matches"]] == [(again.pk, first.pk)]
    assert metric["as_of"] is not None
    assert "closely match an earlier one" in metric["reading"]


def test_a_match_the_viewer_may_not_see_does_not_count(
    client_for, charlie, org, alpha, beta
) -> None:
    now = timezone.now()
    make_incident(alpha, title=CERT[0], description=CERT[1], created_at=now - dt.timedelta(days=3))
    make_incident(beta, title=CERT[0], description=CERT[1], created_at=now - dt.timedelta(days=2))
    scan_organisation(org, now=now)
    assert RepeatMatch.objects.count() == 1  # Beta's incident matches Alpha's team-only one
    metric = client_for(charlie).get("/api/metrics/teams/beta/repeat-incidents").json()
    assert metric["matches"] == []
    assert all(not v for v in metric["series"][0]["values"])  # 0% or none: Alpha's is hidden


def test_close_and_strong_matches_are_counted_per_month_of_the_compared_incidents(
    client_for, charlie, org, alpha, beta
) -> None:
    """Decision 0174 counts the compared incidents, those with a close match and those with a
    strong one in one pass; the shares are those of the rule: per month of the report, among
    compared incidents, matches only with earlier incidents the viewer may see."""
    from learnloop.incidents.metrics import month_of

    now = timezone.now()
    last = now - dt.timedelta(days=40)
    seen = make_incident(beta, created_at=now - dt.timedelta(days=400))
    hidden = make_incident(alpha, created_at=now - dt.timedelta(days=400))  # Alpha's own
    one, two, three, four = (
        make_incident(beta, created_at=at) for at in (now, now, last, now)
    )  # four is not compared yet
    for incident in (one, two, three):
        RepeatCheck.objects.create(incident=incident)
    for incident, past, confidence in (
        (one, seen, 0.7),  # close and strong
        (two, seen, 0.3),  # close only
        (three, hidden, 0.9),  # not seen by Charlie: no match
        (three, seen, 0.2),  # close only
        (four, seen, 0.9),  # not compared: not counted
    ):
        RepeatMatch.objects.create(incident=incident, past=past, confidence=confidence)
    metric = client_for(charlie).get("/api/metrics/teams/beta/repeat-incidents").json()
    close, strong, compared = (s["values"] for s in metric["series"])
    i, j = metric["months"].index(month_of(now)), metric["months"].index(month_of(last))
    assert (close[i], strong[i], compared[i]) == (1.0, 0.5, 2)
    assert (close[j], strong[j], compared[j]) == (1.0, 0.0, 1)
    assert sorted(m["incident_id"] for m in metric["matches"]) == sorted([one.pk, two.pk, three.pk])
