"""API lists answered from plain rows (decision 0247): a page whose items a pagination has
already written as JSON values, in the answer's field order, is turned into the answer's bytes by
one ``json.dumps``, the bytes ninja writes for the same page through pydantic and
``NinjaJSONEncoder``.

Ninja validates every item of a list into its output model, dumps it back to Python values and
encodes them with a per-value fallback (``default``) for each date; for a page of 50 rows that
is most of the request. An operation that builds its items itself (``journal.api``'s entry list)
is wrapped with :func:`rows_answer` under its ``@router.get``: the route, its parameters, its
errors and its OpenAPI document are ninja's, only the 200 answer is written here.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse

from learnloop.api.pagination import Pagination

#: The content type of every ninja answer (``NinjaAPI.get_content_type``).
CONTENT_TYPE = "application/json; charset=utf-8"
_ENCODER = DjangoJSONEncoder()
_PAGE_FIELDS = tuple(Pagination.Output.model_fields)


def json_time(value: dt.date | None) -> str | None:
    """A date or datetime as the answer writes it (``DjangoJSONEncoder``: ISO 8601; a datetime
    to the millisecond, ``Z`` for UTC); ``None`` stays ``None``."""
    if value is None:
        return None
    written: str = _ENCODER.default(value)
    return written


def answer_item(
    fields: tuple[str, ...], row: Mapping[str, Any], made: Mapping[str, Any]
) -> dict[str, Any]:
    """One item in ``fields``' order (an output model's: ``tuple(Model.model_fields)``), each
    value from ``made`` when it is there, else the row's own (a field in neither: KeyError)."""
    return {name: made[name] if name in made else row[name] for name in fields}


def rows_answer(view: Callable[..., dict[str, Any]]) -> Callable[..., HttpResponse]:
    """Wrap a ``@paginate``d operation whose pagination returns items that are already JSON
    values (str, int, bool, None, lists and dicts of them; dates written by
    :func:`json_time`) in the output model's field order: answer the page as ninja would,
    ``items``, ``count``, ``count_capped``, ``page``, ``page_size``, without validating it again.
    A value that is not JSON raises ``TypeError`` (no fallback encoder)."""

    @functools.wraps(view)
    def answer(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        page = view(request, **kwargs)
        body = json.dumps({name: page[name] for name in _PAGE_FIELDS})
        return HttpResponse(body, content_type=CONTENT_TYPE)

    return answer
