"""``learnloop blame FILE...`` as a Django management command.

The ``learnloop`` entry point runs :func:`learnloop.coach.jsonl.main` directly, before Django
starts, so the coach works as a pre-commit hook in any repository (no data folder, settings or
database); this command gives the same behaviour to ``call_command`` and ``learnloop help``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from learnloop.coach import jsonl


class Command(BaseCommand):
    help = (
        "Flag blameful sentences in text or Markdown files. Exit 0: none, 1: findings, "
        "2: unreadable file. With --jsonl, read {'id','text'} lines on stdin."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        jsonl.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        raise SystemExit(
            jsonl.run(
                files=options["files"],
                format=options["format"],
                jsonl=options["jsonl"],
                names=options["names"],
            )
        )
