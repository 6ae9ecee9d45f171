"""The search index for a seeded organisation (bulk inserts fire no signals, so it is built
once at the end, with concept extraction spread over worker processes)."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from learnloop.accounts.models import Team
from learnloop.devtools.seeding.common import bulk_pragmas
from learnloop.search import index, sync


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


def _document_statements(
    args: tuple[str, list[dict[str, Any]]],
) -> list[tuple[str, tuple[Any, ...]]]:
    """In a worker process: the search app's own upsert statements for ``docs``.

    The expensive part of indexing (concept extraction) is pure Python, so it runs in parallel;
    the statements are exactly those ``learnloop.search.index.upsert_document`` would run.
    """
    vendor, docs = args
    cur = _CaptureCursor()
    for doc in docs:
        # Bulk seeding writes no dense vectors (embedding 100,000 rows would take an hour);
        # related suggestions score those rows lexically (learnloop/search/hybrid.py).
        index.upsert_document(cur, vendor, embed=False, **doc)
    return cur.calls


def _run_statements(calls: list[tuple[str, tuple[Any, ...]]]) -> None:
    by_sql: dict[str, list[tuple[Any, ...]]] = {}
    for sql, params in calls:
        by_sql.setdefault(sql.replace(" RETURNING id", ""), []).append(params)
    with sync.raw_cursor() as cur:
        for sql, rows in by_sql.items():
            cur.executemany(sql, rows)


def index_organisation(organisation_id: int, *, processes: int | None = None) -> dict[str, int]:
    """Bring the search index in step for one seeded organisation (bulk inserts fire no signals).

    Same documents as ``learnloop.search.sync.reindex`` (it calls the search app's
    ``document_for`` and ``upsert_document``), but only for this organisation and with concept
    extraction spread over worker processes.
    """
    team_ids = list(
        Team.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
    )
    vendor = connection.vendor
    counts: dict[str, int] = {}
    processes = processes or max(1, os.cpu_count() or 1)
    if processes > 1:
        connection.close()  # never share a connection with forked workers
        pool_cm: Any = mp.get_context("fork").Pool(processes)
    else:  # in-process (tests: inside the test's transaction)
        pool_cm = _InlinePool()
    # The workers are forked already: the settings apply to the parent's new connection only.
    with bulk_pragmas(), pool_cm as pool:
        for kind in sync.KINDS:
            try:
                model = sync.model_for(kind)
            except LookupError:
                continue
            # What document_for reads of each row, fetched per chunk, not per row.
            qs = sync.with_parts(kind, model.objects.filter(team_id__in=team_ids).order_by("pk"))
            n = 0
            pending = None
            batch: list[dict[str, Any]] = []

            def flush(batch: list[dict[str, Any]], pending: Any) -> Any:
                parts = [batch[i :: processes * 2] for i in range(processes * 2)]
                nxt = pool.map_async(_document_statements, [(vendor, p) for p in parts if p])
                if pending is not None:
                    with transaction.atomic():
                        for calls in pending.get():
                            _run_statements(calls)
                return nxt

            for obj in qs.iterator(chunk_size=2000):
                batch.append(sync.document_for(kind, obj))
                n += 1
                if len(batch) >= 2000:
                    pending = flush(batch, pending)
                    batch = []
            if batch:
                pending = flush(batch, pending)
            if pending is not None:
                with transaction.atomic():
                    for calls in pending.get():
                        _run_statements(calls)
            counts[kind] = n
    with sync.raw_cursor() as cur:
        index.check_integrity(cur, vendor)
    return counts
