"""Warm a web process before it serves (decision 0131).

`learnloop serve` runs gunicorn with ``--preload``: the master imports ``learnloop.wsgi``,
which calls :func:`warm_up` once, then forks the workers, which inherit everything warmed here
(copy-on-write). Nothing here may leave a database connection open: a connection made before
the fork would be shared by every worker (two processes talking over one socket or one SQLite
file handle), so :func:`warm_up` closes every connection it finds at the end.

``core`` imports no domain app: the view and API modules are found through the app registry,
and an app that has more to load (the search app's dense model) says so with a ``warm_up``
method on its ``AppConfig`` (decision 0077).
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from django.apps import apps
from django.db import connections
from django.template import engines
from django.urls import get_resolver

log = logging.getLogger(__name__)

MODULES = ("views", "api", "forms", "selectors", "services", "urls")


def _import_app_modules() -> int:
    count = 0
    for config in apps.get_app_configs():
        if not config.name.startswith("learnloop."):
            continue
        for module in MODULES:
            if (Path(config.path) / f"{module}.py").exists():
                importlib.import_module(f"{config.name}.{module}")
                count += 1
    return count


def _template_names() -> list[str]:
    """Every template of the project's apps, relative to its app's ``templates`` dir."""
    names: list[str] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("learnloop."):
            continue
        root = Path(config.path) / "templates"
        if root.is_dir():
            names += sorted(
                str(p.relative_to(root)) for p in root.rglob("*") if p.suffix in {".html", ".txt"}
            )
    return names


def _compile_templates() -> int:
    """Compile the project's templates and the form widgets' into the cached loaders."""
    engine = engines["django"]
    names = _template_names()
    for name in names:
        engine.get_template(name)
    from django.forms.renderers import get_default_renderer

    renderer = get_default_renderer()
    forms_root = Path(importlib.import_module("django.forms").__file__ or "").parent / "templates"
    widgets = [
        str(p.relative_to(forms_root))
        for p in (forms_root / "django" / "forms").rglob("*.html")
        if "jinja2" not in p.parts
    ]
    for name in widgets:
        renderer.get_template(name)
    return len(names) + len(widgets)


def _warm_caches() -> None:
    from django.contrib.staticfiles.storage import staticfiles_storage

    from learnloop.core.markdown import render_markdown

    render_markdown("Warm *up*: a [link](https://example.org).")
    staticfiles_storage.exists("")  # makes the storage, which reads the hashed-names manifest


def _call_apps(hook: str) -> int:
    """Each project app's ``AppConfig.<hook>()``, where it has one; how many ran."""
    count = 0
    for config in apps.get_app_configs():
        warm = getattr(config, hook, None)
        if config.name.startswith("learnloop.") and callable(warm):
            warm()
            count += 1
    return count


def warm_worker() -> int:
    """In each gunicorn worker after the fork (``core.gunicorn_hooks.post_fork``): each project
    app's ``AppConfig.warm_up_worker()``, where it has one, for what must not be loaded before
    the fork (decision 0077: the dense model's session). The worker takes requests once they
    return (decision 0250)."""
    return _call_apps("warm_up_worker")


def close_connections() -> None:
    """Close every database connection this process holds (before the workers fork)."""
    for connection in connections.all(initialized_only=True):
        connection.close()


def warm_up() -> dict[str, int]:
    """Load what the first requests would otherwise load; return what was loaded."""
    try:
        resolver = get_resolver()
        resolver.url_patterns  # noqa: B018 - imports the URLconf and every view module it names
        resolver.reverse_dict  # noqa: B018 - builds the reverse lookup (populates the resolver)
        modules = _import_app_modules()
        templates = _compile_templates()
        _warm_caches()
        warmed = _call_apps("warm_up")
    finally:
        close_connections()
    return {"modules": modules, "templates": templates, "apps": warmed}
