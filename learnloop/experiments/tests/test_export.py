"""Experiments and showcases in the JSON export, and back: the same sections after deleting
them and importing the file into the same organisation; importing twice changes nothing."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from learnloop.applause.models import Reaction
from learnloop.applause.services import reaction_add
from learnloop.experiments import approvals
from learnloop.experiments.learning import learning_card_create, lesson_from_learning
from learnloop.experiments.models import Experiment, LearningCard, Showcase, ShowcaseItem
from learnloop.experiments.showcase import showcase_create
from learnloop.lessons.models import Lesson
from learnloop.testing.builders import make_experiment
from learnloop.transfer.json_export import export_data
from learnloop.transfer.json_import import import_json_file

pytestmark = pytest.mark.django_db

SECTIONS = ("experiments", "showcases")


def test_the_export_carries_experiments_and_reads_back(tmp_path, org, alice, bob, alpha) -> None:
    card = make_experiment(alpha, created_by=bob, owner=bob, title="Pricing page test")
    card.participants.set([alice])
    approvals.experiment_submit(actor=bob, experiment=card)
    approvals.experiment_start(actor=bob, experiment=card)
    learning = learning_card_create(
        actor=bob,
        experiment=card,
        observed="Nobody clicked the annual plan",
        learned="Annual plans need a discount",
        decision="pivot",
    )
    lesson = lesson_from_learning(actor=bob, card=learning, index=0)
    reaction_add(actor=alice, kind="learning_card", object_id=learning.pk, emoji="clap")
    showcase = showcase_create(actor=alice, team=alpha, month=f"{timezone.localdate():%Y-%m}")
    item = showcase.items.get()
    reaction_add(actor=alice, kind="showcase_item", object_id=item.pk, emoji="tada")
    first = export_data(organisation=org)
    titles = [e["title"] for e in first["experiments"]]
    assert titles == ["Pricing page test", "Pricing page test (iteration 2)"]
    exported = first["experiments"][0]
    assert exported["participants"] == ["alice@example.org"]
    assert exported["learning_cards"][0]["reactions"][0]["emoji"] == "clap"
    assert [h["what"] for h in exported["history"]][0] == "submitted"
    assert first["experiments"][1]["previous"] == {"team": "alpha", "id": exported["id"]}
    assert first["showcases"][0]["items"][0]["reactions"][0]["emoji"] == "tada"

    Reaction.objects.filter(kind__in=["learning_card", "showcase_item"]).delete()
    Showcase.objects.all().delete()
    Experiment.objects.all().delete()
    path = tmp_path / "learnloop.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    import_json_file(path, organisation=org)
    import_json_file(path, organisation=org)  # twice: nothing doubles

    again = export_data(organisation=org)
    for section in SECTIONS:
        assert again[section] == first[section], section
    assert Experiment.objects.count() == 2 and LearningCard.objects.count() == 1
    restored = Experiment.objects.get(title="Pricing page test")
    assert Lesson.objects.get(pk=lesson.pk).source_experiment == restored
    assert Reaction.objects.get(kind="showcase_item").recipient == bob
    assert ShowcaseItem.objects.get().experiment == restored
