from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.lessons.models import Lesson, LessonApplication, SourceKind
from learnloop.reviews.models import Status
from learnloop.testing.builders import make_incident, make_lesson, make_review

LIBRARY = "/lessons/"


@pytest.fixture
def lessons(alpha, beta):
    return {
        "alpha_private": make_lesson(alpha, statement="Alpha private lesson", tags=["dns"]),
        "alpha_shared": make_lesson(
            alpha, statement="Alpha shared lesson", visibility=Visibility.ORGANISATION, tags=["tls"]
        ),
        "beta_private": make_lesson(beta, statement="Beta private lesson"),
    }


def test_it_shows_the_library_in_the_navigation(client_for, bob) -> None:
    response = client_for(bob).get("/")
    assert b'href="/lessons/"' in response.content and b"Library" in response.content


def test_it_lists_only_lessons_the_viewer_may_see(
    client_for, bob, charlie, mallory, lessons
) -> None:
    page = client_for(bob).get(LIBRARY).content.decode()
    assert "Alpha private lesson" in page and "Alpha shared lesson" in page
    assert "Beta private lesson" not in page
    page = client_for(charlie).get(LIBRARY).content.decode()
    assert "Alpha private lesson" not in page and "Alpha shared lesson" in page
    assert "Beta private lesson" in page
    page = client_for(mallory).get(LIBRARY).content.decode()
    assert "lesson" in page and "Alpha" not in page and "Beta private" not in page


def test_it_requires_sign_in(client, lessons) -> None:
    response = client.get(LIBRARY)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_filters_and_sorts(client_for, bob, alpha, beta, lessons) -> None:
    c = client_for(bob)
    review = make_review(alpha, status=Status.PUBLISHED)
    from_review = make_lesson(
        alpha, statement="From the review", source_kind=SourceKind.REVIEW, source_review=review
    )
    Lesson.objects.filter(pk=lessons["alpha_private"].pk).update(
        created_at=dt.datetime(2020, 1, 5, tzinfo=dt.UTC), applied_count=7
    )

    def shown(**params: str) -> list[str]:
        response = c.get(LIBRARY, params)
        assert response.status_code == 200
        return [lesson.statement for lesson in response.context["page"].items]

    assert shown(tag="DNS") == ["Alpha private lesson"]
    assert shown(kind="review") == ["From the review"]
    assert shown(source=f"review:{review.pk}") == ["From the review"]
    assert shown(team="beta") == []
    assert shown(team="alpha", to="2020-12-31") == ["Alpha private lesson"]
    assert "Alpha private lesson" not in shown(**{"from": "2021-01-01"})
    assert shown(sort="applied")[0] == "Alpha private lesson"
    assert shown(sort="statement") == sorted(shown(sort="statement"))
    assert from_review.statement in shown(kind="nonsense", sort="nonsense", to="not-a-date")


def test_it_paginates_with_a_capped_count(client_for, bob, alpha) -> None:
    Lesson.objects.bulk_create(
        Lesson(
            team=alpha,
            organisation_id=alpha.organisation_id,
            statement=f"Lesson {n:03d}",
            visibility=Visibility.TEAM,
        )
        for n in range(30)
    )
    c = client_for(bob)
    first = c.get(LIBRARY).context["page"]
    assert len(first.items) == 25 and first.has_next and first.count == 30
    second = c.get(LIBRARY, {"page": "2"}).context["page"]
    assert len(second.items) == 5 and not second.has_next
    assert c.get(LIBRARY, {"page": "x"}).status_code == 200


def test_the_library_runs_a_bounded_number_of_queries(client_for, bob, alpha, beta) -> None:
    c = client_for(bob)

    def add(n: int) -> None:
        for i in range(n):
            make_lesson(
                alpha if i % 2 else beta,
                statement=f"Lesson {i}",
                tags=[f"t{i % 5}", "shared"],
                visibility=Visibility.ORGANISATION,
            )

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert c.get(LIBRARY, {"sort": "applied"}).status_code == 200
    add(40)
    with CaptureQueriesContext(connection) as many:
        assert c.get(LIBRARY, {"sort": "applied"}).status_code == 200
    assert len(many) <= len(few) + 1  # +1: the capped count once there is a second page
    assert len(many) <= 12, [q["sql"] for q in many.captured_queries]


def test_it_shows_a_lesson_and_hides_private_ones_from_other_teams(
    client_for, bob, charlie, mallory, lessons
) -> None:
    private, shared = lessons["alpha_private"], lessons["alpha_shared"]
    assert client_for(bob).get(f"/lessons/{private.pk}/").status_code == 200
    assert client_for(charlie).get(f"/lessons/{shared.pk}/").status_code == 200
    for person in (charlie, mallory):
        c = client_for(person)
        for url in (
            f"/lessons/{private.pk}/",
            f"/lessons/{private.pk}/edit/",
            f"/lessons/{private.pk}/delete/",
        ):
            assert c.get(url).status_code == 404, (person, url)
        assert c.post(f"/lessons/{private.pk}/edit/", {"statement": "x"}).status_code == 404
        assert c.post(f"/lessons/{private.pk}/delete/").status_code == 404
        assert c.post(f"/lessons/{private.pk}/apply/", {"incident": "1"}).status_code == 404
    # Seeing a shared lesson does not let another team edit it.
    assert client_for(charlie).get(f"/lessons/{shared.pk}/edit/").status_code == 404
    assert client_for(mallory).get(f"/lessons/{shared.pk}/").status_code == 404
    private.refresh_from_db()
    assert private.statement == "Alpha private lesson" and Lesson.objects.count() == 3
    assert not LessonApplication.objects.exists()


def test_it_creates_edits_and_deletes_a_lesson(client_for, bob, alpha) -> None:
    c = client_for(bob)
    response = c.post(
        "/lessons/new/",
        {"team": alpha.pk, "statement": "Write it down.", "tags": "habits", "visibility": "team"},
    )
    lesson = Lesson.objects.get()
    assert response["Location"] == f"/lessons/{lesson.pk}/"
    response = c.post("/lessons/new/", {"team": alpha.pk, "statement": "", "visibility": "team"})
    assert response.status_code == 200 and b"errorlist" in response.content
    c.post(
        f"/lessons/{lesson.pk}/edit/",
        {
            "statement": "Write it down today.",
            "context": "",
            "tags": "",
            "visibility": "organisation",
            "version": 1,
        },
    )
    lesson.refresh_from_db()
    assert lesson.statement == "Write it down today." and lesson.visibility == "organisation"
    assert c.post(f"/lessons/{lesson.pk}/delete/").status_code == 302
    assert not Lesson.objects.exists()


def test_applied_here_counts_one_more_reuse_with_htmx(client_for, bob, alpha, beta) -> None:
    lesson = make_lesson(alpha)
    incident = make_incident(alpha, title="Checkout slow again")
    hidden = make_incident(beta, title="Beta private incident")
    c = client_for(bob)
    page = c.get(f"/lessons/{lesson.pk}/").content.decode()
    assert "Checkout slow again" in page and "Beta private incident" not in page
    response = c.post(
        f"/lessons/{lesson.pk}/apply/", {"incident": incident.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b'data-testid="applied-count">1<' in response.content
    response = c.post(
        f"/lessons/{lesson.pk}/apply/", {"incident": hidden.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and b"Choose an incident you can see" in response.content
    lesson.refresh_from_db()
    assert lesson.applied_count == 1


def test_it_promotes_learnings_from_a_review_page(client_for, bob, charlie, mallory, alpha) -> None:
    review = make_review(
        alpha,
        status=Status.PUBLISHED,
        learnings=("Small batches are easier to roll back.", "Write runbooks."),
    )
    url = reverse("lessons:from-review", args=[review.pk])
    c = client_for(bob)
    page = c.get(url).content.decode()
    assert "Small batches are easier to roll back." in page
    for person in (charlie, mallory):
        assert client_for(person).get(url).status_code == 404
        learning_id = review.learnings.first().pk
        assert client_for(person).post(url, {"learning": learning_id}).status_code == 404
    assert not Lesson.objects.exists()
    response = c.post(url, {"learning": [review.learnings.first().pk]})
    assert response.status_code == 302
    assert Lesson.objects.get().statement == "Small batches are easier to roll back."
    assert c.post(url, {}).status_code == 400


def test_the_library_filter_selects_exactly_what_the_visibility_rule_allows(
    alice, bob, charlie, mallory, alpha, beta, lessons
) -> None:
    from django.contrib.auth.models import AnonymousUser

    from learnloop.lessons.selectors import lessons_visible

    make_lesson(beta, statement="Beta shared", visibility=Visibility.ORGANISATION)
    for person in (alice, bob, charlie, mallory, AnonymousUser()):
        expected = set(Lesson.objects.visible_to(person).values_list("pk", flat=True))
        assert set(lessons_visible(person).values_list("pk", flat=True)) == expected


def test_the_home_page_shows_new_lessons_only_when_there_are_some(
    client_for, bob, charlie, alpha
) -> None:
    assert b"New in the library" not in client_for(bob).get("/").content
    make_lesson(alpha, statement="Alpha private lesson")
    assert b"Alpha private lesson" in client_for(bob).get("/").content
    assert b"New in the library" not in client_for(charlie).get("/").content


def test_the_filters_answer_an_htmx_request_with_the_results_only(client_for, bob, lessons) -> None:
    response = client_for(bob).get(
        LIBRARY, {"tag": "dns"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="lesson-results"
    )
    page = response.content.decode()
    assert "Alpha private lesson" in page and "<html" not in page


def test_applied_here_accepts_an_anonymous_report_with_a_negative_id(bob, alpha) -> None:
    from learnloop.lessons import services

    lesson = make_lesson(alpha)
    incident = make_incident(alpha, title="Anonymous report")
    from learnloop.incidents.models import Incident

    Incident.objects.filter(pk=incident.pk).update(id=-4242)
    _, created = services.lesson_apply(actor=bob, lesson=lesson, target_id=-4242)
    assert created and LessonApplication.objects.get().target_id == -4242
