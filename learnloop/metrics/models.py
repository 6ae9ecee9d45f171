"""Repeat incidents, computed ahead by a daily job (the related engine is costly).

Nothing here holds a person or a time that an anonymous report does not already show: a
check's key *is* its incident (no sequence of its own), a match has a random id outside the
sequence and no time, and only incidents reported before the scan day's midnight (UTC) are
checked, so a check bounds a report's date no closer than the day it already keeps
(decision 0213)."""

from __future__ import annotations

from django.db import models

from learnloop.core.ids import random_negative_id


class RepeatCheck(models.Model):
    """This incident was compared with the past incidents of its organisation."""

    incident = models.OneToOneField(
        "incidents.Incident", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )


class RepeatMatch(models.Model):
    """A past incident the related engine ranked above its threshold for ``incident``."""

    id = models.BigIntegerField(primary_key=True, default=random_negative_id, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    past = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    confidence = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "past"], name="repeat_match_once")
        ]


class RepeatScan(models.Model):
    """When an organisation's incidents were last compared: the page's "as of"."""

    organisation = models.OneToOneField(
        "accounts.Organisation", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    as_of = models.DateTimeField()
