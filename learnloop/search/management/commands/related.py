"""``learnloop related --jsonl [--limit N] [--team T]``: related suggestions for a batch of reports.

Standard input: one JSON object per line, ``{"id", "title", "description"}``. Standard output: one
line per query, ``{"id": ..., "ranked": [id, ...]}``, best first; each id is the item's external id
when it has one (an imported file's uuid), else ``<kind>:<id>``. An empty list means nothing passed
the confidence threshold. The command sees every document in the database (it is an operator
tool, like ``learnloop export``); ``--team`` restricts it to one team's documents.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from learnloop.accounts.models import Team
from learnloop.core.validation import id_or_none, looks_like_id
from learnloop.search import index
from learnloop.search.selectors import related_documents
from learnloop.search.sync import vendor


class Command(BaseCommand):
    help = "Related past incidents, reviews and lessons for JSON Lines queries on standard input."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jsonl", action="store_true", help="read JSON Lines (the only mode)")
        parser.add_argument("--limit", type=int, default=10, help="results per query (default 10)")
        parser.add_argument("--team", help="only this team's documents (slug, name or id)")
        parser.add_argument(
            "--scores", action="store_true", help="also write the confidences as 'scores'"
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="confidence cut-off 0..1 (default: the product's); 0 lists every candidate",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["jsonl"]:
            raise CommandError("use --jsonl: one JSON object per line on standard input")
        if opts["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        where, params = None, []
        if opts["team"]:
            team_id = _team_id(opts["team"])
            where, params = f"d.team_id = {index.placeholder(vendor())}", [team_id]
        out = self.stdout
        for lineno, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                query = json.loads(line)
                if not isinstance(query, dict):
                    raise ValueError("not a JSON object")
            except ValueError as exc:
                self.stderr.write(f"line {lineno}: skipped, invalid JSON ({exc})")
                continue
            found = related_documents(
                str(query.get("title") or ""),
                str(query.get("description") or ""),
                where=where,
                params=params,
                limit=opts["limit"],
                threshold=opts["threshold"],
            )
            row: dict[str, Any] = {
                "id": query.get("id"),
                "ranked": [f["external_id"] or f"{f['kind']}:{f['object_id']}" for f in found],
            }
            if opts["scores"]:
                row["scores"] = [f["confidence"] for f in found]
            out.write(json.dumps(row, ensure_ascii=False))
            out.flush()


def _team_id(value: str) -> int:
    from django.db.models import Q

    q = Q(slug=value) | Q(name=value)
    if looks_like_id(value):
        q |= Q(pk=id_or_none(value))
    ids = list(Team.objects.filter(q).values_list("pk", flat=True)[:2])
    if not ids:
        raise CommandError(f"no team {value!r}")
    if len(ids) > 1:
        raise CommandError(f"several teams match {value!r}; use the team id")
    return ids[0]
