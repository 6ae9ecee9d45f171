"""Shared models: the visibility values, timestamps and tags.

The visibility *rule* and the ``TeamOwned`` base that carries it live in the accounts app
(``accounts/visibility.py``): core imports no other app (docs/decisions/0019).
"""

from __future__ import annotations

from django.db import models


class Visibility(models.TextChoices):
    TEAM = "team", "Team only"
    ORGANISATION = "organisation", "Whole organisation"


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Tag(models.Model):
    """A free-form label shared by incidents, lessons and later debriefs and experiments."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="core_tag_unique")
        ]

    def __str__(self) -> str:
        return self.name
