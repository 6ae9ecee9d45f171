"""Deferred indexing (decision 0073): each document is written once, just before its transaction
commits; a search inside the transaction still sees its own writes; a rollback leaves nothing.

The tests that need a real commit use ``committed`` (a transactional database; a test's own
transaction never commits)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError, transaction

from learnloop.core.models import Tag
from learnloop.incidents.models import Incident
from learnloop.search import index, sync
from learnloop.search.selectors import search
from learnloop.search.tests.test_sync import matches, rows
from learnloop.testing import builders


@pytest.fixture
def committed(restore_migrated_data: None, transactional_db: None) -> None:
    """Real commits; afterwards the database is put back as migrations left it."""


@pytest.fixture
def upserts(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[tuple[str, str]]]:
    """Counts every document write, by (kind, object id)."""
    seen: Counter[tuple[str, str]] = Counter()
    real = index.upsert_document

    def counting(cursor: Any, vendor: str, **doc: Any) -> int:
        seen[(doc["kind"], str(doc["object_id"]))] += 1
        return real(cursor, vendor, **doc)

    monkeypatch.setattr(index, "upsert_document", counting)
    yield seen


@pytest.mark.usefixtures("committed")
def test_each_document_is_written_once_when_its_transaction_commits(alpha, org, upserts):
    with transaction.atomic():
        inc = builders.make_incident(alpha, title="Walrus outage", description="first words")
        inc.tags.add(Tag.objects.create(organisation=org, name="tusk"))
        rev = builders.make_review(alpha, title="Walrus review", incident=inc, sections=[])
        inc.description = "second words"
        inc.save()
        assert sync.pending_count() == 2
        assert not upserts  # nothing written yet
    assert sync.pending_count() == 0
    assert upserts == {("incident", str(inc.pk)): 1, ("review", str(rev.pk)): 1}
    doc = rows()[("incident", str(inc.pk))]
    assert doc["body"] == "second words"
    assert doc["keywords"] == "tusk"
    assert rows()[("review", str(rev.pk))]["summary"] == "second words"  # the review followed


@pytest.mark.usefixtures("committed")
def test_a_save_outside_a_transaction_is_indexed_at_once(alpha, upserts):
    inc = builders.make_incident(alpha, title="Narwhal outage")
    assert sync.pending_count() == 0
    assert upserts == {("incident", str(inc.pk)): 1}


@pytest.mark.usefixtures("committed")
def test_a_delete_in_a_transaction_removes_the_document_at_commit(alpha):
    inc = builders.make_incident(alpha, title="Manatee outage")
    assert ("incident", str(inc.pk)) in rows()
    with transaction.atomic():
        inc_id = inc.pk
        inc.delete()
        assert sync.pending_count() == 1
    assert sync.pending_count() == 0
    assert ("incident", str(inc_id)) not in rows()
    assert matches("manatee") == set()


@pytest.mark.usefixtures("committed")
def test_a_rolled_back_transaction_leaves_nothing_pending_or_written(alpha, upserts):
    with pytest.raises(RuntimeError), transaction.atomic():
        builders.make_incident(alpha, title="Dugong outage")
        raise RuntimeError
    assert sync.pending_count() == 0
    assert not upserts
    assert matches("dugong") == set()


@pytest.mark.usefixtures("committed")
def test_a_failing_index_write_rolls_the_object_back_too(alpha, monkeypatch):
    def broken(kind: str, obj: Any) -> dict[str, Any]:
        raise ValueError("index broken")

    monkeypatch.setattr(sync, "document_for", broken)
    with pytest.raises(DatabaseError), transaction.atomic():
        builders.make_incident(alpha, title="Seal outage")
    assert not Incident.objects.filter(title="Seal outage").exists()


@pytest.mark.django_db
def test_a_search_in_the_same_transaction_sees_its_own_writes(alice, alpha):
    with transaction.atomic():
        inc = builders.make_incident(alpha, title="Okapi outage", description="okapi stalled")
        assert sync.pending_count() == 1
        found = search(alice, "okapi").results
        assert [(r.kind, str(r.object_id)) for r in found] == [("incident", str(inc.pk))]
        inc.title = "Tapir outage"
        inc.description = "tapir stalled"
        inc.save()
        found = search(alice, "tapir").results  # the edit, not the first version
        assert [r.title for r in found] == ["Tapir outage"]
        assert search(alice, "okapi").results == []


@pytest.mark.django_db
def test_a_savepoint_rolled_back_after_a_read_leaves_the_document_as_the_rows_are(alpha):
    inc = builders.make_incident(alpha, title="Ibis outage")
    with pytest.raises(RuntimeError), transaction.atomic():
        inc.title = "Stork outage"
        inc.save()
        assert matches("stork") == {("incident", str(inc.pk))}
        raise RuntimeError
    assert matches("stork") == set()
    assert matches("ibis") == {("incident", str(inc.pk))}


@pytest.mark.usefixtures("committed")
def test_an_imported_file_writes_each_of_its_documents_once(tmp_path, org, upserts):
    from learnloop.transfer.tests.test_import_export import GOOD, run_import, write

    code, _, err = run_import(str(write(tmp_path, "one.md", GOOD)), "--team", "SRE")
    assert code == 0, err
    assert sorted(kind for kind, _ in upserts) == ["incident", "review"]
    assert set(upserts.values()) == {1}
    assert matches("certificate") == set(upserts)


@pytest.mark.usefixtures("committed")
def test_an_import_queues_the_dense_vectors_for_the_worker(tmp_path, org, run_jobs):
    from learnloop.search import dense
    from learnloop.tasks.models import Job
    from learnloop.transfer.tests.test_import_export import GOOD, run_import, write

    if not dense.enabled():
        pytest.skip("the dense stage is not installed")
    code, out, err = run_import(str(write(tmp_path, "one.md", GOOD)), "--team", "SRE")
    assert code == 0, err
    assert out.strip() == "imported 1, updated 0, failed 0"
    assert "2 documents get their dense vectors from the background worker" in err
    with sync.raw_cursor() as cur:
        cur.execute("SELECT count(*) FROM search_vector")
        assert cur.fetchone()[0] == 0
    # The vectors' job, and the coach's flags of the published review (decision 0087).
    assert sorted(Job.objects.values_list("name", flat=True)) == [
        "coach.sync_reviews",
        "search.embed",
    ]
    run_jobs()
    with sync.raw_cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM search_document d JOIN search_vector v ON v.doc_id = d.id"
        )
        assert cur.fetchone()[0] == 2
