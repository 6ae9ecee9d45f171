"""Tags: the one rule for the organisation's shared ``Tag`` table (docs/decisions/0015-tags.md).

Incidents, lessons and anything else with a ``tags`` many-to-many to :class:`Tag` read and write
tags only through this module:

- **One tag per name, ignoring case.** "Database" and "database" are the same tag; the database
  enforces it with a unique index on ``(LOWER(name), organisation)``.
- **The first spelling stays.** A new tag keeps the form it was first typed in (trimmed, inner
  whitespace collapsed); later spellings link to it and do not rename it.
- **Anonymous reports** (decisions/0010): a tag created for one, and the link rows, get random
  negative ids, so their position in the sequences says nothing about when the report was made.

This module imports no domain app: it works on any object whose ``tags`` field points at Tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.db.models.signals import m2m_changed

from learnloop.core.errors import ApplicationError
from learnloop.core.ids import random_negative_id
from learnloop.core.models import Tag

TAG_MAX_LENGTH = 60
TAGS_MAX = 20


def tag_key(name: str) -> str:
    """The case-insensitive identity of a tag name (as compared in Python)."""
    return name.lower()


def parse_tag_names(value: str | Iterable[str] | None) -> list[str]:
    """Comma-separated text or a list → trimmed names, inner whitespace collapsed, duplicates
    (ignoring case) dropped, first spelling and order kept."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    seen: dict[str, str] = {}
    for item in items:
        name = " ".join(str(item).split())
        if name and tag_key(name) not in seen:
            seen[tag_key(name)] = name
    return list(seen.values())


def check_tag_names(names: Sequence[str], *, most: int = TAGS_MAX) -> None:
    """At most ``most`` tags of at most 60 characters each; an ApplicationError naming ``tags``."""
    problems = []
    if len(names) > most:
        problems.append(f"At most {most} tags.")
    long = [n for n in names if len(n) > TAG_MAX_LENGTH]
    if long:
        problems.append(f"“{long[0][:40]}…” is longer than {TAG_MAX_LENGTH} characters.")
    if problems:
        raise ApplicationError("Check the tags.", fields={"tags": problems})


def _same_name(name: str) -> Q:
    # Compared with the database's own LOWER(), exactly as the unique index compares.
    return Q(lower_name=Lower(Value(name)))


def tags_resolve(*, organisation: Any, names: Sequence[str], anonymous: bool = False) -> list[Tag]:
    """The organisation's tags with these names (ignoring case), created where missing.

    ``organisation`` is an Organisation or its id. With ``anonymous=True`` a tag created here
    gets a random negative id (decisions/0010). Too many or too long names raise an
    ApplicationError naming ``tags``, before anything is written. Safe against a concurrent create of the same
    name: the unique index refuses the second row and the existing one is used.
    """
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    names = parse_tag_names(names)
    check_tag_names(names)
    if not names:
        return []
    in_org = Tag.objects.filter(organisation_id=org_id).annotate(lower_name=Lower("name"))
    condition = Q()
    for name in names:
        condition |= _same_name(name)
    found = {tag_key(t.name): t for t in in_org.filter(condition)}
    missing = [name for name in names if tag_key(name) not in found]
    if missing:
        # All new names in one statement (a bulk import brings hundreds): a name that exists
        # after all (created meanwhile, or equal only by the database's LOWER()) is skipped by
        # the unique index, and every one is read back below.
        Tag.objects.bulk_create(
            [
                Tag(
                    organisation_id=org_id,
                    name=name,
                    pk=random_negative_id() if anonymous else None,
                )
                for name in missing
            ],
            ignore_conflicts=True,
        )
        again = Q()
        for name in missing:
            again |= _same_name(name)
        found.update({tag_key(t.name): t for t in in_org.filter(again)})
    tags = []
    for name in names:
        tag = found.get(tag_key(name)) or in_org.filter(_same_name(name)).first()
        if tag is None:
            if not anonymous:  # the unique index skips only rows whose name exists
                raise LookupError(f"tag {name!r} was neither created nor found")
            # Only a random id can collide (1 in 2**53): try once more.
            return tags_resolve(organisation=org_id, names=names, anonymous=anonymous)
        tags.append(tag)
    return tags


def tags_set(obj: models.Model, names: Sequence[str], *, anonymous: bool = False) -> list[Tag]:
    """Replace ``obj``'s tags with these names (resolved in ``obj``'s organisation).

    For anonymous reports the link rows get random ids too, and listeners (the search index)
    are told as ``tags.set()`` would tell them.
    """
    field = type(obj)._meta.get_field("tags")
    org_id = _organisation_id(obj)
    tags = tags_resolve(organisation=org_id, names=names, anonymous=anonymous)
    if not anonymous:
        obj.tags.set(tags)
        return tags
    through = field.remote_field.through
    own = field.m2m_field_name()  # e.g. "incident"
    through.objects.filter(**{f"{own}_id": obj.pk}).delete()
    through.objects.bulk_create(
        [through(pk=random_negative_id(), **{f"{own}_id": obj.pk, "tag_id": t.pk}) for t in tags]
    )
    m2m_changed.send(
        sender=through,
        instance=obj,
        action="post_add",
        reverse=False,
        model=Tag,
        pk_set={t.pk for t in tags},
        using=obj._state.db,
    )
    return tags


def _organisation_id(obj: Any) -> int:
    if getattr(obj, "organisation_id", None):
        return obj.organisation_id
    return obj.team.organisation_id
