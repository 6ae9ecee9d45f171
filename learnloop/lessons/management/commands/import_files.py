"""``learnloop import PATH... --team T``: Markdown files (corpus format) or a Learnloop JSON export.

Each file is imported in its own transaction; a bad file is reported as ``path:line: reason``
on standard error while the others import. Exit status 1 if any file failed.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from learnloop.core.errors import ApplicationError
from learnloop.core.models import Visibility
from learnloop.lessons.importing import (
    FileError,
    ImportResult,
    expand_paths,
    import_markdown_file,
    resolve_organisation,
    resolve_team,
)
from learnloop.lessons.transfer import import_json_file

DEFAULT_TEAM = "Imported"


class Command(BaseCommand):
    help = (
        "Import Markdown files with YAML front matter (files or directories, recursing into "
        "*.md) as historical published reviews into --team, or a learnloop.json export."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--team", help=f"team name or slug, created if missing (default: {DEFAULT_TEAM!r})"
        )
        parser.add_argument("--organisation", help="organisation slug (default: the first one)")
        parser.add_argument(
            "--visibility",
            choices=[Visibility.ORGANISATION, Visibility.TEAM],
            default=Visibility.TEAM,
            help="who can see imported reviews and incidents (default: team)",
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = expand_paths(options["paths"])
        if not paths:
            raise CommandError("No files to import (a directory is searched for *.md).")
        try:
            org, org_created = resolve_organisation(options["organisation"], create=True)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if org_created:
            self.stderr.write(f"Created organisation {org.name!r} (the install had none).")
        markdown = [p for p in paths if p.suffix.lower() != ".json"]
        team = None
        if markdown:
            team_name = options["team"] or DEFAULT_TEAM
            if not options["team"]:
                self.stderr.write(f"No --team given: importing into {team_name!r}.")
            try:
                team, created = resolve_team(org, team_name)
            except ApplicationError as exc:
                raise CommandError(exc.message) from None
            if created:
                self.stderr.write(f"Created team {team.name!r} in {org.name}.")
        result = ImportResult()
        bar = tqdm(
            paths,
            desc="import",
            unit="file",
            file=sys.stderr,
            disable=options["no_progress"],
            dynamic_ncols=True,
        )
        for path in bar:
            try:
                if path.suffix.lower() == ".json":
                    created, updated = import_json_file(path, organisation=org)
                    result.created += created
                    result.updated += updated
                elif import_markdown_file(path, team=team, visibility=options["visibility"]):
                    result.created += 1
                else:
                    result.updated += 1
            except FileError as exc:
                result.failed += 1
                message = f"{path}:{exc.line}: {exc.reason}"
                result.errors.append(message)
                with tqdm.external_write_mode(file=sys.stderr):
                    self.stderr.write(message)
        bar.close()
        self.stdout.write(result.summary)
        if result.failed:
            sys.stdout.flush()
            raise SystemExit(1)
