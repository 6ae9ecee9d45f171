"""gunicorn's server hooks for `learnloop serve` (``--config python:learnloop.core.gunicorn_hooks``).

Settings stay on serve's command line; only hooks live here. Nothing is imported at module
level but the standard library: gunicorn reads this file in its master before Django is set up.
"""

from __future__ import annotations

import gc
from typing import Any


def pre_fork(server: Any, worker: Any) -> None:
    """In the master, just before each worker is forked (decision 0176): everything the
    preloaded, warmed application made so far (about 245,000 tracked objects: Django, the
    templates, numpy, the URL resolver) moves to the collector's permanent generation. A
    worker's full collections then walk only what it made itself: unfrozen, one took about
    0.14 s of CPU holding the interpreter lock, which every request of that worker waited
    out; and the collector no longer writes to the inherited objects, so the workers keep
    sharing their pages with the master."""
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """In each worker, right after the fork and before its first request: what may not be
    loaded in the master (decision 0077: the dense model's session; decision 0250)."""
    from learnloop.core.warmup import warm_worker

    warm_worker()
