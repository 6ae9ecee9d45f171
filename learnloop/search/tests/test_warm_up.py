"""The search app's part of `learnloop serve`'s warm-up (decisions 0077, 0228): the master
imports numpy and the tokenizers, never onnxruntime, and each worker makes the dense model's
session right after the fork."""

from __future__ import annotations

#: Run in a fresh interpreter: warm up as gunicorn's master does, fork a worker that embeds a
#: query with the dense model (when it is installed) and exits normally; print its exit status.
FORKED_WORKER = """
import os, sys
import django
django.setup()
from learnloop.core.warmup import warm_up
warm_up()
print("numpy" in sys.modules, "onnxruntime" in sys.modules)
pid = os.fork()
if pid == 0:
    from learnloop.search import dense
    if dense.enabled():
        dense.encode(["a certificate expired"], query=True)
    sys.exit(0)
print(os.waitpid(pid, 0)[1])
"""


def test_a_worker_forked_after_the_warm_up_embeds_and_exits_cleanly() -> None:
    """The search app's warm-up imports numpy and the tokenizers in the master (decision 0077),
    never onnxruntime: a worker forked after that import aborts when it exits."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "learnloop.settings"}
    out = subprocess.run(
        [sys.executable, "-c", FORKED_WORKER],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout.split()
    assert out[-3:] == ["True", "False", "0"], out  # numpy warm, onnxruntime not, exit 0


def test_each_worker_makes_the_dense_session_after_the_fork(monkeypatch) -> None:
    """gunicorn's post_fork hook makes the model's session in the worker before the worker
    takes a request (decisions 0077, 0250): when the hook returns it is made."""
    from learnloop.core import gunicorn_hooks
    from learnloop.search import dense

    monkeypatch.setattr(dense, "_encoder", None)
    monkeypatch.setattr(dense, "_failed", False)
    gunicorn_hooks.post_fork(server=None, worker=None)
    assert dense._encoder is not None or dense._failed  # made, or not installed here
