"""``learnloop seed``'s retros look back on something of their team, as people's do (decision
0255): some closed retros are about a recent incident with its published review, a deliverable
or an experiment, and every retro names who created it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from learnloop.retros.models import Phase, Retro

pytestmark = pytest.mark.django_db

KINDS = ("incident", "review", "deliverable", "experiment")


def test_some_closed_retros_link_their_team_s_incident_review_deliverable_or_experiment(
    client_for,
) -> None:
    call_command("seed", scale="small", seed=4, no_progress=True, jobs=1, stdout=io.StringIO())
    retros = list(Retro.objects.filter(team__organisation__slug="seed-4").select_related(*KINDS))
    assert all(r.created_by_id and r.created_by_id == r.facilitator_id for r in retros)
    linked = {kind: [r for r in retros if getattr(r, f"{kind}_id")] for kind in KINDS}
    assert all(linked.values()), {kind: len(rs) for kind, rs in linked.items()}
    about = {r.pk for rs in linked.values() for r in rs}
    assert 0 < len(about) < len(retros)  # some, not all
    for kind, rs in linked.items():
        for retro in rs:
            assert retro.phase == Phase.CLOSED
            assert getattr(retro, kind).team_id == retro.team_id
    assert {r.pk for r in linked["incident"]} == {r.pk for r in linked["review"]}
    for retro in linked["review"]:
        review = retro.review
        assert review is not None and review.incident_id == retro.incident_id
        assert review.status == "published"

    shown = linked["review"][0]
    page = client_for(shown.facilitator).get(shown.get_absolute_url()).content.decode()
    assert f'for <a href="/incidents/{shown.incident_id}/">' in page
    assert f'review <a href="/reviews/{shown.review_id}/">' in page
