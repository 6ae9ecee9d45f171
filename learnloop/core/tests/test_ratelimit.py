"""The database rate limiter: exact under concurrency, fixed windows, and nothing left that names
a subject once the window has passed (docs/decisions/0010-anonymous-reports.md)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections

from learnloop.core.ratelimit import limit_hit, purge_expired
from learnloop.tasks.registry import enqueue
from learnloop.tasks.worker import run_due_jobs

HOUR = 3600


def at(monkeypatch: pytest.MonkeyPatch, when: float) -> None:
    """Make the clock read ``when`` (epoch seconds)."""
    monkeypatch.setattr(time, "time", lambda: when)


def hour_start() -> float:
    return time.time() // HOUR * HOUR


def stored_rows() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_ratelimitwindow")
        windows = cursor.fetchall()
        cursor.execute("SELECT * FROM core_ratelimitcount")
        return windows + cursor.fetchall()


@pytest.mark.django_db
def test_it_lets_the_limit_through_then_refuses_for_the_rest_of_the_window(monkeypatch):
    start = hour_start()
    at(monkeypatch, start + 10)
    assert [limit_hit("tests.scope", "subject-1", 3, HOUR) for _ in range(4)] == [
        False,
        False,
        False,
        True,
    ]
    assert limit_hit("tests.scope", "subject-2", 3, HOUR) is False  # another subject
    assert limit_hit("tests.other", "subject-1", 3, HOUR) is False  # another scope
    at(monkeypatch, start + HOUR - 1)  # waiting inside the window does not reopen it
    assert limit_hit("tests.scope", "subject-1", 3, HOUR) is True
    at(monkeypatch, start + HOUR)  # the next window starts afresh
    assert limit_hit("tests.scope", "subject-1", 3, HOUR) is False


@pytest.mark.django_db
def test_it_keeps_no_subject_and_nothing_at_all_after_the_window(monkeypatch):
    start = hour_start()
    at(monkeypatch, start + 1234)
    limit_hit("tests.scope", "person-4711", 5, HOUR)
    limit_hit("tests.scope", "person-4711", 5, HOUR)
    rows = stored_rows()
    assert rows, "the window's key and the counter are stored while the window runs"
    text = repr(rows)
    assert "4711" not in text
    assert str(int(start + 1234)) not in text  # only the window's end, never the attempt's time
    assert purge_expired(now=start + HOUR - 1) == 0
    assert purge_expired(now=start + HOUR) == 2
    assert stored_rows() == []


@pytest.mark.django_db
def test_a_call_after_the_window_deletes_the_ended_windows_key(monkeypatch):
    start = hour_start()
    at(monkeypatch, start + 5)
    limit_hit("tests.scope", "a", 5, HOUR)
    at(monkeypatch, start + HOUR + 5)
    limit_hit("tests.other", "b", 5, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT scope FROM core_ratelimitwindow")
        assert cursor.fetchall() == [("tests.other",)]
        cursor.execute("SELECT count(*) FROM core_ratelimitcount")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_the_worker_purges_ended_windows(monkeypatch, django_capture_on_commit_callbacks):
    start = hour_start()
    at(monkeypatch, start + 5)
    limit_hit("tests.scope", "a", 5, HOUR)
    at(monkeypatch, start + HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("core.purge_rate_limits")
    assert run_due_jobs() == 1
    assert stored_rows() == []


@pytest.mark.django_db
def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        limit_hit("tests.scope", "a", 0, HOUR)
    with pytest.raises(ValueError):
        limit_hit("tests.scope", "a", 1, 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_attempts_never_get_past_the_limit(monkeypatch):
    """40 threads, each with its own database connection, race for 30 places."""
    at(monkeypatch, hour_start() + 10)
    barrier = threading.Barrier(40)
    results: list[bool] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            barrier.wait()
            results.append(limit_hit("tests.race", "same-person", 30, HOUR))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results.count(False) == 30
    assert results.count(True) == 10
