"""Issue 11 item 10: being made an action's owner or a review's participant, a publish and a
comment tell the people concerned, in the app and by email (real SMTP), as each one prefers."""

from __future__ import annotations

import json

import pytest

from learnloop.actions.services import action_create, action_update
from learnloop.core.errors import ApplicationError
from learnloop.notifications.delivery import preferences_update
from learnloop.notifications.models import Notification, NotificationPreference
from learnloop.reviews import comments
from learnloop.reviews import services as review_services
from learnloop.reviews.tests.conftest import shipped
from learnloop.tasks.worker import run_due_jobs


@pytest.fixture
def smtp(smtp_server, settings):
    settings.BASE_URL = "https://learnloop.example.org"
    return smtp_server


def _texts(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("text", flat=True))


def test_a_new_owner_is_told_in_the_app_and_by_email(
    smtp, alice, bob, alpha, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        action = action_create(
            actor=alice, team=alpha, title="Add a disk alert", owner=bob, due_date="2027-01-15"
        )
    assert _texts(bob) == [
        "Alice made you the owner of “Add a disk alert” (Alpha, due 15 Jan 2027)"
    ]
    assert run_due_jobs() == 1
    smtp.wait_for_count(1)
    [message] = smtp.messages
    assert message["To"] == "bob@example.org"
    assert str(message["Subject"]).strip().startswith("Alice made you the owner of")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"https://learnloop.example.org/actions/{action.pk}/" in body
    assert "https://learnloop.example.org/notifications/preferences/" in body
    assert _texts(alice) == []  # the person who assigned is not told


def test_handing_an_action_over_tells_the_new_owner_only(alice, bob, alpha) -> None:
    action = action_create(actor=bob, team=alpha, title="Runbook", owner=bob)
    assert _texts(bob) == []  # chose themselves
    action_update(actor=bob, action=action, version=1, owner=alice)
    assert _texts(alice) == ["Bob made you the owner of “Runbook” (Alpha)"]
    action_update(actor=bob, action=action, version=2, title="Runbook v2")
    assert len(_texts(alice)) == 1


def test_preferences_choose_in_app_only_or_off(
    smtp, alice, bob, alpha, django_capture_on_commit_callbacks
) -> None:
    NotificationPreference.objects.create(user=bob, kind="assigned", channel="in_app")
    with django_capture_on_commit_callbacks(execute=True):
        action_create(actor=alice, team=alpha, title="One", owner=bob)
    assert len(_texts(bob)) == 1 and run_due_jobs() == 0
    NotificationPreference.objects.filter(user=bob).update(channel="off")
    with django_capture_on_commit_callbacks(execute=True):
        action_create(actor=alice, team=alpha, title="Two", owner=bob)
    assert len(_texts(bob)) == 1 and run_due_jobs() == 0 and smtp.messages == []


def test_participants_hear_of_being_added_of_comments_and_of_publishing(alice, bob, alpha) -> None:
    review = review_services.review_create(
        actor=alice, template=shipped("experiment-review"), team=alpha, title="Pricing test"
    )
    review_services.review_set_participants(actor=alice, review=review, user_ids=[alice.pk, bob.pk])
    assert _texts(bob) == ["Alice added you to the review “Pricing test” (Alpha)"]
    comments.comment_add(actor=bob, review=review, body="Can we add the dates?")
    assert _texts(alice) == ["Bob commented on the review “Pricing test”"]
    review_services.review_publish(actor=alice, review=review)
    assert _texts(bob)[0] == "Alice published the review “Pricing test” (Alpha)"


def test_the_preferences_page_and_api_are_the_persons_own(client_for, bob, charlie) -> None:
    client = client_for(bob)
    page = client.get("/notifications/preferences/").content.decode()
    assert 'name="assigned" value="email" checked' in page
    assert 'name="comment" value="in_app" checked' in page
    saved = client.post(
        "/notifications/preferences/",
        {
            "assigned": "off",
            "participant": "email",
            "published": "in_app",
            "comment": "email",
            "reminder": "in_app",
            "survey": "in_app",
            "webhook": "email",
            "approval": "in_app",
        },
    )
    assert saved.status_code == 302
    bad = client.post("/notifications/preferences/", {"assigned": "pigeon"})
    assert bad.status_code == 400 and "Choose one of" in bad.content.decode()
    api = client.get("/api/notifications/preferences").json()
    assert api["assigned"] == "off" and api["comment"] == "email"
    assert client_for(charlie).get("/api/notifications/preferences").json()["assigned"] == "email"
    put = client.put(
        "/api/notifications/preferences",
        json.dumps({"published": "off"}),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["published"] == "off"
    wrong = client.put(
        "/api/notifications/preferences",
        json.dumps({"published": "loud"}),
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "published" in wrong.json()["error"]["fields"]
    assert client_for(charlie).get("/notifications/preferences/").status_code == 200


def test_an_unknown_kind_is_refused_and_nothing_is_saved(bob) -> None:
    # The model's ``kind`` has no choices (a new kind needs no migration): the service is the
    # guard, for every interface that saves preferences.
    with pytest.raises(ApplicationError) as refused:
        preferences_update(user=bob, values={"published": "off", "carrier-pigeon": "email"})
    assert refused.value.fields == {"carrier-pigeon": ["Unknown kind of notification."]}
    assert not NotificationPreference.objects.filter(user=bob).exists()
    assert NotificationPreference._meta.get_field("kind").choices is None
