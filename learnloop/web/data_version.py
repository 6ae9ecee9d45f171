"""The page cache's data version: a counter per organisation, moved inside every writing
transaction, with no time and no person in it (decision 0076).

Every SQL statement that writes (``INSERT``, ``UPDATE``, ``DELETE``, ``REPLACE``) to a table
that pages show is seen by a database execute wrapper, installed on every connection as it
opens (``install`` from ``WebConfig.ready``). That covers model saves and deletes, many-to-many
changes, ``QuerySet.update()``, ``bulk_create`` and raw SQL alike, in requests, jobs and
commands. The write is attributed to an organisation: the signed-in person's, when it happens
in a request (``attribute_to``, set by ``PageCacheMiddleware``); otherwise scope 0, "any
organisation" (jobs, commands, Slack, sign-in pages). An ``UPDATE`` that sets only columns no
page shows (``QUIET_COLUMNS``: a sign-in's ``last_login`` and upgraded password hash,
decisions 0244 and 0254) is not a write.

Inside a transaction the scope is only marked; just before the commit (``core.commit_hooks``,
in the same transaction) one statement per marked scope runs
``counter = counter + 1`` on ``web_pageversion``. Outside a transaction the counter moves at
once after the write. A rollback forgets the marks (nothing was written).

Readers call :func:`data_version` once per request: one indexed query summing the counters of
the viewer's organisation and of scope 0. A write anywhere in the organisation, or anywhere
at all when its organisation is unknown, changes that sum, so every kept page of the
organisation is out of date at the moment the write commits (read-your-writes for everyone).

Why the row cannot date or link an anonymous write: it has no time column and no reference
to a person; it changes in the same transaction as the write's own rows, which already
exist in the same database; its value counts all writes of the organisation together.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.backends.signals import connection_created

TABLE = "web_pageversion"
#: Tables whose writes change no page: sessions, sign-in attempts and throttles, the job
#: queue, the Slack replay guard, migrations, the counter itself, and API tokens (decision
#: 0185: a token's first use in 5 minutes records it, and as a write outside any organisation
#: that dropped every organisation's kept pages; only the profile page, never kept, shows
#: tokens, and a kept API list checks its token on every request).
QUIET_PREFIXES = (
    "django_session",
    "accounts_apitoken",
    "django_migrations",
    "axes_",
    "core_ratelimit",
    "tasks_",
    "chat_seenrequest",
    TABLE,
)
#: Columns no page shows, by table: an ``UPDATE`` that sets only these changes no page.
#: ``last_login`` (decision 0244): every sign-in writes it (Django's ``update_last_login``),
#: in the signed-in organisation or, outside a request (``force_login``), in scope 0, and
#: that dropped the kept pages of a whole organisation, or of every organisation, per sign-in.
#: ``password`` (decision 0254): a sign-in whose hash Django upgrades (the hasher's iterations
#: changed) writes it alone. A real change signs the person's other sessions out through
#: Django's session hash, which the page cache never bypasses (it keys on the signed-in user).
QUIET_COLUMNS = {"accounts_user": frozenset({"last_login", "password"})}
ANY_ORGANISATION = 0

_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)
        \s+["`]?(\w+)""",
    re.IGNORECASE | re.VERBOSE,
)
#: ``UPDATE table SET <assignments> [WHERE ...]``: the assignments, when they can be told.
_UPDATE_SET = re.compile(
    r"""^\s*UPDATE\s+["`]?\w+["`]?\s+SET\s+(.*?)(?:\s+WHERE\s.*)?$""",
    re.IGNORECASE | re.DOTALL,
)
#: One assignment of a bound value to a plain column: ``"column" = %s``.
_ASSIGNMENT = re.compile(r"""^\s*["`]?(\w+)["`]?\s*=\s*%s\s*$""")
_PENDING = "learnloop_page_versions_pending"
#: The request whose signed-in person's organisation a write is attributed to.
_REQUEST: contextvars.ContextVar[Any] = contextvars.ContextVar("page_cache_request", default=None)
#: Whether the counter table exists on this database (not yet while it is being migrated).
_TABLE_READY: dict[str, bool] = {}


def written_table(sql: str) -> str | None:
    """The table a statement writes, or None for a read (or a write the cache ignores)."""
    head = sql.lstrip()[:7].upper()
    if head.startswith(("SELECT", "SAVEPOI", "RELEASE", "PRAGMA", "BEGIN", "COMMIT", "ROLLBAC")):
        return None
    match = _WRITE.match(sql)
    if match is None:
        return None
    table = match.group(1).lower()
    if table.startswith(QUIET_PREFIXES) or _sets_only_quiet_columns(sql, table):
        return None
    return table


def _sets_only_quiet_columns(sql: str, table: str) -> bool:
    """An ``UPDATE`` of ``table`` whose every assignment is ``quiet column = %s``; anything
    else (an expression, another column, an insert or a delete) counts as a write."""
    quiet = QUIET_COLUMNS.get(table)
    if not quiet:
        return False
    update = _UPDATE_SET.match(sql)
    if update is None:
        return False
    for assignment in update.group(1).split(","):
        column = _ASSIGNMENT.match(assignment)
        if column is None or column.group(1).lower() not in quiet:
            return False
    return True


def scope_of_current_write() -> int:
    """The signed-in person's organisation in a request, else 0 ("any organisation")."""
    request = _REQUEST.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and getattr(user, "is_authenticated", False):
        return int(getattr(user, "organisation_id", None) or ANY_ORGANISATION)
    return ANY_ORGANISATION


@contextmanager
def attribute_to(request: Any) -> Iterator[None]:
    """Writes inside the block belong to ``request``'s signed-in person's organisation."""
    token = _REQUEST.set(request)
    try:
        yield
    finally:
        _REQUEST.reset(token)


def _in_transaction(conn: Any) -> bool:
    return bool(conn.in_atomic_block or not conn.get_autocommit())


def _pending(conn: Any) -> set[int]:
    pending = getattr(conn, _PENDING, None)
    if pending is None:
        pending = set()
        setattr(conn, _PENDING, pending)
    return pending


def _table_ready(conn: Any) -> bool:
    if not _TABLE_READY.get(conn.alias):
        with conn.cursor() as cursor:
            _TABLE_READY[conn.alias] = TABLE in conn.introspection.table_names(cursor)
    return _TABLE_READY[conn.alias]


def _bump(conn: Any, scopes: set[int]) -> None:
    if not scopes or not _table_ready(conn):
        return
    table = conn.ops.quote_name(TABLE)
    with conn.cursor() as cursor:
        for scope in sorted(scopes):  # always the same order: no deadlock between writers
            cursor.execute(
                f"INSERT INTO {table} (scope, counter) VALUES (%s, 1) "
                f"ON CONFLICT (scope) DO UPDATE SET counter = {table}.counter + 1",
                [scope],
            )


def flush(conn: Any) -> None:
    """Move the counters of the scopes this connection's open transaction wrote to."""
    pending = _pending(conn)
    if pending:
        scopes = set(pending)
        pending.clear()
        _bump(conn, scopes)


def discard(conn: Any) -> None:
    """After a rollback: the writes were undone, so are their marks."""
    _pending(conn).clear()


def _watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and written_table(sql) is not None:
        conn = context["connection"]
        scope = scope_of_current_write()
        if _in_transaction(conn):
            _pending(conn).add(scope)
        else:
            _bump(conn, {scope})
    return result


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    """From ``WebConfig.ready``: watch writes on every connection, now and later."""
    connection_created.connect(_on_connection_created, dispatch_uid="page-cache-writes")
    for conn in connections.all(initialized_only=True):
        _on_connection_created(None, conn)


def data_version(organisation_id: int, using: str = "default") -> int:
    """The sum of the organisation's counter and the "any organisation" counter. Writes made
    earlier in this connection's open transaction are counted first (read-your-writes inside
    one transaction, as in tests)."""
    conn = connections[using]
    flush(conn)
    if not _table_ready(conn):
        return 0
    with conn.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM(counter), 0) FROM {conn.ops.quote_name(TABLE)} "
            "WHERE scope IN (%s, %s)",
            [ANY_ORGANISATION, organisation_id],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0
