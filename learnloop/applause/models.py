"""Applause: one emoji reaction of one person on one item (decisions/0142)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Emoji(models.TextChoices):
    CLAP = "clap", "👏"
    TADA = "tada", "🎉"
    BULB = "bulb", "💡"
    PRAY = "pray", "🙏"
    HEART = "heart", "❤️"
    ROCKET = "rocket", "🚀"


EMOJI_NAMES = {
    "clap": "applause",
    "tada": "celebration",
    "bulb": "insight",
    "pray": "thanks",
    "heart": "love",
    "rocket": "launch",
}


class Reaction(models.Model):
    """``kind`` + ``object_id`` name the item (a registered reactable kind); ``team`` is the
    item's team and ``recipient`` whose work it is, copied when the reaction is made, so the
    recognition spread counts without joining every kind of item."""

    kind = models.CharField(max_length=24)
    object_id = models.BigIntegerField()
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applause_received",
    )
    emoji = models.CharField(max_length=16, choices=Emoji.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applause_given"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "emoji", "user"], name="reaction_one_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="reaction_item"),
            models.Index(fields=["team", "created_at"], name="reaction_team_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_emoji_display()} on {self.kind}:{self.object_id}"
