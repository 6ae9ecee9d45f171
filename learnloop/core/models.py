"""Shared abstract models.

:class:`TeamOwned` carries the one visibility rule of Learnloop: every piece of content belongs
to a team and is either team-private or organisation-visible. Queries go through
``Model.objects.visible_to(user)``; views use :func:`learnloop.accounts.visibility.get_visible_or_404`.
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


class VisibleQuerySet(models.QuerySet):
    """QuerySet with ``visible_to(user)``; the filter lives in accounts.visibility."""

    team_field = "team"

    def visible_to(self, user):  # noqa: ANN001, ANN201 - returns Self
        from learnloop.accounts.visibility import visible_q

        return self.filter(visible_q(user, team_field=self.team_field))


class TeamOwned(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.TEAM
    )

    objects = VisibleQuerySet.as_manager()

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
