"""The coach app's part of `learnloop serve`'s warm-up: each worker makes the reader's session
right after the fork (as the search app makes the dense model's, decision 0250)."""

from __future__ import annotations

import pytest

from learnloop.coach.engine import learned
from learnloop.core import gunicorn_hooks


@pytest.fixture
def fresh_reader():
    learned._reader.cache_clear()
    yield
    learned._reader.cache_clear()


def test_each_worker_makes_the_reader_session_after_the_fork(fresh_reader, monkeypatch) -> None:
    monkeypatch.delenv("LEARNLOOP_COACH_LEARNED", raising=False)
    assert learned._reader.cache_info().currsize == 0
    gunicorn_hooks.post_fork(server=None, worker=None)
    assert learned._reader.cache_info().currsize == 1  # made (or found not installed) already


def test_a_worker_with_the_reader_off_does_not_load_it(fresh_reader, monkeypatch) -> None:
    monkeypatch.setenv("LEARNLOOP_COACH_LEARNED", "0")
    gunicorn_hooks.post_fork(server=None, worker=None)
    assert learned._reader.cache_info().currsize == 0
