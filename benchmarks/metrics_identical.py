"""Dump every loop-metric figure, the incident dashboard's numbers and the recognition trend for
a seeded data directory as JSON, so two versions of the code can be compared key by key
(decision 0174: the figures must stay identical).

    LEARNLOOP_DATA_DIR=/tmp/bench-x/sqlite-1m .venv/bin/python benchmarks/metrics_identical.py \\
        --code /work/main --out /tmp/old.json
    LEARNLOOP_DATA_DIR=/tmp/bench-x/sqlite-1m .venv/bin/python benchmarks/metrics_identical.py \\
        --code . --out /tmp/new.json
    .venv/bin/python benchmarks/metrics_identical.py --compare /tmp/old.json /tmp/new.json

``--code`` is the checkout whose ``learnloop`` package computes the figures. Everything is
computed cold (no cache), as the seeded benchmark user (an organisation admin) and as a member
of one team who is not an admin: the organisation's and each of the user's teams' boards over
12 and 24 months, the dashboard over 12, 24 months and all time, the recognition trend for the
organisation and for one team. ``computed_at`` is left out (it is the time of the run).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def dump(code: str, seed: int, only: str | None = None) -> dict[str, Any]:
    sys.path.insert(0, str(Path(code).resolve()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnloop.settings")
    import django

    django.setup()
    import learnloop
    from learnloop.accounts.models import Membership, User
    from learnloop.debriefs.spread import organisation_trend
    from learnloop.incidents.metrics import dashboard_metrics, window_start
    from learnloop.metrics.catalogue import CATALOGUE, compute
    from learnloop.metrics.scope import organisation_scope, team_scope

    print(f"code: {Path(learnloop.__file__).parent}", file=sys.stderr)
    admin = User.objects.get(email=f"bench@seed{seed}.example")
    org = admin.organisation
    assert org is not None
    member = (
        User.objects.filter(organisation=org, is_org_admin=False, memberships__isnull=False)
        .order_by("pk")
        .first()
    )
    out: dict[str, Any] = {}

    def board(name: str, scope: Any) -> None:
        started = time.process_time()
        if only:
            data = CATALOGUE[only](scope).as_json()
        else:
            data = compute(scope).as_json()
            data.pop("computed_at")
        out[name] = data
        print(f"{name}: {time.process_time() - started:.2f} s CPU", file=sys.stderr)

    for months in (12, 24):
        board(f"organisation/{months}", organisation_scope(admin, months=months))
        for m in Membership.objects.filter(user=admin).select_related("team").order_by("team"):
            board(f"team {m.team.slug}/{months}", team_scope(admin, m.team.slug, months=months))
        if member is not None:
            slug = member.memberships.select_related("team").order_by("team").first().team.slug
            board(f"member team {slug}/{months}", team_scope(member, slug, months=months))
    if only:
        return out
    teams = list(org.teams.order_by("pk"))
    for months in (12, 24, 0):
        for who, user in (("admin", admin), ("member", member)):
            if user is None:
                continue
            data = dashboard_metrics(user=user, teams=teams, since=window_start(months))
            out[f"dashboard {who}/{months}"] = data
    labels, trends = organisation_trend(organisation_id=org.pk)
    out["trend/organisation"] = [labels, [(t.team.pk, t.enough_people, t.points) for t in trends]]
    labels, trends = organisation_trend(organisation_id=org.pk, months=12, team_ids=[teams[0].pk])
    out["trend/team"] = [labels, [(t.team.pk, t.enough_people, t.points) for t in trends]]
    return out


def compare(old_path: str, new_path: str) -> int:
    old = json.loads(Path(old_path).read_text())
    new = json.loads(Path(new_path).read_text())
    differ = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    for key in differ:
        print(f"DIFFERS: {key}")
    print(f"{len(old)} figures compared, {len(differ)} differ")
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--code", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out")
    parser.add_argument("--compare", nargs=2)
    parser.add_argument("--only", help="one metric's key: only the boards' figures of it")
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    data = dump(args.code, args.seed, args.only)
    text = json.dumps(data, sort_keys=True, default=str)
    Path(args.out).write_text(text) if args.out else print(text)


if __name__ == "__main__":
    main()
