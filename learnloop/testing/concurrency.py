"""Running one function in several threads at the same moment, each with its own database
connection: for tests that two workers (or people) racing get the right result."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


def at_once(work: Callable[[], T], times: int) -> list[T]:
    """Call ``work`` in ``times`` threads released together; their results, in the order they
    finished. A thread's exception is raised here once all have ended. Each thread closes its
    connections (a test database must not be left open when it is flushed)."""
    barrier = threading.Barrier(times)
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
