"""Read queries compiled to SQL once per database connection, then run with new values
(decisions 0183 and 0236): the one way to run a read without the ORM's query compiler.

On a page that is rendered on every request, Django's SQL compiler can cost more than the
query: reading one person's 26 journal rows on SQLite took about 0.06 ms to execute and fetch
and 0.5 ms to compile from the QuerySet (``as_sql``), every time, for the same SQL text; the
bell's unread count 0.46 ms to build against 0.024 ms to run (decision 0179). A ``Compiled``
query is written as an ordinary QuerySet whose varying values are ``Param`` placeholders;
Django compiles it the first time a connection runs it, and later runs reuse the SQL and the
compiler's converters (datetimes, dates, JSON, booleans), so the rows are what the QuerySet
would have returned, on SQLite and PostgreSQL alike. It runs on Django's connection, through
the same wrappers as any query (the data version's watcher included). Use it for the small
reads a page pays on every view and measured as mostly query building; everything else stays
plain ORM. Hand-written SQL strings are not the way (decision 0236 replaced them).

What is kept is SQL text with placeholders, the parameters the builder wrote into the query
(constants, never a value given to ``rows``), and the compiler: no row, no value of any run.
Each connection (one per thread in Django) keeps its own, so no lock is needed.

``CompiledObjects`` does the same for a QuerySet of model objects (``select_related`` and
``only`` included, decision 0234): a page that reads one object by its primary key on every
view (an anonymous report, a live retro, a journal entry) builds it from the row as the
QuerySet's own iterator does, without compiling the query again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from django.db import connections
from django.db.models import Expression, Field, Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

#: ``get_related_populators`` as Django 5.2 calls it (the stubs describe a later signature).
_related_populators: Any = get_related_populators
_M = TypeVar("_M", bound=Model)

#: Shapes (``rows(shape=...)``) kept per connection and query; older ones are compiled again.
SHAPES_KEPT = 16


class Param(Expression):
    """A named value of a ``Compiled`` query: the database's parameter marker in the SQL, its
    value given to each run (``Compiled.rows(name=value)``), passed to the database as it is
    (an int or a str: no field conversion happens)."""

    def __init__(self, name: str, output_field: Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        return "%s", (self,)

    def __repr__(self) -> str:
        return f"Param({self.name!r})"


class _Statement:
    """One compiled ``values()`` shape on one connection."""

    def __init__(self, qs: QuerySet[Any], using: str) -> None:
        if qs._iterable_class.__name__ != "ValuesIterable":
            raise TypeError("Compiled builds a values() QuerySet")
        query = qs.query
        self._compile(qs, using)
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]

    def _compile(self, qs: QuerySet[Any], using: str) -> None:
        self.compiler = qs.query.get_compiler(using)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.col_count = self.compiler.col_count
        fields = [s[0] for s in self.compiler.select[0 : self.col_count]]
        self.converters = self.compiler.get_converters(fields)

    def _fetch(self, connection: Any, values: dict[str, Any]) -> Any:
        """The rows of one run, each a sequence of converted column values."""
        params = [values[p.name] if isinstance(p, Param) else p for p in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            raw: Any = [row[: self.col_count] for row in cursor.fetchall()]
        if self.converters:
            raw = self.compiler.apply_converters(raw, self.converters)
        return raw

    def run(self, connection: Any, values: dict[str, Any]) -> list[Any]:
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self._fetch(connection, values)]


class _ObjectStatement(_Statement):
    """One compiled model QuerySet on one connection: its SQL and what ``ModelIterable``
    works out from the compiler before its first row (the model's columns, the related
    objects' populators, the converters)."""

    def __init__(self, qs: QuerySet[Any], using: str) -> None:
        query = qs.query
        built: Any = qs  # the QuerySet's own state, which the stubs do not describe
        if (
            qs._iterable_class is not ModelIterable
            or built._prefetch_related_lookups
            or built._known_related_objects
            or query.annotation_select
            or query.extra_select
        ):
            raise TypeError("CompiledObjects builds a plain model QuerySet")
        self._compile(qs, using)
        select, klass_info = self.compiler.select, self.compiler.klass_info
        self.model: type[Model] = klass_info["model"]
        select_fields = klass_info["select_fields"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = _related_populators(klass_info, select, using)
        self.using = using

    def run(self, connection: Any, values: dict[str, Any]) -> list[Any]:
        found = []
        for row in self._fetch(connection, values):
            obj = self.model.from_db(self.using, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            found.append(obj)
        return found


class Compiled:
    """A ``values()`` QuerySet built by ``build(*shape)`` with ``Param`` placeholders for what
    changes between runs. ``shape`` is for what Django writes into the SQL itself rather than
    as a parameter (a slice's LIMIT and OFFSET): each distinct shape is its own statement."""

    _statement_class: type[_Statement] = _Statement

    def __init__(self, build: Callable[..., QuerySet[Any]], *, using: str = "default") -> None:
        self.build = build
        self.using = using
        self._kept: WeakKeyDictionary[Any, OrderedDict[Hashable, _Statement]] = WeakKeyDictionary()

    def _run(self, shape: tuple[Hashable, ...], values: dict[str, Any]) -> list[Any]:
        connection = connections[self.using]
        kept = self._kept.get(connection)
        if kept is None:
            kept = self._kept.setdefault(connection, OrderedDict())
        statement = kept.get(shape)
        if statement is None:
            statement = kept[shape] = self._statement_class(self.build(*shape), self.using)
            if len(kept) > SHAPES_KEPT:
                kept.popitem(last=False)
        return statement.run(connection, values)

    def rows(self, *, shape: tuple[Hashable, ...] = (), **values: Any) -> list[dict[str, Any]]:
        """The rows as dicts of the ``values()`` names, in the query's order."""
        return self._run(shape, values)


class CompiledObjects(Compiled, Generic[_M]):
    """A model QuerySet built by ``build(*shape)`` with ``Param`` placeholders, compiled once
    per connection like :class:`Compiled`; ``objects()`` are the model objects the QuerySet
    would give (``select_related`` objects attached, ``only``'s other fields deferred). No
    ``prefetch_related``, annotations or ``extra``."""

    _statement_class = _ObjectStatement

    def __init__(self, build: Callable[..., QuerySet[_M]], *, using: str = "default") -> None:
        super().__init__(build, using=using)

    def objects(self, *, shape: tuple[Hashable, ...] = (), **values: Any) -> list[_M]:
        """The model objects, in the query's order."""
        return self._run(shape, values)
