"""The opt-in weekly journal reminder (decisions/0170): one notification on the chosen day,
saying nothing about any entry. The job's only argument is none; it reads the opt-ins.

One transaction per batch of ``BATCH`` opt-ins (decision 0253): the batch's notifications in
one insert and its emails in one more once it commits, so the page cache's data version moves
once per batch, not once per person (as the action reminders, decision 0178). The key
``journal:reminder:<day>`` is unique per recipient: a batch skips whoever already has it, so
a run after a crash sends only what the crash left unsent, and a batch is all or nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from learnloop.core.jobs import queue_email_each
from learnloop.core.urls_util import absolute_url
from learnloop.journal.models import Reminder
from learnloop.notifications.delivery import channels_for
from learnloop.notifications.models import Channel, Kind, Notification
from learnloop.tasks.registry import job

TEXT = "Your weekly reflection: a few lines in your journal, only for you."
SUBJECT = "Time for your weekly reflection"
#: Opt-ins per transaction (one move of the page cache's data version each).
BATCH = 500


@job("journal.send_reminders", every=dt.timedelta(minutes=30))
def send_reminders(on: dt.date | None = None) -> int:
    """Remind everyone who chose today's weekday, once per day (the key dedupes)."""
    day = on or timezone.localdate()
    key = f"journal:reminder:{day.isoformat()}"
    path = reverse("journal:list")
    body = f"{TEXT}\n\n{absolute_url(path)}\n\nTurn it off on the same page.\n"
    due = Reminder.objects.filter(weekday=day.weekday(), user__is_active=True).order_by("id")
    sent, after = 0, 0
    while True:
        with transaction.atomic():
            # Locked (PostgreSQL; SQLite's write transaction already excludes other writers),
            # so a second run at the same moment waits, then finds this batch reminded.
            batch = list(
                due.filter(id__gt=after)
                .select_for_update(of=("self",))
                .values_list("id", "user_id", "user__email")[:BATCH]
            )
            if not batch:
                return sent
            after = batch[-1][0]
            people = [user_id for _, user_id, _ in batch]
            reminded = set(
                Notification.objects.filter(key=key, recipient_id__in=people).values_list(
                    "recipient_id", flat=True
                )
            )
            channel = channels_for(people, Kind.REMINDER)
            todo = [
                (user_id, email)
                for _, user_id, email in batch
                if user_id not in reminded and channel[user_id] != Channel.OFF
            ]
            Notification.objects.bulk_create(
                Notification(recipient_id=user_id, text=TEXT, url=path, key=key)
                for user_id, _ in todo
            )
            queue_email_each(
                to=[email for user_id, email in todo if channel[user_id] == Channel.EMAIL],
                subject=SUBJECT,
                body=body,
            )
        sent += len(todo)
        if len(batch) < BATCH:
            return sent
