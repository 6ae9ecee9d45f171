"""``learnloop blame FILE...``: run the blame coach on text or Markdown files.

A thin wrapper over :mod:`learnloop.coach.jsonl` so that the behaviour is the
same from the command line, pre-commit and tests. It never touches the database
(no system or migration checks), so it works in a bare checkout.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from learnloop.coach.jsonl import check_files, run_jsonl


class Command(BaseCommand):
    help = (
        "Flag blameful sentences in text or Markdown files. Exit 0: none, 1: findings, "
        "2: unreadable file. With --jsonl, read {'id','text'} lines on stdin."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", metavar="FILE", help="files to check")
        parser.add_argument(
            "--format", choices=("text", "json"), default="text", help="output format"
        )
        parser.add_argument(
            "--jsonl",
            action="store_true",
            help='read {"id": ..., "text": ...} per line on stdin, write one result per line',
        )
        parser.add_argument(
            "--names",
            default="",
            help="comma-separated member names, to recognise people exactly",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = [n.strip() for n in options["names"].split(",") if n.strip()]
        if options["jsonl"]:
            if options["files"]:
                sys.stderr.write("blame: --jsonl reads stdin; do not pass files\n")
                raise SystemExit(2)
            raise SystemExit(run_jsonl(sys.stdin, sys.stdout, sys.stderr, names=names))
        if not options["files"]:
            sys.stderr.write("usage: learnloop blame FILE... [--format text|json] | --jsonl\n")
            raise SystemExit(2)
        output, code = check_files(options["files"], options["format"], names=names)
        if output:
            sys.stdout.write(output)
            sys.stdout.flush()
        raise SystemExit(code)
