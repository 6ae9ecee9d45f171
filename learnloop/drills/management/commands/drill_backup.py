"""``learnloop drill_backup DRILL_ID FILE``: link the backup a restore test restored.

The file must be one ``learnloop backup`` wrote: its manifest is read and checked, and the
drill records the file's name, the manifest's time and the file's sha256."""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from learnloop.core.errors import ApplicationError
from learnloop.drills.models import Drill
from learnloop.drills.services import drill_link_backup
from learnloop.transfer.backup import BackupError, read_manifest


class Command(BaseCommand):
    help = "Link a backup made with `learnloop backup` to a restore-test drill."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("drill", type=int)
        parser.add_argument("file")

    def handle(self, *args: Any, drill: int, file: str, **options: Any) -> None:
        found = Drill.objects.filter(pk=drill).first()
        if found is None:
            raise CommandError(f"no drill {drill}", returncode=2)
        path = Path(file)
        try:
            with tarfile.open(path, "r:gz") as tar:
                manifest = read_manifest(tar)
        except (OSError, tarfile.TarError, BackupError) as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        try:
            drill_link_backup(
                drill=found,
                file_name=path.name,
                created_at=str(manifest.get("created_at", "")),
                sha256=digest,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=2) from None
        self.stdout.write(f"linked {path.name} ({digest[:12]}…) to drill {drill}")
