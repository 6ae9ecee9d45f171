from __future__ import annotations

import datetime as dt

from learnloop.incidents.models import Incident

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def make_incident(team, *, reporter=None, visibility="team", **extra) -> Incident:  # noqa: ANN001
    fields = {"title": "Checkout timed out", "description": "Payments were slow."} | extra
    return Incident.objects.create(team=team, reporter=reporter, visibility=visibility, **fields)
