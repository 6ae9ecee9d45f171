"""The Slack slash command's configuration, the links between Slack users and members, and the
replay guard (decisions/0181)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from learnloop.core.models import TimeStamped


class SlackWorkspace(TimeStamped):
    """One Slack workspace per organisation: requests name it by ``team_id`` and are verified
    with its app's signing secret (stored as it is: verifying needs it; never shown again)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    slack_team_id = models.CharField(max_length=32, unique=True)
    signing_secret = models.CharField(max_length=200)
    # Reports from people in several teams go here when they name none (and are members).
    default_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    def __str__(self) -> str:
        return self.slack_team_id


class SlackLink(TimeStamped):
    """A member confirmed, signed in to Learnloop, that this Slack user is them."""

    workspace = models.ForeignKey(SlackWorkspace, on_delete=models.CASCADE, related_name="links")
    slack_user_id = models.CharField(max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="slack_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "slack_user_id"], name="chat_link_slack_user_once"
            ),
            models.UniqueConstraint(fields=["workspace", "user"], name="chat_link_member_once"),
        ]


class SeenRequest(models.Model):
    """A digest of each accepted request's signature until its replay window is surely over
    (the end of the clock hour after it; no finer time is kept), so a replay is refused."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.BigIntegerField(db_index=True)  # Unix time, a whole hour
