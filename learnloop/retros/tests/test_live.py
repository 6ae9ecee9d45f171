"""The live poll's cheap 304 (decisions/0164): one query while nothing changed, and a tag only
works for the session it was handed to; everything else goes the full, checked way."""

from __future__ import annotations

import pytest
from django.test import Client

from learnloop.retros.models import Retro

pytestmark = pytest.mark.django_db


def _tag(client: Client, retro: Retro) -> str:
    response = client.get(f"/retros/{retro.pk}/state/")
    assert response.status_code == 200
    return str(response["ETag"])


def test_nothing_changed_costs_one_query(
    client_for, alice, retro, django_assert_num_queries
) -> None:
    client = client_for(alice)
    tag = _tag(client, retro)
    with django_assert_num_queries(1):
        response = client.get(f"/retros/{retro.pk}/state/", HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 304 and response["ETag"] == tag
    assert response["Cache-Control"] == "private, no-cache"


def test_a_change_brings_the_board_again(client_for, alice, retro) -> None:
    client = client_for(alice)
    tag = _tag(client, retro)
    Retro.objects.filter(pk=retro.pk).update(state_version=retro.state_version + 1)
    response = client.get(f"/retros/{retro.pk}/state/", HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200 and response["ETag"] != tag


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_a_tag_copied_to_another_team_s_session_is_a_404(
    request, client_for, alice, who, retro
) -> None:
    tag = _tag(client_for(alice), retro)
    other = client_for(request.getfixturevalue(who))
    assert other.get(f"/retros/{retro.pk}/state/", HTTP_IF_NONE_MATCH=tag).status_code == 404


def test_a_tag_is_not_good_for_another_session_or_another_retro(
    client_for, alice, bob, retro
) -> None:
    tag = _tag(client_for(alice), retro)
    bob_client = client_for(bob)
    response = bob_client.get(f"/retros/{retro.pk}/state/", HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200  # bob's own board, with his own tag
    assert response["ETag"] != tag
    # Signed out: no session cookie, so no shortcut; the sign-in page.
    assert Client().get(f"/retros/{retro.pk}/state/", HTTP_IF_NONE_MATCH=tag).status_code == 302
    tampered = tag.replace(f"r{retro.pk}.", f"r{retro.pk + 1}.")
    assert (
        client_for(alice)
        .get(f"/retros/{retro.pk + 1}/state/", HTTP_IF_NONE_MATCH=tampered)
        .status_code
        == 404
    )
