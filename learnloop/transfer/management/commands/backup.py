"""``learnloop backup --out FILE``: a consistent snapshot of the running install in one file."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from learnloop.transfer.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the database (a consistent snapshot, safe while the server runs) and the data "
        "dir's secret key and media to one .tar.gz file. See docs/import-export.md."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--out", required=True, help="the backup file to write, outside the data dir"
        )

    def handle(self, *args: Any, out: str, **options: Any) -> None:
        started = time.monotonic()
        try:
            summary = backup_create(out=Path(out))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        others = ", ".join(summary.members[1:]) or "no other files"
        self.stdout.write(
            f"backed up the {summary.engine} database and {others} to {summary.path} "
            f"({summary.size / 1e6:.2f} MB in {time.monotonic() - started:.1f} s)"
        )
