"""The search index for a seeded organisation (bulk inserts fire no signals, so it is built
once at the end, with concept extraction spread over worker processes; decision 0089).

Three things make it cheap at a million rows:

- Rows are read as plain values (``QuerySet.values()``), with the parts the search app's
  ``sync.with_parts`` names (tags, a review's incident, a retro's topics and cards, ...) fetched
  per chunk, and handed to the search app's own ``sync.document_for`` as light records that
  answer the same attributes and ``.all()`` (:class:`_Row`, :class:`_Many`): the same documents
  without building a model object per row and per part.
- The documents go in as plain inserts (COPY on PostgreSQL), the statements' columns and values
  being exactly those of ``search.index.upsert_document`` (run in the workers on a capturing
  cursor), after this organisation's old documents are deleted.
- The full-text index is filled once at the end instead of row by row: SQLite's insert trigger
  is dropped for the load and the FTS5 table filled with one ``INSERT ... SELECT``; PostgreSQL's
  GIN index is dropped and built again in one pass (when the seed's documents are the larger
  part of the table). Both in the same transaction as the rows, so a failure leaves the trigger
  and the index as they were.
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, models, transaction

from learnloop.accounts.models import Team
from learnloop.devtools.seeding.common import bulk_pragmas
from learnloop.search import index, sync

CHUNK = 2000  # objects read (and documents built) per batch


class _InlinePool:
    """``Pool.map_async`` without processes."""

    def __enter__(self) -> _InlinePool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map_async(self, func: Callable, items: list) -> Any:
        results = [func(i) for i in items]

        class _Done:
            def get(self) -> list:
                return results

        return _Done()


class _CaptureCursor:
    """Stands in for a DB cursor in worker processes: records the statements to run."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.rowcount = 0

    def execute(self, sql: str, params: Any = None) -> None:
        self.calls.append((sql, tuple(params or ())))

    def fetchone(self) -> tuple[int]:
        return (0,)


_COLUMNS_RE = re.compile(r"^INSERT INTO search_document \(([^)]*)\)")


def _document_rows(
    args: tuple[str, list[dict[str, Any]]],
) -> list[tuple[tuple[str, ...], tuple[Any, ...]]]:
    """In a worker process: ``(columns, values)`` of the search app's own insert for each doc.

    The expensive part of indexing (concept extraction) is pure Python, so it runs in parallel;
    the columns and values are exactly those ``learnloop.search.index.upsert_document`` writes.
    """
    vendor, docs = args
    cur = _CaptureCursor()
    for doc in docs:
        # Bulk seeding writes no dense vectors (embedding 100,000 rows would take an hour);
        # related suggestions score those rows lexically (learnloop/search/hybrid.py).
        index.upsert_document(cur, vendor, embed=False, **doc)
    out = []
    for sql, params in cur.calls:
        match = _COLUMNS_RE.match(sql)
        if match is None:  # the search app changed its statement: fail loudly, never skip
            raise RuntimeError(f"unexpected search index statement: {sql[:80]}")
        out.append((tuple(c.strip() for c in match.group(1).split(",")), params))
    return out


# ------------------------------------------------------------------ rows as plain records


class _Row:
    """One row as attributes (what ``sync.document_for`` reads of a model object)."""

    def __init__(self, values: dict[str, Any], pk_name: str) -> None:
        self.__dict__.update(values)
        self.pk = values[pk_name]


class _Many:
    """A prefetched relation: ``.all()`` gives its rows in the model's default order."""

    __slots__ = ("rows",)

    def __init__(self) -> None:
        self.rows: list[_Row] = []

    def all(self) -> list[_Row]:
        return self.rows


@functools.cache
def _record_class(model: type[models.Model]) -> type[_Row]:
    """A record class for ``model`` with the model's own properties (e.g. a debrief entry's
    ``title``, computed from its text), so ``document_for`` reads what it reads of the model."""
    own: dict[str, Any] = {}
    for klass in reversed(model.__mro__):
        if issubclass(klass, models.Model) and klass is not models.Model:
            own.update(
                {
                    name: value
                    for name, value in vars(klass).items()
                    if isinstance(value, property | functools.cached_property) and name != "pk"
                }
            )
    return type(f"{model.__name__}Row", (_Row,), own)


def _plain(model: type[models.Model], qs: Any) -> Iterator[_Row]:
    """``qs``'s rows (every concrete field, converted as the ORM converts them) as records."""
    meta = model._meta
    assert meta.pk is not None
    names = [f.attname for f in meta.concrete_fields]
    record, pk_name = _record_class(model), meta.pk.attname
    for values in qs.values(*names).iterator(chunk_size=CHUNK):
        yield record(values, pk_name)


def _ordered(model: type[models.Model], qs: Any) -> Any:
    return qs.order_by(*model._meta.ordering) if model._meta.ordering else qs.order_by("pk")


def _attach(model: type[models.Model], rows: list[_Row], name: str) -> list[_Row]:
    """Fill relation ``name`` of ``rows`` as ``prefetch_related``/``select_related`` would (the
    same rows, in the same order); return the related rows."""
    field: Any = model._meta.get_field(name)
    related: type[models.Model] = field.related_model
    ids = [r.pk for r in rows]
    if field.many_to_many and not field.auto_created:  # e.g. an incident's tags
        through = field.remote_field.through
        src, dst = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        links = list(through.objects.filter(**{f"{src}__in": ids}).values_list(src, dst))
        wanted = related._default_manager.filter(pk__in={d for _, d in links})
        targets = {t.pk: t for t in _plain(related, _ordered(related, wanted))}
        rank = {pk: i for i, pk in enumerate(targets)}
        by_row: dict[Any, list[Any]] = {}
        for s, d in links:
            by_row.setdefault(s, []).append(d)
        for r in rows:
            many = _Many()
            many.rows = [targets[d] for d in sorted(by_row.get(r.pk, ()), key=rank.__getitem__)]
            setattr(r, name, many)
        return list(targets.values())
    if field.one_to_many:  # e.g. a retro's cards
        fk = field.field.attname
        groups = {r.pk: _Many() for r in rows}
        for r in rows:
            setattr(r, name, groups[r.pk])
        found = []
        qs = _ordered(related, related._default_manager.filter(**{f"{fk}__in": ids}))
        for child in _plain(related, qs):
            groups[getattr(child, fk)].rows.append(child)
            found.append(child)
        return found
    if field.many_to_one:  # e.g. a review's incident
        parent_ids = {getattr(r, field.attname) for r in rows} - {None}
        qs = related._base_manager.filter(pk__in=parent_ids)
        parents = {p.pk: p for p in _plain(related, qs)}
        for r in rows:
            setattr(r, name, parents.get(getattr(r, field.attname)))
        return list(parents.values())
    raise ValueError(f"cannot read {model.__name__}.{name} as plain rows")


def _attach_path(model: type[models.Model], rows: list[_Row], path: list[str]) -> None:
    """Relation ``path`` (e.g. ``["incident", "tags"]``), a level already there kept as is."""
    if not rows or not path:
        return
    name = path[0]
    if name in rows[0].__dict__:  # fetched for an earlier path (e.g. "incident", then its tags)
        found: list[_Row] = []
        for r in rows:
            value = getattr(r, name)
            if isinstance(value, _Many):
                found.extend(value.rows)
            elif value is not None:
                found.append(value)
        found = list({id(f): f for f in found}.values())
    else:
        found = _attach(model, rows, name)
    field: Any = model._meta.get_field(name)
    _attach_path(field.related_model, found, path[1:])


def _lookups(kind: str, model: type[models.Model]) -> list[list[str]]:
    """The relations ``sync.with_parts`` fetches for ``kind``, as paths."""
    qs = sync.with_parts(kind, model._default_manager.all())
    selected = qs.query.select_related
    paths = [[name] for name in selected] if isinstance(selected, dict) else []
    for lookup in qs._prefetch_related_lookups:
        paths.append(str(getattr(lookup, "prefetch_through", lookup)).split("__"))
    return paths


def documents(kind: str, model: type[models.Model], qs: Any) -> Iterator[list[dict[str, Any]]]:
    """``sync.document_for(kind, obj)`` for every row of ``qs``, in chunks, read as values."""
    paths = _lookups(kind, model)

    def build(rows: list[_Row]) -> list[dict[str, Any]]:
        for path in paths:
            _attach_path(model, rows, path)
        return [sync.document_for(kind, r) for r in rows]

    batch: list[_Row] = []
    for row in _plain(model, qs):
        batch.append(row)
        if len(batch) >= CHUNK:
            yield build(batch)
            batch = []
    if batch:
        yield build(batch)


# ------------------------------------------------------------------ writing the documents


def _insert(cur: Any, vendor: str, rows: Iterable[tuple[tuple[str, ...], tuple[Any, ...]]]) -> int:
    """Plain inserts (COPY on PostgreSQL), grouped by column list; return how many rows."""
    by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for columns, values in rows:
        by_columns.setdefault(columns, []).append(values)
    n = 0
    for columns, values_list in by_columns.items():
        cols = ", ".join(columns)
        if vendor == "postgresql":
            with cur.copy(f"COPY search_document ({cols}) FROM STDIN") as copy:
                for values in values_list:
                    copy.write_row(values)
        else:
            marks = ", ".join(["?"] * len(columns))
            cur.executemany(f"INSERT INTO search_document ({cols}) VALUES ({marks})", values_list)
        n += len(values_list)
    return n


def _statement(vendor: str, name: str) -> str:
    """The search app's own DDL statement that creates ``name`` (a trigger or an index)."""
    for stmt in index.ddl(vendor):
        if re.search(rf"\b(TRIGGER|INDEX) IF NOT EXISTS {name}\b", stmt):
            return stmt
    raise LookupError(name)


class _FullText:
    """The full-text index during the load: switched off at the start, filled at the end."""

    def __init__(self, cur: Any, vendor: str, team_ids: list[int], expected: int) -> None:
        self.cur, self.vendor, self.team_ids = cur, vendor, team_ids
        teams = ", ".join(str(int(t)) for t in team_ids) or "NULL"
        self.where = f"team_id IN ({teams})"
        # This organisation's documents (if any) go first, with the triggers still on.
        cur.execute(f"DELETE FROM search_document WHERE {self.where}")
        self.rebuild_gin = False
        if vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS search_document_ai")
        else:
            cur.execute("SELECT count(*) FROM search_document")
            others = int(cur.fetchone()[0])
            # Building a GIN index in one pass beats updating it row by row, unless the table
            # holds far more documents than the seed adds (then the rebuild would cost more).
            self.rebuild_gin = others <= expected
            if self.rebuild_gin:
                cur.execute("DROP INDEX IF EXISTS search_document_vector")

    def fill(self) -> None:
        cur = self.cur
        if self.vendor == "sqlite":
            cols = ", ".join(index.FTS_COLUMNS)
            cur.execute(
                f"INSERT INTO search_fts(rowid, {cols})"
                f" SELECT id, {cols} FROM search_document WHERE {self.where}"
            )
            cur.execute(_statement("sqlite", "search_document_ai"))
        elif self.rebuild_gin:
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cur.execute(_statement("postgresql", "search_document_vector"))


def index_organisation(
    organisation_id: int,
    *,
    processes: int | None = None,
    seconds: dict[str, float] | None = None,
    cpu: dict[str, float] | None = None,
) -> dict[str, int]:
    """Bring the search index in step for one seeded organisation (bulk inserts fire no signals).

    Same documents as ``learnloop.search.sync.reindex`` (it calls the search app's
    ``document_for`` and ``upsert_document``), but only for this organisation, with concept
    extraction spread over worker processes, and the full-text index filled once at the end.
    ``seconds`` and ``cpu`` (if given) receive the stages' wall times and this process's CPU
    times (the workers' concept extraction is not in them).
    """
    seconds = seconds if seconds is not None else {}
    cpu = cpu if cpu is not None else {}
    team_ids = list(
        Team.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
    )
    vendor = connection.vendor
    kinds = []
    for kind in sync.KINDS:
        try:
            kinds.append((kind, sync.model_for(kind)))
        except LookupError:
            continue
    expected = sum(m.objects.filter(team_id__in=team_ids).count() for _, m in kinds)
    counts: dict[str, int] = {}
    processes = processes or max(1, os.cpu_count() or 1)
    if processes > 1:
        connection.close()  # never share a connection with forked workers
        pool_cm: Any = mp.get_context("fork").Pool(processes)
    else:  # in-process (tests: inside the test's transaction)
        pool_cm = _InlinePool()
    read = write = read_cpu = write_cpu = 0.0
    # The workers are forked already: the settings apply to the parent's new connection only.
    with bulk_pragmas(), pool_cm as pool, transaction.atomic(), sync.raw_cursor() as cur:
        fts = _FullText(cur, vendor, team_ids, expected)
        pending = None

        def drain(pending: Any) -> None:
            nonlocal write, write_cpu
            if pending is not None:
                t, c = time.perf_counter(), time.process_time()
                for rows in pending.get():
                    _insert(cur, vendor, rows)
                write += time.perf_counter() - t
                write_cpu += time.process_time() - c

        for kind, model in kinds:
            qs = model.objects.filter(team_id__in=team_ids).order_by("pk")
            n = 0
            t, c = time.perf_counter(), time.process_time()
            for docs in documents(kind, model, qs):
                read += time.perf_counter() - t
                read_cpu += time.process_time() - c
                parts = [docs[i :: processes * 2] for i in range(processes * 2)]
                nxt = pool.map_async(_document_rows, [(vendor, p) for p in parts if p])
                drain(pending)
                pending = nxt
                n += len(docs)
                t, c = time.perf_counter(), time.process_time()
            read += time.perf_counter() - t
            read_cpu += time.process_time() - c
            counts[kind] = n
        drain(pending)
        t, c = time.perf_counter(), time.process_time()
        fts.fill()
        seconds["full-text index"] = time.perf_counter() - t
        cpu["full-text index"] = time.process_time() - c
        index.check_integrity(cur, vendor)
    seconds["documents read"], cpu["documents read"] = read, read_cpu
    seconds["documents written"], cpu["documents written"] = write, write_cpu
    return counts
