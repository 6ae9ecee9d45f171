"""Review meetings: schedule one, invite people by email, and describe it as an iCalendar file.

The calendar file is built by ``core.calendar.build_calendar`` (the ``icalendar`` library),
the same builder the subscribe feeds use (docs/decisions/0190-calendar-feeds.md).

A review has at most one meeting, so the event ``UID`` is stable per review: rescheduling sends
the same event again with a higher ``SEQUENCE`` and calendars update it instead of adding a
second one (docs/decisions/0041-meeting-ics.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from learnloop.accounts.models import User
from learnloop.accounts.visibility import team_ids_of
from learnloop.core.calendar import CalendarEvent, Person, build_calendar
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.jobs import deliverable
from learnloop.core.urls_util import absolute_url
from learnloop.core.validation import parse_datetime_in_range
from learnloop.reviews.models import Review
from learnloop.tasks.models import Job
from learnloop.tasks.registry import enqueue

MIN_DURATION = 5
MAX_DURATION = 600
DEFAULT_DURATION = 60
MAX_LOCATION = 200
# SEQUENCE is the review's last-modified time in seconds since this instant: it only grows, so
# every reschedule (which saves the review) supersedes earlier invitations, without a counter.
SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
INVITATION_KEY = "review-meeting:{review}:{sequence}:{email}"


# --- reading -------------------------------------------------------------------------------


def review_url(review: Review) -> str:
    """The review's page: B1's detail view when it exists, else the meeting/comments page."""
    try:
        path = reverse("reviews:detail", args=[review.pk])
    except NoReverseMatch:
        path = reverse("reviews:extras", args=[review.pk])
    return absolute_url(path)


def meeting_duration(review: Review) -> int:
    """Minutes the meeting lasts."""
    return int(review.meeting_duration_minutes or DEFAULT_DURATION)


def meeting_sequence(review: Review) -> int:
    stamp = review.updated_at or timezone.now()
    return max(0, int((stamp - SEQUENCE_EPOCH).total_seconds()))


def meeting_uid(review: Review) -> str:
    host = urlsplit(absolute_url("/")).hostname or "learnloop"
    return f"review-{review.pk}-meeting@{host}"


def meeting_recipients(review: Review) -> list[User]:
    """Participants, or the whole team when the review has no participants yet."""
    people = [u for u in review.participants.all() if u.is_active and u.email]
    if not people:
        people = list(
            review.team.members.filter(is_active=True).exclude(email="").order_by("email")
        )
    return people


@dataclass(frozen=True)
class Invitation:
    user: User
    status: str  # "queued" (not yet handed to the mail server) or "sent"


def meeting_invitations(review: Review) -> list[Invitation]:
    """Who is invited to the current meeting, and whether their email has left the queue.

    Each invitation is one ``core.send_email`` job whose ``unique_key`` names the review, the
    meeting version and the recipient (see :func:`review_meeting_schedule`). The queue keeps
    that key only while the job is pending, so a pending key means "queued" and its absence
    means the worker has sent it. The lookup uses the queue's partial unique index on pending
    keys (docs/decisions/0042-meeting-invitations.md).
    """
    if review.meeting_at is None:
        return []
    people = meeting_recipients(review)
    sequence = meeting_sequence(review)
    keys = {
        INVITATION_KEY.format(review=review.pk, sequence=sequence, email=u.email.lower()): u
        for u in people
    }
    pending = set(
        Job.objects.filter(
            unique_key__in=list(keys), status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).values_list("unique_key", flat=True)
    )
    return [
        Invitation(user=u, status="queued" if k in pending else "sent") for k, u in keys.items()
    ]


# --- writing -------------------------------------------------------------------------------


def parse_meeting_at(value: str | dt.datetime | None) -> dt.datetime:
    """Parse an ISO date and time; a time without a zone is in the display time zone."""
    try:
        parsed = parse_datetime_in_range(value, "meeting_at")
    except ApplicationError as exc:
        raise ApplicationError("Enter the meeting date and time.", fields=exc.fields) from None
    if parsed is None:
        raise ApplicationError(
            "Enter the meeting date and time.",
            fields={"meeting_at": ["Enter a valid date and time, e.g. 2030-05-17T14:00."]},
        )
    return parsed


def _validate(
    *, meeting_at: dt.datetime, duration_minutes: int, location: str
) -> tuple[dt.datetime, int, str]:
    errors: dict[str, list[str]] = {}
    meeting_at = parse_meeting_at(meeting_at)
    if meeting_at <= timezone.now():
        errors["meeting_at"] = ["Choose a date and time in the future."]
    try:
        duration = int(duration_minutes)
    except (TypeError, ValueError):
        duration = -1
    if not MIN_DURATION <= duration <= MAX_DURATION:
        errors["duration_minutes"] = [
            f"The meeting lasts between {MIN_DURATION} and {MAX_DURATION} minutes."
        ]
    location = " ".join((location or "").split())
    if len(location) > MAX_LOCATION:
        errors["location"] = [
            f"Keep the location under {MAX_LOCATION} characters (it has {len(location)})."
        ]
    if errors:
        raise ApplicationError("The meeting could not be scheduled.", fields=errors)
    return meeting_at, duration, location


def review_meeting_schedule(
    *,
    actor: User,
    review: Review,
    meeting_at: dt.datetime,
    duration_minutes: int = DEFAULT_DURATION,
    location: str = "",
) -> Review:
    """Schedule (or move) the review meeting and email every invitee a calendar invitation.

    Only members of the review's team schedule its meeting; people of other teams who can read
    an organisation-visible review may comment but not call the team to a meeting.
    """
    if review.team_id not in team_ids_of(actor):
        raise PermissionDenied("Only members of the review's team can schedule its meeting.")
    meeting_at, duration, location = _validate(
        meeting_at=meeting_at, duration_minutes=duration_minutes, location=location
    )
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        locked.meeting_at = meeting_at
        locked.meeting_location = location
        locked.meeting_duration_minutes = duration
        locked.save(
            update_fields=[
                "meeting_at",
                "meeting_location",
                "meeting_duration_minutes",
                "updated_at",
            ]
        )
        review.meeting_at, review.meeting_location = meeting_at, location
        review.updated_at = locked.updated_at
        review.meeting_duration_minutes = duration
        _queue_invitations(actor=actor, review=review, duration=duration)
    return review


def _queue_invitations(*, actor: User, review: Review, duration: int) -> None:
    recipients = meeting_recipients(review)
    sequence = meeting_sequence(review)
    ics = meeting_ics(
        review, duration_minutes=duration, organizer=actor, attendees=recipients, method="REQUEST"
    )
    # Read by several people: in the server's zone, which the email names (decision 0111).
    local = timezone.localtime(review.meeting_at, timezone.get_default_timezone())
    context = {
        "review": review,
        "actor": actor,
        "start": local,
        "end": local + dt.timedelta(minutes=duration),
        "duration": duration,
        "time_zone": settings.TIME_ZONE,
        "url": review_url(review),
    }
    subject = f"Review meeting: {review.title} — {local:%a %d %b %Y, %H:%M}"
    for person in recipients:
        if not deliverable([person.email]):  # a demo account: no mailbox (decision 0132)
            continue
        body = render_to_string(
            "reviews/extras/email/meeting_invitation.txt", {**context, "person": person}
        )
        # The same job as core.jobs.queue_email, with a per-recipient key: a double submit does
        # not send twice, and the job's state is the invitation's state (meeting_invitations).
        enqueue(
            "core.send_email",
            args={
                "to": [person.email],
                "subject": subject,
                "body": body,
                "html": "",
                "attachments": [
                    {"filename": "review-meeting.ics", "content": ics, "mimetype": "text/calendar"}
                ],
            },
            unique_key=INVITATION_KEY.format(
                review=review.pk, sequence=sequence, email=person.email.lower()
            ),
        )


# --- iCalendar (RFC 5545) -------------------------------------------------------------------


def meeting_event(
    review: Review,
    *,
    duration_minutes: int | None = None,
    organizer: User | None = None,
    attendees: list[User] | None = None,
) -> CalendarEvent:
    """The meeting as one calendar event (also what the subscribe feeds carry)."""
    if review.meeting_at is None:
        raise ApplicationError(
            "This review has no meeting scheduled.", status=404, code="not_found"
        )
    duration = duration_minutes or meeting_duration(review)
    url = review_url(review)
    people = attendees if attendees is not None else meeting_recipients(review)
    return CalendarEvent(
        uid=meeting_uid(review),
        sequence=meeting_sequence(review),
        summary="Review meeting: " + review.title,
        start=review.meeting_at,
        end=review.meeting_at + dt.timedelta(minutes=duration),
        description=f"Review meeting for “{review.title}”.\nReview: {url}",
        url=url,
        location=review.meeting_location,
        organizer=Person(organizer.name, organizer.email) if organizer is not None else None,
        attendees=tuple(Person(p.name, p.email) for p in people if p.email),
    )


def meeting_ics(
    review: Review,
    *,
    duration_minutes: int | None = None,
    organizer: User | None = None,
    attendees: list[User] | None = None,
    method: str = "PUBLISH",
    now: dt.datetime | None = None,
) -> str:
    """The meeting as an iCalendar document, built by ``core.calendar.build_calendar``."""
    event = meeting_event(
        review, duration_minutes=duration_minutes, organizer=organizer, attendees=attendees
    )
    return build_calendar([event], method=method, now=now).decode("utf-8")


def meeting_filename(review: Review) -> str:
    return f"review-{review.pk}-meeting.ics"
