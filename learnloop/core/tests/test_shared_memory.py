"""The figures one worker process computes are read by the others (``core.shared_memory``,
decision 0174): across a fork, between threads while one computes (single flight), never past
their age, and a failed computation leaves nothing behind."""

from __future__ import annotations

import os
import threading
import time

import pytest

from learnloop.core import shared_memory as shared


def test_a_value_computed_in_another_process_is_read_not_computed_again() -> None:
    shared.create()
    pid = os.fork()
    if pid == 0:  # the other worker
        try:
            shared.get_or_compute("board:v1", lambda: {"near": [1, 2]}, max_age=60)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)

    def fail() -> dict[str, list[int]]:
        raise AssertionError("computed twice")

    assert shared.get_or_compute("board:v1", fail, max_age=60) == {"near": [1, 2]}
    # Another key (another data version) is computed.
    assert shared.get_or_compute("board:v2", lambda: {"near": [3]}, max_age=60) == {"near": [3]}


def test_while_one_thread_computes_the_others_wait_for_its_value() -> None:
    calls: list[int] = []
    started = threading.Event()

    def slow() -> int:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return 7

    results: list[int] = []
    leader = threading.Thread(
        target=lambda: results.append(shared.get_or_compute("k", slow, max_age=60))
    )
    leader.start()
    started.wait(5)
    followers = [
        threading.Thread(
            target=lambda: results.append(shared.get_or_compute("k", slow, max_age=60))
        )
        for _ in range(3)
    ]
    for t in followers:
        t.start()
    for t in [leader, *followers]:
        t.join(10)
    assert results == [7, 7, 7, 7]
    assert len(calls) == 1


def test_an_old_value_is_computed_again() -> None:
    assert shared.get_or_compute("aged", lambda: 1, max_age=60) == 1
    assert shared.get_or_compute("aged", lambda: 2, max_age=0) == 2


def test_a_failed_computation_leaves_the_slot_free() -> None:
    def broken() -> int:
        raise ValueError("database went away")

    with pytest.raises(ValueError):
        shared.get_or_compute("flaky", broken, max_age=60)
    assert shared.get_or_compute("flaky", lambda: 3, max_age=60) == 3


def test_a_value_larger_than_a_slot_is_returned_but_not_kept() -> None:
    big = "x" * (shared.PAYLOAD_BYTES + 1)
    assert shared.get_or_compute("big", lambda: big, max_age=60) == big
    assert shared.get_or_compute("big", lambda: "small", max_age=60) == "small"


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> shared.Region:
    """A server's region (made before the fork): aged values are refreshed in the background."""
    region = shared.Region(served=True)
    monkeypatch.setattr(shared, "_REGION", region)
    return region


def _settle(key: str, region: shared.Region) -> None:
    """Wait until no computation of ``key`` runs in the background."""
    import hashlib

    digest = hashlib.sha256(key.encode()).digest()
    deadline = time.monotonic() + 10
    while region.header(digest)[1] != shared.READY:
        assert time.monotonic() < deadline, "the refresh never finished"
        time.sleep(0.01)


def test_an_aged_value_is_served_at_once_while_one_thread_refreshes_it(served) -> None:
    """Decision 0246: figures whose key holds the data version only age with the clock; nobody
    waits for them, and the next reader gets the refreshed value."""
    assert shared.get_or_compute("board:v7", lambda: 1, max_age=0, stale_for=60) == 1
    time.sleep(0.01)
    release = threading.Event()
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        assert release.wait(10)
        return 2

    # Aged: the old value comes back at once, and one refresh starts, not one per reader.
    assert shared.get_or_compute("board:v7", slow, max_age=0, stale_for=60) == 1
    assert shared.get_or_compute("board:v7", slow, max_age=0, stale_for=60) == 1
    release.set()
    _settle("board:v7", served)
    assert calls == [1]
    assert shared.get_or_compute("board:v7", slow, max_age=60, stale_for=60) == 2


def test_a_value_past_its_stale_time_is_computed_on_the_spot(served) -> None:
    assert shared.get_or_compute("old", lambda: 1, max_age=0, stale_for=0.001) == 1
    time.sleep(0.01)
    assert shared.get_or_compute("old", lambda: 2, max_age=0, stale_for=0.001) == 2


def test_a_failed_refresh_keeps_the_aged_value_and_is_tried_again(served) -> None:
    assert shared.get_or_compute("flaky", lambda: 1, max_age=0, stale_for=60) == 1
    time.sleep(0.01)

    def broken() -> int:
        raise ValueError("database went away")

    assert shared.get_or_compute("flaky", broken, max_age=0, stale_for=60) == 1
    _settle("flaky", served)
    assert shared.get_or_compute("flaky", lambda: 3, max_age=0, stale_for=60) == 1
    _settle("flaky", served)
    assert shared.get_or_compute("flaky", lambda: 4, max_age=60, stale_for=60) == 3


def test_outside_a_server_an_aged_value_is_computed_again(monkeypatch) -> None:
    monkeypatch.setattr(shared, "_REGION", shared.Region())
    assert shared.get_or_compute("tool", lambda: 1, max_age=0, stale_for=60) == 1
    time.sleep(0.01)
    assert shared.get_or_compute("tool", lambda: 2, max_age=0, stale_for=60) == 2
