"""``learnloop import PATH... --team T``: Markdown files (corpus format) or a Learnloop JSON export.

Each file is imported all or nothing (its own savepoint); a bad file is reported as
``path:line: reason`` on standard error while the others import. Files are committed in groups
of ``FILES_PER_COMMIT`` (one commit, one search-index flush and one fsync per group instead of
per file; decision 0087). Once every group is committed, and if any file was written, the
planner statistics are refreshed as after ``learnloop seed`` (on PostgreSQL ``VACUUM (ANALYZE)``,
decision 0248). Exit status 1 if any file failed.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from learnloop.accounts.models import Organisation, Team
from learnloop.coach.signals import syncs_later as coach_syncs_later
from learnloop.core.bulk_load import refresh_after_bulk_load
from learnloop.core.errors import ApplicationError
from learnloop.core.models import Visibility
from learnloop.search.sync import vectors_later
from learnloop.transfer.json_import import import_json_file
from learnloop.transfer.markdown_import import (
    FileError,
    ImportResult,
    expand_paths,
    import_markdown_file,
    resolve_organisation,
    resolve_team,
)

DEFAULT_TEAM = "Imported"

#: Files per transaction. A crash (not a bad file: that one is rolled back alone) loses at most
#: the group being written; re-running the import updates what was kept and adds the rest.
FILES_PER_COMMIT = 50


class Command(BaseCommand):
    help = (
        "Import Markdown files with YAML front matter (files or directories, recursing into "
        "*.md) as historical published reviews into --team, or a learnloop.json export."
    )

    # Django's system checks load every URL module and API schema (2.6 s of CPU, a fifth of an
    # import of the corpus); an import needs none of them, and `serve`/`migrate` still run them.
    requires_system_checks: list[str] = []

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

    def _organisation(self, slug: str | None, *, create: bool) -> Organisation | None:
        """The target organisation. A JSON export into an install without one brings its own
        organisation (created by the import, with the export's name), so none is made here."""
        if not create and not slug and not Organisation.objects.exists():
            return None
        try:
            org, created = resolve_organisation(slug, create=create)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if created:
            self.stderr.write(f"Created organisation {org.name!r} (the install had none).")
        return org

    def _team(self, org: Organisation, name: str | None) -> Team:
        team_name = name or DEFAULT_TEAM
        if not name:
            self.stderr.write(f"No --team given: importing into {team_name!r}.")
        try:
            team, created = resolve_team(org, team_name)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if created:
            self.stderr.write(f"Created team {team.name!r} in {org.name}.")
        return team

    def handle(self, *args: Any, **options: Any) -> None:
        paths = expand_paths(options["paths"])
        if not paths:
            raise CommandError("No files to import (a directory is searched for *.md).")
        markdown = [p for p in paths if p.suffix.lower() != ".json"]
        org = self._organisation(options["organisation"], create=bool(markdown))
        team = self._team(org, options["team"]) if markdown and org is not None else None
        result = ImportResult()
        bar = tqdm(
            total=len(paths),
            desc="import",
            unit="file",
            file=sys.stderr,
            disable=options["no_progress"],
            dynamic_ncols=True,
        )
        # Each document is written when its group of files commits; the dense vectors of all of
        # them are computed afterwards, in batches, by the worker's ``search.embed`` job (decision
        # 0074), and so are the coach's flags of the published reviews (``coach.sync_reviews``,
        # decision 0087).
        with vectors_later() as later, coach_syncs_later():
            for start in range(0, len(paths), FILES_PER_COMMIT):
                with transaction.atomic():
                    org = self._import_all(
                        paths[start : start + FILES_PER_COMMIT],
                        bar,
                        result,
                        team=team,
                        org=org,
                        visibility=options["visibility"],
                    )
        bar.close()
        if result.created or result.updated:
            # After the last commit, outside any transaction: VACUUM runs only there.
            refresh_after_bulk_load()
        self.stdout.write(result.summary)
        if later:
            # A note for the person, on stderr: stdout keeps the one summary line scripts read.
            self.stderr.write(
                f"{len(set(later))} documents get their dense vectors from the background worker "
                "(`learnloop worker`, run by `learnloop serve`); until then related suggestions "
                "match them by their words."
            )
        if result.failed:
            sys.stdout.flush()
            raise SystemExit(1)

    def _import_all(
        self,
        paths: list[Any],
        bar: Any,
        result: ImportResult,
        *,
        team: Team | None,
        org: Any,
        visibility: str,
    ) -> Any:
        """Import ``paths`` (each file in its own savepoint); return the organisation."""
        for path in paths:
            bar.update(1)
            try:
                if path.suffix.lower() == ".json":
                    created, updated = import_json_file(path, organisation=org)
                    org = org or Organisation.objects.order_by("id").first()
                    result.created += created
                    result.updated += updated
                elif import_markdown_file(path, team=team, visibility=visibility):
                    result.created += 1
                else:
                    result.updated += 1
            except FileError as exc:
                result.failed += 1
                message = f"{path}:{exc.line}: {exc.reason}"
                result.errors.append(message)
                with tqdm.external_write_mode(file=sys.stderr):
                    self.stderr.write(message)
        return org
