"""Writes for the Slack integration: the organisation's workspace settings, and linking a
Slack user to a member (decisions/0181)."""

from __future__ import annotations

import re
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction

from learnloop.accounts.models import Team, User
from learnloop.chat.models import SlackLink, SlackWorkspace
from learnloop.chat.selectors import workspace_in_token
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.validation import text_problem
from learnloop.core.versioning import claim_version, require_version

LINK_SALT = "learnloop.chat.link"
LINK_MAX_AGE = 30 * 60  # a link token works for half an hour
_TEAM_ID = re.compile(r"^T[A-Z0-9]{2,30}$")


def _clean(data: dict[str, Any], organisation_id: int) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "slack_team_id" in data:
        data["slack_team_id"] = str(data["slack_team_id"] or "").strip().upper()
        if not _TEAM_ID.match(data["slack_team_id"]):
            errors["slack_team_id"] = ["The workspace id starts with T, e.g. T0123ABCD."]
    if "signing_secret" in data:
        secret = str(data["signing_secret"] or "").strip()
        data["signing_secret"] = secret
        if text_problem(secret) or not 16 <= len(secret) <= 200 or " " in secret:
            errors["signing_secret"] = ["Paste the app's signing secret (Basic Information)."]
    if data.get("default_team") is not None:
        team = data["default_team"]
        if not isinstance(team, Team) or team.organisation_id != organisation_id:
            errors["default_team"] = ["Choose a team of the organisation."]
    return errors


def workspace_save(*, actor: User, version: Any = None, **values: Any) -> SlackWorkspace:
    """Create or change the organisation's Slack workspace (organisation admins only). The
    signing secret is required when creating; left out or empty when changing, it is kept."""
    if not actor.is_org_admin or actor.organisation_id is None:
        raise NotFound()
    org_id = actor.organisation_id
    current = SlackWorkspace.objects.filter(organisation_id=org_id).first()
    if current is not None and not values.get("signing_secret"):
        values.pop("signing_secret", None)
    errors = _clean(values, org_id)
    if current is None and "signing_secret" not in values:
        errors["signing_secret"] = ["Paste the app's signing secret (Basic Information)."]
    if errors:
        raise ApplicationError("The Slack settings were not saved.", fields=errors)
    try:
        with transaction.atomic():
            if current is None:
                return SlackWorkspace.objects.create(
                    organisation_id=org_id, created_by=actor, **values
                )
            current.version = claim_version(
                SlackWorkspace,
                pk=current.pk,
                version=require_version(version),
                message="Someone else changed the Slack settings meanwhile.",
                submitted={k: v for k, v in values.items() if k != "signing_secret"},
                saved=lambda w: {"slack_team_id": w.slack_team_id, "default_team": w.default_team},
            )
            for name, value in values.items():
                setattr(current, name, value)
            current.save()
            return current
    except IntegrityError:
        raise ApplicationError(
            "Another organisation uses this Slack workspace.",
            fields={"slack_team_id": ["Already connected to another organisation."]},
        ) from None


def workspace_delete(*, actor: User) -> None:
    if not actor.is_org_admin or actor.organisation_id is None:
        raise NotFound()
    SlackWorkspace.objects.filter(organisation_id=actor.organisation_id).delete()


def link_token(workspace: SlackWorkspace, slack_user_id: str, slack_user_name: str) -> str:
    """A signed, short-lived token for the link page (no database row until confirmed)."""
    data = {"w": workspace.pk, "u": slack_user_id, "n": slack_user_name[:80]}
    return signing.dumps(data, salt=LINK_SALT, compress=True)


def read_link_token(token: str) -> dict[str, Any] | None:
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


def link_confirm(*, actor: User, token: str) -> SlackLink:
    """Link the Slack user in ``token`` to ``actor``, who is signed in (so their email is the
    verified one). Replaces an earlier link of either side in that workspace."""
    data = read_link_token(token)
    workspace = workspace_in_token(actor, data)
    if data is None or workspace is None:
        raise NotFound("This link has expired or is not for your organisation.")
    with transaction.atomic():
        SlackLink.objects.filter(workspace=workspace, slack_user_id=data["u"]).delete()
        SlackLink.objects.filter(workspace=workspace, user=actor).delete()
        return SlackLink.objects.create(
            workspace=workspace, slack_user_id=str(data["u"]), user=actor
        )


def link_delete(*, actor: User) -> int:
    deleted, _ = SlackLink.objects.filter(user=actor).delete()
    return deleted
