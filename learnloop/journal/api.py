"""Journal API: the author's own entries and frameworks, nobody else's (decisions/0170).

Another person asking for an entry by id, admins of every kind included, gets 404 exactly as
for an id that does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import BaseModel, ConfigDict

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.rows import answer_item, json_time, rows_answer
from learnloop.api.types import BodyIn, JsonBool, JsonInt
from learnloop.core.accesslog import leave_out_of_access_log
from learnloop.core.models import Visibility
from learnloop.core.pagination import capped_count
from learnloop.journal import selectors, services, sharing
from learnloop.journal.frameworks import DEFAULT_KEY
from learnloop.journal.models import Entry

router = Router(tags=["journal"])


# The two output models are pydantic's own, not ninja's ``Schema``: ninja wraps every object
# it validates, nested prompts included, in a getter that resolves each field through Python
# (44 entries and their 176 prompts: 2.1 ms of the list's 8.6 at 1M); pydantic reads the
# entry's attributes (``from_attributes``) and the prompts' dicts in its core: 0.2 ms.
# The document (/api/openapi.json) and the bytes answered are the same (decision 0175).
class JournalPromptOut(BaseModel):
    key: str
    label: str
    help: str = ""


class JournalEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    framework_key: str
    framework_name: str
    prompts: list[JournalPromptOut]
    answers: dict[str, str]
    tags: list[str]
    link: str = Field(description='"incident:<id>" or "review:<id>", or empty.')
    shared: bool
    shared_lesson_id: int | None
    shared_anonymously: bool
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class JournalEntryIn(BodyIn):
    framework: str = Field(DEFAULT_KEY, description="A framework key from /journal/frameworks.")
    title: str = ""
    answers: dict[str, str] = Field(..., description="Prompt key → answer (Markdown).")
    tags: list[str] = []
    link: str = Field("", description='"incident:<id>" or "review:<id>" you can see.')


class JournalEntryPatch(BodyIn):
    version: JsonInt = Field(..., description="The version you read; a stale one answers 409.")
    title: str | None = None
    answers: dict[str, str] | None = None
    tags: list[str] | None = None
    link: str | None = None


class JournalFrameworkOut(Schema):
    key: str
    name: str
    description: str
    scope: str = Field(description="shipped, organisation or personal.")
    prompts: list[JournalPromptOut]


class JournalFrameworkIn(BodyIn):
    name: str
    description: str = ""
    prompts: list[str] = Field(..., description="The questions, in order.")
    for_organisation: JsonBool = Field(False, description="Organisation admins only.")


def _entry(request: AuthedHttpRequest, pk: int) -> Entry:
    return selectors.entry_get(user=request.user, pk=pk)


#: ``JournalEntryOut``'s fields, in the order the answer writes them.
_ANSWER_FIELDS = tuple(JournalEntryOut.model_fields)


def _answer_item(row: dict[str, Any]) -> dict[str, Any]:
    """One entry of the list as ``JournalEntryOut`` answers it, from a row of
    ``selectors.entries_slice``: a prompt is its ``key``, ``label`` and ``help`` ("" when the
    entry's copy has none), dates as the answer writes them (decision 0247)."""
    prompts = [
        {"key": p["key"], "label": p["label"], "help": p.get("help", "")} for p in row["prompts"]
    ]
    made = {
        "prompts": prompts,
        "created_at": json_time(row["created_at"]),
        "updated_at": json_time(row["updated_at"]),
    }
    return answer_item(_ANSWER_FIELDS, row, made)


class EntryPagination(Pagination):
    """``Pagination``'s answer, the same bytes, for the author's entries (decision 0239): the
    page is read by a statement compiled once per connection (``selectors.entries_slice``),
    and a page that is not full gives the count itself (the rows before it and on it), so
    ``capped_count`` runs only after a full page or past the end. The items are written as the
    answer's JSON values (``_answer_item``) and ``rows_answer`` encodes the page: no pydantic
    model per entry (decision 0247)."""

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Pagination.Input,
        request: HttpRequest | None = None,
        **params: Any,
    ) -> dict[str, Any]:
        start, limit = Pagination.bounds(pagination)
        user: Any = getattr(request, "user", None)
        items = selectors.entries_slice(user=user, start=start, size=pagination.page_size)
        if 0 < len(items) < pagination.page_size or (not items and start == 0):
            total = start + len(items)
            count, capped = (limit, True) if total > limit else (total, False)
        else:
            count, capped = capped_count(queryset, limit)
        return Pagination.answer(pagination, [_answer_item(row) for row in items], count, capped)


@router.get("/entries", response={200: list[JournalEntryOut], **errors(422)})
@rows_answer
@paginate(EntryPagination)
def entry_list(request: AuthedHttpRequest) -> QuerySet[Entry]:
    return selectors.entries_of(request.user)


@router.post("/entries", response={201: JournalEntryOut, **errors(400, 403, 422)})
def entry_create(request: AuthedHttpRequest, payload: JournalEntryIn) -> Status[Entry]:
    entry = services.entry_create(
        actor=request.user,
        framework_key=payload.framework,
        answers=payload.answers,
        title=payload.title,
        tags=payload.tags,
        link=payload.link,
    )
    return Status(201, _entry(request, entry.pk))


@router.get("/entries/{int:journal_entry_id}", response={200: JournalEntryOut, **errors(404)})
def entry_detail(request: AuthedHttpRequest, journal_entry_id: int) -> Entry:
    return _entry(request, journal_entry_id)


@router.patch(
    "/entries/{int:journal_entry_id}",
    response={200: JournalEntryOut, **errors(400, 404, 422, conflict=True)},
)
def entry_update(
    request: AuthedHttpRequest, journal_entry_id: int, payload: JournalEntryPatch
) -> Entry:
    entry = _entry(request, journal_entry_id)
    changes: dict[str, Any] = {
        k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "link"
    }
    services.entry_update(actor=request.user, entry=entry, **changes)
    return _entry(request, journal_entry_id)


@router.delete("/entries/{int:journal_entry_id}", response={204: None, **errors(404)})
def entry_delete(request: AuthedHttpRequest, journal_entry_id: int) -> HttpResponse:
    services.entry_delete(actor=request.user, entry=_entry(request, journal_entry_id))
    return HttpResponse(status=204)


@router.get("/export", response={200: dict[str, Any], **errors()})
def journal_export(request: AuthedHttpRequest) -> dict[str, Any]:
    """Your own journal (entries and your frameworks) in one document."""
    return selectors.export_of(request.user)


@router.get("/frameworks", response={200: list[JournalFrameworkOut], **errors()})
def framework_list(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    return selectors.frameworks_for(request.user)


@router.post("/frameworks", response={201: JournalFrameworkOut, **errors(400, 403, 422)})
def framework_create(
    request: AuthedHttpRequest, payload: JournalFrameworkIn
) -> Status[dict[str, Any]]:
    fw = services.framework_create(
        actor=request.user,
        name=payload.name,
        description=payload.description,
        prompts=payload.prompts,
        for_organisation=payload.for_organisation,
    )
    scope = "personal" if fw.owner_id else "organisation"
    return Status(
        201,
        {
            "key": fw.key,
            "name": fw.name,
            "description": fw.description,
            "scope": scope,
            "prompts": fw.prompts,
        },
    )


class JournalShareIn(BodyIn):
    team: str = Field(..., description="Slug of one of your teams.")
    statement: str = Field(..., description="The learning, one sentence; what others will read.")
    context: str = ""
    tags: list[str] = []
    visibility: Visibility = Visibility.TEAM
    anonymous: JsonBool = Field(False, description="No author, only the date (decisions/0010).")


class JournalShareOut(Schema):
    shared: bool
    anonymous: bool
    lesson_id: int | None = Field(description="The new lesson; null for an anonymous share.")


@router.post(
    "/entries/{int:journal_entry_id}/share",
    response={201: JournalShareOut, **errors(400, 404, 422)},
)
def entry_share(
    request: AuthedHttpRequest, journal_entry_id: int, payload: JournalShareIn
) -> Status[JournalShareOut]:
    """Turn (part of) your entry into a library lesson. Not in the access log (named or not),
    and an anonymous share answers no id: nothing dates or points at it."""
    leave_out_of_access_log(request)
    entry = _entry(request, journal_entry_id)
    team = next((t for t in sharing.sharing_teams(request.user) if t.slug == payload.team), None)
    lesson = sharing.entry_share(
        actor=request.user,
        entry=entry,
        team_id=team.pk if team else None,
        statement=payload.statement,
        context=payload.context,
        tags=payload.tags,
        visibility=payload.visibility,
        anonymous=payload.anonymous,
    )
    return Status(
        201,
        JournalShareOut(
            shared=True,
            anonymous=payload.anonymous,
            lesson_id=None if payload.anonymous else lesson.pk,
        ),
    )
