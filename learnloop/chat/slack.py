"""Talking to Slack: verifying a request with slack-sdk's SignatureVerifier (the signing
secret, a 5-minute window) and refusing replays; answering through a response URL
(decisions/0181). No hand-written crypto: the signature is slack-sdk's; the replay guard keeps
a SHA-256 digest of the signature that was accepted."""

from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from slack_sdk.signature import SignatureVerifier

from learnloop.chat.models import SeenRequest, SlackWorkspace

RESPONSE_URL_PREFIXES = ("https://hooks.slack.com/",)
HOUR = 3600


def parse_form(body: bytes) -> dict[str, str]:
    """Slack's ``application/x-www-form-urlencoded`` body; the first value of each field."""
    try:
        pairs = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return {}
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


def verified_workspace(
    body: bytes, headers: Mapping[str, str], form: Mapping[str, str]
) -> SlackWorkspace | None:
    """The workspace the request comes from if its signature is valid, recent (5 minutes) and
    not seen before; otherwise None, having written nothing."""
    workspace = SlackWorkspace.objects.filter(slack_team_id=form.get("team_id", "")).first()
    if workspace is None:
        return None
    if not SignatureVerifier(workspace.signing_secret).is_valid_request(body, dict(headers)):
        return None
    signature = {k.lower(): v for k, v in headers.items()}.get("x-slack-signature", "")
    return workspace if _first_time(signature) else None


def _first_time(signature: str) -> bool:
    """Record the signature until the end of the hour after now (past any 5-minute window);
    False if it was already recorded. Ended entries are deleted on the way."""
    now = time.time()
    expires = (int(now) // HOUR + 2) * HOUR
    digest = hashlib.sha256(signature.encode()).hexdigest()
    with transaction.atomic():
        SeenRequest.objects.filter(expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                SeenRequest.objects.create(digest=digest, expires_at=expires)
        except IntegrityError:
            return False
    return True


def purge_seen() -> int:
    deleted, _ = SeenRequest.objects.filter(expires_at__lte=time.time()).delete()
    return deleted


def response_url_allowed(url: str) -> bool:
    prefixes = tuple(getattr(settings, "CHAT_RESPONSE_URL_PREFIXES", RESPONSE_URL_PREFIXES))
    return url.startswith(prefixes)


def post_response(url: str, message: dict[str, Any]) -> int | None:
    """POST ``message`` to a Slack response URL; the status, or None when there was no answer
    (an error here is raised for the job queue to retry)."""
    if not response_url_allowed(url):
        return None
    request = urllib.request.Request(
        url,
        data=json.dumps(message).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)
