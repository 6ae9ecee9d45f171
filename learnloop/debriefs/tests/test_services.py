"""Deliverable and entry services: rules, permissions, versions, nothing half-saved."""

from __future__ import annotations

import pytest

from learnloop.core.errors import ApplicationError, NotFound, PermissionDenied
from learnloop.core.versioning import StaleVersion
from learnloop.debriefs import services
from learnloop.debriefs.models import DebriefEntry, Deliverable
from learnloop.testing.builders import make_entry

pytestmark = pytest.mark.django_db


def test_create_puts_the_owner_and_collaborators_on_it(alice, bob, alpha) -> None:
    d = services.deliverable_create(
        actor=alice,
        team=alpha,
        title="  Search rewrite ",
        collaborators=[bob.pk],
        start_date="2026-12-01",
        target_date="2027-01-15",
        external_url="https://linear.app/acme/issue/ACM-1",
    )
    assert d.title == "Search rewrite" and d.owner == alice and d.status == "active"
    assert set(d.collaborators.all()) == {alice, bob}
    assert str(d.start_date) == "2026-12-01" and d.version == 1


def test_create_refuses_bad_fields_and_saves_nothing(alice, charlie, alpha) -> None:
    with pytest.raises(ApplicationError) as exc:
        services.deliverable_create(
            actor=alice,
            team=alpha,
            title="",
            collaborators=[charlie.pk],
            start_date="2027-02-01",
            target_date="2027-01-01",
            external_url="javascript:alert(1)",
        )
    assert set(exc.value.fields) == {"title", "collaborators", "target_date", "external_url"}
    assert "member of Alpha" in exc.value.fields["collaborators"][0]
    assert not Deliverable.objects.exists()


def test_only_members_create_in_a_team(charlie, alpha) -> None:
    with pytest.raises(PermissionDenied):
        services.deliverable_create(actor=charlie, team=alpha, title="Not mine")


def test_update_refuses_a_stale_version(alice, bob, deliverable) -> None:
    services.deliverable_update(actor=alice, deliverable=deliverable, version=1, title="First")
    with pytest.raises(StaleVersion) as exc:
        services.deliverable_update(actor=bob, deliverable=deliverable, version=1, title="Second")
    assert exc.value.current_version == 2 and "title" in exc.value.fields
    deliverable.refresh_from_db()
    assert deliverable.title == "First"


def test_visibility_change_follows_to_entries(alice, bob, deliverable) -> None:
    entry = make_entry(deliverable, author=bob)
    assert entry.team_id == deliverable.team_id and entry.visibility == "team"
    services.deliverable_update(
        actor=alice, deliverable=deliverable, version=1, visibility="organisation"
    )
    entry.refresh_from_db()
    assert entry.visibility == "organisation"


def test_close_and_reopen_by_owner_not_by_a_plain_member(alice, bob, alpha, deliverable) -> None:
    from learnloop.testing.builders import make_user

    carol = make_user("carol@example.org", alpha.organisation, team=alpha)
    with pytest.raises(PermissionDenied):
        services.deliverable_set_status(actor=carol, deliverable=deliverable, status="closed")
    closed = services.deliverable_set_status(actor=alice, deliverable=deliverable, status="closed")
    assert closed.status == "closed" and closed.closed_at is not None
    reopened = services.deliverable_set_status(actor=alice, deliverable=closed, status="active")
    assert reopened.status == "active" and reopened.closed_at is None


def test_entries_by_people_on_it_only_and_not_when_closed(
    alice, bob, charlie, alpha, deliverable
) -> None:
    from learnloop.testing.builders import make_user

    entry = services.entry_create(actor=bob, deliverable=deliverable, kind="win", text="Shipped")
    assert entry.author == bob and entry.team_id == alpha.pk
    carol = make_user("carol@example.org", alpha.organisation, team=alpha)
    with pytest.raises(PermissionDenied):
        services.entry_create(actor=carol, deliverable=deliverable, kind="win", text="x")
    with pytest.raises(NotFound):
        services.entry_create(actor=charlie, deliverable=deliverable, kind="win", text="x")
    with pytest.raises(ApplicationError) as exc:
        services.entry_create(actor=bob, deliverable=deliverable, kind="boast", text="x" * 2001)
    assert set(exc.value.fields) == {"kind", "text"}
    services.deliverable_set_status(actor=alice, deliverable=deliverable, status="closed")
    deliverable.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        services.entry_create(actor=bob, deliverable=deliverable, kind="win", text="late")
    assert "deliverable" in exc.value.fields
    assert DebriefEntry.objects.count() == 1


def test_entries_are_edited_by_their_author_from_the_current_version(
    alice, bob, deliverable
) -> None:
    entry = services.entry_create(actor=bob, deliverable=deliverable, kind="win", text="One")
    with pytest.raises(PermissionDenied):
        services.entry_update(actor=alice, entry=entry, version=1, text="Hijacked")
    saved = services.entry_update(actor=bob, entry=entry, version=1, text="One, better")
    assert saved.version == 2
    with pytest.raises(StaleVersion) as exc:
        services.entry_update(actor=bob, entry=entry, version=1, text="From an old tab")
    assert exc.value.current_version == 2
    entry.refresh_from_db()
    assert entry.text == "One, better"


def test_nul_characters_are_refused(bob, deliverable) -> None:
    with pytest.raises(ApplicationError) as exc:
        services.entry_create(actor=bob, deliverable=deliverable, kind="win", text="a\x00b")
    assert "text" in exc.value.fields
