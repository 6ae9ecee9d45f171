"""``learnloop export --out DIR [--team T]``: DIR/learnloop.json and DIR/reviews/<id>.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from learnloop.accounts.models import Team
from learnloop.core.errors import ApplicationError
from learnloop.transfer.json_export import write_export
from learnloop.transfer.markdown_import import resolve_organisation


class Command(BaseCommand):
    help = "Export teams, incidents, reviews, actions and lessons as JSON plus Markdown per review."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, help="directory to write (created if missing)")
        parser.add_argument("--team", help="only this team (name or slug)")
        parser.add_argument("--organisation", help="organisation slug (default: the first one)")

    def handle(
        self, *args: Any, out: str, team: str | None, organisation: str | None, **options: Any
    ) -> None:
        try:
            org, _ = resolve_organisation(organisation)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        chosen = None
        if team:
            chosen = (
                Team.objects.filter(organisation=org, slug=team).first()
                or Team.objects.filter(organisation=org, name__iexact=team).first()
            )
            if chosen is None:
                raise CommandError(f"No team {team!r} in {org.name}.")
        counts = write_export(out=Path(out), organisation=org, team=chosen)
        self.stdout.write(f"exported to {out}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
