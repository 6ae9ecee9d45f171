"""gunicorn's server hooks for `learnloop serve` (``--config python:learnloop.core.gunicorn_hooks``).

Settings stay on serve's command line; only hooks live here. Nothing is imported at module
level: gunicorn reads this file in its master before Django is set up.
"""

from __future__ import annotations

from typing import Any


def post_fork(server: Any, worker: Any) -> None:
    """In each worker, right after the fork: what may not be loaded in the master (decision
    0077: the dense model's session) starts loading in the background."""
    from learnloop.core.warmup import warm_worker

    warm_worker()
