"""Deliverables, entries and applause in the JSON export, and back: the same sections after an
import into the same organisation, with the promoted lesson linked to its entry again."""

from __future__ import annotations

import json

import pytest

from learnloop.applause.models import Reaction
from learnloop.applause.services import reaction_add
from learnloop.debriefs.closing import deliverable_close
from learnloop.debriefs.models import DebriefEntry, Deliverable
from learnloop.lessons.models import Lesson
from learnloop.testing.builders import make_entry
from learnloop.transfer.json_export import export_data
from learnloop.transfer.json_import import import_json_file

pytestmark = pytest.mark.django_db

SECTIONS = ("deliverables", "debrief_entries", "reactions")


def test_the_export_carries_debriefs_and_reads_back(tmp_path, org, alice, bob, deliverable) -> None:
    win = make_entry(deliverable, author=bob, kind="win", text="Shipped early.")
    lesson_entry = make_entry(deliverable, author=alice, kind="lesson", text="Flags need owners.")
    reaction_add(actor=alice, kind="entry", object_id=win.pk, emoji="tada")
    _, (lesson,) = deliverable_close(
        actor=alice, deliverable=deliverable, promote=[lesson_entry.pk]
    )
    reaction_add(actor=bob, kind="lesson", object_id=lesson.pk, emoji="bulb")
    first = export_data(organisation=org)
    assert [d["title"] for d in first["deliverables"]] == ["Checkout redesign"]
    assert first["deliverables"][0]["collaborators"] == ["alice@example.org", "bob@example.org"]
    assert {e["kind"] for e in first["debrief_entries"]} == {"win", "lesson"}
    assert sorted(r["emoji"] for r in first["reactions"]) == ["bulb", "tada"]

    Reaction.objects.all().delete()
    DebriefEntry.objects.all().delete()
    Deliverable.objects.all().delete()
    path = tmp_path / "learnloop.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    import_json_file(path, organisation=org)

    again = export_data(organisation=org)
    for section in SECTIONS:
        assert again[section] == first[section], section
    restored = DebriefEntry.objects.get(kind="lesson")
    assert Lesson.objects.get(pk=lesson.pk).source_debrief_entry == restored
    assert Reaction.objects.get(kind="entry").recipient == bob
    assert Deliverable.objects.get().status == "closed"
