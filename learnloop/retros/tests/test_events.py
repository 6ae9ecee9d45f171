"""Closing a retro is announced to subscribed webhooks once (``retro.closed``), with no card
text or author in the payload."""

from __future__ import annotations

import json

import pytest

from learnloop.retros.models import Phase
from learnloop.retros.services import retro_set_phase
from learnloop.testing.builders import make_card, make_webhook_endpoint

pytestmark = pytest.mark.django_db


def test_closing_a_retro_is_announced_once(alice, bob, alpha, retro) -> None:
    endpoint = make_webhook_endpoint(alpha, events=["retro.closed"])
    make_card(retro, text="Bob's own words about the pager", author=bob)
    retro_set_phase(actor=alice, retro=retro, phase=Phase.DISCUSS)
    assert not endpoint.deliveries.exists()
    retro_set_phase(actor=alice, retro=retro, phase=Phase.CLOSED)
    retro_set_phase(actor=alice, retro=retro, phase=Phase.CLOSED)  # no change: no second event
    [delivery] = endpoint.deliveries.all()
    assert delivery.event == "retro.closed"
    data = delivery.payload["data"]
    assert data["id"] == retro.pk and data["title"] == retro.title
    assert data["closed_at"] and data["actions"] == 0
    text = json.dumps(delivery.payload)
    assert "pager" not in text and bob.email not in text and bob.name not in text
