"""Notifications: the recipient's own only, in the web UI and the API; dedupe by key."""

from __future__ import annotations

import pytest

from learnloop.accounts.services import api_token_create
from learnloop.notifications.models import Notification
from learnloop.notifications.services import notification_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(bob) -> Notification:
    return notification_create(recipient=bob, text="Due tomorrow: Add alert", url="/actions/1/")


def test_it_dedupes_by_key(bob) -> None:
    assert notification_create(recipient=bob, text="a", key="k1") is not None
    assert notification_create(recipient=bob, text="again", key="k1") is None
    assert notification_create(recipient=bob, text="no key") is not None
    assert notification_create(recipient=bob, text="no key") is not None
    assert Notification.objects.count() == 3


def test_it_truncates_long_text(bob) -> None:
    assert len(notification_create(recipient=bob, text="x" * 400).text) == 300


def test_it_lists_and_opens_a_notification(client_for, bob, note) -> None:
    client = client_for(bob)
    response = client.get("/notifications/")
    assert response.status_code == 200 and response.context["unread"] == 1
    assert "Due tomorrow: Add alert" in response.content.decode()
    response = client.post(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/actions/1/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.get("/notifications/?show=unread").context["page"].paginator.count == 0


def test_it_marks_all_read(client_for, bob, note) -> None:
    notification_create(recipient=bob, text="second")
    client_for(bob).post("/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_it_never_redirects_off_site(client_for, bob) -> None:
    n = notification_create(recipient=bob, text="x", url="https://evil.example/")
    response = client_for(bob).post(f"/notifications/{n.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_the_bell_shows_the_unread_count(rf, bob, note) -> None:
    from django.template import Context, Template

    request = rf.get("/")
    request.user = bob
    html = Template("{% load notifications_tags %}{% notification_bell %}").render(
        Context({"request": request})
    )
    assert 'data-unread="1"' in html and "1 unread" in html


def test_the_bell_counts_up_to_its_cap_and_the_page_counts_all(rf, bob, client_for) -> None:
    """Decision 0240: the bell on every page reads at most BELL_CAP + 1 unread rows and says
    "99+" beyond; the notifications page and the API still give the exact count."""
    from django.template import Context, Template

    from learnloop.notifications.selectors import BELL_CAP, bell_count, unread_count

    def bell() -> str:
        request = rf.get("/")
        request.user = bob
        return Template("{% load notifications_tags %}{% notification_bell %}").render(
            Context({"request": request})
        )

    Notification.objects.bulk_create(
        Notification(recipient=bob, text=f"n{i}") for i in range(BELL_CAP)
    )
    assert bell_count(user=bob) == BELL_CAP
    assert f'data-unread="{BELL_CAP}"' in bell() and f"{BELL_CAP} unread" in bell()
    Notification.objects.bulk_create(Notification(recipient=bob, text=f"m{i}") for i in range(51))
    assert bell_count(user=bob) == BELL_CAP + 1
    assert unread_count(user=bob) == BELL_CAP + 51
    html = bell()
    assert f'data-unread="{BELL_CAP}+"' in html and f"{BELL_CAP}+ unread" in html
    assert client_for(bob).get("/notifications/").context["unread"] == BELL_CAP + 51


@pytest.mark.parametrize("who", ["alice", "charlie", "mallory"])
def test_others_never_see_or_change_my_notifications(
    client_for, client, who, request, note
) -> None:
    user = request.getfixturevalue(who)
    web = client_for(user)
    assert "Add alert" not in web.get("/notifications/").content.decode()
    assert web.post(f"/notifications/{note.pk}/open/").status_code == 404
    web.post("/notifications/read-all/")
    _, raw = api_token_create(user=user, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/notifications", **auth).json()["count"] == 0
    assert client.post(f"/api/notifications/{note.pk}/read", **auth).status_code == 404
    client.post("/api/notifications/read-all", **auth)
    note.refresh_from_db()
    assert note.read_at is None


def test_the_api_lists_and_marks_read(client, bob, note) -> None:
    notification_create(recipient=bob, text="second")
    _, raw = api_token_create(user=bob, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = client.get("/api/notifications?unread=true&page_size=1", **auth).json()
    assert body["count"] == 2 and len(body["items"]) == 1
    assert client.get("/api/notifications/unread-count", **auth).json() == {"unread": 2}
    response = client.post(f"/api/notifications/{note.pk}/read", **auth)
    assert response.status_code == 200 and response.json()["read_at"]
    assert client.post("/api/notifications/read-all", **auth).json() == {"marked": 1}
    assert client.get("/api/notifications?unread=true", **auth).json()["count"] == 0
    assert client.get("/api/notifications", **auth).json()["count"] == 2


def test_pages_need_sign_in(client, note) -> None:
    assert client.get("/notifications/").status_code == 302
    assert client.get("/api/notifications").status_code == 401


def test_the_bell_without_unread_has_no_badge(rf, bob) -> None:
    """Built in Python since decision 0179: the same bytes as the template it replaced."""
    from django.template import Context, Template

    request = rf.get("/")
    request.user = bob
    html = Template("{% load notifications_tags %}{% notification_bell %}").render(
        Context({"request": request})
    )
    assert html.startswith('<a href="/notifications/" class="bell" aria-label="Notifications">')
    assert html.endswith("</svg></a>\n") and "badge" not in html
