"""The weekly digest's action section: the person's open actions, overdue ones first."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse

from learnloop.actions.models import Action
from learnloop.core.urls_util import absolute_url
from learnloop.notifications.digest import DigestItem, DigestScope, DigestSection, section

LIMIT = 10


@section("actions.open", order=20)
def open_actions(scope: DigestScope) -> DigestSection | None:
    today = scope.local_now.date()
    actions = Action.objects.filter(
        owner=scope.user,
        team_id__in=scope.team_ids,
        status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
    )
    found = list(actions.order_by(F("due_date").asc(nulls_last=True), "id")[: LIMIT + 1])
    if not found:
        return None
    overdue = actions.filter(due_date__lt=today).count()
    items = []
    for action in found[:LIMIT]:
        if action.due_date is None:
            note = "no due date"
        elif action.due_date < today:
            note = f"overdue since {action.due_date:%d %b}"
        else:
            note = f"due {action.due_date:%d %b}"
        items.append(DigestItem(action.title, absolute_url(action.get_absolute_url()), note))
    title = f"Your open actions ({len(found) if len(found) <= LIMIT else actions.count()}"
    title += f", {overdue} overdue)" if overdue else ")"
    return DigestSection(
        title,
        tuple(items),
        more=actions.count() - LIMIT if len(found) > LIMIT else 0,
        more_url=absolute_url(reverse("actions:mine")),
    )
