"""Closing a deliverable: chosen lessons learned and opportunities become library lessons with
source "debrief", linked back to their entry (decisions/0144); and the closing summary as
Markdown (wins, opportunities, lessons, who contributed)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from learnloop.accounts.models import User
from learnloop.accounts.visibility import can_see
from learnloop.core.errors import ApplicationError, NotFound, PermissionDenied
from learnloop.core.validation import id_or_none
from learnloop.debriefs.models import DebriefEntry, Deliverable, EntryKind
from learnloop.debriefs.services import can_steer, deliverable_set_status
from learnloop.lessons.models import CONTEXT_MAX, Lesson, SourceKind
from learnloop.lessons.services import first_sentence, lesson_create

PROMOTABLE = (EntryKind.LESSON, EntryKind.OPPORTUNITY)


def promotable_entries(deliverable: Deliverable) -> list[DebriefEntry]:
    """Lessons learned first, then opportunities, each in order of writing."""
    entries = deliverable.entries.filter(kind__in=PROMOTABLE).select_related("author", "lesson")
    return sorted(entries, key=lambda e: (e.kind != EntryKind.LESSON, e.created_at, e.pk))


def deliverable_close(
    *, actor: User, deliverable: Deliverable, promote: Sequence[int | str] = ()
) -> tuple[Deliverable, list[Lesson]]:
    """Close ``deliverable`` and turn the chosen entries into lessons, in one transaction.

    Only lessons learned and opportunities of this deliverable can be chosen; an entry that
    already became a lesson is skipped, so closing again with the same choice is harmless."""
    if not can_see(actor, deliverable):
        raise NotFound()
    if not can_steer(actor, deliverable):
        raise PermissionDenied(
            "Only the owner, whoever created it, or a team facilitator or admin can close it."
        )
    read = {id_or_none(i) for i in promote}
    wanted = {i for i in read if i is not None}
    if len(wanted) != len(read):
        raise ApplicationError(
            "Choose entries of this deliverable.", fields={"promote": ["Invalid choice."]}
        )
    chosen = list(
        deliverable.entries.filter(pk__in=wanted, kind__in=PROMOTABLE).select_related("lesson")
    )
    if len(chosen) != len(wanted):
        raise ApplicationError(
            "Only this deliverable's lessons learned and opportunities become lessons.",
            fields={"promote": ["Invalid choice."]},
        )
    created: list[Lesson] = []
    with transaction.atomic():
        closed = deliverable_set_status(
            actor=actor, deliverable=deliverable, status=Deliverable.Status.CLOSED
        )
        for entry in sorted(chosen, key=lambda e: (e.created_at, e.pk)):
            if getattr(entry, "lesson", None) is not None:
                continue
            text = entry.text.strip()
            statement = first_sentence(text)
            context = "" if statement == re.sub(r"\s+", " ", text) else text
            created.append(
                lesson_create(
                    actor=actor,
                    team=deliverable.team,
                    statement=statement,
                    context=context[:CONTEXT_MAX],
                    visibility=deliverable.visibility,
                    source_kind=SourceKind.DEBRIEF,
                    source_debrief_entry=entry,
                    source_label=deliverable.title[:200],
                )
            )
    return closed, created


def _quote(text: str) -> str:
    return "\n".join(f"  {line}" if i else line for i, line in enumerate(text.strip().splitlines()))


def summary_markdown(deliverable: Deliverable, entries: Sequence[DebriefEntry]) -> str:
    """The closing summary: facts, then wins, opportunities and lessons, then contributors."""
    lines = [f"# {deliverable.title}", ""]
    facts = [f"- Team: {deliverable.team.name}", f"- Status: {deliverable.get_status_display()}"]
    if deliverable.owner is not None:
        facts.append(f"- Owner: {deliverable.owner.name}")
    if deliverable.start_date:
        facts.append(f"- Started: {deliverable.start_date.isoformat()}")
    if deliverable.target_date:
        facts.append(f"- Target: {deliverable.target_date.isoformat()}")
    if deliverable.closed_at:
        facts.append(f"- Closed: {timezone.localtime(deliverable.closed_at).date().isoformat()}")
    if deliverable.external_url:
        facts.append(f"- Link: <{deliverable.external_url}>")
    lines += [*facts, ""]
    if deliverable.description:
        lines += [deliverable.description.strip(), ""]
    headings = {EntryKind.WIN: "Wins", EntryKind.OPPORTUNITY: "Opportunities"}
    headings[EntryKind.LESSON] = "Lessons learned"
    for kind, heading in headings.items():
        mine = [e for e in entries if e.kind == kind]
        lines += [f"## {heading}", ""]
        if not mine:
            lines += ["None noted.", ""]
            continue
        for e in mine:
            who = e.author.name if e.author is not None else "a former member"
            promoted = " (now a library lesson)" if getattr(e, "lesson", None) else ""
            link = f" <{e.link}>" if e.link else ""
            lines.append(f"- {_quote(e.text)}{link} — {who}{promoted}")
        lines.append("")
    people = sorted({e.author.name for e in entries if e.author is not None}, key=str.lower)
    lines += ["## Who contributed", ""]
    lines += [f"- {name}" for name in people] or ["Nobody wrote an entry."]
    return "\n".join(lines).rstrip() + "\n"
