"""Share on purpose (decisions/0171): a preview of exactly what becomes visible, the team and
visibility chosen, named or anonymous; the lesson never links back to the entry, and only the
author sees that the entry was shared."""

from __future__ import annotations

import pytest

from learnloop.core.models import Tag, Visibility
from learnloop.journal import services
from learnloop.journal.models import Entry
from learnloop.lessons.models import Lesson, SourceKind


@pytest.fixture
def entry(bob) -> Entry:
    return services.entry_create(
        actor=bob,
        framework_key="24-hour-rule",
        title="The Friday deploy",
        answers={
            "learning_1": "Small deploys are easier to roll back. We shipped 40 changes at once.",
            "learning_2": "Private thought I keep to myself.",
        },
        tags=["deploys"],
    )


def _form(alpha, **extra: str) -> dict[str, str]:
    return {
        "statement": "Small deploys are easier to roll back.",
        "context": "We shipped 40 changes at once.",
        "team": str(alpha.pk),
        "visibility": "organisation",
        "tags": "deploys",
        **extra,
    }


def test_the_form_is_prefilled_from_the_entry_with_the_coach_and_no_kept_flags(
    client_for, bob, entry
) -> None:
    html = client_for(bob).get(f"/journal/{entry.pk}/share/").content.decode()
    assert 'data-coach-scope="statement context"' in html and "data-coach-target" not in html
    assert "Small deploys are easier to roll back." in html  # the first sentence, prefilled
    assert "Share anonymously" in html


def test_preview_shows_exactly_what_becomes_visible_and_writes_nothing(
    client_for, bob, alpha, entry
) -> None:
    c = client_for(bob)
    page = c.post(f"/journal/{entry.pk}/share/", {**_form(alpha), "action": "preview"})
    html = page.content.decode()
    assert page.status_code == 200 and "Exactly what becomes visible" in html
    assert "everyone in Acme" in html and "by Bob" in html
    assert "Private thought" not in html.split("Exactly what becomes visible")[1]
    assert not Lesson.objects.exists()
    entry.refresh_from_db()
    assert not entry.shared


def test_a_named_share_becomes_a_lesson_without_a_link_back(
    client_for, bob, alice, charlie, mallory, alpha, entry
) -> None:
    response = client_for(bob).post(
        f"/journal/{entry.pk}/share/", {**_form(alpha), "action": "share"}
    )
    lesson = Lesson.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/lessons/{lesson.pk}/"
    assert lesson.source_kind == SourceKind.JOURNAL and lesson.created_by == bob
    assert lesson.visibility == Visibility.ORGANISATION and lesson.team == alpha
    assert lesson.context == "We shipped 40 changes at once."
    entry.refresh_from_db()
    assert entry.shared_lesson == lesson and entry.version == 1
    for viewer in (alice, charlie):
        html = client_for(viewer).get(f"/lessons/{lesson.pk}/").content.decode()
        assert "Small deploys" in html and "/journal/" not in html.split("<main")[1]
    assert client_for(mallory).get(f"/lessons/{lesson.pk}/").status_code == 404
    assert "You shared a learning" in client_for(bob).get(f"/journal/{entry.pk}/").content.decode()
    api = client_for(alice).get(f"/api/lessons/{lesson.pk}").json()
    assert "journal" not in str({k: v for k, v in api.items() if k != "source_kind"}).lower()


def test_an_anonymous_share_has_no_author_no_time_and_no_mark_that_names_it(
    client_for, bob, alice, alpha, entry
) -> None:
    updated_before = entry.updated_at
    response = client_for(bob).post(
        f"/journal/{entry.pk}/share/",
        {**_form(alpha, tags="deploys, brand-new-anon-tag", anonymous="on"), "action": "share"},
    )
    assert response.status_code == 302 and response["Location"] == "/journal/shared/"
    lesson = Lesson.objects.get()
    assert lesson.is_anonymous and lesson.created_by_id is None and lesson.pk < 0
    assert (lesson.created_at.hour, lesson.created_at.minute, lesson.created_at.second) == (0, 0, 0)
    assert lesson.updated_at == lesson.created_at
    assert Tag.objects.get(name="brand-new-anon-tag").pk < 0
    entry.refresh_from_db()
    assert entry.shared_anonymously and entry.shared_lesson_id is None
    assert entry.updated_at == updated_before and entry.version == 1
    html = client_for(alice).get(f"/lessons/{lesson.pk}/").content.decode()
    assert "shared anonymously" in html and "Bob" not in html.split("<main")[1]
    assert client_for(alice).get(f"/api/lessons/{lesson.pk}").status_code == 200
    shared = client_for(bob).get(f"/journal/{entry.pk}/").content.decode()
    assert "anonymously" in shared and f"/lessons/{lesson.pk}/" not in shared


def test_bad_shares_are_refused_naming_the_field_and_write_nothing(
    client_for, bob, alice, beta, alpha, entry
) -> None:
    c = client_for(bob)
    for data, field in (
        ({"team": str(beta.pk)}, "team"),
        ({"statement": ""}, "statement"),
        ({"statement": "x" * 301}, "statement"),
        ({"visibility": "world"}, "visibility"),
        ({"tags": "t" * 61}, "tags"),
    ):
        page = c.post(f"/journal/{entry.pk}/share/", {**_form(alpha), **data, "action": "share"})
        assert page.status_code == 400, data
        assert field in page.context["form"].errors, data
    assert not Lesson.objects.exists()
    # Someone else cannot share (or even open) another person's entry.
    assert (
        client_for(alice)
        .post(f"/journal/{entry.pk}/share/", {**_form(alpha), "action": "share"})
        .status_code
        == 404
    )
    assert not Lesson.objects.exists()


def test_the_api_shares_named_and_anonymously(client_for, bob, alice, alpha, entry) -> None:
    import json

    def post(user, body):
        return client_for(user).post(
            f"/api/journal/entries/{entry.pk}/share",
            data=json.dumps(body),
            content_type="application/json",
        )

    named = post(bob, {"team": "alpha", "statement": "Ship small."})
    assert named.status_code == 201, named.content
    assert named.json() == {
        "shared": True,
        "anonymous": False,
        "lesson_id": Lesson.objects.get().pk,
    }
    anon = post(bob, {"team": "alpha", "statement": "Ask early.", "anonymous": True})
    assert anon.status_code == 201 and anon.json()["lesson_id"] is None
    assert Lesson.objects.get(statement="Ask early.").created_by_id is None
    bad = post(bob, {"team": "beta", "statement": "x"})
    assert bad.status_code == 400 and "team" in bad.json()["error"]["fields"]
    assert post(alice, {"team": "alpha", "statement": "x"}).status_code == 404
    assert Lesson.objects.count() == 2
