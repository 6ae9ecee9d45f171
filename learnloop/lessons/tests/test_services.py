from __future__ import annotations

import pytest

from learnloop.core.errors import ApplicationError, NotFound, PermissionDenied
from learnloop.core.models import Visibility
from learnloop.core.tags import tags_resolve
from learnloop.lessons import hooks, services
from learnloop.lessons.models import Lesson, LessonApplication, SourceKind
from learnloop.reviews.models import Status
from learnloop.testing.builders import make_incident, make_lesson, make_review


@pytest.fixture
def hook_calls(monkeypatch):
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(hooks, "lesson_changed", lambda pk: calls.append(("changed", pk)))
    monkeypatch.setattr(hooks, "lesson_deleted", lambda pk: calls.append(("deleted", pk)))
    return calls


def test_it_creates_a_lesson_with_tags_and_calls_the_hook(alice, alpha, hook_calls) -> None:
    lesson = services.lesson_create(
        actor=alice,
        team=alpha,
        statement="  Renew certificates before they expire. ",
        context="We learned it the **hard** way.",
        tags="TLS, expiry, tls",
    )
    assert lesson.statement == "Renew certificates before they expire."
    assert sorted(t.name for t in lesson.tags.all()) == ["TLS", "expiry"]
    assert lesson.created_by == alice
    assert lesson.source_kind == SourceKind.MANUAL
    assert hook_calls == [("changed", lesson.pk)]


def test_it_refuses_an_oversized_statement_and_names_the_field(alice, alpha) -> None:
    with pytest.raises(ApplicationError) as exc:
        services.lesson_create(actor=alice, team=alpha, statement="x" * 301)
    assert "statement" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        services.lesson_create(actor=alice, team=alpha, statement="ok", context="y" * 10001)
    assert "context" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        services.lesson_create(actor=alice, team=alpha, statement="ok", tags=["t" * 61])
    assert "tags" in exc.value.fields
    assert not Lesson.objects.exists()


def test_it_refuses_writes_by_people_outside_the_team(alpha, charlie, mallory) -> None:
    lesson = make_lesson(alpha, visibility=Visibility.ORGANISATION)
    for person in (charlie, mallory):
        with pytest.raises(PermissionDenied):
            services.lesson_create(actor=person, team=alpha, statement="Mine now")
        with pytest.raises(PermissionDenied):
            services.lesson_update(actor=person, lesson=lesson, version=1, statement="Changed")
        with pytest.raises(PermissionDenied):
            services.lesson_delete(actor=person, lesson=lesson)
    lesson.refresh_from_db()
    assert lesson.statement == "Check expiry dates a month ahead."


def test_it_updates_and_deletes_through_the_hooks(bob, alpha, hook_calls) -> None:
    lesson = make_lesson(alpha)
    services.lesson_update(
        actor=bob,
        lesson=lesson,
        version=1,
        statement="Page the owner, not the channel.",
        tags=["paging"],
    )
    lesson.refresh_from_db()
    assert lesson.statement == "Page the owner, not the channel."
    assert [t.name for t in lesson.tags.all()] == ["paging"]
    pk = lesson.pk
    services.lesson_delete(actor=bob, lesson=lesson)
    assert not Lesson.objects.filter(pk=pk).exists()
    assert hook_calls == [("changed", pk), ("changed", pk), ("deleted", pk)]


def test_it_promotes_chosen_learnings_of_a_published_review_once(alice, alpha) -> None:
    incident = make_incident(alpha)
    incident.tags.set(tags_resolve(organisation=alpha.organisation_id, names=["payments"]))
    review = make_review(
        alpha,
        status=Status.PUBLISHED,
        incident=incident,
        visibility=Visibility.ORGANISATION,
        learnings=(
            "Retries need a budget. Unbounded retries turned a blip into an outage.",
            "Dashboards lag.",
        ),
    )
    first, second = review.learnings.all()
    created = services.lessons_from_review(actor=alice, review=review, learning_ids=[first.pk])
    assert len(created) == 1
    lesson = created[0]
    assert lesson.statement == "Retries need a budget."
    assert "Unbounded retries" in lesson.context
    assert lesson.source_kind == SourceKind.REVIEW
    assert lesson.source_review == review and lesson.learning == first
    assert lesson.visibility == Visibility.ORGANISATION
    assert [t.name for t in lesson.tags.all()] == ["payments"]
    again = services.lessons_from_review(
        actor=alice, review=review, learning_ids=[first.pk, second.pk]
    )
    assert len(again) == 1 and Lesson.objects.count() == 2


def test_it_refuses_promoting_from_a_draft_or_foreign_review(alice, alpha, beta, charlie) -> None:
    draft = make_review(alpha, status=Status.DRAFT, learnings=("Something.",))
    with pytest.raises(ApplicationError) as exc:
        services.lessons_from_review(
            actor=alice, review=draft, learning_ids=[draft.learnings.get().pk]
        )
    assert "review" in exc.value.fields
    published = make_review(alpha, status=Status.PUBLISHED, learnings=("Something.",))
    with pytest.raises(NotFound):
        services.lessons_from_review(
            actor=charlie, review=published, learning_ids=[published.learnings.get().pk]
        )
    other = make_review(beta, status=Status.PUBLISHED, learnings=("Other.",))
    with pytest.raises(ApplicationError):
        services.lessons_from_review(
            actor=alice, review=published, learning_ids=[other.learnings.get().pk]
        )
    assert not Lesson.objects.exists()


def test_it_counts_an_application_once_per_target(bob, alpha) -> None:
    lesson = make_lesson(alpha)
    one, two = make_incident(alpha, title="One"), make_incident(alpha, title="Two")
    _, created = services.lesson_apply(actor=bob, lesson=lesson, target=one)
    assert created and lesson.applied_count == 1
    _, created = services.lesson_apply(actor=bob, lesson=lesson, target_id=one.pk)
    assert not created and lesson.applied_count == 1
    services.lesson_apply(actor=bob, lesson=lesson, target_id=two.pk, note="Saved us an hour")
    lesson.refresh_from_db()
    assert lesson.applied_count == 2
    assert LessonApplication.objects.filter(lesson=lesson).count() == 2


def test_it_refuses_applying_on_an_incident_the_actor_cannot_see(alpha, beta, charlie) -> None:
    lesson = make_lesson(beta, visibility=Visibility.ORGANISATION)
    hidden = make_incident(alpha, title="Alpha private")
    with pytest.raises(ApplicationError) as exc:
        services.lesson_apply(actor=charlie, lesson=lesson, target_id=hidden.pk)
    assert "target_id" in exc.value.fields
    private = make_lesson(alpha)
    with pytest.raises(NotFound):
        services.lesson_apply(actor=charlie, lesson=private, target=make_incident(beta))
    assert not LessonApplication.objects.exists()


def test_it_keeps_the_count_in_step_when_an_incident_or_application_goes(bob, alpha) -> None:
    lesson = make_lesson(alpha)
    one, two = make_incident(alpha, title="One"), make_incident(alpha, title="Two")
    services.lesson_apply(actor=bob, lesson=lesson, target=one)
    application, _ = services.lesson_apply(actor=bob, lesson=lesson, target=two)
    one.delete()
    lesson.refresh_from_db()
    assert lesson.applied_count == 1
    services.lesson_unapply(actor=bob, application=application)
    lesson.refresh_from_db()
    assert lesson.applied_count == 0
