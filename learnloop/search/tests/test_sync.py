"""The index stays exactly in step with creates, edits and deletes (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from learnloop.core.models import Tag, Visibility
from learnloop.search import index
from learnloop.search.sync import raw_cursor, reindex, vendor

pytestmark = pytest.mark.django_db


def rows() -> dict[tuple[str, str], dict[str, Any]]:
    with raw_cursor() as cur:
        cur.execute(
            "SELECT kind, object_id, title, summary, keywords, body, team_id, visibility,"
            " external_id FROM search_document"
        )
        cols = [
            "kind",
            "object_id",
            "title",
            "summary",
            "keywords",
            "body",
            "team_id",
            "visibility",
            "external_id",
        ]
        out = {(r[0], r[1]): dict(zip(cols, r, strict=True)) for r in cur.fetchall()}
        index.check_integrity(cur, vendor())
    return out


def matches(word: str) -> set[tuple[str, str]]:
    """Documents the full-text index itself finds for ``word`` (not the table)."""
    with raw_cursor() as cur:
        hits = index.search(cur, vendor(), word, expand_concepts=False, limit=50)
        ids = [h.id for h in hits]
        if not ids:
            return set()
        p = index.placeholder(vendor())
        cur.execute(
            f"SELECT kind, object_id FROM search_document WHERE id IN ({', '.join([p] * len(ids))})",
            ids,
        )
        return {(r[0], r[1]) for r in cur.fetchall()}


def test_it_indexes_incident_create_edit_delete(make_incident):
    inc = make_incident("Zebrafish outage", "The pelican queue stalled.")
    key = ("incident", str(inc.pk))
    assert rows()[key]["title"] == "Zebrafish outage"
    assert matches("pelican") == {key}
    inc.description = "The flamingo queue stalled."
    inc.visibility = Visibility.ORGANISATION
    inc.save()
    assert rows()[key]["visibility"] == "organisation"
    assert matches("pelican") == set()
    assert matches("flamingo") == {key}
    inc.delete()
    assert key not in rows()
    assert matches("flamingo") == set()


def test_it_indexes_incident_tags(make_incident, org):
    inc = make_incident("Tagged", "text")
    inc.tags.add(Tag.objects.create(organisation=org, name="walrus"))
    assert matches("walrus") == {("incident", str(inc.pk))}
    inc.tags.clear()
    assert matches("walrus") == set()


def test_it_indexes_review_content_and_learnings(make_review):
    rev = make_review(
        "Review of the otter incident",
        "Summary about otters",
        content={"summary": "Summary about otters", "learnings": [{"text": "badger lesson"}]},
    )
    key = ("review", str(rev.pk))
    assert rows()[key]["summary"] == "Summary about otters"
    assert matches("badger") == {key}
    rev.content = {"summary": "nothing", "learnings": [{"text": "ferret lesson"}]}
    rev.save()
    assert matches("badger") == set()
    assert matches("ferret") == {key}
    rev.delete()
    assert key not in rows()


def test_it_indexes_lessons_and_their_tags(make_lesson, org):
    lesson = make_lesson("Always rotate the heron keys", "context about herons")
    key = ("lesson", str(lesson.pk))
    assert matches("heron") == {key}
    lesson.tags.add(Tag.objects.create(organisation=org, name="kingfisher"))
    assert "kingfisher" in rows()[key]["keywords"]
    lesson.statement = "Rotate the egret keys"
    lesson.context = ""
    lesson.save()
    assert matches("heron") == set()
    assert matches("egret") == {key}
    lesson.delete()
    assert key not in rows()


def test_it_uses_the_lessons_hooks(make_lesson):
    from learnloop.lessons import hooks

    lesson = make_lesson("Mind the pangolin", "")
    with raw_cursor() as cur:
        cur.execute("DELETE FROM search_document")
    hooks.lesson_changed(lesson.pk)
    assert matches("pangolin") == {("lesson", str(lesson.pk))}
    hooks.lesson_deleted(lesson.pk)
    assert matches("pangolin") == set()


def test_it_rolls_back_the_index_with_the_write(make_incident):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_incident("Axolotl failure", "")
        assert matches("axolotl")
        raise RuntimeError
    assert matches("axolotl") == set()
    assert rows() == {}


def test_it_reindexes_everything(make_incident, make_review, make_lesson):
    make_incident("Capybara", "")
    make_review("Capybara review", "")
    make_lesson("Capybara lesson", "")
    with raw_cursor() as cur:
        cur.execute("DELETE FROM search_document")
    counts = reindex()
    assert counts == {
        "incident": 1,
        "review": 1,
        "lesson": 1,
        "deliverable": 0,
        "entry": 0,
        "experiment": 0,
        "retro": 0,
        "drill": 0,
    }
    assert len(matches("capybara")) == 3


def test_it_keeps_external_ids(make_incident):
    inc = make_incident("Imported", "", external_id="uuid-123")
    assert rows()[("incident", str(inc.pk))]["external_id"] == "uuid-123"


def test_it_gives_a_review_its_incident_summary_and_tags(make_incident, make_review, org):
    inc = make_incident("Quokka outage", "Short account about quokkas.")
    rev = make_review("Quokka review", content={"summary": "long body about numbats"}, incident=inc)
    key = ("review", str(rev.pk))
    assert rows()[key]["summary"] == "Short account about quokkas."
    assert "numbats" in rows()[key]["body"]
    inc.tags.add(Tag.objects.create(organisation=org, name="wombat"))
    assert "wombat" in rows()[key]["keywords"]
    inc.description = "Now about bilbies."
    inc.save()
    assert rows()[key]["summary"] == "Now about bilbies."
