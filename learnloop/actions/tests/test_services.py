"""Actions services: create, update with the version check, status changes, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from learnloop.actions.models import Action
from learnloop.actions.services import action_create, action_set_status, action_update
from learnloop.core.errors import ApplicationError, Conflict, PermissionDenied
from learnloop.incidents.models import Incident


def _incident(team, visibility="team"):
    return Incident.objects.create(
        team=team, title="Checkout down", description="It broke.", visibility=visibility
    )


def test_it_creates_an_action_with_defaults(alice, bob, alpha) -> None:
    action = action_create(actor=alice, team=alpha, title=" Add alert ", owner=bob)
    assert action.pk and action.title == "Add alert"
    assert action.status == "open" and action.kind == "prevent"
    assert action.visibility == "team" and action.created_by == alice and action.version == 1


def test_it_takes_visibility_from_the_incident(alice, alpha) -> None:
    incident = _incident(alpha, visibility="organisation")
    action = action_create(actor=alice, team=alpha, title="Runbook", incident=incident)
    assert action.visibility == "organisation" and action.incident == incident


def test_it_parses_a_due_date_string(alice, alpha) -> None:
    action = action_create(actor=alice, team=alpha, title="x", due_date="2030-01-02")
    assert action.due_date == dt.date(2030, 1, 2)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 10001}, "description"),
        ({"external_url": "javascript:alert(1)"}, "external_url"),
        ({"external_url": "ftp://example.org/x"}, "external_url"),
        ({"due_date": "next tuesday"}, "due_date"),
        ({"kind": "blame"}, "kind"),
        ({"visibility": "world"}, "visibility"),
    ],
)
def test_it_names_the_bad_field_and_saves_nothing(alice, alpha, kwargs, field) -> None:
    args = {"title": "Fine", **kwargs}
    with pytest.raises(ApplicationError) as exc:
        action_create(actor=alice, team=alpha, **args)
    assert field in exc.value.fields
    assert not Action.objects.exists()


def test_it_refuses_an_owner_outside_the_team(alice, charlie, alpha) -> None:
    with pytest.raises(ApplicationError) as exc:
        action_create(actor=alice, team=alpha, title="x", owner=charlie)
    assert "owner" in exc.value.fields
    assert not Action.objects.exists()


def test_it_refuses_an_incident_of_another_team(alice, alpha, beta) -> None:
    with pytest.raises(ApplicationError) as exc:
        action_create(actor=alice, team=alpha, title="x", incident=_incident(beta))
    assert "incident" in exc.value.fields


def test_it_refuses_a_non_member(charlie, alpha) -> None:
    with pytest.raises(PermissionDenied):
        action_create(actor=charlie, team=alpha, title="x")
    assert not Action.objects.exists()


def test_it_updates_and_bumps_the_version(alice, bob, alpha) -> None:
    action = action_create(actor=alice, team=alpha, title="x")
    updated = action_update(actor=bob, action=action, version=1, title="y", owner=bob)
    assert updated.title == "y" and updated.owner == bob and updated.version == 2


def test_it_refuses_a_stale_update_and_keeps_the_newer_one(alice, bob, alpha) -> None:
    action = action_create(actor=alice, team=alpha, title="x")
    action_update(actor=bob, action=action, version=1, title="bob's")
    with pytest.raises(Conflict) as exc:
        action_update(actor=alice, action=action, version=1, title="alice's")
    assert "title" in exc.value.fields
    assert Action.objects.get().title == "bob's"


def test_it_validates_updates_without_saving(alice, charlie, alpha) -> None:
    action = action_create(actor=alice, team=alpha, title="x")
    with pytest.raises(ApplicationError) as exc:
        action_update(actor=alice, action=action, version=1, title="ok", owner=charlie)
    assert "owner" in exc.value.fields
    assert Action.objects.get().title == "x"


def test_it_sets_and_clears_done_at(alice, alpha) -> None:
    action = action_create(actor=alice, team=alpha, title="x")
    done = action_set_status(actor=alice, action=action, status="done")
    assert done.done_at is not None and done.version == 2
    reopened = action_set_status(actor=alice, action=done, status="open")
    assert reopened.done_at is None and reopened.status == "open"
