"""An anonymous share from a journal is as unlinkable as an anonymous report (decisions/0010,
0171): after a signed-in person shares a learning anonymously through the real view (real
session, IP address, user agent, the default file cache), nothing in the database rows the
request created or changed, the cache files, the data dir or the logs links the lesson to the
person — nor to the journal entry, whose row changes only in its bare "shared anonymously" mark.
"""

from __future__ import annotations

import logging

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from learnloop.incidents.tests.test_anonymous import (
    IP,
    dump_database,
    files_under,
    user_foreign_key_columns,
)
from learnloop.journal import services
from learnloop.lessons.models import Lesson
from learnloop.testing.builders import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def file_cache(settings, tmp_path):
    location = tmp_path / "cache"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(location),
        },
    }
    location.mkdir()
    return location


def test_an_anonymous_share_leaves_nothing_that_links_it_to_its_author_or_entry(
    bob, alpha, caplog, file_cache
) -> None:
    entry = services.entry_create(
        actor=bob,
        framework_key="gibbs",
        title="The pallet mix-up",
        answers={"description": "I swapped two pallets.", "conclusion": "Label both ends."},
    )
    client = Client(REMOTE_ADDR=IP)
    assert client.post("/login/", {"username": bob.email, "password": PASSWORD}).status_code == 302
    assert client.get(f"/journal/{entry.pk}/share/").status_code == 200
    session_key = client.session.session_key
    assert session_key

    from learnloop.search import dense

    if dense.enabled():  # load the encoder first: the share's own embedding writes no file
        dense.encode(["warm-up"])
    before = dump_database()
    cache_before = files_under(file_cache)
    data_dir_before = files_under(django_settings.DATA_DIR)
    now = timezone.now()
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            f"/journal/{entry.pk}/share/",
            {
                "statement": "Label pallets on both ends.",
                "context": "Two pallets looked alike from the aisle.",
                "team": str(alpha.pk),
                "visibility": "team",
                "tags": "dispatch, brand-new-share-tag",
                "anonymous": "on",
                "action": "share",
            },
            HTTP_USER_AGENT="Mozilla/5.0 bob-laptop",
        )
        landing = client.get(response["Location"])
    after = dump_database()
    assert response.status_code == 302 and response["Location"] == "/journal/shared/"
    assert landing.status_code == 200 and not any(ch.isdigit() for ch in response["Location"])
    # Neither request is in the access log (named shares are left out too).
    assert response.wsgi_request.META.get("learnloop.not_in_access_log") is True
    assert landing.wsgi_request.META.get("learnloop.not_in_access_log") is True

    lesson = Lesson.objects.get()
    assert lesson.is_anonymous and lesson.created_by_id is None and lesson.pk < 0

    changed = {key: row for key, row in after.items() if before.get(key) != row}
    tables = {table for table, _ in changed}
    assert "lessons_lesson" in tables
    assert "django_session" not in tables, "the session must not be touched"
    # The entry's row changes in one column, the bare mark: no lesson id, no time, no version.
    entry_rows = [(k, row) for k, row in changed.items() if k[0] == "journal_entry"]
    assert len(entry_rows) == 1
    old = dict(before[entry_rows[0][0]])
    new = dict(entry_rows[0][1])
    assert {c for c in new if new[c] != old[c]} == {"shared_anonymously"}
    assert new["shared_lesson_id"] is None
    # Nothing the lesson's rows hold names the entry (no id column, no title).
    lesson_rows = [row for (table, _), row in changed.items() if table.startswith("lessons_")]
    assert all("journal" not in column for row in lesson_rows for column, _ in row)

    hhmm = {f"{now:%H:%M}", f"{timezone.localtime(now):%H:%M}"}
    if "00:00" in hhmm:
        pytest.skip("run at midnight: the rounded date looks like the exact time")
    forbidden = {
        "email": bob.email,
        "name": bob.name,
        "session key": session_key,
        "IP address": IP,
        "user agent": "bob-laptop",
        "entry title": entry.title,
        **{f"time {t}": t for t in hhmm},
    }
    user_fks = user_foreign_key_columns()
    for (table, _), record in changed.items():
        if table == "journal_entry":
            continue  # the author's own row, checked above
        for column, value in record:
            for what, needle in forbidden.items():
                assert needle not in str(value), f"{what} found in {table}.{column}"
            if (table, column) in user_fks:
                assert value != bob.pk, f"the author's id is in {table}.{column}"

    assert files_under(file_cache) == cache_before, "the share wrote to the cache"
    data_dir_after = files_under(django_settings.DATA_DIR)
    for name in set(data_dir_before) | set(data_dir_after):
        if "sqlite3" in name:
            continue  # the database itself, dumped above
        if name.startswith("models/") and "minilm-" in name:
            # The dense model rewritten from the package, made once per data dir by whichever
            # test process embeds text first (another xdist worker may do it meanwhile): its
            # bytes are a function of the package alone.
            continue
        assert data_dir_before.get(name) == data_dir_after.get(name), name

    log_text = "\n".join(
        f"{r.name} {r.getMessage()} {r.args!r} {getattr(r, 'request', '')!r}"
        for r in caplog.records
    )
    for what, needle in {
        **forbidden,
        "user id": f"user {bob.pk}",
        "lesson id": str(lesson.pk),
        "lesson text": "Label pallets",
    }.items():
        if what.startswith("time"):
            continue  # log records carry their own time; the share's time is the secret here
        assert needle not in log_text, f"{what} found in the logs"
