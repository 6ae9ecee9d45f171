"""Reminders for actions, sent by the background worker.

Every 15 minutes the worker looks for open actions with an owner that are due within the
team's ``reminder_days_before`` (default 2) or overdue. For each (action, kind of reminder,
due date) the owner gets ONE in-app notification and ONE email. Overdue reminders repeat at
most once a week (week 0 on the first overdue day, week 1 seven days later, ...).

Deduplication is the database's job: the notification key ``action:<id>:<kind>:<due>[:w<n>]``
is unique per recipient, and the email is queued inside the same transaction as the
notification, so it is sent only by the worker whose insert won. Several workers can run the
job at once (docs/decisions/0030-action-reminders.md).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from learnloop.accounts.models import Team
from learnloop.actions.models import Action
from learnloop.actions.selectors import OPEN_STATUSES, today
from learnloop.core.jobs import queue_email
from learnloop.core.urls_util import absolute_url
from learnloop.notifications.delivery import channel_for
from learnloop.notifications.models import Channel, Kind, Notification
from learnloop.notifications.services import notification_create
from learnloop.tasks.registry import job

DEFAULT_DAYS_BEFORE = 2
MAX_DAYS_BEFORE = 30
OVERDUE_REPEAT_DAYS = 7
#: Reminders sent per transaction (one move of the page cache's data version each).
BATCH = 500


def reminder_days_before(team: Team) -> int:
    """The team setting, clamped to 0..30; a malformed value falls back to the default."""
    value = (team.settings or {}).get("reminder_days_before", DEFAULT_DAYS_BEFORE)
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_DAYS_BEFORE
    return max(0, min(MAX_DAYS_BEFORE, days))


def reminder_for(action: Action, on: dt.date) -> tuple[str, str] | None:
    """``(kind, key)`` of the reminder ``action`` deserves on day ``on``, or None."""
    if action.due_date is None or action.owner_id is None or action.status not in OPEN_STATUSES:
        return None
    days_left = (action.due_date - on).days
    if days_left < 0:
        week = (-days_left - 1) // OVERDUE_REPEAT_DAYS
        return "overdue", f"action:{action.pk}:overdue:{action.due_date.isoformat()}:w{week}"
    if days_left <= reminder_days_before(action.team):
        return "due_soon", f"action:{action.pk}:due_soon:{action.due_date.isoformat()}"
    return None


def _describe(action: Action, kind: str, on: dt.date) -> tuple[str, str]:
    days_left = (action.due_date - on).days
    if kind == "overdue":
        late = -days_left
        when = "yesterday" if late == 1 else f"{late} days ago"
        return f"Overdue: {action.title}", f"“{action.title}” was due {when} ({action.due_date})."
    when = {0: "today", 1: "tomorrow"}.get(days_left, f"in {days_left} days")
    return f"Due {when}: {action.title}", f"“{action.title}” is due {when} ({action.due_date})."


@job("actions.send_reminders", every=dt.timedelta(minutes=15))
def send_reminders() -> int:
    """Send the reminders that are due now; returns how many were sent by this run."""
    on = today()
    horizon = on + dt.timedelta(days=MAX_DAYS_BEFORE)
    candidates = (
        Action.objects.filter(
            status__in=OPEN_STATUSES,
            owner__isnull=False,
            owner__is_active=True,
            due_date__isnull=False,
            due_date__lte=horizon,
        )
        .select_related("team", "owner")
        .order_by("due_date", "id")
    )
    todo: list[tuple[Action, str, str]] = []
    for action in candidates.iterator(chunk_size=500):
        found = reminder_for(action, on)
        if found:
            todo.append((action, *found))
    sent = 0
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        # Skip what was already sent without touching the unique constraint (cheap re-runs).
        existing = set(
            Notification.objects.filter(key__in=[key for _, _, key in batch]).values_list(
                "recipient_id", "key"
            )
        )
        # One transaction per batch (decision 0178): the page cache's data version moves once
        # per batch, when its notifications become visible, instead of once per reminder (a
        # catch-up of 13,000 overdue actions at 1M moved it 50 times a second, so no kept page
        # of any organisation lived longer than 20 ms while it ran). Each reminder keeps its
        # savepoint: a reminder another worker won is rolled back alone.
        with transaction.atomic():
            for action, kind, key in batch:
                if (action.owner_id, key) in existing:
                    continue
                if _send_one(action, kind, key, on):
                    sent += 1
    return sent


def _send_one(action: Action, kind: str, key: str, on: dt.date) -> bool:
    path = reverse("actions:detail", args=[action.pk])
    link = absolute_url(path)
    subject, sentence = _describe(action, kind, on)
    owner = action.owner
    if owner is None:  # nobody to remind
        return False
    channel = channel_for(owner, Kind.REMINDER)
    if channel == Channel.OFF:  # the owner chose not to be reminded (decision 0112)
        return False
    with transaction.atomic():
        notification = notification_create(recipient=owner, text=sentence, url=path, key=key)
        if notification is None:  # another worker won the race
            return False
        if channel != Channel.EMAIL:
            return True
        context = {"action": action, "link": link, "sentence": sentence, "kind": kind}
        queue_email(
            to=[action.owner.email],
            subject=subject,
            body=render_to_string("actions/email/reminder.txt", context),
        )
    return True
