"""The seed's search index (decision 0089): documents built from plain rows are the search app's
own documents, the full-text index is filled, and seeded documents are found by search."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from learnloop.accounts.models import Organisation, User
from learnloop.devtools.seeding.search_index import documents
from learnloop.incidents.models import Incident
from learnloop.search import index, selectors, sync
from learnloop.testing.builders import make_incident

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # a small seed each: seconds


def _seed() -> Organisation:
    call_command("seed", scale="small", seed=3, no_progress=True, jobs=1, stdout=io.StringIO())
    return Organisation.objects.get(slug="seed-3")


def _comparable(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "object_id": str(doc["object_id"])}


def test_documents_from_plain_rows_are_those_of_the_search_app() -> None:
    with transaction.atomic():
        org = _seed()
        team_ids = list(org.teams.values_list("pk", flat=True))
        for kind in sync.KINDS:
            model = sync.model_for(kind)
            qs = model.objects.filter(team_id__in=team_ids).order_by("pk")
            ours = [_comparable(d) for docs in documents(kind, model, qs) for d in docs]
            theirs = [_comparable(sync.document_for(kind, o)) for o in sync.with_parts(kind, qs)]
            assert ours == theirs, kind
            assert ours, kind  # every kind is seeded, so the comparison is not empty
        transaction.set_rollback(True)


def test_the_full_text_index_holds_every_seeded_document_once() -> None:
    with transaction.atomic():
        org = _seed()
        team_ids = ",".join(str(t) for t in org.teams.values_list("pk", flat=True))
        with sync.raw_cursor() as cur:
            cur.execute(f"SELECT count(*) FROM search_document WHERE team_id IN ({team_ids})")
            docs = cur.fetchone()[0]
            index.check_integrity(cur, connection.vendor)
            if connection.vendor == "sqlite":
                cur.execute(
                    "SELECT count(*) FROM search_fts WHERE rowid IN (SELECT id FROM"
                    f" search_document WHERE team_id IN ({team_ids}))"
                )
                assert cur.fetchone()[0] == docs
                # The insert trigger is back for every later write.
                cur.execute(
                    "SELECT count(*) FROM sqlite_master"
                    " WHERE type = 'trigger' AND name = 'search_document_ai'"
                )
            else:
                cur.execute(
                    "SELECT count(*) FROM pg_indexes WHERE indexname = 'search_document_vector'"
                )
            assert cur.fetchone()[0] == 1
        assert docs > 50
        transaction.set_rollback(True)


def test_seeded_incidents_are_found_by_search_and_later_writes_too() -> None:
    with transaction.atomic():
        org = _seed()
        admin = User.objects.get(email="bench@seed3.example")
        shared = Incident.objects.filter(team__organisation=org, visibility="organisation")
        incident = shared.exclude(is_anonymous=True).order_by("pk").first()
        assert incident is not None
        found = selectors.search(admin, incident.title)
        assert ("incident", incident.pk) in [(r.kind, r.object_id) for r in found.results]
        # Writes after the seed go through the restored insert trigger (SQLite) or GIN index:
        # a new incident and an edited one are both found.
        incident.title = "Quokka gateway wobbled"
        incident.save()
        added = make_incident(
            incident.team, title="Quokka queue stalled", visibility="organisation"
        )
        found = selectors.search(admin, "quokka")
        assert sorted((r.kind, r.object_id) for r in found.results if r.kind == "incident") == [
            ("incident", incident.pk),
            ("incident", added.pk),
        ]
        transaction.set_rollback(True)
