"""API input types that accept exactly what the OpenAPI document says (docs/decisions/0013)
and stay within what the database holds (docs/decisions/0012).

Pydantic's lax mode reads ``0`` as 1970-01-01, ``0`` as ``false`` and ``false`` as ``0``; the
document promises ISO dates, JSON booleans and JSON integers, so anything else is a 422 naming
the field. (Query and path parameters are text: they keep pydantic's reading of "5" and "true".)
An id fits a 64-bit column and a page is at most ``MAX_PAGE`` (core/validation.py).

Every JSON object a request body declares is a :class:`BodyIn`: a field it does not declare
(``"titel"``, ``"due_dat"``) is refused, 422 naming its path, rather than dropped without a
word; the document says ``additionalProperties: false`` (docs/decisions/0235)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, ValidationInfo, model_validator

from learnloop.core.validation import MAX_ID, MAX_PAGE

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}.*", re.DOTALL)


def _iso(pattern: re.Pattern[str], example: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, dt.date) or (isinstance(value, str) and pattern.fullmatch(value)):
            return value
        raise ValueError(f"Use the ISO format, e.g. {example}.")

    return BeforeValidator(check)


#: ``YYYY-MM-DD``.
IsoDate = Annotated[dt.date, _iso(_ISO_DATE, "2026-12-03")]
#: ``YYYY-MM-DDTHH:MM[:SS][zone]``.
IsoDateTime = Annotated[dt.datetime, _iso(_ISO_DATETIME, "2026-12-03T09:30:00Z")]
#: ``true`` or ``false`` in a JSON body (not 0, 1 or "yes").
JsonBool = StrictBool


def _json_number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Send a JSON integer.")
    return value


#: A JSON integer in a JSON body: ``1`` or ``1.0`` (JSON Schema's integer), not ``false`` or "1".
JsonInt = Annotated[int, BeforeValidator(_json_number)]
#: A database id: 1 … 2⁶³−1.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: An incident id: anonymous reports have random negative ids (incidents/models.py).
SignedId = Annotated[int, Field(ge=-MAX_ID, le=MAX_ID)]
#: A page number: 1 … MAX_PAGE.
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]


class BodyIn(Schema):
    """A JSON object in a request body: the top-level body or an object nested in it (a list
    item too). An undeclared field is refused (422, ``fields`` names its path, e.g.
    ``columns.0.colour``); ``learnloop/api/tests/test_openapi_document.py`` fails when a request
    body's object allows other properties."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _note_unknown_fields(cls, data: Any, info: ValidationInfo) -> Any:
        """Note on the request, for each field this object does not take, the names it does:
        the 422 then suggests the one a misspelling meant (``router.on_validation_error``)."""
        request = (info.context or {}).get("request")
        if request is not None and isinstance(data, dict):
            known = {field.alias or name for name, field in cls.model_fields.items()}
            notes = unknown_fields_noted(request)
            for key in data.keys() - known:
                notes.setdefault(str(key), set()).update(known)
        return data


def unknown_fields_noted(request: Any) -> dict[str, set[str]]:
    """The fields of this request's body that its schema does not take → the names taken
    where each was sent (filled while the body is validated)."""
    notes: dict[str, set[str]] = request.__dict__.setdefault("_learnloop_unknown_fields", {})
    return notes
