"""Shared models: the visibility values, timestamps and tags.

The visibility *rule* and the ``TeamOwned`` base that carries it live in the accounts app
(``accounts/visibility.py``): core imports no other app (docs/decisions/0019).
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


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
            # One tag per name ignoring case (decisions/0015); learnloop/core/tags.py is the rule.
            models.UniqueConstraint(Lower("name"), "organisation", name="core_tag_name_ci_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RateLimitWindow(models.Model):
    """The random key of one rate-limit window of one scope (see :mod:`learnloop.core.ratelimit`).

    Counters are keyed by an HMAC under this key; the row is deleted once the window has passed,
    after which nobody, not even with ``SECRET_KEY``, can tell whose counter was whose.
    """

    scope = models.CharField(max_length=80)
    seconds = models.PositiveIntegerField()
    window = models.BigIntegerField()  # floor(epoch seconds / seconds): no finer time than that
    ends_at = models.BigIntegerField(db_index=True)  # epoch seconds at the window's end
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "seconds", "window"], name="core_ratelimitwindow_unique"
            )
        ]


class RateLimitCount(models.Model):
    """How many attempts one (unnamed) subject made in one window: a digest and a count only."""

    digest = models.CharField(max_length=64, primary_key=True)
    ends_at = models.BigIntegerField(db_index=True)
    count = models.PositiveIntegerField()
