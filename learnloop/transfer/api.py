"""``POST /api/transfer/import-csv``: the CSV import for team admins (decision 0192)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ninja import Router, Schema

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import can_manage_team, teams_visible_to
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn, JsonInt
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.transfer.csv_import import csv_import
from learnloop.transfer.csv_mappings import mapping_for, mapping_save

router = Router(tags=["transfer"])


class CsvImportIn(BodyIn):
    team_id: JsonInt
    format: str
    content_base64: str
    mapping: dict[str, str] | None = None
    time_zone: str | None = None
    encoding: str | None = None
    dry_run: bool = False


class LineErrorOut(Schema):
    line: int
    message: str


class CsvImportOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    encoding: str
    time_zone: str
    columns: dict[str, str]
    errors: list[LineErrorOut]
    notes: list[str]
    preview: list[dict[str, str]]


@router.post("/import-csv", response={200: CsvImportOut, **errors(404, 413, 422)})
def import_csv(request: AuthedHttpRequest, payload: CsvImportIn) -> dict[str, Any]:
    """Check every line and import the good ones (nothing with ``dry_run``); refused lines come
    back in ``errors`` with their line numbers. Team admins only (others: 404)."""
    team = teams_visible_to(request.user).filter(pk=payload.team_id).first()
    if team is None or not isinstance(team, Team) or not can_manage_team(request.user, team):
        raise NotFound("No such team.")
    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ApplicationError(
            "The file could not be read.", fields={"content_base64": ["Not valid base64."]}
        ) from None
    saved, saved_zone = mapping_for(team, payload.format)
    columns = {**saved, **(payload.mapping or {})}
    time_zone = payload.time_zone or saved_zone
    report = csv_import(
        team=team,
        data=data,
        format=payload.format,
        mapping=columns,
        time_zone=time_zone,
        encoding=payload.encoding,
        dry_run=payload.dry_run,
    )
    if not payload.dry_run and report.imported:
        mapping_save(team=team, format=payload.format, columns=report.columns, time_zone=time_zone)
    return {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "dry_run": report.dry_run,
        "encoding": report.encoding,
        "time_zone": report.time_zone,
        "columns": report.columns,
        "errors": [{"line": e.line, "message": e.message} for e in report.errors],
        "notes": report.notes,
        "preview": report.preview,
    }
