"""The page cache keeps no trace of an anonymous report (decisions 0010, 0076): with kept pages
served as in production, a person views pages, files an anonymous report through the real
view, opens it and the pages that list it; then the memory cache, the file cache, the data
version's row and the logs are dumped and searched."""

from __future__ import annotations

import logging
import pickle
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from learnloop.incidents.models import Incident
from learnloop.incidents.tests.test_anonymous import (
    IP,
    dump_database,
    file_cache,  # noqa: F401 - a fixture
    files_under,
)
from learnloop.testing.builders import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("page_cache_on")]
PAGES = ("/", "/incidents/", "/lessons/", "/incidents/dashboard/")
DESCRIPTION = "The otter runbook named two hosts alike."


def kept() -> dict[str, bytes]:
    """Every entry of the memory cache: its key and its pickled value."""
    local = caches["local"]
    return {key: bytes(value) for key, value in local._cache.items()}  # type: ignore[attr-defined]


def test_an_anonymous_report_leaves_no_trace_in_the_page_cache(
    bob,
    alice,
    caplog,
    file_cache,  # noqa: F811
):
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT="Mozilla/5.0 bob-laptop")
    assert client.post("/login/", {"username": bob.email, "password": PASSWORD}).status_code == 302
    assert client.get("/incidents/new/").status_code == 200  # sets the CSRF cookie
    for page in PAGES:
        assert "ETag" in client.get(page), f"{page} is not kept: the test would prove nothing"
    session_key = client.session.session_key
    assert session_key
    cache_files_before = files_under(file_cache) if file_cache.exists() else {}
    before = dump_database()
    kept_before = kept()
    now = timezone.now()

    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/incidents/new/",
            {
                "title": "Otter valve left open",
                "description": DESCRIPTION,
                "kind": "mistake",
                "visibility": "team",
                "anonymous": "on",
            },
        )
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200  # the thank-you page
        # Filing and landing wrote nothing to the memory cache: no kept page or part exists
        # whose write time is the report's (decision 0175).
        assert kept() == kept_before, "filing an anonymous report wrote to the memory cache"
        report = Incident.objects.get()
        assert report.is_anonymous and report.pk < 0
        opened = client.get(f"/incidents/{report.pk}/")
        assert opened.status_code == 200 and DESCRIPTION.encode() in opened.content
        assert "ETag" not in opened, "an anonymous report's page was kept"
        parts = {k: v for k, v in kept().items() if ":part:" in k}
        assert parts, "no part of the report's page was kept: the test would prove nothing"
        for page in PAGES:  # read after the write: fresh, and kept again
            fresh = client.get(page)
            assert fresh.status_code == 200 and "ETag" in fresh
        assert b"Otter valve left open" in client.get("/incidents/").content
    after = dump_database()

    # The data version moved, in its row of two columns: no time, no person.
    rows = {key: row for key, row in after.items() if key[0] == "web_pageversion"}
    changed = {key: row for key, row in rows.items() if before.get(key) != row}
    assert changed, "the write did not move the data version"
    for row in changed.values():
        assert [column for column, _ in row] == ["scope", "counter"]
        assert all(isinstance(value, int) for _, value in row)
        assert dict(row)["scope"] == bob.organisation_id
    # No file in the cache directory was written (the pages live in process memory only).
    cache_files_after = files_under(file_cache) if file_cache.exists() else {}
    assert cache_files_after == cache_files_before

    # Memory: no entry holds the report's own page, the session, the address or the agent;
    # keys are hashes (no user id, path or time in them).
    new_entries = {k: v for k, v in kept().items() if kept_before.get(k) != v}
    assert new_entries, "nothing was kept after the write: the test would prove nothing"
    forbidden = {
        "the report's page": DESCRIPTION.encode(),
        "the session key": session_key.encode(),
        "the IP address": IP.encode(),
        "the user agent": b"bob-laptop",
    }
    for key, blob in kept().items():
        content = pickle.loads(blob)
        text = content[0] if isinstance(content, tuple) else blob
        for what, needle in forbidden.items():
            assert needle not in text, f"{what} is in the memory cache"
        assert bob.email not in key
        if ":page:" in key:  # a hash of viewer, path and version: nothing readable
            assert re.fullmatch(r":\d+:page:[0-9a-f]{64}", key), key
        if ":part:" in key:  # a hash of scope, version and content: nothing readable
            assert re.fullmatch(r":\d+:part:[0-9a-f]{64}", key), key
        # No key names the report's id in clear (the related ranking's key is a hash too).
        assert f":{report.pk}:" not in key, key
    # A kept part of the report's page holds none of the report itself: not its title, text
    # or id, and no time of day (what it shows is other items, by scope and version).
    for blob in parts.values():
        shown = str(pickle.loads(blob))
        for word in ("Otter valve", DESCRIPTION, str(report.pk), str(-report.pk)):
            assert word not in shown, f"{word!r} is in a kept part"
    for hhmm in {f"{now:%H:%M}", f"{timezone.localtime(now):%H:%M}"}:
        assert all(hhmm not in key for key in kept() if ":page:" in key or ":part:" in key)
        assert all(hhmm not in pickle.loads(blob) for blob in parts.values())

    log_text = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    for what, needle in {
        "email": bob.email,
        "session key": session_key,
        "IP address": IP,
        "user agent": "bob-laptop",
        "report id": str(report.pk),
    }.items():
        assert needle not in log_text, f"{what} found in the logs"
