"""The weekly email digest (decision 0191): per person, Monday from 08:00 in their own time
zone (within a day of it), sent by the worker; sections come from the apps.

An app adds a section with :func:`section` in its ``digest_sections.py`` (discovered by
``NotificationsConfig.ready``): a function of a :class:`DigestScope` returning a
:class:`DigestSection` or None (nothing to say). Sections appear in ``order``.

:func:`digests_send_due` runs every few minutes (``notifications/jobs.py``). For each person
whose local send time of this ISO week has come and who has no :class:`DigestDelivery` row for
that week, it writes the row and queues the email in one transaction; the row's unique
(person, week) makes a second run, or a second worker, a no-op.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from learnloop.accounts.models import Membership, User
from learnloop.core.jobs import queue_email
from learnloop.core.urls_util import absolute_url
from learnloop.notifications.models import Channel, DigestDelivery, Kind, NotificationPreference
from learnloop.notifications.unsubscribe import unsubscribe_headers, unsubscribe_url

SEND_WEEKDAY = 0  # Monday
SEND_HOUR = 8
SEND_WINDOW = dt.timedelta(days=1)
LOOKBACK = dt.timedelta(days=7)


@dataclass(frozen=True)
class DigestItem:
    text: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class DigestSection:
    title: str
    items: tuple[DigestItem, ...]
    more: int = 0  # items left out of a long list
    more_url: str = ""


@dataclass(frozen=True)
class DigestScope:
    """Whose digest: the person, their team ids, the week looked back on and their local now."""

    user: User
    team_ids: tuple[int, ...]
    since: dt.datetime
    now: dt.datetime
    local_now: dt.datetime
    tz: dt.tzinfo = field(default=dt.UTC)


SectionFunc = Callable[[DigestScope], DigestSection | None]
SECTIONS: dict[str, tuple[int, SectionFunc]] = {}


def section(name: str, *, order: int) -> Callable[[SectionFunc], SectionFunc]:
    """Register a digest section ``name`` at position ``order`` (lower first)."""

    def register(func: SectionFunc) -> SectionFunc:
        SECTIONS[name] = (order, func)
        return func

    return register


def zone_of(user: User) -> dt.tzinfo:
    """The person's zone, else the server's (an unknown name falls back the same way)."""
    if user.time_zone:
        try:
            return zoneinfo.ZoneInfo(user.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_default_timezone()


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def send_time_has_come(local_now: dt.datetime) -> bool:
    """Within the day after Monday 08:00 local time (a worker that was down for a while still
    sends, once; one that was down for the whole day skips that week rather than sending a
    "weekly" digest on a Thursday, or to everyone the moment a new install starts)."""
    monday = local_now.date() - dt.timedelta(days=local_now.weekday() - SEND_WEEKDAY)
    start = dt.datetime.combine(monday, dt.time(SEND_HOUR), tzinfo=local_now.tzinfo)
    return start <= local_now < start + SEND_WINDOW


@dataclass(frozen=True)
class Digest:
    subject: str
    text: str
    html: str
    sections: tuple[DigestSection, ...]


def digest_compose(user: User, *, now: dt.datetime | None = None) -> Digest:
    """The person's digest as of ``now``: every registered section that has something."""
    now = now or timezone.now()
    tz = zone_of(user)
    teams = tuple(Membership.objects.filter(user=user).values_list("team_id", flat=True))
    scope = DigestScope(user, teams, now - LOOKBACK, now, now.astimezone(tz), tz)
    sections = tuple(
        found
        for _, func in sorted(SECTIONS.values(), key=lambda pair: pair[0])
        if (found := func(scope)) is not None and found.items
    )
    local = scope.local_now
    context = {
        "person": user,
        "sections": sections,
        "week_of": local.date(),
        "home": absolute_url("/"),
        "preferences": absolute_url("/notifications/preferences/"),
        "unsubscribe": unsubscribe_url(user, Kind.DIGEST),
    }
    return Digest(
        subject=f"Your Learnloop week, {local:%d %b %Y}",
        text=render_to_string("notifications/email/digest.txt", context),
        html=render_to_string("notifications/email/digest.html", context),
        sections=sections,
    )


def _candidates() -> list[User]:
    off = NotificationPreference.objects.filter(kind=Kind.DIGEST, channel=Channel.OFF)
    return list(
        User.objects.filter(is_active=True, organisation__isnull=False)
        .exclude(email="")
        .exclude(pk__in=off.values("user_id"))
        .order_by("pk")
    )


def digests_send_due(*, now: dt.datetime | None = None) -> int:
    """Queue the digest of everyone whose send time has come and who has not had this week's;
    returns how many emails were queued. Safe to run as often and as concurrently as wanted."""
    now = now or timezone.now()
    people = _candidates()
    done = set(
        DigestDelivery.objects.filter(
            user__in=people, created_at__gte=now - dt.timedelta(days=8)
        ).values_list("user_id", "week")
    )
    queued = 0
    for person in people:
        local_now = now.astimezone(zone_of(person))
        week = iso_week(local_now.date())
        if (person.pk, week) in done or not send_time_has_come(local_now):
            continue
        queued += _send_one(person, week, now)
    return queued


def _send_one(person: User, week: str, now: dt.datetime) -> int:
    digest = digest_compose(person, now=now)
    try:
        with transaction.atomic():
            DigestDelivery.objects.create(user=person, week=week, sent=bool(digest.sections))
            if not digest.sections:
                return 0  # nothing to tell: no email this week, and no retry either
            queue_email(
                to=[person.email],
                subject=digest.subject,
                body=digest.text,
                html=digest.html,
                headers=unsubscribe_headers(person, Kind.DIGEST),
                unique_key=f"digest:{person.pk}:{week}",
            )
    except IntegrityError:
        return 0  # another run got there first
    return 1
