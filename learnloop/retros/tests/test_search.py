"""Retros are a search kind for their team: title, group names and notes, and card texts only
once revealed (blind writing holds in search too); other teams find nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from learnloop.retros.models import Phase, Topic
from learnloop.retros.services import retro_set_phase
from learnloop.testing.builders import make_card

pytestmark = pytest.mark.django_db


def _found(client: Client, q: str) -> str:
    return str(client.get("/search/", {"q": q, "kind": "retro"}).content.decode())


def test_cards_are_found_only_after_reveal_and_only_by_the_team(
    client_for, alice, bob, charlie, mallory, retro
) -> None:
    make_card(retro, text="The flamingo pipeline is slow", author=bob)
    make_card(retro, text="Nobody owns the quokka dashboard", is_anonymous=True)
    retro_set_phase(actor=alice, retro=retro, phase=Phase.COLLECT)  # a save while blind
    assert f"/retros/{retro.pk}/" not in _found(client_for(alice), "flamingo")
    assert f"/retros/{retro.pk}/" in _found(client_for(alice), "Sprint")  # the title is
    retro_set_phase(actor=alice, retro=retro, phase=Phase.REVEAL)
    for word in ("flamingo", "quokka"):
        assert f"/retros/{retro.pk}/" in _found(client_for(alice), word)
    for person in (charlie, mallory):
        assert f"/retros/{retro.pk}/" not in _found(client_for(person), "flamingo")


def test_a_group_name_and_its_notes_are_found(client_for, alice, retro) -> None:
    retro_set_phase(actor=alice, retro=retro, phase=Phase.REVEAL)
    topic = Topic.objects.create(retro=retro, title="Pager fatigue")
    topic.notes = "Rotate the capybara shift weekly"
    topic.save()
    assert f"/retros/{retro.pk}/" in _found(client_for(alice), "capybara")
