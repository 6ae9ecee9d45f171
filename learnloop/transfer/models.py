"""What the transfer app keeps: each team's CSV column mapping per incident tool."""

from __future__ import annotations

from django.db import models

from learnloop.core.models import TimeStamped


class CsvMapping(TimeStamped):
    """The columns a team's exports from one tool use, remembered from its last import
    (decision 0192): ``columns`` maps an incident field to a column name of the file."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=20)
    columns = models.JSONField(default=dict)
    time_zone = models.CharField(max_length=64, default="UTC")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "format"], name="csv_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"CSV mapping of {self.team} for {self.format}"
