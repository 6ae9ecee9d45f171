"""Optimistic versions: the one rule that refuses stale saves (docs/decisions/0014).

Every object two people can edit carries ``version = PositiveIntegerField(default=1)``. A save
names the version the writer started from. :func:`claim_version` advances it with a conditional
``UPDATE … SET version = version + 1 WHERE id = %s AND version = %s`` inside the caller's
transaction, so of two saves from the same version exactly one matches a row. The other gets
:class:`StaleVersion`: HTTP 409 in the one error shape plus ``current_version``, and on the web
the conflict view (``web/_conflict.html``) with the saved version beside the person's input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.db import models
from django.db.models import F

from learnloop.core.errors import ApplicationError, Conflict, NotFound
from learnloop.core.validation import id_or_none


class StaleVersion(Conflict):
    """A save from a version somebody else has saved over since.

    ``fields`` names each submitted field whose saved value now differs (with that value) and
    ``version`` (the version to send to knowingly replace it); the API body adds
    ``current_version`` at the top level: ``{"error": {...}, "current_version": 3}``.
    """

    def __init__(
        self, message: str, *, current_version: int, changed: Mapping[str, Any] | None = None
    ) -> None:
        fields = {
            name: [f"Changed meanwhile; now: {shown(value)}"]
            for name, value in (changed or {}).items()
        }
        fields["version"] = [f"The current version is {current_version}."]
        super().__init__(message, fields=fields)
        self.current_version = current_version

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "current_version": self.current_version}


def shown(value: Any) -> str:
    """A saved value as one line of text for a conflict message."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return str(value)


def require_version(value: Any) -> int:
    """The version a writer sent, as an int; a clear 400 naming ``version`` otherwise."""
    version = id_or_none(value) or 0
    if version < 1:
        raise ApplicationError(
            "Send the version you started from.",
            fields={"version": ["Send the version you read (a stale save is refused)."]},
        )
    return version


def differing(saved: Mapping[str, Any], submitted: Mapping[str, Any]) -> dict[str, Any]:
    """The submitted fields whose saved value is now something else, with the saved value."""
    return {k: saved[k] for k, v in submitted.items() if k in saved and saved[k] != v}


def claim_version(
    model: type[models.Model],
    *,
    pk: Any,
    version: int,
    message: str,
    submitted: Mapping[str, Any] | None = None,
    saved: Callable[[Any], Mapping[str, Any]] | None = None,
) -> int:
    """Advance the row's version from ``version`` (call inside ``transaction.atomic()``, then
    write the changes in the same transaction); returns the new version.

    If no row has that version any more, raise :class:`StaleVersion` naming the ``submitted``
    fields whose saved value (``saved(current_row)``) now differs. Nothing is written then.
    """
    manager = model._default_manager
    if manager.filter(pk=pk, version=version).update(version=F("version") + 1) == 1:
        return version + 1
    current = manager.filter(pk=pk).first()
    if current is None:
        raise NotFound()
    changed = differing(saved(current), submitted or {}) if saved else {}
    raise StaleVersion(message, current_version=current.version, changed=changed)
