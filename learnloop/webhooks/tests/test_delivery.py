"""Webhooks delivered over real HTTP to a local receiver, which checks every signature with the
``standardwebhooks`` reference library; retries, give-up and turning an endpoint off."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from learnloop.actions.services import action_create, action_set_status
from learnloop.incidents.services import incident_create
from learnloop.notifications.models import Notification
from learnloop.tasks.models import Job
from learnloop.tasks.worker import run_due_jobs
from learnloop.testing.builders import make_lesson, make_user, make_webhook_endpoint
from learnloop.webhooks.models import Delivery, Endpoint
from learnloop.webhooks.services import endpoint_rotate_secret, endpoint_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Queue what the last write queued, then run every job that is due (as the worker does)."""

    def go(write=None):
        with django_capture_on_commit_callbacks(execute=True):
            result = write() if write else None
        with django_capture_on_commit_callbacks(execute=True):
            run_due_jobs()
        return result

    return go


def retry_now() -> None:
    """Make the queued retries due now (instead of waiting for their backoff)."""
    Job.objects.filter(status="queued").update(run_at=timezone.now())


def verified(secret: str, request) -> Any:
    return Webhook(secret).verify(request.body, request.headers)


def test_a_report_is_delivered_signed_and_verified(
    alice, bob, alpha, http_receiver, django_capture_on_commit_callbacks, run
):
    endpoint = make_webhook_endpoint(alpha, url=http_receiver.url + "/hook")
    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_create(actor=bob, title="Disk full", description="The log volume.")
    assert http_receiver.requests == [], "nothing is sent in the request that filed it"
    run()
    http_receiver.wait_for_count(1)
    [request] = http_receiver.requests
    message = verified(endpoint.secret, request)
    assert message["type"] == "incident.reported"
    assert message["data"]["id"] == incident.pk
    assert message["data"]["title"] == "Disk full"
    assert message["data"]["reporter"] == {"id": bob.pk, "name": bob.name}
    assert message["data"]["team"]["slug"] == alpha.slug
    assert request.path == "/hook"
    assert request.headers["content-type"] == "application/json"
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.message_id == request.headers["webhook-id"]
    # Another secret does not verify it.
    with pytest.raises(WebhookVerificationError):
        Webhook(make_webhook_endpoint(alpha).secret).verify(request.body, request.headers)


def test_a_500_is_retried_with_the_same_id_and_then_delivered(alice, alpha, http_receiver, run):
    endpoint = make_webhook_endpoint(alpha, url=http_receiver.url)
    http_receiver.answers = [500]
    run(lambda: endpoint_test(actor=alice, endpoint=endpoint))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("retrying", 1, 500)
    assert "HTTP 500" in delivery.error
    retry = Job.objects.get(name="webhooks.deliver", status="queued")
    assert retry.run_at > timezone.now() + dt.timedelta(seconds=20)  # backoff: not before 30 s
    assert retry.args == {"delivery_id": delivery.pk}
    run()
    assert len(http_receiver.requests) == 1, "a retry waits for its time"
    retry_now()
    run()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 200)
    first, second = http_receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.message_id
    assert verified(endpoint.secret, second)["type"] == "webhook.test"
    endpoint.refresh_from_db()
    assert endpoint.failures_in_row == 0


def test_timeouts_and_redirects_fail_the_attempt_and_are_retried(
    alice, alpha, http_receiver, run, settings
):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.3
    endpoint = make_webhook_endpoint(alpha, url=http_receiver.url)
    http_receiver.answers = [("sleep", 1.5), ("redirect", http_receiver.url + "/elsewhere")]
    run(lambda: endpoint_test(actor=alice, endpoint=endpoint))
    delivery = Delivery.objects.get()
    assert delivery.status == "retrying" and "No answer within 0.3 seconds" in delivery.error
    retry_now()
    run()
    delivery.refresh_from_db()
    assert delivery.status == "retrying" and delivery.response_status == 302
    assert "redirect" in delivery.error
    assert [r.path for r in http_receiver.requests] == ["/", "/"], "the redirect is not followed"
    retry_now()
    run()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)


def test_repeated_failure_gives_up_turns_the_endpoint_off_and_tells_its_admins(
    alice, bob, alpha, http_receiver, run, settings
):
    settings.WEBHOOKS_RETRY_DELAYS = [30, 60]  # three attempts per message
    settings.WEBHOOKS_DISABLE_AFTER = 5
    http_receiver.default_status = 503
    endpoint = make_webhook_endpoint(alpha, url=http_receiver.url, created_by=alice)
    run(lambda: endpoint_test(actor=alice, endpoint=endpoint))
    for _ in range(3):
        retry_now()
        run()
    first = Delivery.objects.get()
    assert (first.status, first.attempts, first.next_attempt_at) == ("failed", 3, None)
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failures_in_row == 3

    run(lambda: endpoint_test(actor=alice, endpoint=endpoint))
    for _ in range(3):
        retry_now()
        run()
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "5 failed attempts in a row" in endpoint.disabled_reason
    assert "HTTP 503" in endpoint.disabled_reason
    second = Delivery.objects.exclude(pk=first.pk).get()
    assert (second.status, second.attempts) == ("failed", 2), "no retry once it is off"
    assert len(http_receiver.requests) == 5
    [notice] = Notification.objects.filter(recipient=alice)
    assert "turned off" in notice.text and notice.url == endpoint.get_absolute_url()
    assert not Notification.objects.filter(recipient=bob).exists(), "only its admins"
    # Off means nothing more is queued for it.
    with_events = make_lesson(alpha, actor=alice)
    assert with_events and Delivery.objects.count() == 2


def test_a_rotated_secret_signs_beside_the_old_one_until_the_grace_ends(
    alice, alpha, http_receiver, run
):
    endpoint = make_webhook_endpoint(alpha, url=http_receiver.url)
    old = endpoint.secret
    endpoint, new = endpoint_rotate_secret(actor=alice, endpoint=endpoint)
    assert new != old and endpoint.secret == new
    run(lambda: endpoint_test(actor=alice, endpoint=endpoint))
    [request] = http_receiver.requests
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert verified(old, request)["type"] == "webhook.test"  # receivers not switched yet
    assert verified(new, request)["type"] == "webhook.test"  # receivers already switched

    Endpoint.objects.filter(pk=endpoint.pk).update(
        previous_secret_until=timezone.now() - dt.timedelta(seconds=1)
    )
    run(lambda: endpoint_test(actor=alice, endpoint=endpoint))
    later = http_receiver.requests[1]
    assert verified(new, later)
    with pytest.raises(WebhookVerificationError):
        verified(old, later)


def test_organisation_endpoints_hear_only_organisation_visible_events(
    org, alice, alpha, beta, charlie, http_receiver, run
):
    boss = make_user("boss@example.org", org, is_org_admin=True)
    endpoint = make_webhook_endpoint(
        None, organisation=org, url=http_receiver.url, events=["lesson.created"], created_by=boss
    )
    run(lambda: make_lesson(alpha, actor=alice, statement="Private to Alpha"))
    run(
        lambda: make_lesson(
            beta, actor=charlie, statement="Shared by Beta", visibility="organisation"
        )
    )
    http_receiver.wait_for_count(1)
    [request] = http_receiver.requests
    assert verified(endpoint.secret, request)["data"]["statement"] == "Shared by Beta"
    assert Delivery.objects.count() == 1


def test_the_domain_events_reach_the_endpoints_that_chose_them(alice, bob, alpha, beta, charlie):
    events = ["action.assigned", "action.done", "lesson.created", "review.published"]
    ours = make_webhook_endpoint(alpha, events=events)
    theirs = make_webhook_endpoint(beta, events=events)
    action = action_create(actor=alice, team=alpha, title="Add a canary", owner=bob)
    action_set_status(actor=bob, action=action, status="done")
    action_set_status(actor=bob, action=action, status="done")  # already done: no second event
    make_lesson(alpha, actor=alice)
    incident_create(actor=bob, title="Not chosen", description="x")  # not subscribed
    got = list(ours.deliveries.order_by("id").values_list("event", flat=True))
    assert got == ["action.assigned", "action.done", "lesson.created"]
    assert not theirs.deliveries.exists(), "another team's endpoint hears nothing of Alpha"
    payload = ours.deliveries.get(event="action.assigned").payload
    assert payload["data"]["owner"] == {"id": bob.pk, "name": bob.name}
    assert json.dumps(payload)  # plain JSON


def test_overdue_actions_are_announced_once(alice, bob, alpha):
    from learnloop.webhooks.jobs import announce

    endpoint = make_webhook_endpoint(alpha, events=["action.overdue"])
    late = action_create(
        actor=alice,
        team=alpha,
        title="Rotate keys",
        owner=bob,
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )
    action_create(actor=alice, team=alpha, title="Later", due_date=timezone.localdate())
    assert announce() == 1
    assert announce() == 0
    [delivery] = endpoint.deliveries.all()
    assert delivery.event == "action.overdue" and delivery.payload["data"]["id"] == late.pk


def test_closing_a_deliverable_is_announced(alice, alpha):
    from learnloop.debriefs.services import deliverable_set_status
    from learnloop.testing.builders import make_deliverable

    endpoint = make_webhook_endpoint(alpha, events=["deliverable.closed"])
    deliverable = make_deliverable(alpha, owner=alice, created_by=alice, title="Checkout v2")
    deliverable_set_status(actor=alice, deliverable=deliverable, status="closed")
    deliverable_set_status(actor=alice, deliverable=deliverable, status="closed")  # no change
    [delivery] = endpoint.deliveries.all()
    assert delivery.event == "deliverable.closed"
    assert delivery.payload["data"]["title"] == "Checkout v2"
    assert delivery.payload["data"]["closed_at"]


def test_deciding_an_experiment_is_announced(alice, alpha):
    from learnloop.experiments import approvals
    from learnloop.experiments.learning import learning_card_create
    from learnloop.testing.builders import make_experiment

    endpoint = make_webhook_endpoint(alpha, events=["experiment.decided"])
    card = make_experiment(alpha, created_by=alice, title="Self-serve onboarding")
    approvals.experiment_submit(actor=alice, experiment=card)
    approvals.experiment_start(actor=alice, experiment=card)
    text = {"observed": "14 of 20 booked a call", "learned": "People want a human first"}
    learning_card_create(actor=alice, experiment=card, decision="persevere", **text)
    assert not endpoint.deliveries.exists(), "persevering decides nothing"
    learning_card_create(actor=alice, experiment=card, decision="stop", **text)
    [delivery] = endpoint.deliveries.all()
    assert delivery.event == "experiment.decided"
    data = delivery.payload["data"]
    assert data["title"] == "Self-serve onboarding" and data["decision"] == "stop"
    assert data["stopped_on_data"] is True and data["decided_at"]
    assert data["team"]["slug"] == alpha.slug
