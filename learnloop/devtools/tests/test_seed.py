"""``learnloop seed`` (benchmark data): it runs, is deterministic, and the search index follows.

The large scales are benchmarks (benchmarks/loadtest.py), never run in the suite.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from learnloop.accounts.models import Organisation
from learnloop.applause.models import Reaction
from learnloop.debriefs.models import DebriefEntry, Deliverable
from learnloop.drills.models import Campaign, Drill
from learnloop.experiments.models import Experiment, ShowcaseItem
from learnloop.incidents.models import Incident
from learnloop.journal.models import Entry
from learnloop.lessons.models import Lesson
from learnloop.retros.models import Retro
from learnloop.reviews.models import Review

pytestmark = pytest.mark.django_db


def _seed_and_snapshot() -> dict[str, Any]:
    """Seed scale small, seed 1, record what it made, then roll it back."""
    with transaction.atomic():
        out = io.StringIO()
        call_command("seed", scale="small", seed=1, no_progress=True, jobs=1, stdout=out)
        org = Organisation.objects.get(slug="seed-1")
        incidents = Incident.objects.filter(team__organisation=org)
        reviews = Review.objects.filter(team__organisation=org)
        lessons = Lesson.objects.filter(team__organisation=org)
        team_ids = list(org.teams.values_list("pk", flat=True))
        with connection.cursor() as cur:
            ids = ", ".join(str(int(i)) for i in team_ids)
            cur.execute(
                f"SELECT kind, count(*) FROM search_document WHERE team_id IN ({ids}) GROUP BY kind"
            )
            indexed = dict(cur.fetchall())
        snapshot = {
            "out": out.getvalue(),
            "counts": {
                "incident": incidents.count(),
                "review": reviews.count(),
                "lesson": lessons.count(),
                "deliverable": Deliverable.objects.filter(team__organisation=org).count(),
                "entry": DebriefEntry.objects.filter(team__organisation=org).count(),
                "reaction": Reaction.objects.filter(team__organisation=org).count(),
                "experiment": Experiment.objects.filter(team__organisation=org).count(),
                "retro": Retro.objects.filter(team__organisation=org).count(),
                "drill": Drill.objects.filter(team__organisation=org).count(),
                "campaign": Campaign.objects.filter(team__organisation=org).count(),
                "journal entry": Entry.objects.filter(author__organisation=org).count(),
                "showcase item": ShowcaseItem.objects.filter(team__organisation=org).count(),
                "users": org.users.count(),
                "teams": len(team_ids),
            },
            "titles": list(
                incidents.order_by("created_at", "title").values_list("title", flat=True)
            ),
            "lessons": sorted(lessons.values_list("statement", flat=True)),
            "indexed": indexed,
        }
        transaction.set_rollback(True)
    return snapshot


def test_it_seeds_the_same_organisation_twice_for_the_same_seed() -> None:
    first = _seed_and_snapshot()
    second = _seed_and_snapshot()
    assert first["counts"] == second["counts"]
    assert first["titles"] == second["titles"]
    assert first["lessons"] == second["lessons"]
    assert first["counts"]["incident"] >= 20 and first["counts"]["review"] >= 5
    assert "Sign in as bench@seed1.example" in first["out"]


def test_it_leaves_the_search_index_in_step() -> None:
    snap = _seed_and_snapshot()
    counts = snap["counts"]
    assert snap["indexed"] == {
        "incident": counts["incident"],
        "review": counts["review"],
        "lesson": counts["lesson"],
        "deliverable": counts["deliverable"],
        "entry": counts["entry"],
        "experiment": counts["experiment"],
        "retro": counts["retro"],
        "drill": counts["drill"],
    }
    assert counts["deliverable"] > 0 and counts["entry"] > 0 and counts["reaction"] > 0
    assert counts["experiment"] > 0 and counts["showcase item"] > 0


def test_it_refuses_to_seed_the_same_seed_twice() -> None:
    from django.core.management.base import CommandError

    Organisation.objects.create(name="x", slug="seed-7")
    with pytest.raises(CommandError, match="already"):
        call_command("seed", scale="small", seed=7, no_progress=True, jobs=1, stdout=io.StringIO())
