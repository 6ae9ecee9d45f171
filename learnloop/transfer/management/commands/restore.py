"""``learnloop restore FILE [--force]``: put a backup back into an empty data dir or database."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from learnloop.transfer.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a `learnloop backup` file into this install (LEARNLOOP_DATA_DIR / "
        "DATABASE_URL). Refuses a database that is not empty unless --force. Stop the server "
        "first."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", metavar="FILE", help="a file written by `learnloop backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already has tables (everything in it is lost)",
        )

    def handle(self, *args: Any, file: str, force: bool, **options: Any) -> None:
        started = time.monotonic()
        try:
            summary = backup_restore(archive=Path(file), force=force)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        action = "replaced the database with" if summary.replaced else "restored"
        self.stdout.write(
            f"{action} the backup of {summary.created_at} ({summary.engine}) "
            f"in {time.monotonic() - started:.1f} s"
        )
        for note in summary.notes:
            self.stderr.write(f"note: {note}")
