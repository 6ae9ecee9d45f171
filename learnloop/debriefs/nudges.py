"""The gentle nudge: when nobody has added a debrief entry to an active deliverable for N days
(the team's setting ``debrief_nudge_days``, default 7, 0 = off), the people on it are reminded
once per quiet stretch, in the app and by email as their preference for reminders says
(``notifications.delivery.notify``; emails go through the job queue). decisions/0145.

A deliverable already nudged in its current quiet stretch (``last_nudged_at`` at or after
``last_activity_at``) is not read again: the hourly run costs what is due, not every quiet
deliverable ever nudged (decision 0243)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import can_manage_team
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.validation import int_or_none
from learnloop.core.versioning import claim_version, require_version
from learnloop.debriefs.models import Deliverable
from learnloop.notifications.delivery import notify
from learnloop.notifications.models import Kind

SETTING = "debrief_nudge_days"
DEFAULT_DAYS = 7
MAX_DAYS = 90


def nudge_days(team: Team) -> int:
    """The team's setting, 0 (off) to 90; a missing or malformed value is the default."""
    value = (team.settings or {}).get(SETTING, DEFAULT_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
        return DEFAULT_DAYS
    return value


def nudge_days_set(*, actor: User, team: Team, days: Any, version: Any) -> Team:
    """Team admins set N (0 turns the nudge off); a stale save is refused (Team.version)."""
    if not can_manage_team(actor, team):
        raise PermissionDenied("Only the team's admins change its settings.")
    version = require_version(version)
    value = int_or_none(days, minimum=0, maximum=MAX_DAYS)
    if value is None or isinstance(days, bool):
        raise ApplicationError(
            "Check the number of days.",
            fields={"days": [f"A whole number of days from 0 (off) to {MAX_DAYS}."]},
        )
    with transaction.atomic():
        new_version = claim_version(
            Team,
            pk=team.pk,
            version=version,
            message="Someone else changed the team's settings meanwhile.",
            submitted={"days": value},
            saved=lambda row: {"days": nudge_days(row)},
        )
        current = Team.objects.select_for_update().get(pk=team.pk)
        current.settings = {**(current.settings or {}), SETTING: value}
        current.version = new_version
        current.save(update_fields=["settings", "version"])
    return current


def send_nudges(*, now: dt.datetime | None = None) -> int:
    """Remind the people on each quiet active deliverable; returns how many were told."""
    now = now or timezone.now()
    told = 0
    teams: dict[int, int] = {}
    quiet = (
        Deliverable.objects.filter(
            status=Deliverable.Status.ACTIVE,
            last_activity_at__lt=now - dt.timedelta(days=1),
        )
        .filter(Q(last_nudged_at__isnull=True) | Q(last_nudged_at__lt=F("last_activity_at")))
        .select_related("team", "owner")
        .prefetch_related("collaborators")
        .order_by("last_activity_at", "pk")
    )
    for d in quiet.iterator(chunk_size=500):
        if d.team_id not in teams:
            teams[d.team_id] = nudge_days(d.team)
        days = teams[d.team_id]
        if days == 0 or d.last_activity_at is None:
            continue
        if d.last_activity_at > now - dt.timedelta(days=days):
            continue
        people = {u.pk: u for u in d.collaborators.all()}
        if d.owner is not None:
            people[d.owner.pk] = d.owner
        sent = notify(
            recipients=people.values(),
            kind=Kind.REMINDER,
            text=(
                f"Nobody has added to the debrief log of “{d.title}” for {days} days: "
                "any win, opportunity or lesson so far?"
            ),
            path=d.get_absolute_url() + "#entry-form",
            key=f"debrief-nudge:{d.pk}:{d.last_activity_at.isoformat()}",
        )
        if sent:
            Deliverable.objects.filter(pk=d.pk).update(last_nudged_at=now)
        told += len(sent)
    return told
