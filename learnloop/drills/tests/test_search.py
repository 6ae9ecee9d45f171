"""Drills are a search kind: title, scenario, what happened and findings, under the one
visibility rule (team drills for the team, organisation drills for the organisation)."""

from __future__ import annotations

import pytest
from django.test import Client

from learnloop.drills.models import Finding
from learnloop.testing.builders import make_drill

pytestmark = pytest.mark.django_db


def _found(client: Client, q: str) -> str:
    return str(client.get("/search/", {"q": q, "kind": "drill"}).content.decode())


def test_a_drill_is_found_by_its_scenario_and_findings(client_for, alpha, bob, charlie) -> None:
    drill = make_drill(alpha, title="Restore game day", scenario="The walrus database is gone")
    Finding.objects.create(drill=drill, text="The runbook named a retired bucket ocelot")
    for word in ("walrus", "ocelot", "Restore"):
        assert f"/drills/{drill.pk}/" in _found(client_for(bob), word), word
    assert f"/drills/{drill.pk}/" not in _found(client_for(charlie), "walrus")


def test_an_organisation_drill_is_found_across_teams_not_organisations(
    client_for, alpha, charlie, mallory
) -> None:
    drill = make_drill(
        alpha, title="Tabletop", scenario="Narwhal outage", visibility="organisation"
    )
    assert f"/drills/{drill.pk}/" in _found(client_for(charlie), "Narwhal")
    assert f"/drills/{drill.pk}/" not in _found(client_for(mallory), "Narwhal")
