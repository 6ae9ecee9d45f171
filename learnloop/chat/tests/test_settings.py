"""The Slack settings page and API: organisation admins configure, everyone sees their own
link, nobody reads the signing secret back."""

from __future__ import annotations

import json

import pytest

from learnloop.chat.models import SlackLink, SlackWorkspace
from learnloop.testing.builders import make_slack_workspace, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(org):
    return make_user("boss@example.org", org, is_org_admin=True)


def test_an_organisation_admin_configures_slack(boss, alpha, client_for):
    client = client_for(boss)
    page = client.get("/chat/").content.decode()
    assert "/chat/slack/commands" in page
    saved = client.post(
        "/chat/",
        {"slack_team_id": "t0acme", "signing_secret": "a" * 32, "default_team": alpha.pk},
    )
    assert saved.status_code == 302
    workspace = SlackWorkspace.objects.get()
    assert (workspace.slack_team_id, workspace.default_team) == ("T0ACME", alpha)
    assert "a" * 32 not in client.get("/chat/").content.decode()
    # Changing without a secret keeps it.
    client.post("/chat/", {"slack_team_id": "T0ACME", "signing_secret": "", "version": 1})
    workspace.refresh_from_db()
    assert workspace.signing_secret == "a" * 32 and workspace.version == 2
    bad = client.post("/chat/", {"slack_team_id": "nope", "signing_secret": "short"})
    assert bad.status_code == 400 and "starts with T" in bad.content.decode()


def test_members_see_only_their_own_link_and_cannot_configure(org, alice, bob, client_for):
    workspace = make_slack_workspace(org)
    SlackLink.objects.create(workspace=workspace, slack_user_id="U0BOB", user=bob)
    assert "U0BOB" in client_for(bob).get("/chat/").content.decode()
    assert "U0BOB" not in client_for(alice).get("/chat/").content.decode()
    assert client_for(alice).post("/chat/", {"slack_team_id": "T0X"}).status_code == 404
    assert client_for(bob).post("/chat/slack/unlink/").status_code == 302
    assert not SlackLink.objects.exists()


def test_the_api_writes_the_secret_and_never_reads_it(boss, alice, mallory, client_for, org):
    client = client_for(boss)
    body = {"slack_team_id": "T0ACME", "signing_secret": "b" * 40}
    put = client.put("/api/chat/slack", json.dumps(body), content_type="application/json")
    assert put.status_code == 200 and "signing_secret" not in put.json()
    assert client.get("/api/chat/slack").json()["slack_team_id"] == "T0ACME"
    for person in (alice, mallory):
        assert client_for(person).get("/api/chat/slack").status_code == 404
    stale = client.put(
        "/api/chat/slack",
        json.dumps({"slack_team_id": "T0ACME", "version": 7}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    taken = client_for(mallory).put(
        "/api/chat/slack",
        json.dumps({"slack_team_id": "T0ACME", "signing_secret": "c" * 40}),
        content_type="application/json",
    )
    assert taken.status_code == 400 and "slack_team_id" in taken.json()["error"]["fields"]
    assert client_for(alice).get("/api/chat/link").status_code == 404
    assert client.delete("/api/chat/slack").status_code == 204
    assert not SlackWorkspace.objects.filter(organisation=org).exists()
