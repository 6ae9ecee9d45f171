"""Retro meetings and planned drills in the calendar feeds: a person's own, or a team's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from learnloop.core.calendar import SOURCES, FeedScope
from learnloop.testing.builders import make_drill, make_retro

pytestmark = pytest.mark.django_db


def _scope(user_id: int | None, team_ids: tuple[int, ...]) -> FeedScope:
    now = timezone.now()
    return FeedScope(
        user_id=user_id,
        team_ids=team_ids,
        start=now - dt.timedelta(days=30),
        end=now + dt.timedelta(days=60),
    )


def test_retro_meetings_and_planned_drills_are_in_the_feeds(alpha, beta, alice, bob, charlie):
    when = timezone.now() + dt.timedelta(days=3)
    mine = make_retro(alpha, title="December retro", facilitator=alice, meeting_at=when)
    make_retro(alpha, title="Not mine", facilitator=alice, meeting_at=when)
    mine.participants.add(bob)
    drill = make_drill(alpha, title="Restore test", planned_for=when.date(), facilitator=bob)
    make_retro(beta, title="Beta retro", facilitator=charlie, meeting_at=when)
    bob_retros = list(SOURCES["retros.meetings"](_scope(bob.pk, (alpha.pk,))))
    assert [e.summary for e in bob_retros] == ["Retro: December retro"]
    assert bob_retros[0].end == when + dt.timedelta(minutes=mine.meeting_duration_minutes)
    team = list(SOURCES["retros.meetings"](_scope(None, (alpha.pk,))))
    assert sorted(e.summary for e in team) == ["Retro: December retro", "Retro: Not mine"]
    drills = list(SOURCES["drills.planned"](_scope(bob.pk, (alpha.pk,))))
    assert [(e.summary, e.start) for e in drills] == [("Drill: Restore test", drill.planned_for)]
    assert not list(SOURCES["drills.planned"](_scope(alice.pk, (alpha.pk,))))


def test_the_weekly_digest_names_the_week_s_retros_for_the_team_only(alpha, beta, bob, charlie):
    from learnloop.notifications.digest import SECTIONS, DigestScope

    now = timezone.now()
    make_retro(
        alpha, title="December retro", facilitator=bob, meeting_at=now + dt.timedelta(days=2)
    )
    make_retro(alpha, title="Far off", facilitator=bob, meeting_at=now + dt.timedelta(days=20))
    make_retro(beta, title="Beta retro", facilitator=charlie, meeting_at=now + dt.timedelta(days=2))
    _, fn = SECTIONS["retros.upcoming"]
    scope = DigestScope(
        user=bob, team_ids=(alpha.pk,), since=now - dt.timedelta(days=7), now=now, local_now=now
    )
    found = fn(scope)
    assert found is not None and [i.text for i in found.items] == ["December retro"]
    empty = DigestScope(
        user=charlie, team_ids=(), since=now - dt.timedelta(days=7), now=now, local_now=now
    )
    assert fn(empty) is None
