"""The anonymity test extended to webhooks (decisions/0010, 0180): filing an anonymous report
through the real view, with an endpoint listening, writes no delivery, no job and nothing else
of the webhooks; the report is announced the next day in a batch whose message, job arguments
and delivery log carry nothing the report page does not show, and its rounded time."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from learnloop.incidents.models import Incident
from learnloop.incidents.tests.test_anonymous import IP, dump_database, user_foreign_key_columns
from learnloop.tasks.models import Job
from learnloop.tasks.worker import run_due_jobs
from learnloop.testing.builders import PASSWORD, make_webhook_endpoint
from learnloop.webhooks.jobs import announce
from learnloop.webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def test_an_anonymous_report_reaches_webhooks_next_day_unlinkable(
    bob, alpha, http_receiver, caplog, django_capture_on_commit_callbacks
):
    endpoint = make_webhook_endpoint(alpha, url=http_receiver.url)
    client = Client(REMOTE_ADDR=IP)
    assert client.post("/login/", {"username": bob.email, "password": PASSWORD}).status_code == 302
    client.get("/incidents/new/")
    session_key = client.session.session_key
    before = dump_database()
    now = timezone.now()
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/incidents/new/",
            {
                "title": "I restarted the wrong server",
                "description": "The runbook named two hosts alike.",
                "tags": "runbook",
                "kind": "mistake",
                "visibility": "team",
                "anonymous": "on",
            },
            HTTP_USER_AGENT="Mozilla/5.0 bob-laptop",
        )
    assert response.status_code == 302
    after = dump_database()
    changed_tables = {table for (table, _), row in after.items() if before.get((table, _)) != row}
    assert not {t for t in changed_tables if t.startswith(("webhooks_", "tasks_"))}, (
        "filing wrote webhook or job rows, which would date it"
    )
    assert not Delivery.objects.exists() and not Job.objects.exists()

    # Today's reports wait; the next day's hourly check announces them.
    assert announce() == 0
    incident = Incident.objects.get()
    Incident.objects.filter(pk=incident.pk).update(
        created_at=F("created_at") - dt.timedelta(days=1),
        updated_at=F("updated_at") - dt.timedelta(days=1),
    )
    incident.refresh_from_db()
    before = dump_database()
    with caplog.at_level(logging.DEBUG):
        with django_capture_on_commit_callbacks(execute=True):
            assert announce() == 1
        with django_capture_on_commit_callbacks(execute=True):
            run_due_jobs()
    assert announce() == 0, "announced once"
    after = dump_database()

    http_receiver.wait_for_count(1)
    [request] = http_receiver.requests
    message = Webhook(endpoint.secret).verify(request.body, request.headers)
    data = message["data"]
    assert data["anonymous"] is True and data["reporter"] is None
    assert data["id"] == incident.pk < 0
    created = dt.datetime.fromisoformat(data["created_at"])
    assert (created.hour, created.minute, created.second, created.microsecond) == (0, 0, 0, 0)
    assert message["timestamp"] == data["created_at"], "the message's time is the rounded one"
    assert set(data) == {
        "id", "url", "team", "title", "description", "kind", "severity", "tags", "visibility",
        "anonymous", "reporter", "started_at", "detected_at", "acknowledged_at", "resolved_at",
        "created_at",
    }  # fmt: skip

    delivery = Delivery.objects.get()
    assert delivery.payload == message
    [job] = Job.objects.filter(name="webhooks.deliver")
    assert job.args == {"delivery_id": delivery.pk}

    hhmm = {f"{now:%H:%M}", f"{timezone.localtime(now):%H:%M}"}
    forbidden = {
        "email": bob.email,
        "name": bob.name,
        "session key": session_key,
        "IP address": IP,
        "user agent": "bob-laptop",
    }
    texts = {
        "message": request.body.decode(),
        "headers": json.dumps(request.headers),
        "job args": json.dumps(job.args),
        "delivery log": json.dumps(delivery.payload),
    }
    for where, text in texts.items():
        for what, needle in forbidden.items():
            assert needle not in text, f"{what} found in the {where}"
        for t in hhmm - {"00:00"}:
            assert f"T{t}" not in text, f"the report's time {t} found in the {where}"
    user_fks = user_foreign_key_columns()
    for (table, key), record in after.items():
        if before.get((table, key)) == record:
            continue
        for column, value in record:
            for what, needle in forbidden.items():
                assert needle not in str(value), f"{what} found in {table}.{column}"
            if (table, column) in user_fks:
                assert value != bob.pk, f"the reporter's id is in {table}.{column}"
    log_text = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    for what, needle in forbidden.items():
        assert needle not in log_text, f"{what} found in the logs"
