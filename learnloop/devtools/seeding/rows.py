"""Fast inserts for the seed: rows straight to the driver's ``executemany`` (decision 0086).

Why not ``bulk_create``: at a million rows its SQL compiler (one placeholder and one
``get_db_prep_save`` call per value, the statement rebuilt per batch) cost more than the
database's own work. Here the statement is built once per table and a value is converted only
when its field needs it (dates and times, JSON, decimals); plain text, numbers, booleans and
foreign keys go to the driver as they are, exactly as Django would send them.

On PostgreSQL rows without ``ignore_conflicts`` go through ``COPY`` (decision 0089).

Ids: a row whose objects are referred to later needs its id before the insert. They are
reserved in one query per batch: PostgreSQL hands out the next values of the table's own
sequence (safe beside other writers); SQLite takes the ids after the largest ever used
(``sqlite_sequence``), which is safe because the seed's transactions take the write lock at
``BEGIN`` (``transaction_mode = IMMEDIATE`` in settings), so no one else can insert meanwhile.
Rows that keep an explicit id (anonymous reports' random negative ids) keep it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.constants import OnConflict

M = TypeVar("M", bound=models.Model)

#: Field classes whose Python values the drivers take as they are (``get_db_prep_save`` is the
#: identity for them on SQLite and PostgreSQL). Exact classes only: a subclass may convert.
_AS_IS: tuple[type[models.Field[Any, Any]], ...] = (
    models.CharField,
    models.TextField,
    models.SlugField,
    models.EmailField,
    models.URLField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.BooleanField,
    models.FloatField,
    models.AutoField,
    models.BigAutoField,
)

BATCH = 5000


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """None when the value goes to the driver unchanged, else what Django would send."""
    if type(field) in _AS_IS:
        return None
    if isinstance(field, models.ForeignKey) and type(field.target_field) in _AS_IS:
        return None

    def django(value: Any) -> Any:
        return field.get_db_prep_save(value, connection=connection)

    if type(field) is models.DateTimeField and connection.timezone is dt.UTC:
        # The seed's times are aware UTC datetimes: what Django sends for them is, on SQLite,
        # ``str()`` of the naive UTC time (``adapt_datetimefield_value``) and, on PostgreSQL, the
        # value itself. Anything else (naive, another zone) goes through Django.
        as_text = connection.vendor == "sqlite"

        def utc_time(value: Any) -> Any:
            if value is None or value.tzinfo is not dt.UTC:
                return django(value)
            return str(value.replace(tzinfo=None)) if as_text else value

        return utc_time
    return django


def _reserve_ids(table: str, column: str, n: int) -> list[int]:
    """``n`` unused ids for ``table`` (see the module's docstring for why this is safe)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, n],
            )
            return [int(r[0]) for r in cur.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("ids are reserved inside the seed's transaction only")
        q = connection.ops.quote_name
        cur.execute(f"SELECT max({q(column)}) FROM {q(table)}")
        top = cur.fetchone()[0] or 0
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cur.fetchone()
        start = max(top, row[0] if row else 0, 0) + 1
        return list(range(start, start + n))


def insert(
    objs: Sequence[M], *, ignore_conflicts: bool = False, batch_size: int = BATCH
) -> list[M]:
    """Insert ``objs`` (unsaved instances of one model); give them their ids; return them.

    Like ``bulk_create``: no ``save()``, no signals; ``auto_now`` fields are stamped unless
    :func:`~learnloop.devtools.seeding.common.given_timestamps` switched them off. With
    ``ignore_conflicts`` rows that would break a unique constraint are skipped, and the objects
    get no ids (as with ``bulk_create``).
    """
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    if not ignore_conflicts and any(o.pk is None for o in objs):
        if type(pk) not in (models.AutoField, models.BigAutoField):
            return model._default_manager.bulk_create(objs, batch_size=batch_size)
        missing = [o for o in objs if o.pk is None]
        for o, new_id in zip(
            missing, _reserve_ids(meta.db_table, str(pk.column), len(missing)), strict=True
        ):
            o.pk = new_id
    fields = [f for f in meta.concrete_fields if not (f.primary_key and ignore_conflicts)]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for f in stamped:
        for o in objs:
            f.pre_save(o, True)
    insert_rows(
        meta.db_table,
        [str(f.column) for f in fields],
        _values(objs, fields),
        ignore_conflicts=ignore_conflicts,
        batch_size=batch_size,
    )
    for o in objs:
        o._state.adding = False
        o._state.db = connection.alias
    return objs


def _values(
    objs: Sequence[models.Model], fields: Sequence[models.Field[Any, Any]]
) -> Iterable[tuple[Any, ...]]:
    attnames = [f.attname for f in fields]
    converters = [_converter(f) for f in fields]
    if not any(converters):
        for o in objs:
            d = o.__dict__
            yield tuple([d[a] for a in attnames])
        return
    pairs = list(zip(attnames, converters, strict=True))
    for o in objs:
        d = o.__dict__
        yield tuple([d[a] if c is None else c(d[a]) for a, c in pairs])


def insert_values(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = BATCH,
) -> int:
    """Plain tuples of ``model``'s fields ``attnames`` (e.g. ``("review_id", "at")``), converted
    as :func:`insert` converts them, for rows no one refers to later (no model instance, no ids
    given back); return how many were sent."""
    fields = [model._meta.get_field(name) for name in attnames]
    converters = [_converter(f) for f in fields]  # type: ignore[arg-type]
    if any(converters):
        plain = rows
        rows = (
            tuple([v if c is None else c(v) for v, c in zip(row, converters, strict=True)])
            for row in plain
        )
    return insert_rows(
        model._meta.db_table,
        [str(f.column) for f in fields],  # type: ignore[union-attr]
        rows,
        batch_size=batch_size,
    )


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
    batch_size: int = BATCH,
) -> int:
    """Insert plain tuples into ``table``'s ``columns`` (values as the driver takes them, for
    rows no one refers to, e.g. link tables); return how many were sent."""
    q = connection.ops.quote_name
    if connection.vendor == "postgresql" and not ignore_conflicts:
        return _copy_rows(f"{q(table)} ({', '.join(q(c) for c in columns)})", rows)
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = "{} {} ({}) VALUES ({}){}".format(
        connection.ops.insert_statement(on_conflict=on_conflict),
        q(table),
        ", ".join(q(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
        " " + connection.ops.on_conflict_suffix_sql([], on_conflict, [], []) if on_conflict else "",
    )
    sent = 0
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cur:
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                cur.executemany(sql, batch)
                sent += len(batch)
                batch = []
        if batch:
            cur.executemany(sql, batch)
            sent += len(batch)
    return sent


def _copy_rows(target: str, rows: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL: the rows through ``COPY ... FROM STDIN`` (one statement, no per-row parse,
    plan or round trip; decision 0089). The driver adapts each value as it would for
    ``executemany`` (JSON, times, decimals), and a bad row fails the whole COPY, as it would
    fail the transaction."""
    sent = 0
    with connection.cursor() as cur, cur.cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            sent += 1
    return sent
