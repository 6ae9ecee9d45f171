"""Follow-through counts at scale: the median age is read with ORDER BY ... OFFSET, not by
loading every open action; it must equal the plain Python median (docs/decisions/0072)."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from django.utils import timezone

from learnloop.actions import selectors
from learnloop.actions.models import Action

pytestmark = pytest.mark.django_db


def _make(team, ages_days: list[int], *, status: str = "open", visibility: str = "team") -> None:
    now = timezone.now()
    for i, age in enumerate(ages_days):
        action = Action.objects.create(
            team=team, title=f"A{i}", status=status, visibility=visibility
        )
        Action.objects.filter(pk=action.pk).update(created_at=now - dt.timedelta(days=age))


def _python_median(user, team) -> float | None:
    today = selectors.today()
    ages = [
        (today - timezone.localtime(c).date()).days
        for c in Action.objects.visible_to(user)
        .filter(team=team, status__in=selectors.OPEN_STATUSES)
        .values_list("created_at", flat=True)
    ]
    return statistics.median(ages) if ages else None


@pytest.mark.parametrize("ages", [[], [5], [1, 9], [3, 30, 7], [2, 2, 40, 11, 8, 1]])
def test_it_computes_the_median_open_age_like_python(alice, alpha, ages) -> None:
    _make(alpha, ages)
    _make(alpha, [400, 500], status="done")  # done actions never count
    stats = selectors.follow_through(user=alice, team=alpha)
    assert stats.open == len(ages)
    assert stats.median_open_age_days == _python_median(alice, alpha)
    if ages:
        assert stats.median_open_age_days == statistics.median(ages)


def test_it_counts_only_visible_actions_for_the_median(alice, charlie, alpha) -> None:
    _make(alpha, [1, 2, 3])  # team-private: charlie (Beta) cannot see them
    _make(alpha, [50, 70], visibility="organisation")
    stats = selectors.follow_through(user=charlie, team=alpha)
    assert stats.open == 2 and stats.median_open_age_days == 60
    assert selectors.follow_through(user=alice, team=alpha).median_open_age_days == 3


def test_it_counts_done_on_time_and_late_in_the_window(alice, alpha) -> None:
    now = timezone.now()
    today = selectors.today()
    rows = [
        (today - dt.timedelta(days=1), now),  # late
        (today + dt.timedelta(days=1), now),  # on time
        (None, now),  # no due date: on time
        (today - dt.timedelta(days=200), now - dt.timedelta(days=150)),  # outside the window
    ]
    for due, done_at in rows:
        Action.objects.create(team=alpha, title="D", status="done", due_date=due, done_at=done_at)
    stats = selectors.follow_through(user=alice, team=alpha)
    assert (stats.done_on_time, stats.done_late, stats.open) == (2, 1, 0)
