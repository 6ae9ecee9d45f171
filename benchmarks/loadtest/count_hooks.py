"""A gunicorn config for benchmarks/server_ab.py (never for production): serve's own hooks plus
a count of the requests each worker has answered, so the spread of the load over the workers
can be read for any measured window (decision 0184). Each worker writes its running total, as
text, over the start of ``TAIL_COUNT_DIR/<pid>`` after every request (one ``pwrite``, a few
microseconds); nothing about a request is written but that it happened.
"""

import os
from typing import Any

from learnloop.core.gunicorn_hooks import post_fork as _post_fork
from learnloop.core.gunicorn_hooks import pre_fork  # noqa: F401  (gunicorn reads it by name)

OUT = os.environ.get("TAIL_COUNT_DIR", "/tmp/bench-tail/count")
_state = {"fd": -1, "n": 0}


def post_fork(server: Any, worker: Any) -> None:
    _post_fork(server, worker)
    os.makedirs(OUT, exist_ok=True)
    _state["fd"] = os.open(f"{OUT}/{os.getpid()}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    _state["n"] = 0


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    # gthread's threads may race on the increment: a lost count in thousands does not change
    # the spread this is read for.
    _state["n"] += 1
    os.pwrite(_state["fd"], b"%12d" % _state["n"], 0)


def read_counts(directory: str = OUT) -> dict[int, int]:
    """Each worker's requests so far (pid -> count)."""
    out: dict[int, int] = {}
    if not os.path.isdir(directory):
        return out
    for name in os.listdir(directory):
        try:
            with open(f"{directory}/{name}", "rb") as f:
                out[int(name)] = int(f.read().strip() or 0)
        except (OSError, ValueError):
            pass
    return out
