"""Server configurations compared in one run (decision 0176): for each round and configuration,
start gunicorn as ``learnloop serve`` does (same options, plus the background worker), measure
the pages with wrk like benchmarks/loadtest.py (16 connections, warm-up, then ``DURATION`` s),
note the server's CPU time per request (all its processes, from /proc) and the load average,
stop it, go on with the next configuration: old and new alternate on the same machine.

    LEARNLOOP_BENCH_DIR=/tmp/bench-tail TAIL_DIAG=1 \
    TAIL_CONFIGS_JSON='old={"env":{"LEARNLOOP_SQLITE_CONN_MAX_AGE":"0","TAIL_NOFREEZE":"1"}}' \
      python benchmarks/server_ab.py 1m 8500 5 2 old,base "incident page" "API lessons"

Arguments: scale, first port, seconds per page, rounds, configurations (``base`` is serve's
own; others from ``TAIL_CONFIGS_JSON``: ``name={"env": {...}, "args": {"--option": "value"}}``
separated by ``;``), then label substrings of benchmarks/loadtest.py's pages (the bare view is
always measured). Uses the seeded data of benchmarks/loadtest.py in ``LEARNLOOP_BENCH_DIR``.
``TAIL_DIAG=1`` runs gunicorn with benchmarks/loadtest/tail_hooks.py (per-request queue, wall
and CPU times; GC pauses); benchmarks/server_ab_report.py summarises them per page. Otherwise
gunicorn runs benchmarks/loadtest/count_hooks.py, and each window prints how the load spread
over the workers (decision 0184): requests answered per worker, the kept connections each
worker held halfway through (``ss``), and each worker's share of the server's CPU time.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

WT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WT / "benchmarks"))
sys.path.insert(0, str(WT))
import loadtest as lt  # noqa: E402

sys.path.insert(0, str(WT / "benchmarks" / "loadtest"))
from count_hooks import read_counts  # noqa: E402

from learnloop.core.gunicorn_options import default_workers, worker_options  # noqa: E402

CONFIGS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    # name: (extra env, gunicorn args override)
    "base": ({}, {}),
}
for spec in os.environ.get("TAIL_CONFIGS_JSON", "").split(";"):
    if spec.strip():
        name, body = spec.split("=", 1)
        d = json.loads(body)
        CONFIGS[name] = (d.get("env", {}), d.get("args", {}))


def proc_cpu(pids: list[int], master: int | None = None) -> float:
    """CPU seconds of these processes; with ``master``, also of its children it has reaped
    (workers that exited, e.g. restarted by ``--max-requests``)."""
    tot = 0
    for pid in pids:
        try:
            f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            tot += int(f[11]) + int(f[12])
            if pid == master:
                tot += int(f[13]) + int(f[14])
        except OSError:
            pass
    return tot / os.sysconf("SC_CLK_TCK")


def worker_cpu(pids: list[int]) -> dict[int, float]:
    return {pid: proc_cpu([pid]) for pid in pids}


def connections_per_pid(port: int) -> dict[int, int]:
    """Established connections on the server's port, by the process that holds them."""
    out = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
    ).stdout
    per: dict[int, int] = {}
    for line in out.splitlines():
        for pid in set(re.findall(r"pid=(\d+)", line)):
            per[int(pid)] = per.get(int(pid), 0) + 1
    return per


def spread(before: Mapping[int, float], after: Mapping[int, float]) -> list[float]:
    """Per-worker growth between two readings, largest first (workers that did nothing too)."""
    return sorted((after.get(k, 0) - before.get(k, 0) for k in after), reverse=True)


def children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    return [int(x) for x in out.split()]


def start(
    env: dict[str, Any], args: dict[str, str], port: int, diag: bool
) -> tuple[subprocess.Popen[bytes], subprocess.Popen[bytes], str]:
    # serve's own defaults (learnloop/core/gunicorn_options.py), then the configuration's.
    serve_opts = worker_options("gthread", 4)
    a = {"--workers": str(default_workers("gthread", os.cpu_count() or 1))}
    a.update(zip(serve_opts[::2], serve_opts[1::2], strict=True))
    a.update(args)
    cfg = str(WT / "benchmarks" / "loadtest" / ("tail_hooks.py" if diag else "count_hooks.py"))
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "learnloop.wsgi:application",
        "--preload",
        "--config",
        cfg,
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--graceful-timeout",
        "20",
        "--log-level",
        "warning",
        "--forwarded-allow-ips",
        "127.0.0.1",
    ]
    for k, v in a.items():
        if v is not None:
            cmd += [k, v] if v != "" else [k]
    env = dict(env)
    env["LEARNLOOP_SERVE_URL"] = f"http://127.0.0.1:{port}"
    env["TAIL_COUNT_DIR"] = COUNT_DIR
    shutil.rmtree(COUNT_DIR, ignore_errors=True)
    g = subprocess.Popen(cmd, env=env, cwd=WT, start_new_session=True)
    # TAIL_NO_WORKER=1: no background worker beside the server (its jobs' writes move the data
    # version and every kept page is rendered again: docs/benchmarks.md, decision 0176).
    w = subprocess.Popen(
        [sys.executable, "-m", "learnloop.cli", "worker"]
        if not os.environ.get("TAIL_NO_WORKER")
        else [sys.executable, "-c", "import time; time.sleep(86400)"],
        env=env,
        cwd=WT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    lt.wait_healthy(url)
    return g, w, url


COUNT_DIR = os.environ.get("TAIL_COUNT_DIR", "/tmp/bench-tail/count")


def stop(*ps: subprocess.Popen[bytes]) -> None:
    for p in ps:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGTERM)
    for p in ps:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


def settle(url: str, path: str, header: str) -> None:
    """Wait until the server answers quickly, then check the page; a connection reset while a
    worker restarts (``--max-requests`` with ``--reuse-port``: its socket's queue goes with it)
    is retried, and counted by wrk in the measured windows."""
    for attempt in range(5):
        try:
            lt.wait_idle([url])
            lt.check(url, path, header)
            return
        except ConnectionError:
            if attempt == 4:
                raise
            time.sleep(1)


def main() -> None:
    scale, port, duration, rounds, configs = (
        sys.argv[1],
        int(sys.argv[2]),
        int(sys.argv[3]),
        int(sys.argv[4]),
        sys.argv[5].split(","),
    )
    only = sys.argv[6:]
    warmup = int(os.environ.get("TAIL_WARMUP", "2"))
    diag = bool(os.environ.get("TAIL_DIAG"))
    env0 = lt.base_env("sqlite", scale)
    ids_file = lt.WORK / f"ids-{scale}.json"
    if ids_file.exists():
        token, ids = json.loads(ids_file.read_text())
    else:
        lt.run([*lt.LEARNLOOP, "migrate", "-v0"], env0)
        lt.run([*lt.LEARNLOOP, "shell", "-c", lt.ANALYZE_CODE], env0)
        token = lt.shell_last_line(lt.TOKEN_CODE.format(seed=1), env0)
        ids = json.loads(lt.shell_last_line(lt.IDS_CODE.format(seed=1), env0))
        lt.run([*lt.LEARNLOOP, "worker", "--burst"], env0, stdout=subprocess.DEVNULL)
        ids_file.write_text(json.dumps([token, ids]))
    plist = [
        p for p in lt.pages(ids) if p[0] == "bare view (ceiling)" or any(o in p[0] for o in only)
    ]
    binary = lt.ensure_wrk()
    out = []
    for rnd in range(rounds):
        # Each round starts one configuration later, so no configuration always runs first
        # (or always right after the same one) on a machine whose load drifts.
        for name in configs[rnd % len(configs) :] + configs[: rnd % len(configs)]:
            extra_env, args = CONFIGS[name]
            env = dict(env0)
            env.update(extra_env)
            g, w, url = start(env, args, port, diag)
            try:
                cookie = "Cookie: " + lt.sign_in(url, "bench@seed1.example")
                bearer = f"Authorization: Bearer {token}"
                for label, path, api in plist:
                    header = bearer if api else cookie
                    settle(url, path, header)
                    lt.wrk(binary, [url], path, header, warmup, 16)
                    pids = [g.pid] + children(g.pid)  # workers restarted by --max-requests
                    n0, w0 = read_counts(COUNT_DIR), worker_cpu(pids[1:])
                    held: dict[int, int] = {}
                    timer = threading.Timer(
                        duration / 2, lambda h=held: h.update(connections_per_pid(port))
                    )
                    timer.start()
                    c0, t0, l0 = proc_cpu(pids, g.pid), time.perf_counter(), os.getloadavg()[0]
                    r = lt.wrk(binary, [url], path, header, duration, 16)
                    timer.join()
                    pids1 = [g.pid] + children(g.pid)
                    c1, t1 = proc_cpu(pids1, g.pid), time.perf_counter()
                    n1, w1 = read_counts(COUNT_DIR), worker_cpu(pids1[1:])
                    r.update(
                        reqs_per_worker=spread(n0, n1),
                        conns_per_worker=sorted(
                            (held.get(p, 0) for p in pids1[1:] if p in n1), reverse=True
                        ),
                        cpu_per_worker=[round(x, 2) for x in spread(w0, w1)],
                        workers_restarted=len(set(pids1) - set(pids)),
                    )
                    r.update(
                        label=label,
                        config=name,
                        round=rnd,
                        t0=t0,
                        t1=t1,
                        load=l0,
                        cpu_ms_per_req=1000 * (c1 - c0) / max(1, r["requests"]),
                        cpu_util=(c1 - c0) / (t1 - t0),
                    )
                    out.append(r)
                    print(
                        f"{name:>10} r{rnd} {label:<28} {r['rps']:7.1f} req/s p50 {r['p50']:6.1f} p95 {r['p95']:6.1f} p99 {r['p99']:6.1f}  cpu/req {r['cpu_ms_per_req']:5.2f} ms  util {r['cpu_util']:.2f}  load {l0:.1f}"
                        + (f"  errors {r['errors']}" if r["errors"] else ""),
                        flush=True,
                    )
                    if not diag:
                        print(
                            f"{'':>14}requests/worker {[int(x) for x in r['reqs_per_worker']]}"
                            f"  connections/worker {r['conns_per_worker']}"
                            f"  cpu s/worker {r['cpu_per_worker']}"
                            + (
                                f"  restarted {r['workers_restarted']}"
                                if r["workers_restarted"]
                                else ""
                            ),
                            flush=True,
                        )
            finally:
                stop(g, w)
    Path(os.environ.get("TAIL_OUT", "/tmp/bench-tail/drive-out.json")).write_text(
        json.dumps(out, indent=1)
    )


if __name__ == "__main__":
    main()
