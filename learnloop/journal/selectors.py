"""Reads for the journal: every one is the author's own (decisions/0170). There is no
function that reads another person's entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Q, QuerySet
from django.http import Http404

from learnloop.accounts.models import User
from learnloop.core.compiled import Compiled, CompiledObjects, Param
from learnloop.core.validation import fits_bigint, parse_page
from learnloop.journal import links, render
from learnloop.journal.frameworks import SHIPPED, SHIPPED_BY_KEY
from learnloop.journal.models import Entry, Framework, Reminder, framework_key

LINK_CHOICES_MAX = 50
#: What the journal list shows of an entry. Not the prompts and answers: they are most of a
#: row, and building model objects from them cost more than the rest of the list's rows.
LIST_FIELDS = (
    "id",
    "title",
    "framework_name",
    "created_at",
    "tags",
    "shared_lesson_id",
    "shared_anonymously",
)


def entries_of(user: User) -> QuerySet[Entry]:
    return Entry.objects.of(user).order_by("-created_at", "-id")


def entry_get(*, user: User, pk: Any) -> Entry:
    """The entry if ``user`` wrote it, else 404 (for everyone else: admins of any kind too).
    No join: pages and the API read only ``shared_lesson_id``, never the lesson itself."""
    try:
        value = int(pk)
    except (ValueError, TypeError):
        raise Http404("Not found") from None
    if not getattr(user, "is_authenticated", False) or not fits_bigint(value):
        raise Http404("Not found")  # ``Entry.objects.of``: nobody's entries; no such id
    found = _ENTRY.objects(pk=value, author=user.pk)
    if not found:
        raise Http404("Not found")
    return found[0]


#: :func:`entry_get`'s read, compiled once per connection (decision 0234): an entry's page is
#: never kept, so each view reads it.
_ENTRY = CompiledObjects(
    lambda: Entry.objects.filter(
        pk=Param("pk", BigIntegerField()), author_id=Param("author", BigIntegerField())
    )[:1]
)


#: What the API's entry list answers of an entry (``api.JournalEntryOut``), ``link`` and
#: ``shared`` made from their columns as ``Entry`` makes them.
API_FIELDS = (
    "id",
    "title",
    "framework_key",
    "framework_name",
    "prompts",
    "answers",
    "tags",
    "link_kind",
    "link_id",
    "shared_lesson_id",
    "shared_anonymously",
    "version",
    "created_at",
    "updated_at",
)

#: ``entries_of(author)[low:high]`` as ``API_FIELDS`` rows, compiled once per connection and
#: slice (decision 0239): the author is the query's one parameter.
_API_ROWS = Compiled(
    lambda low, high: (
        Entry.objects.filter(author_id=Param("author", BigIntegerField()))
        .order_by("-created_at", "-id")
        .values(*API_FIELDS)[low:high]
    )
)


def entries_slice(*, user: User, start: int, size: int) -> list[dict[str, Any]]:
    """``entries_of(user)[start:start + size]`` as dicts of ``API_FIELDS`` with ``link`` and
    ``shared`` (what ``Entry.link`` and ``Entry.shared`` give), by a compiled statement: no
    model objects to build for a list the API turns into JSON."""
    if not getattr(user, "is_authenticated", False):  # ``Entry.objects.of``: nobody's entries
        return []
    rows = _API_ROWS.rows(shape=(start, start + size), author=user.pk)
    for row in rows:
        row["link"] = f"{row['link_kind']}:{row['link_id']}" if row["link_kind"] else ""
        row["shared"] = row["shared_anonymously"] or row["shared_lesson_id"] is not None
    return rows


def _matching(user: User, q: str) -> QuerySet[Entry]:
    return entries_of(user).filter(
        Q(title__icontains=q) | Q(answers__icontains=q) | Q(tags__icontains=q)
    )


def entry_search(*, user: User, q: str, limit: int = 20) -> list[Entry]:
    """The author's own entries containing ``q`` in the title, tags or an answer."""
    q = q.strip()
    if not q:
        return []
    return list(_matching(user, q)[:limit])


def _listed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` of ``LIST_FIELDS``, each given its page's ``url`` and ``shared``."""
    prefix = render.url("list")  # an entry's page is <list>/<id>/ (journal/urls.py)
    for row in rows:
        row["url"] = f"{prefix}{row['id']}/"
        row["shared"] = row["shared_anonymously"] or row["shared_lesson_id"] is not None
    return rows


def _rows(qs: QuerySet[Entry]) -> list[dict[str, Any]]:
    """``LIST_FIELDS`` of each entry as a dict, with its page's ``url`` and ``shared``."""
    return _listed(list(qs.values(*LIST_FIELDS)))


def entry_search_rows(*, user: User, q: str, limit: int) -> list[dict[str, Any]]:
    """``entry_search`` as list rows (``_rows``)."""
    q = q.strip()
    return _rows(_matching(user, q)[:limit]) if q else []


@dataclass(frozen=True)
class EntryPage:
    """One page of the author's entries, newest first, without counting them: a page reads
    one row more than it shows to know whether an older page exists."""

    rows: list[dict[str, Any]]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


#: ``entries_of(author)[low:high]`` as list rows, compiled once per connection and slice
#: (``core.compiled``, decision 0183): the author is the query's one parameter.
_PAGE_ROWS = Compiled(
    lambda low, high: (
        Entry.objects.filter(author_id=Param("author", BigIntegerField()))
        .order_by("-created_at", "-id")
        .values(*LIST_FIELDS)[low:high]
    )
)


def _page_rows(user: User, low: int, high: int) -> list[dict[str, Any]]:
    """``_rows`` of ``entries_of(user)[low:high]``."""
    if not user.is_authenticated:  # ``Entry.objects.of``: nobody's entries
        return []
    return _listed(_PAGE_ROWS.rows(shape=(low, high), author=user.pk))


def entry_page(*, user: User, number: Any, size: int) -> EntryPage:
    """Page ``number`` (unreadable: 1; past the last page: the last page, as Django's
    ``Paginator.get_page`` does) of ``size`` rows (``_rows``)."""
    page = parse_page(number)
    rows = _page_rows(user, (page - 1) * size, page * size + 1)
    if not rows and page > 1:  # past the end: the one case that counts
        page = max(1, -(-entries_of(user).count() // size))
        rows = _page_rows(user, (page - 1) * size, page * size + 1)
    return EntryPage(rows=rows[:size], number=page, has_next=len(rows) > size)


def custom_frameworks(user: User) -> QuerySet[Framework]:
    """The organisation's shared frameworks and ``user``'s own."""
    if user.organisation_id is None:
        return Framework.objects.none()
    return Framework.objects.filter(organisation_id=user.organisation_id).filter(
        Q(owner_id__isnull=True) | Q(owner_id=user.pk)
    )


#: ``custom_frameworks`` as menu rows (no prompts), compiled once per connection (decision 0183).
_MENU_ROWS = Compiled(
    lambda: (
        Framework.objects.filter(organisation_id=Param("organisation", BigIntegerField()))
        .filter(Q(owner_id__isnull=True) | Q(owner_id=Param("owner", BigIntegerField())))
        .order_by("owner_id", "name", "id")
        .values("id", "name", "description", "owner_id")
    )
)


def _custom_items(user: User, *, prompts: bool) -> list[dict[str, Any]]:
    fields = ["id", "name", "description", "owner_id", *(["prompts"] if prompts else [])]
    if prompts:
        found = list(custom_frameworks(user).order_by("owner_id", "name", "id").values(*fields))
    elif user.organisation_id is None:
        found = []
    else:
        found = _MENU_ROWS.rows(organisation=user.organisation_id, owner=user.pk)
    items = []
    for fw in found:
        item = {
            "key": framework_key(fw["id"]),
            "name": fw["name"],
            "description": fw["description"],
            "scope": "personal" if fw["owner_id"] else "organisation",
        }
        if prompts:
            item.update(prompts=fw["prompts"], id=fw["id"])
        items.append(item)
    return items


def frameworks_for(user: User) -> list[dict[str, Any]]:
    """Every framework ``user`` can write with: shipped first, then the organisation's, then
    their own (each a dict with ``key``, ``name``, ``description``, ``prompts``, ``scope``)."""
    shipped: list[dict[str, Any]] = [{**f, "scope": "shipped"} for f in SHIPPED]
    return shipped + _custom_items(user, prompts=True)


def framework_menu(user: User) -> list[dict[str, Any]]:
    """What the journal list offers to write with: ``frameworks_for`` without the prompts
    (``key``, ``name``, ``description``, ``scope``): one narrow query."""
    shipped: list[dict[str, Any]] = [
        {"key": f["key"], "name": f["name"], "description": f["description"], "scope": "shipped"}
        for f in SHIPPED
    ]
    return shipped + _custom_items(user, prompts=False)


def framework_by_key(user: User, key: str) -> dict[str, Any] | None:
    if key in SHIPPED_BY_KEY:
        return {**SHIPPED_BY_KEY[key], "scope": "shipped"}
    return next((f for f in frameworks_for(user) if f["key"] == key), None)


def link_choices(user: User) -> list[tuple[str, str]]:
    """Recent incidents, reviews, deliverables, experiments and retros ``user`` can see."""
    return links.choices(user)


def linked_object(user: User, entry: Entry) -> Any:
    """What the entry is about, if the author can still see it."""
    if not entry.link_kind or entry.link_id is None:
        return None
    return links.target(user, entry.link_kind, entry.link_id)


def reminder_of(user: User) -> Reminder | None:
    return Reminder.objects.filter(user=user).first()


_WEEKDAY = Compiled(
    lambda: Reminder.objects.filter(user_id=Param("user", BigIntegerField())).values("weekday")
)


def reminder_weekday(user: User) -> int | None:
    """The weekday of ``user``'s reminder (0 = Monday), or None: no reminder (one row at most:
    ``Reminder.user`` is one-to-one). Compiled once per connection (decision 0183)."""
    found = _WEEKDAY.rows(user=user.pk)
    return found[0]["weekday"] if found else None


def export_of(user: User) -> dict[str, Any]:
    """The author's own journal as JSON-ready data: their entries and their own frameworks.
    Nothing of anyone else's, and no lesson id of an anonymous share (there is none to give)."""
    return {
        "format": "learnloop-journal",
        "version": 1,
        "author": user.email,
        "entries": [
            {
                "id": e.pk,
                "title": e.title,
                "framework": e.framework_name,
                "prompts": e.prompts,
                "answers": e.answers,
                "tags": e.tags,
                "link": f"{e.link_kind}:{e.link_id}" if e.link_kind else "",
                "shared_lesson_id": e.shared_lesson_id,
                "shared_anonymously": e.shared_anonymously,
                "created_at": e.created_at.isoformat(),
                "updated_at": e.updated_at.isoformat(),
            }
            for e in entries_of(user).order_by("created_at", "id")
        ],
        "frameworks": [
            {"name": f.name, "description": f.description, "prompts": f.prompts}
            for f in Framework.objects.filter(owner=user).order_by("name", "id")
        ],
    }
