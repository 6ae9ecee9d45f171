"""Reading calendar files back in tests, with the ``icalendar`` library (never by hand)."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event


def parse_calendar(data: bytes | str) -> Calendar:
    """Parse an iCalendar document strictly enough to fail on anything a client would reject."""
    raw = data.encode() if isinstance(data, str) else data
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "a line is not folded"
    assert b"\n" not in raw.replace(b"\r\n", b""), "a bare LF"
    calendar = Calendar.from_ical(raw)
    assert isinstance(calendar, Calendar)
    assert str(calendar["VERSION"]) == "2.0" and calendar.get("PRODID")
    return calendar


def calendar_events(data: bytes | str) -> list[Event]:
    return [c for c in parse_calendar(data).walk("VEVENT") if isinstance(c, Event)]


def utc_start(event: Event) -> dt.datetime:
    """The event's start, which must be an aware UTC datetime."""
    value = event.decoded("DTSTART")
    assert isinstance(value, dt.datetime) and value.utcoffset() == dt.timedelta(0)
    return value
