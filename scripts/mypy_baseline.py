"""Run mypy and hold the code to a recorded baseline of old errors that only shrinks.

mypy is strict (`[tool.mypy]` in pyproject.toml). Code written before types were checked has
errors recorded in `mypy-baseline.json`, counted per file and error code. This script fails when
any file has an error (file, code) pair above its recorded count, so new code is strict and old
code cannot get worse. When a count drops, it says so and asks for `--update`, which rewrites the
baseline with the lower counts (it never raises a count: fixing an error elsewhere does not buy
room for a new one).

    python scripts/mypy_baseline.py            # check (make test runs this)
    python scripts/mypy_baseline.py --update   # record the counts after fixing errors
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.json"
TARGETS = ["learnloop", "benchmarks", "scripts", "e2e", "conftest.py"]
ERROR = re.compile(r"^(?P<path>[^:]+):\d+: error: .*\[(?P<code>[a-z0-9-]+)\]$")


def run_mypy() -> tuple[Counter[str], list[str]]:
    """Return error counts keyed by "path [code]" and the error lines themselves."""
    with tempfile.TemporaryDirectory() as data_dir:
        # The same settings on every machine: a throwaway data dir and SQLite, whatever is exported.
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env |= {"LEARNLOOP_DATA_DIR": data_dir, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--cache-dir",
                str(Path(data_dir) / "mypy-cache"),
                *TARGETS,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
    if result.returncode not in (0, 1):
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"mypy_baseline: mypy crashed (exit {result.returncode})")
    counts: Counter[str] = Counter()
    lines = []
    for line in result.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            counts[f"{match['path']} [{match['code']}]"] += 1
            lines.append(line)
    return counts, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="record lower counts")
    args = parser.parse_args()

    counts, lines = run_mypy()
    baseline: dict[str, int] = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}

    over = {key: n for key, n in counts.items() if n > baseline.get(key, 0)}
    under = {key: n for key, n in baseline.items() if counts.get(key, 0) < n}

    if over and not (args.update and not baseline):
        print("mypy: new type errors (strict for new code; old code may not get worse):")
        for key, n in sorted(over.items()):
            path, code = key.rsplit(" ", 1)
            print(f"  {key}: {n} (baseline {baseline.get(key, 0)})")
            for line in lines:
                if line.startswith(f"{path}:") and line.endswith(code):
                    print(f"    {line}")
        return 1
    if args.update:
        kept = {key: n for key, n in sorted(counts.items()) if not baseline or key in baseline}
        BASELINE.write_text(json.dumps(kept, indent=1) + "\n")
        print(f"mypy: baseline recorded, {sum(kept.values())} old errors in {len(kept)} groups")
        return 0
    total = sum(counts.values())
    if under:
        print(
            f"mypy: {total} old errors remain; {len(under)} groups shrank — "
            "run `make mypy-baseline` to record the lower counts"
        )
    else:
        print(f"mypy: no new errors ({total} old errors recorded in mypy-baseline.json)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
