"""The one save rule for rows that may be anonymous (decisions/0010, 0166).

An anonymous incident and an anonymous lesson (shared from a journal) keep nobody and no
exact time: :func:`stamp_save` is what both models' ``save()`` call, so the rule lives in one
place. It names no domain model; the caller says which field holds the person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from learnloop.core.ids import random_negative_id


def start_of_day(value: dt.datetime) -> dt.datetime:
    """Midnight UTC of ``value``: all an anonymous row keeps of when it was made."""
    value = value.astimezone(dt.UTC)
    return value.replace(hour=0, minute=0, second=0, microsecond=0)


def stamp_save(
    row: models.Model, kwargs: dict[str, Any], *, anonymous: bool, person_field: str
) -> None:
    """Before ``super().save(**kwargs)``: set ``created_at`` (once) and ``updated_at``; for an
    anonymous row clear ``person_field``, round both times down to midnight UTC and, on its
    first insert, give it a random negative id (a forced insert). ``update_fields`` always
    gains ``updated_at``. Changes ``row`` and ``kwargs`` in place."""
    now = timezone.now()
    adding = row._state.adding
    created = getattr(row, "created_at", None)
    if adding and created is None:
        created = now
    updated = now
    if anonymous:
        setattr(row, person_field, None)
        created = start_of_day(created or now)
        updated = start_of_day(now)
        if adding and row.pk is None:
            row.pk = random_negative_id()
            kwargs["force_insert"] = True
    row.created_at = created  # type: ignore[attr-defined]
    row.updated_at = updated  # type: ignore[attr-defined]
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        kwargs["update_fields"] = {*update_fields, "updated_at"}
