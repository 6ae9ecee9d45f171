"""What the JSON export and import share: the format name and version, times, references.

Objects are identified by their external id within their team (``{"team": slug, "id": ext}``);
objects created in Learnloop that have none are exported as ``<kind>-<pk>`` and keep that id
when imported, so exporting again gives the same file. See docs/import-export.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from typing import Any

from django.conf import settings
from django.utils import timezone

FORMAT = "learnloop-export"
VERSION = 2
READABLE_VERSIONS = (1, 2)


def iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def parse_dt(value: Any) -> dt.datetime | None:
    if not value:
        return None
    result = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return result if timezone.is_aware(result) else result.replace(tzinfo=dt.UTC)


def email_of(user: Any) -> str | None:
    return user.email.lower() if user is not None else None


def ext_id(obj: Any, kind: str) -> str:
    return obj.external_id or f"{kind}-{obj.pk}"


def ref(obj: Any, kind: str) -> dict[str, str] | None:
    return {"team": obj.team.slug, "id": ext_id(obj, kind)} if obj is not None else None


def install_id() -> str:
    """Names this install (its secret key, hashed) so an export read back into the same install
    can match ``<kind>-<pk>`` ids to the rows they came from; another install never does."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"learnloop-install-id", hashlib.sha256)
    return digest.hexdigest()[:20]


def local_pk(value: str, kind: str) -> int | None:
    """The row id in ``<kind>-<pk>`` (the id of an object made in Learnloop), else None."""
    match = re.fullmatch(rf"{kind}-(-?\d+)", value)
    return int(match.group(1)) if match else None
