"""Shared fixtures: an organisation with two teams and four people.

* alice — team admin of Alpha
* bob — member of Alpha
* charlie — member of Beta, same organisation: must get 404 on Alpha's private things
* mallory — another organisation altogether
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from learnloop.accounts.models import Organisation, Role, Team, User
from learnloop.testing.builders import (  # noqa: F401 - PASSWORD and make_user re-exported
    PASSWORD,
    make_organisation,
    make_team,
    make_user,
)


@pytest.fixture
def org(db) -> Organisation:
    return make_organisation(name="Acme")


@pytest.fixture
def alpha(org: Organisation) -> Team:
    return make_team(org, name="Alpha")


@pytest.fixture
def beta(org: Organisation) -> Team:
    return make_team(org, name="Beta")


@pytest.fixture
def alice(org: Organisation, alpha: Team) -> User:
    return make_user("alice@example.org", org, team=alpha, role=Role.ADMIN)


@pytest.fixture
def bob(org: Organisation, alpha: Team) -> User:
    return make_user("bob@example.org", org, team=alpha, role=Role.MEMBER)


@pytest.fixture
def charlie(org: Organisation, beta: Team) -> User:
    return make_user("charlie@example.org", org, team=beta, role=Role.ADMIN)


@pytest.fixture
def mallory(db) -> User:
    other = make_organisation(name="Other")
    omega = make_team(other, name="Omega")
    return make_user("mallory@example.net", other, team=omega, role=Role.ADMIN, is_org_admin=True)


DEMO_SLUG = "crumb-and-co-demo"


@pytest.fixture
def demo(db) -> Organisation:
    """The demo organisation of ``learnloop seed-demo`` (decision 0090), loaded into an empty
    database with a known password: the one fixture every app's demo-data tests share."""
    call_command("seed_demo", "--password", "demo-password-long", stdout=io.StringIO())
    return Organisation.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def client_for(client):
    """``client_for(user)`` returns a Django test client signed in as ``user``."""
    from django.test import Client

    def make(user: User) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def form_as_posted():
    """``form_as_posted(response)``: the data a browser would post back from the page's form
    (``response.context["form"]``) unchanged — its rendered values, hidden fields included."""

    def data(response) -> dict[str, Any]:
        form = response.context["form"]
        return {bf.name: "" if bf.value() is None else bf.value() for bf in form}

    return data


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (which queue jobs), then every due job, like the worker does."""
    from learnloop.tasks.worker import run_due_jobs

    def run() -> int:
        return run_due_jobs()

    return run


def database_as_migrated() -> None:
    """Empty every table and put back what migrations seed (shipped review templates, content
    types with their ids), so the test database is exactly as ``migrate`` left it."""
    import importlib

    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    # pytest-django keeps a copy of the migrated data only when a collected test asks for
    # serialized rollback; without one, re-create it (content types, then the one data
    # migrations that seed rows).
    contents = getattr(connection, "_test_serialized_contents", None)
    call_command("flush", interactive=False, inhibit_post_migrate=bool(contents), verbosity=0)
    # The search index is made by raw SQL, not models, so flush leaves its rows behind; its
    # delete triggers (SQLite) and cascades (PostgreSQL) empty the full-text and vector rows.
    with connection.cursor() as cursor:
        if "search_document" in connection.introspection.table_names(cursor):
            cursor.execute("DELETE FROM search_document")
    if contents:
        connection.creation.deserialize_db_from_string(contents)
    else:
        for name in (
            "learnloop.reviews.migrations.0002_shipped_templates",
            "learnloop.retros.migrations.0002_shipped_formats",
        ):
            importlib.import_module(name).forwards(apps, None)
    # Rows put back with their ids leave PostgreSQL's sequences behind them (flush restarts
    # them): move every sequence past the rows, so the next insert does not reuse an id.
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)


@pytest.fixture
def restore_migrated_data(django_db_blocker):
    """A transactional test ends by flushing every table, which also drops rows that
    migrations seed (e.g. shipped review templates). Put them back after the flush so later
    tests see the database as migrations left it. Request it before ``transactional_db`` so
    its teardown runs after the flush."""
    yield
    with django_db_blocker.unblock():
        database_as_migrated()


@pytest.fixture(autouse=True)
def _clean_outbox() -> None:
    mail.outbox = []


@pytest.fixture
def page_cache_on(settings) -> None:
    """Kept pages served as in production (decision 0076). The suite runs with the serving off
    (a kept page has no ``response.context`` for views' tests to read); the data version moves
    on every write either way. The page cache's own tests and the anonymity tests turn it on."""
    settings.LEARNLOOP_PAGE_CACHE = True


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import caches

    from learnloop.core import shared_memory

    for cache in caches.all():
        cache.clear()
    shared_memory.clear()  # figures and related rankings kept for a server's workers


def pytest_collection_modifyitems(config, items) -> None:
    """Slow tests (``@pytest.mark.slow``) first: pytest-xdist hands tests out in this order, so
    the long ones start at once on every worker and the short ones fill in around them, instead
    of one worker finishing alone on a long tail. The order is the same in every worker."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_configure(config) -> None:
    """Tests render templates without a collected manifest; production uses hashed files."""
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHITENOISE_AUTOREFRESH = True
    # Kept pages are served only in the tests that ask for them (the page_cache_on fixture).
    settings.LEARNLOOP_PAGE_CACHE = False
    # A per-process cache, emptied before every test (see _clear_cache), so no test sees
    # another's cached figures or suggestions.
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        "default": {"BACKEND": locmem, "LOCATION": "default"},
        "local": {"BACKEND": locmem, "LOCATION": "local"},
    }


class SmtpInbox:
    """What a local SMTP server received: parsed ``messages`` and their envelope ``recipients``."""

    def __init__(self) -> None:
        self.messages: list = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait_for_count(self, count: int, timeout: float = 10) -> None:
        """Wait until ``count`` messages arrived (or the timeout passed; the test asserts)."""
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, timeout: float = 60) -> None:
    """Wait until ``learnloop serve`` at ``url`` answers /healthz (fails the test otherwise)."""
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"{url} did not start"
            time.sleep(0.3)


def sign_in_over_http(url: str, email: str, password: str) -> tuple[int, str]:
    """Sign in on a running server through its page (GET for the CSRF token, then POST):
    returns (status, body)."""
    import http.cookiejar
    import re
    import urllib.error
    import urllib.parse
    import urllib.request

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(url + "/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"username": email, "password": password, "csrfmiddlewaretoken": token}
    request = urllib.request.Request(
        url + "/login/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Referer": url + "/login/"},
    )
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wrong_passwords_at_once(urls: list[str], email: str, count: int) -> list[int]:
    """``count`` wrong passwords for ``email`` sent at the same time, spread over ``urls``."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [
            pool.submit(sign_in_over_http, urls[n % len(urls)], email, "wrong-password")
            for n in range(count)
        ]
        return [f.result()[0] for f in futures]


@contextlib.contextmanager
def local_smtp(inbox: SmtpInbox) -> Iterator[int]:
    """Run a real SMTP server (aiosmtpd) for ``inbox`` on a free local port; yields the port."""
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def http_receiver():
    """A real local HTTP server that records requests (``learnloop.testing.receiver``)."""
    from learnloop.testing.receiver import running_receiver

    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def smtp_server(settings):
    """A real local SMTP server, with Django's email pointed at it."""
    inbox = SmtpInbox()
    with local_smtp(inbox) as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield inbox
