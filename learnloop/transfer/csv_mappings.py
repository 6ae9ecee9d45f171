"""Reading and saving a team's CSV column mapping (one per team and tool)."""

from __future__ import annotations

from collections.abc import Mapping

from learnloop.accounts.models import Team
from learnloop.transfer.csv_formats import FORMATS, TARGETS
from learnloop.transfer.models import CsvMapping


def mapping_for(team: Team, format: str) -> tuple[dict[str, str], str]:
    """The team's saved columns for ``format`` (else the preset's) and its time zone."""
    saved = CsvMapping.objects.filter(team=team, format=format).first()
    preset = dict(FORMATS[format].columns) if format in FORMATS else {}
    if saved is None:
        return preset, "UTC"
    columns = {t: str(c) for t, c in saved.columns.items() if t in TARGETS}
    return columns, saved.time_zone


def mapping_save(*, team: Team, format: str, columns: Mapping[str, str], time_zone: str) -> None:
    CsvMapping.objects.update_or_create(
        team=team,
        format=format,
        defaults={
            "columns": {t: c for t, c in columns.items() if t in TARGETS},
            "time_zone": time_zone,
        },
    )
