"""Reads for the Slack integration: always within the person's own organisation."""

from __future__ import annotations

from typing import Any

from learnloop.accounts.models import User
from learnloop.chat.models import SlackWorkspace


def workspace_of(user: User) -> SlackWorkspace | None:
    """The Slack workspace of ``user``'s organisation, if one is set up."""
    if user.organisation_id is None:
        return None
    return SlackWorkspace.objects.filter(organisation_id=user.organisation_id).first()


def workspace_in_token(user: User, data: dict[str, Any] | None) -> SlackWorkspace | None:
    """The workspace a link token names, if it is ``user``'s organisation's."""
    workspace = workspace_of(user)
    if data is None or workspace is None or workspace.pk != data.get("w"):
        return None
    return workspace
