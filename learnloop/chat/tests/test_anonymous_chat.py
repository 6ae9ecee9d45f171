"""The anonymity test extended to the slash command (decisions/0010, 0181): after a linked
person files ``/learnloop anon …`` through the real view, nothing in the rows the request
created or changed, the file cache, the data-dir files, the logs or any job links the report
to them or to the minute it was filed."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.utils import timezone

from learnloop.chat.tests.conftest import command, signed_post
from learnloop.incidents.models import Incident
from learnloop.incidents.tests.test_anonymous import (
    dump_database,
    file_cache,  # noqa: F401 - a fixture
    files_under,
    user_foreign_key_columns,
)
from learnloop.tasks.models import Job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def test_an_anonymous_slash_command_leaves_nothing_that_links_it(
    linked,
    alice,
    caplog,
    file_cache,  # noqa: F811 - the fixture imported above
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    settings.DATA_DIR = data_dir
    cache_before = files_under(file_cache) if file_cache.exists() else {}
    data_before = files_under(data_dir)
    before = dump_database()
    now = timezone.now()
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        response = signed_post(
            Client(),
            command("anon Wrong server | I restarted the wrong one."),
            REMOTE_ADDR="203.0.113.9",
            HTTP_USER_AGENT="Slackbot 1.0 (+https://api.slack.com/robots)",
        )
    after = dump_database()
    assert response.status_code == 200
    incident = Incident.objects.get()
    assert incident.is_anonymous and incident.reporter_id is None and incident.pk < 0
    assert (incident.created_at.hour, incident.created_at.minute) == (0, 0)

    assert not Job.objects.exists(), "an anonymous command queues nothing"
    cache_after = files_under(file_cache) if file_cache.exists() else {}
    assert {k for k, v in cache_after.items() if cache_before.get(k) != v} == set()
    assert files_under(data_dir) == data_before

    hhmm = {f"{now:%H:%M}", f"{timezone.localtime(now):%H:%M}"}
    if "00:00" in hhmm:
        pytest.skip("run at midnight: the rounded date looks like the exact time")
    forbidden = {
        "Slack user id": "U0ALICE",
        "Slack user name": "alice.s",
        "trigger id": "123.456.",
        "email": alice.email,
        "name": alice.name,
        "IP address": "203.0.113.9",
        **{f"time {t}": t for t in hhmm},
    }
    changed = {key: row for key, row in after.items() if before.get(key) != row}
    tables = {table for table, _ in changed}
    assert {t for t in tables if not t.startswith("search_")} <= {
        "incidents_incident",
        "chat_seenrequest",
        "core_ratelimitwindow",
        "core_ratelimitcount",
        "core_tag",
        "incidents_incident_tags",
        "web_pageversion",  # the page cache's data version: a counter, no time (decision 0076)
    }, tables
    for (table, _), record in changed.items():
        if table == "web_pageversion":
            assert [column for column, _ in record] == ["scope", "counter"]
    user_fks = user_foreign_key_columns()
    for (table, _), record in changed.items():
        for column, value in record:
            for what, needle in forbidden.items():
                assert needle not in str(value), f"{what} found in {table}.{column}"
            if (table, column) in user_fks:
                assert value != alice.pk, f"the reporter's id is in {table}.{column}"
    seen = [row for (table, _), row in changed.items() if table == "chat_seenrequest"]
    [(_, _), (_, _), (_, expires)] = seen[0]
    assert expires % 3600 == 0, "the replay guard keeps only a whole hour"
    log_text = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    for what, needle in forbidden.items():
        if not what.startswith("time"):
            assert needle not in log_text, f"{what} found in the logs"
