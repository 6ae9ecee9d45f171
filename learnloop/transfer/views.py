"""The team admin's CSV import page (``/teams/<slug>/import-csv/``; decision 0192): choose the
tool and the file, preview the first lines with the column mapping and every refused line,
then import. The file travels with the form between preview and import (base64 in a hidden
field), so nothing is stored until the import."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import can_manage_team, teams_visible_to
from learnloop.core.errors import ApplicationError
from learnloop.transfer.csv_formats import FORMATS, TARGET_LABELS, TARGETS
from learnloop.transfer.csv_import import CsvReport, csv_import
from learnloop.transfer.csv_mappings import mapping_for, mapping_save

MAX_UPLOAD = 2 * 1024 * 1024  # the request guard refuses bodies over 2.5 MB; base64 grows 4/3


def _team(request: AuthedHttpRequest, slug: str) -> Team:
    team = get_object_or_404(teams_visible_to(request.user), slug=slug)
    if not can_manage_team(request.user, team):
        raise Http404("No such team")
    return team


def _file_bytes(request: AuthedHttpRequest) -> tuple[bytes | None, str]:
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size is not None and upload.size > MAX_UPLOAD:
            return None, "The file is over 2 MB; import it with `learnloop import-csv`."
        return upload.read(), ""
    carried = request.POST.get("content", "")
    if carried:
        try:
            return base64.b64decode(carried, validate=True), ""
        except (binascii.Error, ValueError):
            return None, "The file was lost between preview and import; choose it again."
    return None, "Choose a CSV file."


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    fmt = request.POST.get("format") or request.GET.get("format") or "generic"
    if fmt not in FORMATS:
        fmt = "generic"
    saved, saved_zone = mapping_for(team, fmt)
    context: dict[str, Any] = {
        "team": team,
        "formats": [(f.key, f.label) for f in FORMATS.values()],
        "format": fmt,
        "time_zone": request.POST.get("time_zone") or saved_zone,
        "error": "",
        "report": None,
        "content": "",
    }
    status = 200
    if request.method == "POST":
        data, problem = _file_bytes(request)
        # The mapping form sends every field ("" for none); without it, the saved mapping.
        posted = any(f"map_{t}" in request.POST for t in TARGETS)
        columns = {t: request.POST.get(f"map_{t}", "") for t in TARGETS} if posted else saved
        if data is None:
            context["error"], status = problem, 400
        else:
            doing_import = request.POST.get("action") == "import"
            try:
                report = csv_import(
                    team=team,
                    data=data,
                    format=fmt,
                    mapping=columns,
                    time_zone=context["time_zone"],
                    dry_run=not doing_import,
                )
            except ApplicationError as exc:
                context["error"], status = exc.message, 400
            else:
                if doing_import and report.imported:
                    mapping_save(
                        team=team,
                        format=fmt,
                        columns=report.columns,
                        time_zone=context["time_zone"],
                    )
                context.update(
                    report=report,
                    imported=doing_import,
                    content=base64.b64encode(data).decode(),
                    mapping_rows=_mapping_rows(report),
                )
    return render(request, "transfer/import_csv.html", context, status=status)


def _mapping_rows(report: CsvReport) -> list[dict[str, Any]]:
    return [
        {
            "target": t,
            "label": TARGET_LABELS[t],
            "column": report.columns.get(t, ""),
            "preview": [row.get(t, "") for row in report.preview],
        }
        for t in TARGETS
    ]
