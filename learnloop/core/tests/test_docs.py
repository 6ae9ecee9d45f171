"""The docs stay true: decision records follow one template and are indexed
(docs/decisions/README.md), and the architecture map (docs/architecture.md) names exactly the
apps that exist, and only paths and dotted names that exist.

The tests read files only; they import no domain app at module level (core's tests may not,
docs/decisions/0019). Dotted names in the map are resolved with ``importlib`` at test time.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import learnloop

PACKAGE = Path(learnloop.__file__).parent
ROOT = PACKAGE.parent
DECISIONS = ROOT / "docs" / "decisions"
INDEX = DECISIONS / "README.md"
ARCHITECTURE = ROOT / "docs" / "architecture.md"

#: The statuses a record (and its index row) may have.
STATUSES = {"proposed", "accepted", "superseded", "deprecated", "rejected"}
#: Sections every record has, as ``## `` headings: Context and Decision first, Consequences last.
SECTIONS = ("Context", "Decision", "Consequences")

RECORD_NAME = re.compile(r"^(\d{4})-[a-z0-9-]+\.md$")
TITLE = re.compile(r"^# (\d{4})\s*[·:]?\s+(\S.*?)\s*$")
DATE_STATUS = re.compile(r"^Date: (\d{4}-\d{2}-\d{2}) · Status: ([a-z]+)\b")
INDEX_ROW = re.compile(r"^\| \[(\d{4})\]\(([^)]+)\) \| (.+?) \| ([a-z]+)\b[^|]* \| (.*\S.*) \|\s*$")


def record_problems(name: str, text: str) -> list[str]:
    """What a decision record lacks, against the template in docs/decisions/README.md."""
    problems = []
    number = RECORD_NAME.match(name)
    if not number:
        return [f"{name}: file name is not NNNN-short-name.md"]
    lines = text.splitlines()
    title = TITLE.match(lines[0]) if lines else None
    if not title or title.group(1) != number.group(1):
        problems.append(f"{name}: first line is not '# {number.group(1)} · Title'")
    headings = [line[3:].strip() for line in lines if line.startswith("## ")]
    first_section = next((i for i, line in enumerate(lines) if line.startswith("## ")), len(lines))
    header = [DATE_STATUS.match(line) for line in lines[1:first_section]]
    found = [m for m in header if m]
    if not found:
        problems.append(f"{name}: no 'Date: YYYY-MM-DD · Status: <status>' line before ## Context")
    elif found[0].group(2) not in STATUSES:
        problems.append(f"{name}: status {found[0].group(2)!r} is not one of {sorted(STATUSES)}")
    if headings[:2] != list(SECTIONS[:2]) or not headings or headings[-1] != SECTIONS[2]:
        problems.append(
            f"{name}: sections are {headings}; expected ## Context, ## Decision first "
            "(### subsections or further ## sections may follow) and ## Consequences last"
        )
    for section in SECTIONS:
        if section in headings:
            start = lines.index(f"## {section}") + 1
            body = []
            for line in lines[start:]:
                if line.startswith("## "):
                    break
                body.append(line)
            if not "".join(body).strip():
                problems.append(f"{name}: ## {section} is empty")
    return problems


def record_title_and_status(text: str) -> tuple[str, str]:
    lines = text.splitlines()
    title = TITLE.match(lines[0])
    status = next(m for m in map(DATE_STATUS.match, lines) if m)
    assert title
    return title.group(2), status.group(2)


def index_problems(index: str, records: dict[str, str]) -> list[str]:
    """Every record has exactly one index row whose number, title and status match it, and
    every row links to a record."""
    problems = []
    rows = [m for m in map(INDEX_ROW.match, index.splitlines()) if m]
    linked = [row.group(2) for row in rows]
    for name in sorted(set(linked)):
        if linked.count(name) > 1:
            problems.append(f"index: {name} is listed {linked.count(name)} times")
    for row in rows:
        number, name, title, status = row.group(1, 2, 3, 4)
        if name not in records:
            problems.append(f"index: {name} is not a record in docs/decisions/")
            continue
        if not name.startswith(number + "-"):
            problems.append(f"index: row {number} links to {name}")
        if record_problems(name, records[name]):
            continue  # reported by the template test
        want_title, want_status = record_title_and_status(records[name])
        if (title, status) != (want_title, want_status):
            problems.append(
                f"index: row {number} says {title!r} ({status}); "
                f"the record says {want_title!r} ({want_status})"
            )
    for name in sorted(set(records) - set(linked)):
        problems.append(f"index: {name} has no row in docs/decisions/README.md")
    return problems


def _records() -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(DECISIONS.glob("*.md")) if p.name != "README.md"}


def test_every_decision_record_follows_the_template() -> None:
    records = _records()
    assert len(records) > 30
    assert [p for name, text in records.items() for p in record_problems(name, text)] == []


def test_decision_numbers_are_unique() -> None:
    numbers = [name[:4] for name in _records()]
    assert sorted(n for n in set(numbers) if numbers.count(n) > 1) == []


def test_the_index_lists_every_record_with_its_title_and_status() -> None:
    assert index_problems(INDEX.read_text(), _records()) == []


def test_the_checks_catch_what_they_are_for() -> None:
    """The checkers themselves: a record without Consequences or Date, a missing index row,
    a wrong status, an app the map does not name and one it names that does not exist."""
    good = (
        "# 0099 · A thing\n\nDate: 2026-12-03 · Status: accepted\n\n"
        "## Context\nWhy.\n\n## Decision\nWhat.\n\n## Consequences\nThen.\n"
    )
    assert record_problems("0099-a-thing.md", good) == []
    assert record_problems("0099-a-thing.md", good.replace("## Consequences\nThen.\n", ""))
    assert record_problems("0099-a-thing.md", good.replace("Date: 2026-12-03 · ", ""))
    assert record_problems("0099-a-thing.md", good.replace("## Context\nWhy.\n\n", ""))
    assert record_problems("0099-a-thing.md", good.replace("Why.", ""))
    assert record_problems("0099-a-thing.md", good.replace("accepted", "maybe"))
    row = "| [0099](0099-a-thing.md) | A thing | accepted | One line. |"
    assert index_problems(row, {"0099-a-thing.md": good}) == []
    assert index_problems("", {"0099-a-thing.md": good})
    assert index_problems(row.replace("accepted", "proposed"), {"0099-a-thing.md": good})
    assert index_problems(row, {})
    assert map_app_problems("`learnloop/core/` `learnloop/nosuchapp/`", {"core", "web"}) == [
        "docs/architecture.md names learnloop/nosuchapp/, which does not exist",
        "learnloop/web/ exists but docs/architecture.md does not name it",
    ]
    spans = "`core/nosuch.py` `learnloop/core/tags.py` `core/<app>/` `docs/nosuch.md` `docs/`"
    assert map_path_problems(spans) == ["core/nosuch.py", "docs/nosuch.md"]
    assert _resolves("core", "tags.tags_set") and not _resolves("core", "tags.no_such_function")


# --- The architecture map ---------------------------------------------------------------------

#: App directories: packages directly under learnloop/.
APP_DIRS = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
NAMED_APP = re.compile(r"\blearnloop/([a-z_]+)/")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
#: A path in a code span: ``learnloop/x/...``, ``docs/...`` or ``<app>/...`` (``core/tags.py``).
PATH_SPAN = re.compile(r"^[a-z_]+/[\w./-]*(?:::\w+)?$")
#: Folders at the top of the repository that the map may name.
ROOT_DIRS = {"learnloop", "docs", "e2e", "benchmarks", "scripts"}
#: A dotted name in a code span: ``core.ratelimit.limit_hit``, ``learnloop.web.nav``.
DOTTED_SPAN = re.compile(r"^@?(?:learnloop\.)?([a-z_]+)\.([A-Za-z_][\w.]*)(?:\(.*\))?$")
#: File names are paths, not dotted names.
FILE_NAME = re.compile(r"\.(py|html|md|txt|json|css|js|toml|yml|yaml|ics|lock)$")


def map_app_problems(text: str, app_dirs: set[str]) -> list[str]:
    named = set(NAMED_APP.findall(text))
    return [
        f"docs/architecture.md names learnloop/{app}/, which does not exist"
        for app in sorted(named - app_dirs)
    ] + [
        f"learnloop/{app}/ exists but docs/architecture.md does not name it"
        for app in sorted(app_dirs - named)
    ]


def map_path_problems(text: str) -> list[str]:
    """Code spans that look like paths (no placeholders) and do not exist: ``core/tags.py`` is
    read inside learnloop/, ``learnloop/cli.py`` or ``docs/...`` from the repository root."""
    missing = []
    for span in CODE_SPAN.findall(text):
        match = PATH_SPAN.match(span)
        if not match or any(c in span for c in "<>{}*"):
            continue
        first = span.split("/")[0]
        if first in ROOT_DIRS:
            path = ROOT / span.split("::")[0]
        elif first in APP_DIRS:
            path = PACKAGE / span.split("::")[0]
        else:
            continue
        if not path.exists():
            missing.append(span)
    return missing


def _resolves(app: str, rest: str) -> bool:
    parts = [app, *rest.split(".")]
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module("learnloop." + ".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def test_the_map_names_every_app_and_only_apps_that_exist() -> None:
    assert {"core", "web", "transfer"} <= APP_DIRS
    assert map_app_problems(ARCHITECTURE.read_text(), APP_DIRS) == []


def test_every_path_the_map_names_exists() -> None:
    assert map_path_problems(ARCHITECTURE.read_text()) == []


def test_every_dotted_name_the_map_names_exists() -> None:
    spans = CODE_SPAN.findall(ARCHITECTURE.read_text())
    dotted = [
        m
        for m in map(DOTTED_SPAN.match, spans)
        if m and m.group(1) in APP_DIRS and not FILE_NAME.search(m.group(0))
    ]
    assert dotted, "the map names no module or function by its dotted name"
    assert [m.group(0) for m in dotted if not _resolves(m.group(1), m.group(2))] == []
