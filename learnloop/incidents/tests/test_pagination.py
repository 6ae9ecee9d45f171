"""Capped pagination counts (learnloop/core/pagination.py, docs/decisions/0072): exact below
the cap, "N+" above it, and "Next" still works past the counted rows."""

from __future__ import annotations

import pytest

from learnloop.core import pagination
from learnloop.core.pagination import CappedPaginator, capped_count
from learnloop.incidents.models import Incident
from learnloop.testing.builders import make_incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(alpha) -> None:
    for i in range(12):
        make_incident(alpha, title=f"Incident {i}", visibility="organisation")


def test_it_counts_exactly_below_the_cap(twelve) -> None:
    qs = Incident.objects.order_by("-created_at")
    assert capped_count(qs, 12) == (12, False)
    assert capped_count(qs, 11) == (11, True)
    assert capped_count(list(qs), 5) == (5, True)
    page = CappedPaginator(qs, 5, cap=100).get_page(1)
    assert page.paginator.count == 12 and not page.paginator.count_capped
    assert page.paginator.count_label == "12" and page.paginator.num_pages_label == "3"


def test_it_caps_the_count_and_keeps_next_available(twelve) -> None:
    qs = Incident.objects.order_by("-created_at")
    page = CappedPaginator(qs, 2, cap=4).get_page(2)
    assert page.paginator.count_capped and page.paginator.count_label == "4+"
    assert page.has_next() and page.paginator.num_pages_label == "2+"
    deep = CappedPaginator(qs, 2, cap=4).get_page(5)  # past the cap: counts up to that page
    assert deep.number == 5 and deep.has_next() and deep.paginator.count_label == "10+"
    last = CappedPaginator(qs, 2, cap=4).get_page(6)
    assert last.number == 6 and not last.has_next() and not last.paginator.count_capped
    assert [i.title for i in last.object_list] == ["Incident 1", "Incident 0"]


def test_it_shows_a_capped_count_on_web_lists_and_the_api(
    twelve, client_for, alice, monkeypatch
) -> None:
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    client = client_for(alice)
    body = client.get("/incidents/").content.decode()
    assert "(12 incidents)" in body  # 25 per page: the count up to the page is exact
    data = client.get("/api/incidents", {"page_size": 2}).json()
    assert (data["count"], data["count_capped"], len(data["items"])) == (5, True, 2)
    data = client.get("/api/incidents", {"page_size": 50}).json()
    assert (data["count"], data["count_capped"]) == (12, False)
    monkeypatch.setattr(pagination, "COUNT_CAP", 1)
    monkeypatch.setattr("learnloop.incidents.views.PAGE_SIZE", 1)
    body = client.get("/incidents/").content.decode()
    assert "Page 1 of 1+ (1+ incidents)" in body and "page=2" in body
