"""Turn-taking API (decision 0211): analyse a WebVTT transcript, read one meeting's numbers
(its participants only), change or delete it (its facilitator only), and a team's balance
trend (the team's members: aggregates only, no person)."""

import datetime as dt

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import team_ids_of
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn, Id, IsoDate, JsonBool, JsonInt
from learnloop.core.errors import ApplicationError
from learnloop.transcripts import selectors, services
from learnloop.transcripts.analysis import percent
from learnloop.transcripts.models import Transcript

router = Router(tags=["transcripts"])


class SpeakerOut(Schema):
    name: str
    speaking_ms: int
    share_percent: int
    turns: int
    longest_monologue_ms: int


class TranscriptOut(Schema):
    id: int
    team: str
    title: str
    kind: str
    review_id: int | None
    retro_id: int | None
    held_on: dt.date
    duration_ms: int
    speaking_ms: int
    unattributed_ms: int
    cues: int
    turns: int
    interruptions: int
    balance: float
    reading: str
    text_kept: bool
    facilitator: bool
    version: int
    url: str
    speakers: list[SpeakerOut]


def _out(request: AuthedHttpRequest, t: Transcript) -> TranscriptOut:
    return TranscriptOut(
        id=t.pk,
        team=t.team.slug,
        title=t.title,
        kind=t.kind,
        review_id=t.review_id,
        retro_id=t.retro_id,
        held_on=t.held_on,
        duration_ms=t.duration_ms,
        speaking_ms=t.speaking_ms,
        unattributed_ms=t.unattributed_ms,
        cues=t.cues,
        turns=t.turns,
        interruptions=t.interruptions,
        balance=t.balance,
        reading=t.reading,
        text_kept=t.kept,
        facilitator=t.facilitator_id == request.user.pk,
        version=t.version,
        url=t.get_absolute_url(),
        speakers=[
            SpeakerOut(
                name=s.name,
                speaking_ms=s.speaking_ms,
                share_percent=percent(s.speaking_ms / t.speaking_ms if t.speaking_ms else 0),
                turns=s.turns,
                longest_monologue_ms=s.longest_turn_ms,
            )
            for s in t.speakers.all()
        ],
    )


def _detail_or_404(request: AuthedHttpRequest, pk: int) -> Transcript:
    transcript = selectors.transcript_detail(request.user, pk)
    if transcript is None:
        raise Http404
    return transcript


class TranscriptIn(BodyIn):
    team: str
    vtt: str
    title: str = ""
    kind: str = ""
    review_id: JsonInt | None = None
    retro_id: JsonInt | None = None
    held_on: IsoDate | None = None
    participant_ids: list[JsonInt] = []
    keep_text: JsonBool = False


@router.post("", response={201: TranscriptOut, **errors(403, 404, 413, 422)})
def transcript_create(request: AuthedHttpRequest, payload: TranscriptIn) -> Status[TranscriptOut]:
    """Analyse a WebVTT transcript (``vtt``, the file's text). A file that cannot be analysed
    is a 400 naming the line (``fields.vtt``), over 2 MB a 413; nothing is saved then. The text
    is stored only with ``keep_text``."""
    team = Team.objects.filter(pk__in=team_ids_of(request.user), slug=payload.team).first()
    if team is None:
        raise ApplicationError("No team of yours has that slug.", code="not_found", status=404)
    transcript = services.transcript_analyse(
        actor=request.user,
        team=team,
        data=payload.vtt,
        title=payload.title,
        kind=payload.kind,
        review_id=payload.review_id,
        retro_id=payload.retro_id,
        held_on=payload.held_on,
        participant_ids=payload.participant_ids,
        keep_text=payload.keep_text,
        field="vtt",
    )
    return Status(201, _out(request, _detail_or_404(request, transcript.pk)))


@router.get("", response={200: list[TranscriptOut], **errors()})
def transcript_list(request: AuthedHttpRequest) -> list[TranscriptOut]:
    """The meetings you took part in (newest first, at most 100)."""
    rows = (
        selectors.transcripts_visible_to(request.user)
        .prefetch_related("speakers")
        .order_by("-held_on", "-id")[:100]
    )
    return [_out(request, t) for t in rows]


@router.get("/{transcript_id}", response={200: TranscriptOut, **errors(404, 422)})
def transcript_detail(request: AuthedHttpRequest, transcript_id: Id) -> TranscriptOut:
    return _out(request, _detail_or_404(request, transcript_id))


class TranscriptPatch(BodyIn):
    version: JsonInt
    title: str | None = None
    participant_ids: list[JsonInt] | None = None
    discard_text: JsonBool = False


@router.patch(
    "/{transcript_id}",
    response={200: TranscriptOut, **errors(403, 404, 409, 422, conflict=True)},
)
def transcript_update(
    request: AuthedHttpRequest, transcript_id: Id, payload: TranscriptPatch
) -> TranscriptOut:
    """The facilitator renames it, changes who may see it, or discards the kept text."""
    transcript = _detail_or_404(request, transcript_id)
    services.transcript_update(
        actor=request.user,
        transcript=transcript,
        version=payload.version,
        title=payload.title,
        participant_ids=payload.participant_ids,
        discard_text=payload.discard_text,
    )
    return _out(request, _detail_or_404(request, transcript_id))


@router.delete("/{transcript_id}", response={204: None, **errors(403, 404, 422)})
def transcript_delete(request: AuthedHttpRequest, transcript_id: Id) -> Status[None]:
    services.transcript_delete(
        actor=request.user, transcript=_detail_or_404(request, transcript_id)
    )
    return Status(204, None)


class MonthOut(Schema):
    month: dt.date
    meetings: int
    mean_balance: float
    median_balance: float


@router.get("/teams/{slug}/balance", response={200: list[MonthOut], **errors(404)})
def team_balance(request: AuthedHttpRequest, slug: str) -> list[MonthOut]:
    """A team's balance score per month across its analysed meetings (its members only):
    how many meetings, the mean and the median. No person and no single meeting."""
    team = Team.objects.filter(pk__in=team_ids_of(request.user), slug=slug).first()
    if team is None:
        raise Http404
    return [
        MonthOut(
            month=m.month,
            meetings=m.meetings,
            mean_balance=m.mean_balance,
            median_balance=m.median_balance,
        )
        for m in selectors.balance_trend(team)
    ]
