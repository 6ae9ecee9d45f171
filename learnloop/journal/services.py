"""Writes for the journal. Keyword-only, typed, ``<entity>_<verb>``; one transaction each;
every problem is one ApplicationError naming the field. Only the author ever writes an entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from learnloop.accounts.models import User
from learnloop.core.errors import ApplicationError, NotFound, PermissionDenied
from learnloop.core.tags import check_tag_names, parse_tag_names
from learnloop.core.validation import id_or_none, int_or_none
from learnloop.core.versioning import claim_version, require_version
from learnloop.journal import links, selectors
from learnloop.journal.frameworks import NAME_MAX, clean_prompts
from learnloop.journal.models import ANSWER_MAX, TITLE_MAX, Entry, Framework, Reminder

STALE_MESSAGE = (
    "This entry was saved from another window or device while you were editing it. Nothing was "
    "overwritten: compare both versions and choose."
)
_UNSET: Any = object()


def _require_person(actor: User) -> None:
    if not getattr(actor, "is_authenticated", False) or actor.organisation_id is None:
        raise PermissionDenied("Only people of an organisation keep a journal here.")


def _clean_answers(prompts: list[dict[str, str]], answers: Mapping[str, Any]) -> dict[str, str]:
    keys = {p["key"] for p in prompts}
    unknown = [k for k in answers if k not in keys]
    if unknown:
        raise ApplicationError(
            "Answer the framework's prompts.",
            fields={"answers": [f"Unknown prompt: {unknown[0][:60]}. One of: {', '.join(keys)}."]},
        )
    cleaned: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    for key, value in answers.items():
        text = str(value or "").strip()
        if len(text) > ANSWER_MAX:
            problems[f"answer_{key}"] = [f"At most {ANSWER_MAX} characters (this has {len(text)})."]
        if text:
            cleaned[key] = text
    if problems:
        raise ApplicationError("Some answers are too long.", fields=problems)
    return cleaned


def _clean_title(title: str, answers: Mapping[str, str]) -> str:
    title = " ".join((title or "").split())
    if not title:
        first = next(iter(answers.values()), "")
        title = " ".join(first.split())[:80]
    if not title:
        raise ApplicationError(
            "Write something first.", fields={"title": ["Give a title or answer a prompt."]}
        )
    if len(title) > TITLE_MAX:
        raise ApplicationError(
            "The title is too long.", fields={"title": [f"At most {TITLE_MAX} characters."]}
        )
    return title


def _clean_tags(tags: str | Iterable[str] | None) -> list[str]:
    names = parse_tag_names(tags)
    check_tag_names(names)
    return names


def parse_link(actor: User, link: str | None) -> tuple[str, int | None]:
    """``"incident:12"`` / ``"retro:3"`` / empty → (kind, id), only for something the author
    can see (``journal.links.LINKABLE``); anything else is an error naming ``link`` that says
    nothing about what exists."""
    if not link:
        return "", None
    kind, _, raw = str(link).partition(":")
    pk = id_or_none(raw, signed=True)
    qs = links.visible(kind, actor)
    if qs is None or pk is None or not qs.filter(pk=pk).exists():
        raise ApplicationError(
            "Link something you can see.",
            fields={
                "link": [
                    "Choose an incident, review, deliverable, experiment or retro you can see."
                ]
            },
        )
    return kind, pk


def entry_create(
    *,
    actor: User,
    framework_key: str,
    answers: Mapping[str, Any],
    title: str = "",
    tags: str | Iterable[str] | None = None,
    link: str | None = None,
) -> Entry:
    _require_person(actor)
    framework = selectors.framework_by_key(actor, framework_key)
    if framework is None:
        raise ApplicationError(
            "Choose a framework.", fields={"framework": ["Choose one of your frameworks."]}
        )
    prompts = [dict(p) for p in framework["prompts"]]
    cleaned = _clean_answers(prompts, answers)
    link_kind, link_id = parse_link(actor, link)
    entry = Entry(
        author=actor,
        title=_clean_title(title, cleaned),
        framework_key=framework["key"],
        framework_name=framework["name"],
        prompts=prompts,
        answers=cleaned,
        tags=_clean_tags(tags),
        link_kind=link_kind,
        link_id=link_id,
    )
    with transaction.atomic():
        entry.save()
    return entry


def saved_values(entry: Entry) -> dict[str, Any]:
    values: dict[str, Any] = {"title": entry.title, "tags": sorted(entry.tags)}
    for key, text in (entry.answers or {}).items():
        values[f"answer_{key}"] = text
    values["link"] = f"{entry.link_kind}:{entry.link_id}" if entry.link_kind else ""
    return values


def entry_update(
    *,
    actor: User,
    entry: Entry,
    version: int | str | None,
    title: str = _UNSET,
    answers: Mapping[str, Any] = _UNSET,
    tags: str | Iterable[str] | None = _UNSET,
    link: str | None = _UNSET,
) -> Entry:
    """Change the author's entry if nobody (another tab) saved since ``version``."""
    if entry.author_id != actor.pk:
        raise NotFound()
    version = require_version(version)
    fresh = selectors.entry_get(user=actor, pk=entry.pk)
    submitted: dict[str, Any] = {}
    if answers is not _UNSET:
        fresh.answers = _clean_answers(fresh.prompts, answers)
        submitted.update({f"answer_{k}": v for k, v in fresh.answers.items()})
    if title is not _UNSET:
        fresh.title = _clean_title(title, fresh.answers)
        submitted["title"] = fresh.title
    if tags is not _UNSET:
        fresh.tags = _clean_tags(tags)
        submitted["tags"] = sorted(fresh.tags)
    if link is not _UNSET:
        fresh.link_kind, fresh.link_id = parse_link(actor, link)
        submitted["link"] = link or ""
    with transaction.atomic():
        fresh.version = claim_version(
            Entry,
            pk=fresh.pk,
            version=version,
            message=STALE_MESSAGE,
            submitted=submitted,
            saved=saved_values,
        )
        fresh.save(
            update_fields=[
                "title",
                "answers",
                "tags",
                "link_kind",
                "link_id",
                "version",
                "updated_at",
            ]
        )
    return fresh


def entry_delete(*, actor: User, entry: Entry) -> None:
    if entry.author_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        entry.delete()


def framework_create(
    *,
    actor: User,
    name: str,
    prompts: Any,
    description: str = "",
    for_organisation: bool = False,
) -> Framework:
    """A framework of the actor's own, or (organisation admins) one for everyone."""
    _require_person(actor)
    if for_organisation and not actor.is_org_admin:
        raise PermissionDenied("Only organisation admins add frameworks for everyone.")
    name = " ".join((name or "").split())
    description = " ".join((description or "").split())
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = ["Name the framework."]
    elif len(name) > NAME_MAX:
        problems["name"] = [f"At most {NAME_MAX} characters."]
    if len(description) > 300:
        problems["description"] = ["At most 300 characters."]
    try:
        cleaned = clean_prompts(prompts)
    except ApplicationError as exc:
        problems.update(exc.fields)
    if problems:
        raise ApplicationError("The framework has invalid fields.", fields=problems)
    assert actor.organisation_id is not None
    with transaction.atomic():
        return Framework.objects.create(
            organisation_id=actor.organisation_id,
            owner=None if for_organisation else actor,
            name=name,
            description=description,
            prompts=cleaned,
        )


def framework_delete(*, actor: User, framework: Framework) -> None:
    """Its owner deletes a personal framework; organisation admins an organisation's one.
    Entries keep the prompts they were written with."""
    if framework.organisation_id != actor.organisation_id:
        raise NotFound()
    if framework.owner_id is None and not actor.is_org_admin:
        raise PermissionDenied("Only organisation admins remove the organisation's frameworks.")
    if framework.owner_id is not None and framework.owner_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        framework.delete()


def reminder_set(*, actor: User, weekday: int | str | None) -> Reminder | None:
    """Opt in to a weekly reminder on ``weekday`` (0 Monday … 6 Sunday), or out with None."""
    if weekday in (None, ""):
        Reminder.objects.filter(user=actor).delete()
        return None
    day = int_or_none(weekday, minimum=0)
    if day is None or day > 6:
        raise ApplicationError(
            "Choose a day of the week.", fields={"weekday": ["Choose Monday to Sunday."]}
        )
    with transaction.atomic():
        reminder, _ = Reminder.objects.update_or_create(user=actor, defaults={"weekday": day})
    return reminder
