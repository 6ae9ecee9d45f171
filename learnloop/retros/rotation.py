"""The five-minute learning share: a fair rotation per team (decisions/0162).

Who is next: among the team's active members who are neither away nor opted out, the person
who shared least recently, people who never shared first. When several are equally due (all
never shared, or last shared on the same day), one is drawn at random with a seed that is
recorded on the turn. The facilitator (any team member) marks the turn done or skipped;
skipped keeps the person next (a history row is written, the pending turn stays).

Reading never writes (decisions/0165): pages show :func:`share_pending`; the draw happens in a
POST — marking a turn done draws the next person, marking oneself away or opted out redraws
when one was named, creating a retro draws when nobody is named yet, and the team page offers
a "Draw" button when nobody is named.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from learnloop.accounts.models import Team, User
from learnloop.core.errors import ApplicationError
from learnloop.retros.models import ShareAvailability, ShareTurn
from learnloop.retros.services import require_member

HISTORY = 20


def eligible(team: Team) -> list[User]:
    unavailable = set(
        ShareAvailability.objects.filter(team=team)
        .filter(away=True)
        .values_list("user_id", flat=True)
    ) | set(
        ShareAvailability.objects.filter(team=team, opted_out=True).values_list(
            "user_id", flat=True
        )
    )
    return [
        u for u in team.members.filter(is_active=True).order_by("id") if u.pk not in unavailable
    ]


def _pick(team: Team, seed: int) -> tuple[User | None, int]:
    people = eligible(team)
    if not people:
        return None, 0
    last = dict(
        ShareTurn.objects.filter(team=team, status=ShareTurn.Status.DONE)
        .values_list("person_id")
        .annotate(last=Max("decided_at"))
        .values_list("person_id", "last")
    )

    def due(user: User) -> tuple[int, dt.date]:
        when = last.get(user.pk)
        return (0, dt.date.min) if when is None else (1, timezone.localdate(when))

    first = min(due(u) for u in people)
    tied = [u for u in people if due(u) == first]
    return random.Random(seed).choice(tied), len(tied)


def share_pending(*, team: Team) -> ShareTurn | None:
    """The pending turn if its person can still share; a read, nothing is written."""
    pending = (
        ShareTurn.objects.filter(team=team, status=ShareTurn.Status.PENDING)
        .select_related("person")
        .first()
    )
    if pending is None or pending.person_id not in {u.pk for u in eligible(team)}:
        return None
    return pending


def share_draw(*, actor: User, team: Team) -> ShareTurn | None:
    """A team member asks who is next (the team page's button): draws if nobody is named."""
    require_member(actor, team.pk)
    return share_next(team=team)


def share_next(*, team: Team, seed: int | None = None) -> ShareTurn | None:
    """The pending turn, choosing one if there is none (or its person is no longer eligible).
    Writes: call it only from a POST, a service or a job."""
    with transaction.atomic():
        pending = (
            ShareTurn.objects.select_for_update()
            .filter(team=team, status=ShareTurn.Status.PENDING)
            .first()
        )
        if pending is not None:
            if pending.person_id in {u.pk for u in eligible(team)}:
                return pending
            pending.delete()
        seed = secrets.randbelow(2**62) if seed is None else seed
        person, tied = _pick(team, seed)
        if person is None:
            return None
        return ShareTurn.objects.create(team=team, person=person, seed=seed, tied=tied)


def share_decide(
    *, actor: User, team: Team, outcome: str, now: dt.datetime | None = None
) -> ShareTurn:
    """Mark the pending turn done (the next call picks someone else) or skipped (a history row;
    the same person stays next)."""
    require_member(actor, team.pk)
    if outcome not in (ShareTurn.Status.DONE, ShareTurn.Status.SKIPPED):
        raise ApplicationError(
            "Choose done or skipped.", fields={"outcome": ["Choose done or skipped."]}
        )
    now = now or timezone.now()
    with transaction.atomic():
        pending = share_next(team=team)
        if pending is None:
            raise ApplicationError(
                "Nobody is available to share.", fields={"outcome": ["Nobody is available."]}
            )
        if outcome == ShareTurn.Status.DONE:
            pending.status = ShareTurn.Status.DONE
            pending.decided_at, pending.decided_by = now, actor
            pending.save(update_fields=["status", "decided_at", "decided_by"])
            share_next(team=team)  # name the next person now, so pages only read
            return pending
        return ShareTurn.objects.create(
            team=team,
            person=pending.person,
            status=ShareTurn.Status.SKIPPED,
            seed=pending.seed,
            tied=pending.tied,
            decided_at=now,
            decided_by=actor,
        )


def share_set_availability(
    *, actor: User, team: Team, away: bool | None = None, opted_out: bool | None = None
) -> ShareAvailability:
    """People mark themselves away or opted out (only for themselves)."""
    require_member(actor, team.pk)
    row, _ = ShareAvailability.objects.get_or_create(team=team, user=actor)
    if away is not None:
        row.away = away
    if opted_out is not None:
        row.opted_out = opted_out
    with transaction.atomic():
        row.save()
        if ShareTurn.objects.filter(team=team, status=ShareTurn.Status.PENDING).exists():
            share_next(team=team)  # replaces the turn if it named this person, now unavailable
    return row


SUGGESTIONS_PER_KIND = 5


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "Lesson", "Debrief entry", "Journal entry you shared"
    text: str
    url: str


def share_suggestions(person: User) -> list[Suggestion]:
    """What the named person may pick from — only ever shown to them: their own recent lessons,
    their debrief entries, and the journal entries they chose to share (the journal's own
    author-only read; an entry never shared stays out)."""
    from django.db.models import Q
    from django.urls import reverse

    from learnloop.debriefs.models import DebriefEntry
    from learnloop.journal.models import Entry
    from learnloop.lessons.models import Lesson

    n = SUGGESTIONS_PER_KIND
    lessons = Lesson.objects.visible_to(person).filter(created_by=person).order_by("-created_at")
    entries = DebriefEntry.objects.visible_to(person).filter(author=person).order_by("-created_at")
    journal = (
        Entry.objects.of(person)
        .filter(Q(shared_lesson__isnull=False) | Q(shared_anonymously=True))
        .order_by("-created_at", "-id")
    )
    return (
        [
            Suggestion("Lesson", x.statement, reverse("lessons:detail", args=[x.pk]))
            for x in lessons[:n]
        ]
        + [
            Suggestion("Debrief entry", x.text[:200], reverse("debriefs:entry", args=[x.pk]))
            for x in entries[:n]
        ]
        + [
            Suggestion(
                "Journal entry you shared",
                x.title or "Untitled entry",
                reverse("journal:detail", args=[x.pk]),
            )
            for x in journal[:n]
        ]
    )


@dataclass(frozen=True)
class SharePanel:
    team: Team
    next: ShareTurn | None
    history: list[ShareTurn]
    mine: ShareAvailability | None
    suggestions: list[Suggestion]
    can_draw: bool


def share_panel(*, team: Team, viewer: User) -> SharePanel:
    """What the team page shows: who is next, the history, the viewer's own standing, and —
    for the person named — their own recent lessons to pick from."""
    turn = share_pending(team=team)
    history = list(
        ShareTurn.objects.filter(team=team)
        .exclude(status=ShareTurn.Status.PENDING)
        .select_related("person")[:HISTORY]
    )
    suggestions: list[Suggestion] = []
    if turn is not None and turn.person_id == viewer.pk:
        suggestions = share_suggestions(viewer)
    return SharePanel(
        team=team,
        next=turn,
        history=history,
        mine=ShareAvailability.objects.filter(team=team, user=viewer).first(),
        suggestions=suggestions,
        can_draw=turn is None and bool(eligible(team)),
    )
