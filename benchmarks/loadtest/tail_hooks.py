"""A diagnostic gunicorn config for benchmarks/server_ab.py (never for production): for each
request, the time it waited for a thread (gthread only), its wall and thread CPU time, the
worker and the connection; every garbage collection with its duration. Written as JSON lines
per worker to ``TAIL_DIAG_DIR`` (default /tmp/bench-tail/diag). It logs each request's time and
path, which would date an anonymous report: use it on seeded benchmark data only.

It runs serve's own hooks (``learnloop.core.gunicorn_hooks``); ``TAIL_NOFREEZE=1`` leaves out
``pre_fork`` (the state before decision 0176), ``TAIL_SWITCH`` sets the interpreter's switch
interval in each worker.
"""

import gc
import json
import os
import threading
import time
from typing import Any

_records: list[dict[str, Any]] = []
_gc: list[dict[str, Any]] = []
_lock = threading.Lock()
_local = threading.local()
_gc_start: dict[int, float] = {}
OUT = os.environ.get("TAIL_DIAG_DIR", "/tmp/bench-tail/diag")


def _flush() -> None:
    with _lock:
        recs, gcs = list(_records), list(_gc)
        _records.clear()
        _gc.clear()
    if not recs and not gcs:
        return
    with open(f"{OUT}/{os.getpid()}.jsonl", "a") as f:
        for r in recs + gcs:
            f.write(json.dumps(r) + "\n")


def _gc_cb(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _gc_start[threading.get_ident()] = time.perf_counter()
        return
    t0 = _gc_start.pop(threading.get_ident(), None)
    if t0 is not None:
        _gc.append(
            {
                "gc": info["generation"],
                "t": t0,
                "dur": time.perf_counter() - t0,
                "collected": info.get("collected"),
            }
        )


def pre_fork(server: Any, worker: Any) -> None:
    if not os.environ.get("TAIL_NOFREEZE"):
        from learnloop.core.gunicorn_hooks import pre_fork as real

        real(server, worker)


def post_fork(server: Any, worker: Any) -> None:
    from learnloop.core.gunicorn_hooks import post_fork as real

    real(server, worker)
    if os.environ.get("TAIL_SWITCH"):
        import sys

        sys.setswitchinterval(float(os.environ["TAIL_SWITCH"]))
    cls = type(worker)
    if hasattr(cls, "enqueue_req") and not getattr(cls, "_diag", False):
        orig_enq, orig_handle = cls.enqueue_req, cls.handle

        def enqueue_req(self: Any, conn: Any) -> Any:
            conn._t_enq = time.perf_counter()
            return orig_enq(self, conn)

        def handle(self: Any, conn: Any) -> Any:
            _local.t_handle = time.perf_counter()
            _local.t_enq = getattr(conn, "_t_enq", None)
            _local.conn = id(conn)
            return orig_handle(self, conn)

        cls.enqueue_req, cls.handle, cls._diag = enqueue_req, handle, True
    gc.callbacks.append(_gc_cb)


def pre_request(worker: Any, req: Any) -> None:
    _local.t_pre = time.perf_counter()
    _local.cpu_pre = time.thread_time()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    now = time.perf_counter()
    t_pre = _local.t_pre
    t_handle = getattr(_local, "t_handle", None)
    t_enq = getattr(_local, "t_enq", None)
    rec = {
        "pid": os.getpid(),
        "tid": threading.get_ident(),
        "conn": getattr(_local, "conn", None),
        "path": req.path,
        "t": t_pre,
        "queue": (t_handle - t_enq) if t_handle is not None and t_enq is not None else None,
        "parse": (t_pre - t_handle) if t_handle is not None else 0.0,
        "wall": now - t_pre,
        "cpu": time.thread_time() - _local.cpu_pre,
        "status": getattr(resp, "status_code", None),
    }
    with _lock:
        _records.append(rec)
        n = len(_records)
    if n >= 3000:
        _flush()


def worker_exit(server: Any, worker: Any) -> None:
    _flush()
