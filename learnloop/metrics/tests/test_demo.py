"""``learnloop seed-demo``: the leaders' page shows every metric with data on the demo
organisation (the metrics demo step adds only what the other steps leave missing)."""

from __future__ import annotations

import pytest

from learnloop.accounts.models import User
from learnloop.metrics.catalogue import KEYS

pytestmark = pytest.mark.django_db


def test_every_metric_has_demo_data_for_the_organisation_admin(demo, client_for) -> None:
    amara = User.objects.get(email="amara@demo.learnloop.test")
    body = client_for(amara).get("/api/metrics/organisation").json()
    states = {m["key"]: (m["state"], m["reading"]) for m in body["metrics"]}
    assert list(states) == KEYS
    assert {k: s for k, (s, _) in states.items() if s != "ok"} == {}, states
    repeats = next(m for m in body["metrics"] if m["key"] == "repeat-incidents")
    assert repeats["matches"] and repeats["as_of"]
    # Team pages light up too, for a member who is not an organisation admin.
    tomas = User.objects.get(email="tomas@demo.learnloop.test")
    team = client_for(tomas).get("/api/metrics/teams/delivery").json()
    assert sum(m["state"] == "ok" for m in team["metrics"]) >= len(KEYS) - 3
