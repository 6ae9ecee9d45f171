"""Measuring pages (benchmarks/loadtest.py): one window of a page, and ``--rounds N``, where
every scale's servers run at once and each page is measured at every scale in every round.

Order with ``--rounds N``: the pages go in groups of ``--group`` (default 4); for each group,
for round 1..N, for each scale (the order rotated by one each round, so each scale is first,
second and third equally often): the bare view, then the group's pages, each after a warm-up
and with ``wait_idle`` before and after. A page's ratio in a round is to the bare view measured
in the same round at the same scale at most ``--group`` windows before it (seconds, not the
minutes that separate scales in a single run); its reported ratio is the median of its rounds'
ratios. Only the server being measured gets load; the others sit idle. ``--clients`` windows
run in the first round only.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import time
from typing import Any

from lt_data import base_env, cache_urls, pages, ready
from lt_report import summarise
from lt_servers import Servers, check, sign_in, wait_idle, wrk

BARE = "bare view (ceiling)"
#: Seconds a window costs besides its warm-up and measurement (wait_idle before and after,
#: the check, starting wrk), measured on the short runs of decision 0241.
OVERHEAD_S = 1.2


def selected(label: str, only: list[str] | None) -> bool:
    return not only or label == BARE or any(o in label for o in only)


def window(
    binary: str, urls: list[str], path: str, header: str, args: argparse.Namespace, conns: int
) -> dict[str, Any]:
    """Warm-up, then the measured window, with ``conns`` connections spread over ``urls``;
    waits for the servers to be idle before and after (a slow page's requests outlive wrk)."""
    wait_idle(urls)
    wrk(binary, urls, path, header, args.warmup, conns)
    r = wrk(binary, urls, path, header, args.duration, conns)
    wait_idle(urls)
    return r


def add_clients(
    r: dict[str, Any],
    binary: str,
    urls: list[str],
    path: str,
    header: str,
    args: argparse.Namespace,
) -> str:
    """What one person (or a few) feels: the same page with ``--clients`` connections against
    the first server only, after the same warm-up."""
    wrk(binary, urls[:1], path, header, args.warmup, args.clients)
    alone = wrk(binary, urls[:1], path, header, args.duration, args.clients)
    r.update(clients_p95=alone["p95"], clients_rps=alone["rps"])
    return f"  {args.clients}-client p95 {alone['p95']:7.1f} ms"


def line(prefix: str, label: str, r: dict[str, Any], few: str = "") -> str:
    return (
        f"{prefix} {label:<26} {r['rps']:8.1f} req/s  p50 {r['p50']:7.1f}  "
        f"p95 {r['p95']:7.1f}  p99 {r['p99']:7.1f} ms  errors {r['errors']}{few}"
        + (
            f"  (p95 per server {', '.join(f'{x:.1f}' for x in r['p95_each'])})"
            if len(r["p95_each"]) > 1
            else ""
        )
    )


def page_count(only: list[str] | None) -> int:
    """Pages measured besides the bare view when every optional page exists."""
    ids = dict.fromkeys(("incident", "review", "deliverable", "team", "experiment", "showcase"), 1)
    ids |= {"anonymous_incident": -1, "retro": 1, "drill": 1, "journal_entry": 1}
    return sum(1 for label, _p, _a in pages(ids) if label != BARE and selected(label, only))


def estimate(n_pages: int, n_scales: int, args: argparse.Namespace) -> float:
    """Seconds the measurements take (not the seeding, nor starting the servers)."""
    per = args.warmup + args.duration + OVERHEAD_S
    if args.rounds == 1:
        windows = (n_pages + 1) * n_scales
        single = windows if args.clients else 0
    else:
        groups = max(1, math.ceil(n_pages / args.group))
        windows = (n_pages + groups) * args.rounds * n_scales
        single = (n_pages + 1) * n_scales if args.clients else 0
    return float((windows + single) * per)


def targets_of(
    db: str,
    scale: str,
    servers: Servers,
    token: str,
    ids: dict[str, Any],
    seed: int,
    only: Any,
    checked: bool = True,
) -> dict[str, tuple[str, str]]:
    """label -> (path, header) of the pages to measure at this scale; ``checked``: only those
    that answer on every server of the scale (one that does not is reported and left out)."""
    cookie = "Cookie: " + sign_in(servers.urls[0], f"bench@seed{seed}.example")
    bearer = f"Authorization: Bearer {token}"
    out = {}
    for label, path, api in pages(ids):
        if not selected(label, only):
            continue
        header = bearer if api else cookie
        if checked and not answers(db, scale, label, servers.urls, path, header):
            continue
        out[label] = (path, header)
    return out


def answers(db: str, scale: str, label: str, urls: list[str], path: str, header: str) -> bool:
    """Whether the page answers on every server (the session made on server 1 works on 2)."""
    try:
        for url in urls:
            check(url, path, header)
    except (OSError, RuntimeError) as exc:
        print(f"[{db} {scale}] {label:<26} not measured: {exc}", flush=True)
        return False
    return True


def measure_rounds(
    db: str, scales: list[str], seed: int, args: argparse.Namespace, binary: str
) -> list[dict[str, Any]]:
    """Prepare every scale, start all their servers, measure in rounds (module docstring);
    return one result per scale with each page's medians and every round's figures."""
    caches = cache_urls(scales) if db == "postgresql" else {}
    envs = {s: base_env(db, s, caches[s]) if caches else base_env(db, s) for s in scales}
    for s, url in caches.items():
        print(f"[{db} {s}] Redis cache {url}", flush=True)
    prepared = {s: ready(db, s, seed, args.fresh, envs[s]) for s in scales}
    labels = [
        label
        for label in dict.fromkeys(
            lab for s in scales for lab, _p, _a in pages(prepared[s][2]) if lab != BARE
        )
        if selected(label, args.only)
    ]
    print(
        f"measuring {len(labels)} pages at {len(scales)} scales, {args.rounds} rounds: about "
        f"{estimate(len(labels), len(scales), args) / 60:.1f} min",
        flush=True,
    )
    windows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    with contextlib.ExitStack() as stack:
        servers = {s: stack.enter_context(Servers(db, envs[s])) for s in scales}
        targets = {
            s: targets_of(db, s, servers[s], prepared[s][1], prepared[s][2], seed, args.only)
            for s in scales
        }
        groups = [labels[i : i + args.group] for i in range(0, len(labels), args.group)] or [[]]
        started = time.monotonic()
        for g, group in enumerate(groups):
            for rnd in range(args.rounds):
                k = rnd % len(scales)
                for s in scales[k:] + scales[:k]:
                    one_round(
                        db, s, rnd, g == 0, group, servers[s], targets[s], windows, args, binary
                    )
        print(f"measured in {(time.monotonic() - started) / 60:.1f} min", flush=True)
    results = []
    for s in scales:
        rows = [
            summarise(label, targets[s][label][0], windows[(s, label)])
            for label in [BARE, *labels]
            if windows.get((s, label))
        ]
        bare = rows[0]
        for r in rows[1:]:
            r.setdefault("bare_rps", bare["rps"])
        results.append({"scale": s, "seed": prepared[s][0], "rows": rows})
    return results


def one_round(
    db: str,
    scale: str,
    rnd: int,
    first_group: bool,
    group: list[str],
    servers: Servers,
    targets: dict[str, tuple[str, str]],
    windows: dict[tuple[str, str], list[dict[str, Any]]],
    args: argparse.Namespace,
    binary: str,
) -> None:
    """The bare view, then the group's pages, at one scale in one round."""
    prefix = f"[{db} {scale} round {rnd + 1}]"
    bare: dict[str, Any] = {}
    for label in [BARE, *group]:
        if label not in targets:
            continue
        path, header = targets[label]
        r = window(binary, servers.urls, path, header, args, args.connections)
        r["round"] = rnd + 1
        if label == BARE:
            bare = r
        elif bare.get("rps"):
            r.update(bare_rps=bare["rps"], ratio=r["rps"] / bare["rps"])
        few = ""
        if args.clients and rnd == 0 and (label != BARE or first_group):
            few = add_clients(r, binary, servers.urls, path, header, args)
        windows.setdefault((scale, label), []).append(r)
        ratio = f"  ratio {r['ratio']:.2f}" if "ratio" in r else ""
        print(line(prefix, label, r, few) + ratio, flush=True)
