"""File and JSON Lines front ends for the blame coach (used by ``learnloop blame``).

Kept free of Django so the command stays a thin wrapper and these functions can
be tested and reused directly (pre-commit, CI, batch scoring).

Exit codes (both modes):

* ``check_files``: 0 no findings, 1 findings, 2 a file could not be read or is
  not text (the other files are still checked; errors win over findings).
* ``run_jsonl``: 0 every line processed, 2 at least one malformed line. A
  malformed line (invalid JSON, not an object, ``text`` missing or not a string)
  is reported on stderr as ``line N: reason`` and skipped; processing continues
  so that one bad record does not lose a batch. Consumers match output to input
  by ``id``.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from .engine import Finding, analyse

MAX_BYTES = 50_000_000  # refuse absurdly large inputs instead of exhausting memory


def _finding_dict(f: Finding, text: str) -> dict[str, Any]:
    return {
        "start": f.start,
        "end": f.end,
        "signal": f.signal,
        "signals": list(f.signals),
        "message": f.message,
        "suggestion": f.suggestion,
        "text": text[f.start : f.end],
    }


def read_text(path: str | Path) -> str:
    """Read a file as text, or raise ``ValueError`` with a short, user-facing reason.

    Binary files (a NUL byte in the first 8 KB) are refused rather than producing
    nonsense findings; other invalid UTF-8 bytes are replaced so that one stray
    byte does not hide every other finding in a document.
    """
    p = Path(path)
    try:
        if p.is_dir():
            raise ValueError("is a directory")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ValueError(f"file too large ({size} bytes, limit {MAX_BYTES})")
        data = p.read_bytes()
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except PermissionError:
        raise ValueError("permission denied") from None
    except OSError as exc:
        raise ValueError(f"cannot read ({exc.strerror or exc})") from None
    if b"\x00" in data[:8192]:
        raise ValueError("not a text file")
    return data.decode("utf-8-sig", errors="replace")


def _line_col(line_starts: list[int], offset: int) -> tuple[int, int]:
    i = bisect_right(line_starts, offset) - 1
    return i + 1, offset - line_starts[i] + 1


def check_files(
    paths: Sequence[str | Path], fmt: str = "text", *, names: Iterable[str] = ()
) -> tuple[str, int]:
    """Check files; return ``(output, exit_code)``.

    ``fmt="text"`` gives one linter line per finding,
    ``path:line:col: signal: message Suggestion: ...`` (columns are 1-based
    characters); ``fmt="json"`` gives one JSON document with every file.
    """
    if fmt not in ("text", "json"):
        raise ValueError(f"unknown format {fmt!r}; use 'text' or 'json'")
    names = tuple(names)
    lines: list[str] = []
    report: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    total = 0
    for path in paths:
        shown = str(path)
        try:
            text = read_text(path)
        except ValueError as exc:
            errors.append({"path": shown, "error": str(exc)})
            lines.append(f"{shown}: {exc}")
            continue
        findings = analyse(text, names=names)
        total += len(findings)
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"] if findings else [0]
        items = []
        for f in findings:
            line, col = _line_col(starts, f.start)
            lines.append(
                f"{shown}:{line}:{col}: {f.signal}: {f.message} Suggestion: {f.suggestion}"
            )
            item = _finding_dict(f, text)
            item.update(line=line, col=col)
            items.append(item)
        report.append({"path": shown, "findings": items})
    code = 2 if errors else (1 if total else 0)
    if fmt == "json":
        doc = {"files": report, "errors": errors, "findings": total, "exit_code": code}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n", code
    return ("\n".join(lines) + "\n") if lines else "", code


def analyse_record(record: dict[str, Any], *, names: Iterable[str] = ()) -> dict[str, Any]:
    """``{"id", "text"}`` -> ``{"id", "blame", "findings": [...]}``."""
    text = record["text"]
    findings = analyse(text, names=names)
    return {
        "id": record.get("id"),
        "blame": bool(findings),
        "findings": [
            {
                "start": f.start,
                "end": f.end,
                "signal": f.signal,
                "message": f.message,
                "suggestion": f.suggestion,
            }
            for f in findings
        ],
    }


def run_jsonl(
    stdin: IO[str], stdout: IO[str], stderr: IO[str] | None = None, *, names: Iterable[str] = ()
) -> int:
    """Read ``{"id", "text"}`` per line from ``stdin``; write one result per line.

    Returns 0, or 2 when at least one line was malformed (see module docstring).
    """
    import sys

    err = stderr if stderr is not None else sys.stderr
    names = tuple(names)
    bad = 0
    for n, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            err.write(f"line {n}: not valid JSON ({exc.msg} at column {exc.colno})\n")
            bad += 1
            continue
        if not isinstance(record, dict):
            err.write(f"line {n}: expected a JSON object with 'id' and 'text'\n")
            bad += 1
            continue
        if not isinstance(record.get("text"), str):
            err.write(f"line {n}: 'text' is missing or not a string\n")
            bad += 1
            continue
        stdout.write(json.dumps(analyse_record(record, names=names), ensure_ascii=False) + "\n")
    if bad:
        err.write(f"{bad} malformed line(s) skipped\n")
    stdout.flush()
    return 2 if bad else 0


def add_arguments(parser: Any) -> None:
    """The blame command's arguments (shared by the entry point and the Django command)."""
    parser.add_argument("files", nargs="*", metavar="FILE", help="files to check")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"id": ..., "text": ...} per line on stdin, write one result per line',
    )
    parser.add_argument(
        "--names", default="", help="comma-separated member names, to recognise people exactly"
    )


def run(*, files: list[str], format: str = "text", jsonl: bool = False, names: str = "") -> int:
    """Run the command; returns the exit status (0 none, 1 findings, 2 bad input)."""
    import sys

    name_list = [n.strip() for n in names.split(",") if n.strip()]
    if jsonl:
        if files:
            sys.stderr.write("blame: --jsonl reads stdin; do not pass files\n")
            return 2
        return run_jsonl(sys.stdin, sys.stdout, sys.stderr, names=name_list)
    if not files:
        sys.stderr.write("usage: learnloop blame FILE... [--format text|json] | --jsonl\n")
        return 2
    output, code = check_files(files, format, names=name_list)
    if output:
        sys.stdout.write(output)
        sys.stdout.flush()
    return code


def main(argv: list[str], *, prog: str = "learnloop blame") -> int:
    """The ``blame`` command line, without Django: it must run in any repository as a
    pre-commit hook, with no data folder, settings or database."""
    import argparse

    parser = argparse.ArgumentParser(
        prog=prog,
        description="Flag blameful sentences in text or Markdown files. Exit 0: none, "
        "1: findings, 2: unreadable file. With --jsonl, read {'id','text'} lines on stdin.",
    )
    add_arguments(parser)
    options = parser.parse_args(argv)
    return run(files=options.files, format=options.format, jsonl=options.jsonl, names=options.names)
