"""The showcase as Markdown (the agenda to paste or print) and as an iCalendar meeting, built
with ``core.calendar.build_calendar`` like every calendar Learnloop writes (decisions/0190)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.utils import timezone

from learnloop.accounts.models import User
from learnloop.core.calendar import CalendarEvent, Person, build_calendar
from learnloop.core.urls_util import absolute_url
from learnloop.experiments.models import Showcase, ShowcaseItem, ShowcaseScope

SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _line(text: str) -> str:
    return " ".join(text.split())


def showcase_markdown(showcase: Showcase, items: list[ShowcaseItem]) -> str:
    """The agenda in Markdown: leaders' items are marked, the insight under each."""
    lines = [f"# {showcase.title}", ""]
    if showcase.meeting_at:
        when = timezone.localtime(showcase.meeting_at)
        lines.append(f"- When: {when:%A %d %B %Y, %H:%M} ({showcase.duration_minutes} min)")
    if showcase.location:
        lines.append(f"- Where: {_line(showcase.location)}")
    if showcase.facilitator:
        lines.append(f"- Facilitator: {showcase.facilitator.name}")
    lines += [
        f"- Link: {absolute_url(showcase.get_absolute_url())}",
        "",
        "Stopping on data is a win. Leaders share their own first.",
        "",
        "## Agenda",
        "",
    ]
    if not items:
        lines.append("Nothing stopped, pivoted or failed this month yet.")
    for n, item in enumerate(items, start=1):
        who = f" — {item.presenter.name}" if item.presenter else ""
        lead = " (leader)" if item.leader else ""
        done = " ✓ presented" if item.presented_at else ""
        outcome = f" · {item.outcome}" if item.outcome else ""
        lines.append(f"{n}. **{_line(item.title)}**{who}{lead}{outcome}{done}")
        if item.insight:
            lines.append(f"   - What it taught: {_line(item.insight)}")
        if item.experiment_id:
            url = absolute_url(f"/experiments/{item.experiment_id}/")
            lines.append(f"   - Experiment: {url}")
        if item.lesson_id:
            lines.append(f"   - Lesson: {absolute_url(f'/lessons/{item.lesson_id}/')}")
    return "\n".join(lines) + "\n"


def showcase_uid(showcase: Showcase) -> str:
    host = urlsplit(absolute_url("/")).hostname or "learnloop"
    return f"showcase-{showcase.pk}@{host}"


def showcase_attendees(showcase: Showcase) -> list[User]:
    """A team showcase invites the team; an organisation one is an open invitation (no list)."""
    if showcase.scope == ShowcaseScope.ORGANISATION:
        return []
    return list(showcase.team.members.filter(is_active=True).exclude(email="").order_by("email"))


def showcase_event(showcase: Showcase, *, attendees: list[User] | None = None) -> CalendarEvent:
    assert showcase.meeting_at is not None
    stamp = showcase.updated_at or timezone.now()
    organizer = showcase.facilitator
    return CalendarEvent(
        uid=showcase_uid(showcase),
        summary=showcase.title,
        start=showcase.meeting_at,
        end=showcase.meeting_at + dt.timedelta(minutes=showcase.duration_minutes),
        description="The month's stopped, pivoted and failed experiments and what they taught; "
        "leaders share their own first.\n" + absolute_url(showcase.get_absolute_url()),
        url=absolute_url(showcase.get_absolute_url()),
        location=showcase.location,
        sequence=max(0, int((stamp - SEQUENCE_EPOCH).total_seconds())),
        organizer=Person(organizer.name, organizer.email) if organizer else None,
        attendees=tuple(Person(u.name, u.email) for u in attendees or []),
        categories=("Learnloop", "Showcase"),
    )


def showcase_ics(showcase: Showcase) -> bytes:
    """The invitation (METHOD:REQUEST) with the team as attendees; needs a meeting time."""
    event = showcase_event(showcase, attendees=showcase_attendees(showcase))
    return build_calendar([event], method="REQUEST")
