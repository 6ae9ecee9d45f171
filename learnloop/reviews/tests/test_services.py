from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from learnloop.actions.models import Action
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.reviews import services, template_services
from learnloop.reviews.models import (
    ContributingFactor,
    Learning,
    Review,
    ReviewRevision,
    ReviewTemplate,
    TimelineEntry,
)
from learnloop.reviews.selectors import publish_missing
from learnloop.reviews.tests.conftest import shipped


def test_it_ships_four_templates_as_data(db) -> None:
    names = set(ReviewTemplate.objects.filter(is_shipped=True).values_list("name", flat=True))
    assert names == {
        "Incident review",
        "24-hour learning review",
        "Experiment review",
        "After-action review",
    }
    learning = shipped("24-hour-learning-review")
    assert learning.cooling_off_hours == 24
    mins = {s["type"]: s["min_count"] for s in learning.sections}
    assert mins["learnings"] == 3 and mins["next_steps"] == 2
    experiment = [s["prompt"] for s in shipped("experiment-review").sections]
    assert "What hypothesis were we testing?" in experiment


def test_it_seeds_the_timeline_from_the_incident_times(review, incident) -> None:
    entries = review.content["timeline"]
    assert [e["text"] for e in entries] == ["Started", "Detected", "Acknowledged", "Resolved"]
    assert TimelineEntry.objects.filter(review=review).count() == 4
    assert review.revisions.get().author is not None
    assert review.opens_at is None


def test_it_saves_content_and_keeps_the_timeline_in_order(review, alice) -> None:
    services.review_content_save(
        actor=alice,
        review=review,
        version=1,
        content={
            "summary": "The **gateway** timed out.",
            "timeline": [
                {"at": "2026-03-01T14:30", "text": "Rolled back"},
                {"at": "2026-03-01T14:00", "text": "Alerts fired"},
                {"at": "", "text": ""},
            ],
            "contributing_factors": [
                {"category": "technology", "description": "Timeout too short"},
                {"category": "process", "description": "No canary"},
            ],
            "learnings": ["Canaries catch this", "  "],
        },
    )
    review.refresh_from_db()
    assert review.version == 2
    assert [e["text"] for e in review.content["timeline"]] == ["Alerts fired", "Rolled back"]
    assert list(TimelineEntry.objects.filter(review=review).values_list("text", flat=True)) == [
        "Alerts fired",
        "Rolled back",
    ]
    assert ContributingFactor.objects.filter(review=review).count() == 2
    assert list(Learning.objects.filter(review=review).values_list("text", flat=True)) == [
        "Canaries catch this"
    ]
    revision = review.revisions.get(version=2)
    assert revision.author == alice
    assert "Summary" in revision.summary and "Timeline" in revision.summary
    assert "Impact" not in revision.summary


def test_it_refuses_a_stale_save_and_keeps_the_first(review, alice, bob) -> None:
    first = Review.objects.get(pk=review.pk)
    second = Review.objects.get(pk=review.pk)
    services.review_content_save(actor=alice, review=first, version=1, content={"summary": "A"})
    with pytest.raises(services.ReviewConflict) as info:
        services.review_content_save(actor=bob, review=second, version=1, content={"summary": "B"})
    assert info.value.status == 409
    assert info.value.current_version == 2
    review.refresh_from_db()
    assert review.content["summary"] == "A"
    assert review.revisions.count() == 2
    # Keep mine: save again over the new version.
    services.review_content_save(actor=bob, review=second, version=2, content={"summary": "B"})
    review.refresh_from_db()
    assert review.content["summary"] == "B" and review.version == 3


def test_it_validates_content_and_saves_nothing(review, alice, mallory) -> None:
    with pytest.raises(ApplicationError) as info:
        services.review_content_save(
            actor=alice,
            review=review,
            version=1,
            content={
                "timeline": [{"at": "not a time", "text": "x"}],
                "contributing_factors": [{"category": "blame", "description": "x"}],
                "next_steps": [{"title": "Fix", "owner": mallory.pk, "due_date": "tomorrow"}],
                "summary": "x" * 20001,
            },
        )
    fields = info.value.fields
    assert "content.timeline.0.at" in fields
    assert "content.contributing_factors.0.category" in fields
    assert "content.next_steps.0.owner" in fields
    assert "content.next_steps.0.due_date" in fields
    assert "content.summary" in fields
    review.refresh_from_db()
    assert review.version == 1 and review.revisions.count() == 1


def test_it_lets_only_team_members_write(review, charlie) -> None:
    with pytest.raises(PermissionDenied):
        services.review_content_save(actor=charlie, review=review, version=1, content={})


def test_it_keeps_a_review_closed_while_cooling_off(learning_review, alice) -> None:
    assert learning_review.opens_at > timezone.now() + dt.timedelta(hours=23)
    with pytest.raises(ApplicationError) as info:
        services.review_content_save(
            actor=alice, review=learning_review, version=1, content={"learnings": ["x"]}
        )
    assert info.value.code == "cooling_off"
    with pytest.raises(ApplicationError):
        services.review_publish(actor=alice, review=learning_review)


def test_it_takes_the_team_settings_for_the_learning_review(alpha, alice) -> None:
    alpha.settings = {
        "learning_review": {"cooling_off_hours": 0, "min_learnings": 1, "min_next_steps": 0}
    }
    alpha.save()
    review = services.review_create(
        actor=alice, template=shipped("24-hour-learning-review"), team=alpha
    )
    assert review.opens_at is None
    assert publish_missing(review) == {"learnings": ["Add 1 more learning (1 needed, 0 written)."]}


def _open(review: Review) -> Review:
    Review.objects.filter(pk=review.pk).update(opens_at=timezone.now() - dt.timedelta(minutes=1))
    review.refresh_from_db()
    return review


def test_it_refuses_to_publish_until_the_minimums_are_met(learning_review, alice, bob) -> None:
    review = _open(learning_review)
    services.review_content_save(
        actor=alice,
        review=review,
        version=review.version,
        content={
            "learnings": ["One", "Two"],
            "next_steps": [{"title": "Add a canary", "owner": bob.pk, "due_date": "2030-01-31"}],
        },
    )
    with pytest.raises(ApplicationError) as info:
        services.review_publish(actor=alice, review=review)
    assert info.value.fields == {
        "learnings": ["Add 1 more learning (3 needed, 2 written)."],
        "next_steps": ["Add 1 more next step (2 needed, 1 written)."],
    }
    assert not Action.objects.exists()
    services.review_content_save(
        actor=alice,
        review=review,
        version=review.version,
        content={
            "learnings": ["One", "Two", "Three"],
            "next_steps": [
                {"title": "Add a canary", "owner": bob.pk, "due_date": "2030-01-31"},
                {"title": "Write the runbook", "kind": "process"},
            ],
        },
    )
    services.review_publish(actor=alice, review=review)
    review.refresh_from_db()
    assert review.status == "published" and review.published_at
    actions = list(Action.objects.filter(review=review).order_by("id"))
    assert [a.title for a in actions] == ["Add a canary", "Write the runbook"]
    assert actions[0].owner == bob and str(actions[0].due_date) == "2030-01-31"
    assert actions[1].kind == "process"
    assert [s["action_id"] for s in review.content["next_steps"]] == [a.pk for a in actions]
    assert "2 actions created" in review.revisions.first().summary
    # Saving again after publishing does not create the same actions twice.
    services.review_content_save(
        actor=alice, review=review, version=review.version, content=dict(review.content)
    )
    assert Action.objects.filter(review=review).count() == 2


def test_it_moves_through_the_workflow(review, alice) -> None:
    services.review_set_status(actor=alice, review=review, status="in_review")
    assert review.status == "in_review"
    services.review_set_status(actor=alice, review=review, status="draft")
    assert review.status == "draft"
    services.review_set_status(actor=alice, review=review, status="published")
    assert review.status == "published"
    with pytest.raises(ApplicationError):
        services.review_set_status(actor=alice, review=review, status="draft")
    with pytest.raises(ApplicationError):
        services.review_set_status(actor=alice, review=review, status="archived")


def test_it_sets_participants_from_the_team_only(review, alice, bob, charlie) -> None:
    services.review_set_participants(actor=alice, review=review, user_ids=[alice.pk, bob.pk])
    assert set(review.participants.all()) == {alice, bob}
    with pytest.raises(ApplicationError):
        services.review_set_participants(actor=alice, review=review, user_ids=[charlie.pk])
    assert set(review.participants.all()) == {alice, bob}


def test_it_copies_and_validates_templates(alpha, alice, charlie) -> None:
    copy = template_services.template_copy(
        actor=alice, template=shipped("incident-review"), team=alpha
    )
    assert copy.team == alpha and not copy.is_shipped and copy.copied_from.is_shipped
    with pytest.raises(PermissionDenied):
        template_services.template_copy(actor=charlie, template=copy, team=alpha)
    bad = [
        {"key": "a", "title": "A", "type": "learnings", "min_count": -1},
        {"key": "a", "title": "B", "type": "list", "min_count": 51},
        {"key": "c", "title": "", "type": "rich_text", "min_count": 2},
        {"key": "d", "title": "D", "type": "essay", "min_count": 0},
    ]
    with pytest.raises(ApplicationError) as info:
        template_services.template_update(
            actor=alice, template=copy, name="", cooling_off_hours=-3, sections=bad, version=1
        )
    fields = info.value.fields
    for key in (
        "name",
        "cooling_off_hours",
        "sections.0.min_count",
        "sections.1.key",
        "sections.1.min_count",
        "sections.2.title",
        "sections.2.min_count",
        "sections.3.type",
    ):
        assert key in fields, key
    copy.refresh_from_db()
    assert copy.name.startswith("Incident review")
    template_services.template_update(
        actor=alice,
        template=copy,
        name="Our review",
        cooling_off_hours=2,
        sections=[{"key": "notes", "title": "Notes", "type": "list", "min_count": 2}],
        version=1,
    )
    copy.refresh_from_db()
    assert copy.name == "Our review" and copy.sections[0]["min_count"] == 2
    with pytest.raises(PermissionDenied):
        template_services.template_update(
            actor=alice, template=shipped("incident-review"), name="x", sections=[], version=1
        )


def test_it_snapshots_template_sections_in_the_review(alpha, alice) -> None:
    copy = template_services.template_copy(
        actor=alice, template=shipped("experiment-review"), team=alpha
    )
    review = services.review_create(actor=alice, template=copy, team=alpha)
    template_services.template_update(
        actor=alice,
        template=copy,
        name="Changed",
        sections=[{"key": "x", "title": "X", "type": "list", "min_count": 0}],
        version=1,
    )
    review.refresh_from_db()
    assert "hypothesis" in [s["key"] for s in review.sections]


def test_it_keeps_private_notes_for_their_author_only(learning_review, alice, bob) -> None:
    from learnloop.reviews.selectors import private_notes_of

    services.private_note_save(actor=alice, review=learning_review, body="Feeling rough.")
    services.private_note_save(actor=alice, review=learning_review, body="Feeling better.")
    assert [n.body for n in private_notes_of(user=alice, review=learning_review)] == [
        "Feeling better."
    ]
    assert not private_notes_of(user=bob, review=learning_review).exists()


def test_it_records_every_revision(review, alice, bob) -> None:
    services.review_content_save(actor=alice, review=review, version=1, content={"summary": "A"})
    services.review_content_save(actor=bob, review=review, version=2, content={"impact": "B"})
    revisions = list(ReviewRevision.objects.filter(review=review).order_by("version"))
    assert [(r.version, r.author) for r in revisions] == [(1, alice), (2, alice), (3, bob)]
    assert revisions[2].summary == "Changed: Impact"
    assert revisions[2].content["summary"] == "A"
