"""The opt-in weekly journal reminder (decisions/0170): one notification on the chosen day,
saying nothing about any entry. The job's only argument is none; it reads the opt-ins."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from learnloop.core.jobs import queue_email
from learnloop.core.urls_util import absolute_url
from learnloop.journal.models import Reminder
from learnloop.notifications.delivery import channel_for
from learnloop.notifications.models import Channel, Kind
from learnloop.notifications.services import notification_create
from learnloop.tasks.registry import job

TEXT = "Your weekly reflection: a few lines in your journal, only for you."


@job("journal.send_reminders", every=dt.timedelta(minutes=30))
def send_reminders(on: dt.date | None = None) -> int:
    """Remind everyone who chose today's weekday, once per day (the key dedupes)."""
    day = on or timezone.localdate()
    sent = 0
    path = reverse("journal:list")
    for reminder in (
        Reminder.objects.filter(weekday=day.weekday(), user__is_active=True)
        .select_related("user")
        .order_by("id")
        .iterator(chunk_size=500)
    ):
        user = reminder.user
        channel = channel_for(user, Kind.REMINDER)
        if channel == Channel.OFF:
            continue
        with transaction.atomic():
            created = notification_create(
                recipient=user, text=TEXT, url=path, key=f"journal:reminder:{day.isoformat()}"
            )
            if created is None:
                continue
            if channel == Channel.EMAIL:
                queue_email(
                    to=[user.email],
                    subject="Time for your weekly reflection",
                    body=f"{TEXT}\n\n{absolute_url(path)}\n\nTurn it off on the same page.\n",
                )
        sent += 1
    return sent
