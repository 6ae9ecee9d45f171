"""Experiments in search and the related engine: a card is found by its hypothesis and its
learning cards, past lessons and experiments appear while a card is written (with "Why:"),
and a ticked or clicked "Applied here" counts the lesson's reuse. Other teams: 404."""

from __future__ import annotations

import pytest

from learnloop.core.models import Visibility
from learnloop.experiments import approvals
from learnloop.experiments.learning import learning_card_create
from learnloop.experiments.models import Experiment
from learnloop.lessons.models import Lesson, LessonApplication, TargetKind
from learnloop.search.selectors import search
from learnloop.testing.builders import make_experiment, make_lesson

pytestmark = pytest.mark.django_db

CARD = {
    "title": "Auto-renew TLS certificates on the payments gateway",
    "hypothesis": "renewing the certificate automatically stops expired TLS handshakes",
    "test": "let the gateway renew its certificate itself for a month",
    "riskiest_assumption": "the certificate authority answers in time",
}
LESSON = "Renew certificates before they expire"
LESSON_CONTEXT = (
    "The certificate for the internal payments gateway expired overnight; every client "
    "failed the TLS handshake until we renewed the certificate by hand."
)


@pytest.fixture
def lesson(alpha, alice) -> Lesson:
    return make_lesson(alpha, actor=alice, statement=LESSON, context=LESSON_CONTEXT)


def test_an_experiment_is_found_by_its_card_and_its_learning_cards(alice, alpha, charlie):
    card = make_experiment(alpha, created_by=alice, hypothesis="a quokka mascot lifts sign-ups")
    assert [r.object_id for r in search(alice, "quokka", {"kinds": ["experiment"]}).results] == [
        card.pk
    ]
    approvals.experiment_submit(actor=alice, experiment=card)
    approvals.experiment_start(actor=alice, experiment=card)
    learning_card_create(
        actor=alice,
        experiment=card,
        observed="nobody noticed the wombat banner",
        learned="mascots do not move sign-ups",
        decision="persevere",
    )
    found = search(alice, "wombat", {}).results
    assert [(r.kind, r.object_id, r.url) for r in found] == [
        ("experiment", card.pk, f"/experiments/{card.pk}/")
    ]
    assert search(charlie, "wombat", {}).results == [], "another team's card stays hidden"
    Experiment.objects.filter(pk=card.pk).update(visibility=Visibility.ORGANISATION)
    card.refresh_from_db()
    card.save()
    assert [r.object_id for r in search(charlie, "wombat", {}).results] == [card.pk]
    card.delete()
    assert search(alice, "wombat", {}).results == []


def test_past_lessons_and_experiments_appear_while_a_card_is_written(
    alice, alpha, client_for, lesson
):
    past = make_experiment(
        alpha,
        created_by=alice,
        title="Shorter certificate lifetimes",
        hypothesis="short-lived TLS certificates expire less painfully on the payments gateway",
    )
    body = client_for(alice).post("/experiments/related/", CARD).content.decode()
    assert LESSON in body and past.title in body
    assert "Why:" in body
    assert f'name="applied" value="{lesson.pk}"' in body
    empty = client_for(alice).post("/experiments/related/", {"title": "Lunch", "hypothesis": ""})
    assert LESSON not in empty.content.decode()


def test_a_ticked_lesson_is_applied_to_the_new_card(alice, alpha, client_for, lesson):
    form = {**CARD, "team": alpha.pk, "kind": "experiment", "phase": "explore"}
    form |= {"visibility": "team", "budget": "0", "time_box_days": "5", "person_days": "2"}
    resp = client_for(alice).post("/experiments/new/", {**form, "applied": [lesson.pk]})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    card = Experiment.objects.get(title=CARD["title"])
    [application] = LessonApplication.objects.filter(lesson=lesson)
    assert (application.target_kind, application.target_id) == (TargetKind.EXPERIMENT, card.pk)
    lesson.refresh_from_db()
    assert lesson.applied_count == 1
    page = client_for(alice).get(card.get_absolute_url()).content.decode()
    assert "✓ Applied here" in page


def test_applied_here_on_the_card_page(alice, bob, alpha, client_for, charlie, mallory, lesson):
    card = make_experiment(alpha, created_by=alice, **CARD)
    page = client_for(bob).get(card.get_absolute_url()).content.decode()
    assert LESSON in page and "Why:" in page
    url = f"/experiments/{card.pk}/applied/"
    for outsider in (charlie, mallory):
        assert client_for(outsider).post(url, {"lesson": lesson.pk}).status_code == 404
    assert not LessonApplication.objects.exists()
    resp = client_for(bob).post(url, {"lesson": lesson.pk}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and "✓ Applied here" in resp.content.decode()
    client_for(bob).post(url, {"lesson": lesson.pk})  # again: counted once
    lesson.refresh_from_db()
    assert lesson.applied_count == 1
    assert client_for(bob).post(url, {"lesson": "x"}).status_code == 404
