"""Small SQL expressions for aggregate pages, computed by the database in C rather than per row
in Python (decision 0078).

Django's ``TruncMonth`` on SQLite calls a Python function for every row, and reading
datetimes back builds an aware ``datetime`` per value; at 100,000 rows those two were most of
the organisation's loop metrics. These give the same results as plain strings and floats.

A read that skips the ORM's query compiler on every run is a ``core.compiled.Compiled`` query
(decision 0236), not SQL written here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce


class MonthKey(Func):
    """The month (UTC) of a datetime or date column as ``"YYYY-MM"``, the key
    ``incidents.metrics.month_of`` gives in Python. SQLite keeps datetimes as UTC text
    (``YYYY-MM-DD HH:MM:SS``) and dates as ``YYYY-MM-DD``: the first seven characters."""

    arity = 1
    output_field = CharField()

    def _is_datetime(self) -> bool:
        return isinstance(self.source_expressions[0].output_field, DateTimeField)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = (
            "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM')"
            if self._is_datetime()
            else "to_char(%(expressions)s, 'YYYY-MM')"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


class MinutesBetween(Func):
    """Minutes from the first datetime expression to the second (NULL when either is NULL), as
    a float, to the millisecond."""

    arity = 2
    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._between(
            compiler, "(round((julianday({end}) - julianday({start})) * 86400000.0) / 60000.0)"
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._between(compiler, "(EXTRACT(EPOCH FROM ({end} - {start}))::float8 / 60.0)")

    def _between(self, compiler: Any, template: str) -> tuple[str, list[Any]]:
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        # The end comes first in both templates, so do its parameters.
        return template.format(end=end_sql, start=start_sql), [*end_params, *start_params]


def count_of(rows: QuerySet[Any], link: str) -> Coalesce:
    """How many of ``rows`` point at the outer row through ``link`` (``link=OuterRef("pk")``),
    0 when none: a correlated subquery in the select list. The database evaluates it for the
    outer rows it keeps, after their sort and limit, where ``Count`` over a join would first
    join and group every row (decision 0178)."""
    counted = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
