"""``learnloop reindex``: rebuild the search index from the database.

Normally never needed (signals keep the index in step inside each write's transaction); use it
after changing the failure-mechanism lexicon, or to recover from a manual database edit.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from learnloop.search.sync import KINDS, reindex


class Command(BaseCommand):
    help = "Rebuild the search index (incidents, reviews, lessons) from the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", choices=KINDS, help="only these kinds")

    def handle(self, *args: Any, **opts: Any) -> None:
        counts = reindex(opts["kind"] or KINDS)
        for kind, n in counts.items():
            self.stdout.write(f"{kind}: {n} indexed")
