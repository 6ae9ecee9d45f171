"""What every bulk loader does once its rows are committed: fresh planner statistics
(decision 0248). ``learnloop seed``, ``learnloop import`` and the load test's preparation call it."""

from __future__ import annotations


def refresh_after_bulk_load() -> str:
    """Fresh planner statistics after a bulk load, as any bulk loader does (without them
    SQLite's planner guesses); on PostgreSQL also a ``VACUUM``, so that the tables look as
    they would once a deployment's autovacuum has caught up: a visibility map (a count can be
    an index-only scan) and hint bits set (decision 0248). ``VACUUM`` cannot run inside a
    transaction block (tests run loaders in one): ``ANALYZE`` alone there. Returns the
    stage's name."""
    from django.db import connection

    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
    return "vacuum analyze" if vacuum else "analyze"
