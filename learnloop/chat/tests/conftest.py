"""Slash-command requests signed with slack-sdk's own SignatureVerifier, as Slack signs them."""

from __future__ import annotations

import itertools
import time
import urllib.parse
from typing import Any

import pytest
from django.test import Client
from slack_sdk.signature import SignatureVerifier

from learnloop.chat.models import SlackLink, SlackWorkspace
from learnloop.testing.builders import make_slack_workspace

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
URL = "/chat/slack/commands"
_triggers = itertools.count(1)


def signed_post(
    client: Client,
    fields: dict[str, str],
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    **extra: Any,
) -> Any:
    body = urllib.parse.urlencode(fields)
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return client.post(
        URL,
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_X_SLACK_REQUEST_TIMESTAMP=stamp,
        HTTP_X_SLACK_SIGNATURE=signature,
        **extra,
    )


def command(text: str, *, user_id: str = "U0ALICE", response_url: str = "") -> dict[str, str]:
    """A slash command's fields as Slack sends them (each with its own trigger id)."""
    return {
        "token": "deprecated",
        "team_id": "T0TESTWS",
        "team_domain": "acme",
        "channel_id": "C0GENERAL",
        "user_id": user_id,
        "user_name": "alice.s",
        "command": "/learnloop",
        "text": text,
        "response_url": response_url or "https://hooks.slack.com/commands/T0TESTWS/1/abc",
        "trigger_id": f"123.456.{next(_triggers)}",
    }


@pytest.fixture
def workspace(org) -> SlackWorkspace:
    return make_slack_workspace(org, signing_secret=SECRET)


@pytest.fixture
def linked(workspace, alice) -> SlackLink:
    return SlackLink.objects.create(workspace=workspace, slack_user_id="U0ALICE", user=alice)
