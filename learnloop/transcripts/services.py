"""Writes for turn-taking: analyse an uploaded transcript (the facilitator's choice), change
who may see it, discard the kept text, delete it (decision 0211).

An upload is read and analysed before anything is written: a bad file writes nothing. The
text is stored only with ``keep_text``; otherwise only the numbers are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import can_manage_team, team_ids_of
from learnloop.core.errors import ApplicationError, NotFound, PermissionDenied
from learnloop.core.validation import clean_text, id_or_none, parse_date_in_range
from learnloop.core.versioning import claim_version
from learnloop.retros.models import Retro
from learnloop.reviews.models import Review
from learnloop.transcripts.analysis import analyse
from learnloop.transcripts.models import Kind, SpeakerTotal, Transcript
from learnloop.transcripts.reading import MAX_BYTES, TranscriptError, decode, read

NOT_SAVED = "The transcript was not analysed; nothing was saved."


def _fail(field: str, message: str, summary: str = NOT_SAVED) -> ApplicationError:
    return ApplicationError(summary, fields={field: [message]})


def _transcript_error(exc: TranscriptError, field: str) -> ApplicationError:
    too_large = exc.line == 0 and exc.problem.startswith("The file is")
    return ApplicationError(
        f"{NOT_SAVED} {exc}",
        code="too_large" if too_large else "invalid_transcript",
        fields={field: [str(exc)]},
        status=413 if too_large else 400,
    )


def _text_of(data: bytes | str, field: str) -> str:
    if isinstance(data, str):
        if len(data) > MAX_BYTES:  # characters: at least as many bytes
            raise _transcript_error(TranscriptError(0, _size_problem(len(data))), field)
        data = data.encode("utf-8", "surrogatepass")
    if not data.strip():
        raise _fail(field, "Choose a WebVTT (.vtt) transcript file.")
    try:
        return decode(data)
    except TranscriptError as exc:
        raise _transcript_error(exc, field) from None


def _size_problem(size: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; transcripts up to "
        f"{MAX_BYTES // 1024 // 1024} MB are taken."
    )


def _members(team: Team, ids: Iterable[Any]) -> list[User]:
    wanted = {i for i in (id_or_none(v) for v in ids) if i is not None}
    people = list(User.objects.filter(pk__in=wanted, memberships__team=team, is_active=True))
    if len(people) != len(wanted):
        raise _fail("participants", "Choose participants among the team's members.")
    return people


def _linked(
    actor: User, team: Team, review_id: Any, retro_id: Any
) -> tuple[Review | None, Retro | None]:
    review = retro = None
    if review_id not in (None, ""):
        review = Review.objects.filter(pk=id_or_none(review_id) or 0, team=team).first()
        if review is None:
            raise _fail("review", "Choose one of this team's reviews.")
    if retro_id not in (None, ""):
        retro = Retro.objects.filter(pk=id_or_none(retro_id) or 0, team=team).first()
        if retro is None:
            raise _fail("retro", "Choose one of this team's retrospectives.")
    if review and retro:
        raise _fail("retro", "Link the transcript to a review meeting or a retro, not both.")
    return review, retro


def _may_facilitate(actor: User, team: Team, review: Review | None, retro: Retro | None) -> bool:
    """The facilitator uploads: a linked retro's facilitator, a linked review's author or a
    participant, or a team admin; without a link, any member of the team."""
    if can_manage_team(actor, team):
        return True
    if retro is not None:
        return retro.facilitator_id == actor.pk
    if review is not None:
        return review.created_by_id == actor.pk or review.participants.filter(pk=actor.pk).exists()
    return True


def _title(value: Any, fallback: str) -> str:
    title = clean_text(value, "title").strip() or fallback
    if len(title) > 200:
        raise _fail("title", "Keep the title under 200 characters.")
    return title


def transcript_analyse(
    *,
    actor: User,
    team: Team,
    data: bytes | str,
    title: Any = "",
    kind: Any = "",
    review_id: Any = None,
    retro_id: Any = None,
    held_on: Any = None,
    participant_ids: Iterable[Any] = (),
    keep_text: bool = False,
    field: str = "file",
) -> Transcript:
    """Analyse ``data`` (WebVTT) for a meeting of ``team`` and store the numbers; the text only
    with ``keep_text``. Participants: those chosen (members of the team), else the linked
    meeting's; the facilitator (``actor``) always."""
    if team.pk not in team_ids_of(actor):
        raise NotFound()
    review, retro = _linked(actor, team, review_id, retro_id)
    if not _may_facilitate(actor, team, review, retro):
        raise PermissionDenied("The meeting's facilitator or a team admin uploads its transcript.")
    if kind not in Kind.values and kind not in ("", None):
        raise _fail("kind", "Choose review, retro, showcase or meeting.")
    kind = Kind.REVIEW if review else Kind.RETRO if retro else (kind or Kind.MEETING)
    held = parse_date_in_range(held_on, "held_on")
    if held is None:
        held = _meeting_day(review, retro) or timezone.localdate()
    if held > timezone.localdate() + dt.timedelta(days=1):
        raise _fail("held_on", "The meeting has not happened yet.")
    fallback = (review.title if review else retro.title if retro else "") or "Team meeting"
    title = _title(title, fallback)
    people = _members(team, participant_ids)
    if not people:
        if review is not None:
            people = list(review.participants.filter(is_active=True))
        elif retro is not None:
            people = list(retro.participants.filter(is_active=True))
    text = _text_of(data, field)
    try:
        result = analyse(read(text))
    except TranscriptError as exc:
        raise _transcript_error(exc, field) from None
    with transaction.atomic():
        transcript = Transcript.objects.create(
            team=team,
            title=title,
            kind=kind,
            review=review,
            retro=retro,
            held_on=held,
            facilitator=actor,
            duration_ms=result.duration_ms,
            speaking_ms=result.speaking_ms,
            unattributed_ms=result.unattributed_ms,
            cues=result.cues,
            speaker_count=len(result.speakers),
            turns=result.turns,
            interruptions=result.interruptions,
            balance=result.balance,
            reading=result.reading[:300],
            text=text if keep_text else "",
        )
        SpeakerTotal.objects.bulk_create(
            SpeakerTotal(
                transcript=transcript,
                position=i,
                name=s.name,
                speaking_ms=s.speaking_ms,
                turns=s.turns,
                longest_turn_ms=s.longest_turn_ms,
            )
            for i, s in enumerate(result.speakers)
        )
        transcript.participants.set({p.pk for p in people} | {actor.pk})
    return transcript


def _meeting_day(review: Review | None, retro: Retro | None) -> dt.date | None:
    when = (review.meeting_at if review else None) or (retro.meeting_at if retro else None)
    return timezone.localdate(when) if when else None


def _require_facilitator(actor: User, transcript: Transcript) -> None:
    if transcript.facilitator_id != actor.pk:
        raise PermissionDenied("Only the facilitator who uploaded it changes this analysis.")


def transcript_update(
    *,
    actor: User,
    transcript: Transcript,
    version: int,
    title: Any = None,
    participant_ids: Iterable[Any] | None = None,
    discard_text: bool = False,
) -> Transcript:
    """The facilitator renames it, changes who may see it, or discards the kept text (for
    good: the numbers stay)."""
    _require_facilitator(actor, transcript)
    new_title = _title(title, transcript.title) if title is not None else transcript.title
    people = None
    if participant_ids is not None:
        people = _members(transcript.team, participant_ids)
    with transaction.atomic():
        transcript.version = claim_version(
            Transcript,
            pk=transcript.pk,
            version=version,
            message="The analysis changed meanwhile.",
            submitted={"title": new_title},
            saved=lambda row: {"title": row.title},
        )
        transcript.title = new_title
        if discard_text:
            transcript.text = ""
        transcript.save(update_fields=["title", "text", "version", "updated_at"])
        if people is not None:
            transcript.participants.set({p.pk for p in people} | {actor.pk})
    return transcript


def transcript_delete(*, actor: User, transcript: Transcript) -> None:
    _require_facilitator(actor, transcript)
    transcript.delete()
