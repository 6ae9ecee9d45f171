"""The warm-up `learnloop serve`'s gunicorn master runs before forking (decision 0131)."""

from __future__ import annotations

from django.db import connection
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.loaders.cached import Loader as CachedLoader

from learnloop.core.warmup import close_connections, warm_up


def test_it_loads_views_and_templates_without_touching_the_database() -> None:
    # No django_db mark: any query here would fail the test (pytest-django blocks it).
    loaded = warm_up()
    assert loaded["modules"] > 20 and loaded["templates"] > 50
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    [loader] = backend.engine.template_loaders
    assert isinstance(loader, CachedLoader)
    assert "web/base.html" in {key.split("-")[0] for key in loader.get_template_cache}


def test_it_closes_the_connections_it_finds(restore_migrated_data, transactional_db) -> None:
    connection.ensure_connection()
    assert connection.connection is not None
    close_connections()
    assert connection.connection is None
