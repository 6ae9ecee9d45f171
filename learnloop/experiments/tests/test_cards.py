"""Test cards: every field, money in the organisation's currency, time box, bad input refused
with nothing saved, stale saves refused, and a history line for every change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from learnloop.core.errors import ApplicationError
from learnloop.core.versioning import StaleVersion
from learnloop.experiments.models import Event, Experiment, Kind
from learnloop.experiments.services import experiment_create, experiment_update

pytestmark = pytest.mark.django_db

CARD: dict[str, Any] = {
    "title": "Self-serve onboarding",
    "hypothesis": "new customers can set up without a call",
    "test": "offer the guide to the next 20 sign-ups",
    "metric": "setup calls booked",
    "success_criterion": "fewer than 10 of 20 book a call",
    "riskiest_assumption": "people read the guide",
}


def test_a_card_keeps_every_field_in_the_organisations_currency(alice, bob, org, alpha) -> None:
    org.settings = {"currency": "GBP"}
    org.save()
    card = experiment_create(
        actor=alice,
        team=alpha,
        budget="1500.50",
        time_box_days="14",
        person_days="6.5",
        owner=bob,
        participants=[alice, bob],
        **CARD,
    )
    card.refresh_from_db()
    assert card.currency == "GBP" and card.budget == Decimal("1500.50")
    assert card.time_box_days == 14 and card.person_days == Decimal("6.5")
    assert card.owner == bob and set(card.participants.all()) == {alice, bob}
    assert card.state == "draft" and card.phase == "explore" and card.kind == Kind.EXPERIMENT
    assert card.riskiest_assumption == "people read the guide"
    assert list(Event.objects.filter(experiment=card).values_list("what", flat=True)) == ["created"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"budget": "-1"}, "budget"),
        ({"budget": "abc"}, "budget"),
        ({"budget": "1.234"}, "budget"),
        ({"budget": "NaN"}, "budget"),
        ({"time_box_days": "-3"}, "time_box_days"),
        ({"person_days": "-0.5"}, "person_days"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"hypothesis": "nul\x00"}, "hypothesis"),
        ({"phase": "later"}, "phase"),
        ({"kind": "bet"}, "kind"),
        ({"expected_saving": "-5"}, "expected_saving"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(alice, alpha, data, field) -> None:
    with pytest.raises(ApplicationError) as caught:
        experiment_create(actor=alice, team=alpha, **{**CARD, **data})
    assert field in caught.value.fields
    assert not Experiment.objects.exists() and not Event.objects.exists()


def test_people_must_belong_to_the_team(alice, charlie, alpha) -> None:
    with pytest.raises(ApplicationError) as caught:
        experiment_create(actor=alice, team=alpha, owner=charlie, participants=[charlie], **CARD)
    assert {"owner", "participants"} <= set(caught.value.fields)
    assert not Experiment.objects.exists()


def test_only_members_write_in_a_team(charlie, alpha) -> None:
    with pytest.raises(ApplicationError) as caught:
        experiment_create(actor=charlie, team=alpha, **CARD)
    assert caught.value.status == 403


def test_an_update_needs_the_current_version(alice, bob, alpha) -> None:
    card = experiment_create(actor=alice, team=alpha, **CARD)
    experiment_update(actor=alice, experiment=card, version=1, budget="900")
    with pytest.raises(StaleVersion) as caught:
        experiment_update(actor=bob, experiment=card, version=1, budget="100")
    assert caught.value.current_version == 2
    card.refresh_from_db()
    assert card.budget == Decimal("900")
    whats = list(card.events.values_list("what", flat=True))
    assert whats == ["created", "edited"]
