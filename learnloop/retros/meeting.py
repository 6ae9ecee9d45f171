"""A retro's meeting: its time and the calendar invitation, built by the one calendar builder
(``core.calendar.build_calendar``, decision 0190)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from learnloop.accounts.models import User
from learnloop.core.calendar import CalendarEvent, Person, build_calendar
from learnloop.core.errors import ApplicationError
from learnloop.core.urls_util import absolute_url
from learnloop.retros.models import Retro
from learnloop.retros.services import require_member
from learnloop.reviews.meeting import parse_meeting_at
from learnloop.tasks.registry import enqueue

INVITATION_KEY = "retro-meeting:{retro}:{stamp}:{email}"


def retro_ics(retro: Retro, *, method: str = "PUBLISH", attendees: list[User] | None = None) -> str:
    """The retro's meeting as an iCalendar document, built by ``core.calendar`` (decision 0190)."""
    if retro.meeting_at is None:
        raise ApplicationError("This retro has no meeting.", status=404, code="not_found")
    url = absolute_url(retro.get_absolute_url())
    host = urlsplit(absolute_url("/")).hostname or "learnloop"
    end = retro.meeting_at + dt.timedelta(minutes=retro.meeting_duration_minutes)
    people = attendees if attendees is not None else list(retro.participants.all())
    sequence = max(
        0, int((retro.updated_at - dt.datetime(2024, 1, 1, tzinfo=dt.UTC)).total_seconds())
    )
    event = CalendarEvent(
        uid=f"retro-{retro.pk}@{host}",
        sequence=sequence,
        summary="Retrospective: " + retro.title,
        start=retro.meeting_at,
        end=end,
        description="Retro board: " + url,
        url=url,
        attendees=tuple(Person(p.name, p.email) for p in people if p.email),
    )
    return build_calendar([event], method=method).decode("utf-8")


def retro_meeting_schedule(*, actor: User, retro: Retro, meeting_at: dt.datetime | str) -> Retro:
    """Set the meeting time and email each participant the invitation (one job each)."""
    require_member(actor, retro.team_id)
    when = parse_meeting_at(meeting_at)
    if when <= timezone.now():
        raise ApplicationError(
            "Check the meeting time.", fields={"meeting_at": ["Choose a time in the future."]}
        )
    with transaction.atomic():
        retro.meeting_at = when
        retro.save(update_fields=["meeting_at", "updated_at"])
        people = [p for p in retro.participants.all() if p.is_active and p.email]
        ics = retro_ics(retro, method="REQUEST", attendees=people)
        local = timezone.localtime(when, timezone.get_default_timezone())
        for person in people:
            enqueue(
                "core.send_email",
                args={
                    "to": [person.email],
                    "subject": f"Retrospective: {retro.title} — {local:%a %d %b %Y, %H:%M}",
                    "body": f"{actor.name} invites you to the retrospective “{retro.title}”.\n\n"
                    f"Board: {absolute_url(retro.get_absolute_url())}\n",
                    "html": "",
                    "attachments": [
                        {"filename": "retro.ics", "content": ics, "mimetype": "text/calendar"}
                    ],
                },
                unique_key=INVITATION_KEY.format(
                    retro=retro.pk, stamp=int(when.timestamp()), email=person.email.lower()
                ),
            )
    return retro
