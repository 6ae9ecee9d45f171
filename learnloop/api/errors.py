"""The one error shape as the OpenAPI document describes it, and the error responses each
operation declares: ``{"error": {"code", "message", "fields"}}`` for every 4xx.

Every operation declares the statuses it can answer besides success (docs/decisions/
0013-api-contract-testing.md); the schemathesis run in learnloop/api/tests checks that no other
status comes back and that every body matches.
"""

from __future__ import annotations

from ninja import Schema

UNAUTHENTICATED = 401
# Any request can be unreadable before it reaches an operation: the request guard answers 400
# for a NUL character in the path, a query parameter's name or value (docs/decisions/0012).
UNREADABLE = 400


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class Error(Schema):
    error: ErrorDetail


class ConflictError(Error):
    """409: somebody saved since the version you sent; ``current_version`` is theirs."""

    current_version: int


def errors(*statuses: int, conflict: bool = False) -> dict[int, type[Schema]]:
    """The error responses of an operation: 401 always (every operation needs a personal token
    or a signed-in session), 400 always (a request the guard cannot read, or a value the service
    rejects), plus ``statuses``: 404 an id you
    cannot see, 409 a stale version (``conflict=True`` documents ``current_version``), 413 a body
    over the size limit, 422 a parameter or field of the wrong type."""
    declared: dict[int, type[Schema]] = dict.fromkeys(
        sorted({UNAUTHENTICATED, UNREADABLE, *statuses}), Error
    )
    if conflict:
        declared[409] = ConflictError
    return declared
