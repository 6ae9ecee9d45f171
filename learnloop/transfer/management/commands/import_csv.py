"""``learnloop import-csv FILE --format {pagerduty,incident-io,jira,generic} [--team T]
[--dry-run]``: incidents from an incident tool's CSV export (decision 0192).

Bad lines are reported as ``FILE:LINE: reason`` on standard error and nothing of them is
written; the good lines import. Exit status 1 if any line (or the file) was refused.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from learnloop.core.bulk_load import refresh_after_bulk_load
from learnloop.core.errors import ApplicationError
from learnloop.core.models import Visibility
from learnloop.transfer.csv_formats import FORMATS, TARGETS
from learnloop.transfer.csv_import import CsvFileError, csv_import
from learnloop.transfer.csv_mappings import mapping_for, mapping_save
from learnloop.transfer.markdown_import import resolve_organisation, resolve_team

DEFAULT_TEAM = "Imported"


class Command(BaseCommand):
    help = "Import incidents from a PagerDuty, incident.io, Jira or generic CSV export."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument(
            "--team", help=f"team name or slug, created if missing (default: {DEFAULT_TEAM!r})"
        )
        parser.add_argument("--organisation", help="organisation slug (default: the first one)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report; write nothing"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=f"use COLUMN for FIELD (one of {', '.join(TARGETS)}); saved for the team",
        )
        parser.add_argument(
            "--time-zone", help="zone of times written without an offset (default: saved, or UTC)"
        )
        parser.add_argument(
            "--encoding", help="the file's encoding (default: UTF-8, or UTF-16 by BOM)"
        )
        parser.add_argument(
            "--visibility",
            choices=[Visibility.ORGANISATION, Visibility.TEAM],
            default=Visibility.TEAM,
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        overrides = {}
        for item in opts["map"]:
            target, sep, column = item.partition("=")
            if not sep or target not in TARGETS:
                raise CommandError(
                    f"--map {item!r}: use FIELD=COLUMN, FIELD one of {', '.join(TARGETS)}"
                )
            overrides[target] = column
        try:
            org, _ = resolve_organisation(opts["organisation"], create=False)
            name = opts["team"] or DEFAULT_TEAM
            # A dry run creates no team: into a new one, every good line would be new.
            team = _existing_team(org, name) if opts["dry_run"] else resolve_team(org, name)[0]
            saved, saved_zone = mapping_for(team, opts["format"]) if team else ({}, "UTC")
            columns = {**saved, **overrides}
            time_zone = opts["time_zone"] or saved_zone
            report = csv_import(
                team=team or _scratch_team(org),
                data=data,
                format=opts["format"],
                mapping=columns,
                time_zone=time_zone,
                encoding=opts["encoding"],
                dry_run=opts["dry_run"],
                visibility=opts["visibility"],
            )
        except CsvFileError as exc:
            sys.stderr.write(f"{path}:{exc.line}: {exc.message.split(': ', 1)[1]}\n")
            raise SystemExit(1) from None
        except ApplicationError as exc:
            raise CommandError(exc.as_text()) from None
        for error in report.errors:
            sys.stderr.write(f"{path}:{error.line}: {error.message}\n")
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        if team is not None and not opts["dry_run"] and report.imported:
            mapping_save(
                team=team, format=opts["format"], columns=report.columns, time_zone=time_zone
            )
        if not opts["dry_run"] and (report.created or report.updated):
            # Committed (csv_import writes in its own transaction): fresh planner statistics,
            # as every bulk loader leaves them (decision 0248).
            refresh_after_bulk_load()
        verb = "would import" if opts["dry_run"] else "imported"
        self.stdout.write(
            f"{path}: {verb} {report.imported} of {report.rows} lines "
            f"({report.created} new, {report.updated} updated, {report.unchanged} unchanged); "
            f"{len(report.errors)} refused; times without an offset read in {time_zone}"
        )
        if report.errors:
            raise SystemExit(1)


def _existing_team(org: Any, name: str) -> Any:
    from learnloop.accounts.models import Team

    return (
        Team.objects.filter(organisation=org, slug=name).first()
        or Team.objects.filter(organisation=org, name__iexact=name).first()
    )


def _scratch_team(org: Any) -> Any:
    """A dry run into a team that does not exist yet: an unsaved team, so nothing is created."""
    from learnloop.accounts.models import Team

    return Team(organisation=org, name="(new team)", slug="new-team")
