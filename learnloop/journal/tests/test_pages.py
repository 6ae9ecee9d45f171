"""The journal list and an entry's page read only what they show (decision 0079): a page of
list rows without counting the entries, no lesson join, a bounded number of queries whatever
the journal's size. Query counts, not timings (speed is measured by benchmarks/loadtest.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learnloop.journal import services
from learnloop.journal.models import Entry
from learnloop.journal.views import PAGE_SIZE
from learnloop.testing.builders import make_incident


def _write(user: Any, n: int, start: int = 0) -> list[Entry]:
    return [
        services.entry_create(
            actor=user,
            framework_key="gibbs",
            title=f"Entry number {i}",
            answers={"description": f"What happened the {i}th time."},
            tags=["on-call"] if i % 2 else [],
        )
        for i in range(start, start + n)
    ]


def _titles(html: str) -> list[str]:
    return re.findall(r">(Entry number \d+)</a>", html)


def _journal_queries(c: Any, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    return len(sql), [s for s in sql if '"journal_' in s]


def test_the_list_pages_newest_first_with_links_to_each_entry(client_for, bob) -> None:
    entries = _write(bob, PAGE_SIZE + 2)
    c = client_for(bob)
    first = c.get("/journal/").content.decode()
    newest = [f"Entry number {i}" for i in range(PAGE_SIZE + 1, 1, -1)]
    assert _titles(first) == newest
    for entry in entries[2:]:
        assert f'<a href="{reverse("journal:detail", args=[entry.pk])}">' in first
    assert 'href="?page=2">Older</a>' in first and "Newer" not in first
    second = c.get("/journal/?page=2").content.decode()
    assert _titles(second) == ["Entry number 1", "Entry number 0"]
    assert 'href="?page=1">Newer</a>' in second and "Older" not in second
    # Past the last page: the last page (as before); an unreadable page: the first.
    assert _titles(c.get("/journal/?page=40").content.decode()) == _titles(second)
    assert _titles(c.get("/journal/?page=x1").content.decode()) == newest
    # A search lists matching rows the same way.
    found = c.get("/journal/", {"q": "number 7"}).content.decode()
    assert _titles(found) == ["Entry number 7"]
    assert f'<a href="{reverse("journal:detail", args=[entries[7].pk])}">' in found


@pytest.mark.parametrize("small,large", [(1, PAGE_SIZE + 5)])
def test_the_list_reads_its_rows_the_reminder_and_the_menu_and_counts_nothing(
    client_for, bob, small: int, large: int
) -> None:
    _write(bob, small)
    c = client_for(bob)
    total_small, journal_small = _journal_queries(c, "/journal/")
    _write(bob, large - small, start=small)
    total_large, journal_large = _journal_queries(c, "/journal/")
    assert total_large == total_small
    # One query each for the page of rows, the reminder and the framework menu; no COUNT.
    assert len(journal_large) == 3, journal_large
    assert not any("COUNT(" in s for s in journal_large)
    rows = next(s for s in journal_large if 'FROM "journal_entry"' in s)
    assert '"journal_entry"."answers"' not in rows and '"journal_entry"."prompts"' not in rows
    menu = next(s for s in journal_large if 'FROM "journal_framework"' in s)
    assert '"journal_framework"."prompts"' not in menu


def test_an_entrys_page_reads_the_entry_once_without_its_lesson(client_for, bob, alpha) -> None:
    incident = make_incident(alpha, title="Checkout broke")
    entry = services.entry_create(
        actor=bob,
        framework_key="gibbs",
        title="About checkout",
        answers={"description": "It *broke*.", "feelings": "Worried."},
        link=f"incident:{incident.pk}",
    )
    c = client_for(bob)
    total, journal = _journal_queries(c, f"/journal/{entry.pk}/")
    assert len(journal) == 1 and '"lessons_lesson"' not in journal[0]
    with CaptureQueriesContext(connection) as ctx:
        html = c.get(f"/journal/{entry.pk}/").content.decode()
    incident_sql = [
        q["sql"] for q in ctx.captured_queries if 'FROM "incidents_incident"' in q["sql"]
    ]
    assert len(incident_sql) == 1 and '"incidents_incident"."description"' not in incident_sql[0]
    assert "Checkout broke" in html and "<em>broke</em>" in html
    assert len(ctx.captured_queries) == total


def test_the_lists_rows_menu_and_reminder_are_each_persons_own(client_for, alice, bob) -> None:
    """The list's three reads are compiled once and run with each person's id (decision 0183):
    what one person sees never comes from the other's run, in either order."""
    from learnloop.journal import selectors

    _write(bob, 3)
    services.entry_create(
        actor=alice, framework_key="gibbs", title="Alice's own", answers={}, tags=["x & y"]
    )
    services.framework_create(actor=bob, name="Bob's frame", description="", prompts=["Why?"])
    services.reminder_set(actor=bob, weekday=2)
    for first, second in [(alice, bob), (bob, alice), (alice, bob)]:
        for user in (first, second):
            page = selectors.entry_page(user=user, number=1, size=PAGE_SIZE)
            expected = list(
                selectors.entries_of(user).values(*selectors.LIST_FIELDS)[: PAGE_SIZE + 1]
            )
            assert [{k: r[k] for k in selectors.LIST_FIELDS} for r in page.rows] == expected
            menu = [f["name"] for f in selectors.framework_menu(user)]
            assert ("Bob's frame" in menu) == (user == bob)
            assert selectors.reminder_weekday(user) == (2 if user == bob else None)
    html = client_for(alice).get("/journal/").content.decode()
    assert "Alice&#x27;s own" in html and "x &amp; y" in html and "Entry number" not in html
    assert "Bob&#x27;s frame" not in html and "Weekly reminder</a>: off" in html


def test_the_api_list_counts_only_after_a_full_page_and_its_counts_are_exact(
    client_for, bob, alice
) -> None:
    """Decision 0239: a page that is not full gives the count itself (the rows before it and
    on it); a full page or one past the end counts as every API list does."""
    _write(bob, 7)
    _write(alice, 2)
    c = client_for(bob)
    expected = {  # query → (count, items, whether the count query runs)
        "": (7, 7, False),
        "?page_size=3": (7, 3, True),
        "?page_size=3&page=3": (7, 1, False),
        "?page_size=7": (7, 7, True),
        "?page_size=3&page=4": (7, 0, True),
    }
    for query, (count, items, counted) in expected.items():
        with CaptureQueriesContext(connection) as ctx:
            body = c.get(f"/api/journal/entries{query}").json()
        assert (body["count"], len(body["items"]), body["count_capped"]) == (count, items, False)
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
        assert len(counts) == (1 if counted else 0), query
    assert client_for(alice).get("/api/journal/entries").json()["count"] == 2
    ids = [e["id"] for e in c.get("/api/journal/entries?page_size=3&page=2").json()["items"]]
    assert (
        ids
        == list(
            Entry.objects.filter(author=bob)
            .order_by("-created_at", "-id")
            .values_list("id", flat=True)
        )[3:6]
    )


def test_the_api_lists_entries_are_the_bytes_ninja_writes_for_each_entry(
    client_for, bob, alpha
) -> None:
    """Decision 0247: the list writes its items itself (``api.rows``), not through pydantic and
    ninja's encoder; each item is the very text the entry's own answer (written by ninja from
    ``JournalEntryOut``) is, for entries with markup, non-ASCII text, quotes and escapes, a link,
    an anonymous share, prompts without ``help`` or with extra keys, and no answers."""
    import json

    weird = 'a <b> & "q" \'s {{ x }} é 日本 \u2028 🎉 \\ back\nline\ttab'
    entries = _write(bob, 3)
    entries.append(
        services.entry_create(
            actor=bob,
            framework_key="gibbs",
            title=weird[:60],
            answers={"description": weird, "feelings": weird},
            tags=["ü-tag", "<t>", "x&y"],
            link=f"incident:{make_incident(team=alpha, title='Inbox').pk}",
        )
    )
    Entry.objects.filter(pk=entries[0].pk).update(shared_anonymously=True)
    Entry.objects.filter(pk=entries[1].pk).update(
        prompts=[{"label": "L<", "key": "k1", "extra": 3}, {"key": "k2", "label": "ü"}],
        answers={},
        tags=[],
    )
    c = client_for(bob)
    response = c.get("/api/journal/entries?page_size=2&page=1")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    listed = [c.get("/api/journal/entries?page_size=2&page=2"), response]
    items = [item for r in listed for item in r.json()["items"]]
    assert len(items) == 4
    for item in items:
        own = c.get(f"/api/journal/entries/{item['id']}").content.decode()
        assert json.dumps(item) == own
    # The page around the items: ninja's field order and separators, nothing more.
    text = response.content.decode()
    assert text.startswith('{"items": [{"id": ') and text.endswith(
        '], "count": 4, "count_capped": false, "page": 1, "page_size": 2}'
    )
