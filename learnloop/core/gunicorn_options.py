"""gunicorn's process options for `learnloop serve` (decisions 0176 and 0184).

Standard library only, so that benchmarks/server_ab.py starts gunicorn with the very options
serve gives it without setting up Django.
"""

from __future__ import annotations

#: gunicorn worker classes `serve` offers (decision 0176). gthread: each process serves
#: ``--threads`` requests at once and keeps connections alive; a kept-alive connection stays with
#: the process that accepted it. sync: one request per process at a time, no keep-alive; waiting
#: connections queue in the kernel and go to whichever process is free (it needs a proxy that
#: buffers slow clients in front of it).
WORKER_CLASSES = ("gthread", "sync")


def default_workers(worker_class: str, cores: int) -> int:
    """2 processes per core for gthread (their threads share a lock), 2 per core + 1 for sync
    (gunicorn's advice: one process per request in flight); at most 8."""
    return min(8, 2 * cores + (1 if worker_class == "sync" else 0))


def worker_options(worker_class: str, threads: int, reuse_port: bool = False) -> list[str]:
    """gunicorn's options for the worker class (sync takes no threads: gunicorn would switch
    a sync worker with more than one thread to gthread). ``reuse_port``: each worker listens on
    a socket of its own with ``SO_REUSEPORT`` and the kernel spreads new connections over them
    (decision 0184), instead of all workers accepting from the master's one socket."""
    options = (
        ["--worker-class", "sync", "--threads", "1"]
        if worker_class == "sync"
        else ["--worker-class", "gthread", "--threads", str(threads)]
    )
    return [*options, "--reuse-port"] if reuse_port else options
