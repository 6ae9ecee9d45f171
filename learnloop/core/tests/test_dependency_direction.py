"""Dependencies point one way (docs/decisions/0019-dependency-direction.md).

``core`` is the bottom layer: it imports no other Learnloop app, not even inside a function,
under ``TYPE_CHECKING`` or as a dotted string (``"learnloop.<app>..."``). Domain apps plug
into the registries below them instead (core's demo steps, the job queue's jobs). The only app below core is ``tasks``, the
job queue, which imports nothing of Learnloop but itself.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import learnloop

PACKAGE = Path(learnloop.__file__).parent
#: Every Learnloop app (a folder with an apps.py), e.g. {"accounts", "core", "incidents", ...}.
APPS = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
#: What each lower layer may import besides itself.
MAY_IMPORT = {"core": {"tasks"}, "tasks": set()}
DOTTED = re.compile(r"\blearnloop\.([a-z_]+)")


def _imported_apps(source: str, package: str) -> list[tuple[int, str]]:
    """(line, app) for every Learnloop app a module of ``package`` names in an import or a
    dotted string (docstrings, which only talk about other apps, aside)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names = [".".join([*base, node.module or ""]).rstrip(".")]
            else:
                names = [node.module or ""]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            names = [f"learnloop.{m}" for m in DOTTED.findall(node.value)]
        for name in names:
            parts = name.split(".")
            if parts[0] == "learnloop" and len(parts) > 1 and parts[1] in APPS:
                found.append((node.lineno, parts[1]))
    return found


def _package_of(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).parts[:-1])


def _violations(layer: str) -> list[str]:
    allowed = {layer} | MAY_IMPORT[layer]
    return [
        f"{path.relative_to(PACKAGE.parent)}:{line} uses learnloop.{app}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for line, app in _imported_apps(path.read_text(), _package_of(path))
        if app not in allowed
    ]


def test_core_imports_no_other_app() -> None:
    assert {"core", "accounts", "incidents", "reviews", "devtools"} <= APPS
    assert _violations("core") == []


def test_the_job_queue_imports_nothing_of_learnloop() -> None:
    assert _violations("tasks") == []


def test_the_check_sees_every_form_of_import() -> None:
    """The walker itself: module level, in a function, TYPE_CHECKING, relative, dotted string."""
    sample = (
        '"""A docstring may mention {pkg}.reviews."""\n'
        "from typing import TYPE_CHECKING\n"
        "import {pkg}.search.index\n"
        "from {pkg}.core.models import Tag\n"
        "if TYPE_CHECKING:\n"
        "    from {pkg}.accounts.models import User\n"
        "def f():\n"
        "    from ..incidents import models\n"
        "    return '{pkg}.lessons.selectors'\n"
    ).format(pkg="learnloop")  # spelled this way so grep over core finds no domain import
    assert sorted(app for _, app in _imported_apps(sample, "learnloop.core")) == [
        "accounts",
        "core",
        "incidents",
        "lessons",
        "search",
    ]


#: Above the domain apps: only these may import ``metrics`` (decisions/0212).
ABOVE_METRICS = {"metrics", "devtools", "testing", "api"}


def test_no_domain_app_imports_the_metrics_app() -> None:
    """``metrics`` reads the domain apps; none of them reads it (only the mount points
    ``learnloop/urls.py``, ``api/router.py`` and the apps above it do)."""
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for layer in sorted(APPS - ABOVE_METRICS)
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for line, app in _imported_apps(path.read_text(), _package_of(path))
        if app == "metrics" and "/tests/" not in str(path)
    ]
    assert found == []
