"""Due actions in the calendar feeds, as all-day events (found by the calendars app)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from learnloop.actions.models import Action
from learnloop.core.calendar import CalendarEvent, FeedScope, source
from learnloop.core.urls_util import absolute_url


@source("actions.due")
def due_actions(scope: FeedScope) -> Iterator[CalendarEvent]:
    """Open actions with a due date: the ones a person owns, or all of a team's."""
    actions = Action.objects.filter(
        team_id__in=scope.team_ids,
        status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
        due_date__gte=scope.start.date(),
        due_date__lte=scope.end.date(),
    )
    if scope.user_id is not None:
        actions = actions.filter(owner_id=scope.user_id)
    host = urlsplit(absolute_url("/")).hostname or "learnloop"
    for action in actions.select_related("owner").order_by("due_date", "id"):
        assert action.due_date is not None
        url = absolute_url(action.get_absolute_url())
        owner = f"Owner: {action.owner.name}\n" if action.owner else ""
        yield CalendarEvent(
            uid=f"action-{action.pk}-due@{host}",
            summary=f"Action due: {action.title}",
            start=action.due_date,
            description=f"{owner}{url}",
            url=url,
            categories=("Learnloop action",),
        )
