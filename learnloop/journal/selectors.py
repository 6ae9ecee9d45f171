"""Reads for the journal: every one is the author's own (decisions/0170). There is no
function that reads another person's entries."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from learnloop.accounts.models import User
from learnloop.journal import links
from learnloop.journal.frameworks import SHIPPED, SHIPPED_BY_KEY
from learnloop.journal.models import Entry, Framework, Reminder

LINK_CHOICES_MAX = 50


def entries_of(user: User) -> QuerySet[Entry]:
    return Entry.objects.of(user).order_by("-created_at", "-id")


def entry_get(*, user: User, pk: Any) -> Entry:
    """The entry if ``user`` wrote it, else 404 (for everyone else: admins of any kind too)."""
    try:
        return Entry.objects.of(user).select_related("shared_lesson").get(pk=pk)
    except (Entry.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def entry_search(*, user: User, q: str, limit: int = 20) -> list[Entry]:
    """The author's own entries containing ``q`` in the title, tags or an answer."""
    q = q.strip()
    if not q:
        return []
    qs = entries_of(user)
    return list(
        qs.filter(Q(title__icontains=q) | Q(answers__icontains=q) | Q(tags__icontains=q))[:limit]
    )


def custom_frameworks(user: User) -> QuerySet[Framework]:
    """The organisation's shared frameworks and ``user``'s own."""
    if user.organisation_id is None:
        return Framework.objects.none()
    return Framework.objects.filter(organisation_id=user.organisation_id).filter(
        Q(owner__isnull=True) | Q(owner=user)
    )


def frameworks_for(user: User) -> list[dict[str, Any]]:
    """Every framework ``user`` can write with: shipped first, then the organisation's, then
    their own (each a dict with ``key``, ``name``, ``description``, ``prompts``, ``scope``)."""
    items: list[dict[str, Any]] = [{**f, "scope": "shipped"} for f in SHIPPED]
    for fw in custom_frameworks(user).order_by("owner_id", "name", "id"):
        items.append(
            {
                "key": fw.key,
                "name": fw.name,
                "description": fw.description,
                "prompts": fw.prompts,
                "scope": "personal" if fw.owner_id else "organisation",
                "id": fw.pk,
            }
        )
    return items


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
