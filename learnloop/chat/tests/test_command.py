"""``/learnloop`` over the real view: requests signed with slack-sdk, 401 for bad, old or
replayed signatures, the link flow, reports, help, and lessons answered through a real local
response URL."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from learnloop.chat.commands import ANON_NOTE
from learnloop.chat.models import SeenRequest, SlackLink
from learnloop.chat.tests.conftest import command, signed_post
from learnloop.incidents.models import Incident
from learnloop.tasks.models import Job
from learnloop.tasks.worker import run_due_jobs
from learnloop.testing.builders import make_lesson, make_slack_workspace, make_user

pytestmark = pytest.mark.django_db


def test_a_signed_report_files_a_named_incident(linked, alice, alpha):
    response = signed_post(Client(), command("report Disk full | The log volume filled up."))
    assert response.status_code == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    incident = Incident.objects.get()
    assert (incident.title, incident.description) == ("Disk full", "The log volume filled up.")
    assert incident.reporter == alice and incident.team == alpha and not incident.is_anonymous
    assert f"/incidents/{incident.pk}/|Disk full>" in body["text"]


def test_bad_old_and_replayed_signatures_get_401_and_nothing_happens(linked):
    text = command("report Disk full | It filled up.")
    assert signed_post(Client(), text, secret="not-the-secret-at-all").status_code == 401
    old = signed_post(Client(), text, timestamp=int(time.time()) - 6 * 60)
    assert old.status_code == 401 and old.json()["error"]["code"] == "unauthenticated"
    unknown = signed_post(Client(), {**text, "team_id": "T0OTHER"})
    assert unknown.status_code == 401
    unsigned = Client().post(
        "/chat/slack/commands", text, content_type="application/x-www-form-urlencoded"
    )
    assert unsigned.status_code == 401
    assert not Incident.objects.exists() and not SeenRequest.objects.exists()

    stamp = int(time.time())
    assert signed_post(Client(), text, timestamp=stamp).status_code == 200
    replay = signed_post(Client(), text, timestamp=stamp)
    assert replay.status_code == 401
    assert Incident.objects.count() == 1


def test_help_and_unknown_subcommands_answer_help(workspace):
    for text in ("help", "", "frobnicate now", "HELP"):
        response = signed_post(Client(), command(text, user_id="U0NOBODY"))
        assert response.status_code == 200
        assert "/learnloop report <title> | <what happened>" in response.json()["text"]
    assert not SlackLink.objects.exists()


def test_an_unknown_person_links_their_account_by_signing_in(
    workspace, alice, bob, mallory, client_for
):
    reply = signed_post(Client(), command("report Disk full | It filled up.", user_id="U0BOB"))
    text = reply.json()["text"]
    assert "link my account" in text and not Incident.objects.exists()
    path = text.split("<", 1)[1].split("|", 1)[0].split("testserver", 1)[-1]
    path = "/" + path.split("/", 3)[3] if path.startswith("http") else path
    assert client_for(mallory).get(path).status_code == 404, "another organisation's link"
    page = client_for(bob).get(path)
    assert page.status_code == 200 and "U0BOB" in page.content.decode()
    assert not SlackLink.objects.exists(), "nothing stored before confirming"
    assert client_for(bob).post(path).status_code == 302
    assert SlackLink.objects.get().user == bob
    again = signed_post(Client(), command("report Disk full | It filled up.", user_id="U0BOB"))
    assert "Thank you for reporting" in again.json()["text"]
    assert Incident.objects.get().reporter == bob
    assert client_for(bob).get("/chat/slack/link/not-a-token/").status_code == 404


def test_a_person_in_several_teams_names_one(org, workspace, alpha, beta):
    both = make_user("both@example.org", org, team=alpha)
    beta.memberships.create(user=both)
    SlackLink.objects.create(workspace=workspace, slack_user_id="U0BOTH", user=both)
    ask = signed_post(Client(), command("report Slow | Very slow.", user_id="U0BOTH"))
    assert "several teams" in ask.json()["text"] and not Incident.objects.exists()
    done = signed_post(Client(), command("report #beta Slow | Very slow.", user_id="U0BOTH"))
    assert "Filed for Beta" in done.json()["text"]
    assert Incident.objects.get().team == beta
    usage = signed_post(Client(), command("report no bar here", user_id="U0BOTH"))
    assert "Write it as" in usage.json()["text"]


def test_an_anonymous_report_says_slack_still_knows(linked):
    response = signed_post(Client(), command("anon Wrong server | I restarted the wrong one."))
    text = response.json()["text"]
    incident = Incident.objects.get()
    assert incident.is_anonymous and incident.reporter_id is None
    assert ANON_NOTE in text and "Slack itself still knows who typed" in text
    assert str(incident.pk) not in text and "/incidents/" not in text


def test_lessons_answer_through_the_response_url(
    linked, alice, alpha, beta, charlie, http_receiver, settings, django_capture_on_commit_callbacks
):
    settings.CHAT_RESPONSE_URL_PREFIXES = [http_receiver.url]
    make_lesson(alpha, actor=alice, statement="Renew TLS certificates a month before expiry")
    make_lesson(beta, actor=charlie, statement="Renew TLS certificates early (Beta's own)")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_post(
            Client(),
            command(
                "lessons TLS certificates expiry renew",
                response_url=http_receiver.url + "/commands/1",
            ),
        )
    assert response.status_code == 200 and "Looking for lessons" in response.json()["text"]
    assert http_receiver.requests == [], "the search runs in the job queue"
    job = Job.objects.get(name="chat.related_lessons")
    assert job.args["words"] == "TLS certificates expiry renew"
    run_due_jobs()
    http_receiver.wait_for_count(1)
    [request] = http_receiver.requests
    assert request.path == "/commands/1"
    message = json.loads(request.body)
    assert message["response_type"] == "ephemeral"
    assert "Renew TLS certificates a month before expiry" in message["text"]
    assert "/lessons/" in message["text"]
    assert "Beta's own" not in message["text"], "only lessons the person may see"


def test_a_response_url_elsewhere_is_not_called(linked, http_receiver, settings):
    from learnloop.chat.slack import post_response

    settings.CHAT_RESPONSE_URL_PREFIXES = ["https://hooks.slack.com/"]
    assert post_response(http_receiver.url + "/x", {"text": "hi"}) is None
    assert http_receiver.requests == []


def test_a_link_to_a_person_of_another_organisation_is_ignored(workspace, mallory):
    SlackLink.objects.create(workspace=workspace, slack_user_id="U0MAL", user=mallory)
    reply = signed_post(Client(), command("report X | Y.", user_id="U0MAL"))
    assert "link my account" in reply.json()["text"] and not Incident.objects.exists()


def test_workspaces_are_one_per_organisation(org, mallory):
    make_slack_workspace(org)
    with pytest.raises(Exception):  # noqa: B017 - the unique constraint
        make_slack_workspace(mallory.organisation)
