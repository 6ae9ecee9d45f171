"""The page cache's data version (decision 0076): one counter row per organisation, plus row 0
for writes that name no organisation. No time, no person: see ``web/data_version.py``."""

from __future__ import annotations

from django.db import models


class PageVersion(models.Model):
    """How many write transactions touched ``scope`` (an organisation's id, or 0 for "any
    organisation"). Bumped inside the writing transaction; read once per cached request."""

    scope = models.BigIntegerField(
        primary_key=True, help_text="An organisation's id, or 0 for writes that name none."
    )
    counter = models.BigIntegerField(default=0)

    class Meta:
        db_table = "web_pageversion"

    def __str__(self) -> str:
        return f"scope {self.scope}: {self.counter}"
