"""Calendar files (RFC 5545), built with the ``icalendar`` library, and the registry of the
events that calendar feeds carry (docs/decisions/0190-calendar-feeds.md).

Every calendar Learnloop writes goes through :func:`build_calendar`: the review meeting's
download and invitation, and the subscribe feeds. Timed events are written in UTC (``...Z``),
so no ``VTIMEZONE`` is needed and every client shows them in its own zone; all-day events (an
action's due date) are ``VALUE=DATE`` with the exclusive end the next day.

Apps add events to feeds by registering a source in a ``calendar_events.py`` module, which the
calendars app discovers at start-up::

    @calendar.source("reviews")
    def review_meetings(scope: FeedScope) -> Iterable[CalendarEvent]: ...

Core names no app: sources get ids (the person, their teams) and return plain events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Learnloop//Learnloop calendar//EN"


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT. ``start`` is an aware datetime (a timed event) or a date (all day)."""

    uid: str
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None = None
    description: str = ""
    url: str = ""
    location: str = ""
    sequence: int = 0
    organizer: Person | None = None
    attendees: tuple[Person, ...] = field(default=())
    categories: tuple[str, ...] = field(default=())


def _utc(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(dt.UTC)


def _address(person: Person, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name)
    if role:
        address.params["ROLE"] = vText(role)
        address.params["PARTSTAT"] = vText("NEEDS-ACTION")
        address.params["RSVP"] = vText("TRUE")
    return address


def _vevent(item: CalendarEvent, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", item.sequence)
    if isinstance(item.start, dt.datetime):
        event.add("dtstart", _utc(item.start))
        end = item.end if isinstance(item.end, dt.datetime) else None
        event.add("dtend", _utc(end or item.start + dt.timedelta(hours=1)))
        event.add("transp", "OPAQUE")
    else:
        event.add("dtstart", item.start)
        end_day = item.end if isinstance(item.end, dt.date) else None
        event.add("dtend", end_day or item.start + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    event.add("summary", item.summary)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    if item.location:
        event.add("location", item.location)
    if item.categories:
        event.add("categories", list(item.categories))
    if item.organizer is not None and item.organizer.email:
        event.add("organizer", _address(item.organizer))
    for person in item.attendees:
        event.add("attendee", _address(person, "REQ-PARTICIPANT"), encode=False)
    event.add("status", "CONFIRMED")
    return event


def build_calendar(
    events: Iterable[CalendarEvent],
    *,
    name: str = "",
    method: str = "PUBLISH",
    now: dt.datetime | None = None,
) -> bytes:
    """An iCalendar document (CRLF lines folded at 75 octets, TEXT escaped by the library)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
    stamp = _utc(now or timezone.now())
    for item in events:
        calendar.add_component(_vevent(item, stamp))
    return bytes(calendar.to_ical())


# --- the feed registry -----------------------------------------------------------------------


@dataclass(frozen=True)
class FeedScope:
    """What a feed shows: one person's things (``user_id`` set) or one team's (``None``).

    ``team_ids`` are the teams whose content may appear (the person's teams, or the one team);
    events outside ``start``..``end`` are left out so a feed stays small.
    """

    user_id: int | None
    team_ids: tuple[int, ...]
    start: dt.datetime
    end: dt.datetime


FeedSource = Callable[[FeedScope], Iterable[CalendarEvent]]
SOURCES: dict[str, FeedSource] = {}


def source(name: str) -> Callable[[FeedSource], FeedSource]:
    """Register ``func`` as the feed source ``name`` (one per kind of event)."""

    def register(func: FeedSource) -> FeedSource:
        SOURCES[name] = func
        return func

    return register


def taking_part(rows: Any, scope: FeedScope, *person_fields: str) -> Any:
    """``rows`` (a queryset) narrowed to a personal feed's person: those where any of
    ``person_fields`` (e.g. ``"facilitator_id"``, ``"participants__id"``) is them. A team
    feed (no person) keeps every row."""
    if scope.user_id is None:
        return rows
    from django.db.models import Q

    match = Q()
    for name in person_fields:
        match |= Q(**{name: scope.user_id})
    return rows.filter(match).distinct()


def feed_events(scope: FeedScope) -> list[CalendarEvent]:
    """Every registered source's events for ``scope``, in start order."""
    events = [event for name in sorted(SOURCES) for event in SOURCES[name](scope)]

    def key(event: CalendarEvent) -> tuple[dt.datetime, str]:
        start = event.start
        if not isinstance(start, dt.datetime):
            start = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)
        return (_utc(start), event.uid)

    return sorted(events, key=key)
