"""The campaigns page is paginated (decision 0245): at most a page of campaigns, newest first,
every campaign reachable through Next/Previous, the change column still beside the team's
previous campaign across a page boundary, a bad page number clamped, and a constant number of
queries however many campaigns there are."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from learnloop.core.models import Visibility
from learnloop.drills.views import PAGE_SIZE
from learnloop.testing.builders import make_campaign

START = dt.date(2026, 1, 1)


def _names(html: str) -> list[str]:
    return re.findall(r"<tr><td>(Wave \d+)", html)


def _waves(team, n: int, **fields) -> None:
    for i in range(n):
        # Wave i reported i + 5 of 100: each wave's rate is 1 point above the one before.
        make_campaign(
            team,
            name=f"Wave {i}",
            ran_on=START + dt.timedelta(days=i),
            reported=i + 5,
            clicked=1,
            ignored=94 - i,
            **fields,
        )


def test_the_page_shows_a_page_of_campaigns_and_the_rest_through_next(
    client_for, bob, alpha
) -> None:
    total = PAGE_SIZE + 5
    _waves(alpha, total)
    c = client_for(bob)
    first = c.get("/drills/campaigns/").content.decode()
    assert _names(first) == [f"Wave {i}" for i in range(total - 1, total - 1 - PAGE_SIZE, -1)]
    assert 'href="?page=2">Next</a>' in first and "Previous" not in first
    # The oldest row of page 1 is compared with its predecessor, which is on page 2.
    assert first.count("+1 pts") == PAGE_SIZE
    second = c.get("/drills/campaigns/", {"page": 2}).content.decode()
    assert _names(second) == [f"Wave {i}" for i in range(4, -1, -1)]
    assert 'href="?page=1">Previous</a>' in second and "Next</a>" not in second
    assert set(_names(first)) | set(_names(second)) == {f"Wave {i}" for i in range(total)}


def test_a_bad_page_number_is_clamped_never_a_500(client_for, bob, alpha) -> None:
    _waves(alpha, PAGE_SIZE + 1)
    c = client_for(bob)
    for bad in ("abc", "-1", "0", "99999999999", "1.5"):
        response = c.get("/drills/campaigns/", {"page": bad})
        assert response.status_code == 200, bad
        assert _names(response.content.decode()), bad


def test_another_teams_private_campaigns_are_neither_shown_nor_compared(
    client_for, charlie, alpha
) -> None:
    make_campaign(alpha, name="Wave 0", ran_on=START, reported=2, clicked=1, ignored=17)
    make_campaign(
        alpha,
        name="Wave 1",
        ran_on=START + dt.timedelta(days=1),
        reported=10,
        clicked=1,
        ignored=9,
        visibility=Visibility.ORGANISATION,
    )
    html = client_for(charlie).get("/drills/campaigns/").content.decode()
    assert _names(html) == ["Wave 1"]
    assert " pts" not in html  # Wave 0 is alpha's private campaign: no change against it


def test_the_page_runs_the_same_queries_for_few_or_many_campaigns(client_for, bob, alpha) -> None:
    c = client_for(bob)
    _waves(alpha, 3)
    c.get("/drills/campaigns/")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        c.get("/drills/campaigns/")
    _waves(alpha, 3 * PAGE_SIZE)
    with CaptureQueriesContext(connection) as many:
        html = c.get("/drills/campaigns/").content.decode()
    assert len(_names(html)) == PAGE_SIZE
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
