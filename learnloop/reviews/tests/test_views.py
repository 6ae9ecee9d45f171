from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from learnloop.actions.models import Action
from learnloop.reviews import services, template_services
from learnloop.reviews.models import PrivateNote, Review, ReviewTemplate
from learnloop.reviews.tests.conftest import shipped


def _post_editor(client, review, **extra):
    data = {"version": review.version, "title": review.title, **extra}
    return client.post(f"/reviews/{review.pk}/save/", data)


def test_it_starts_a_review_from_an_incident(client_for, alice, incident) -> None:
    template = shipped("incident-review")
    page = client_for(alice).get(f"/reviews/new/?incident={incident.pk}")
    assert page.status_code == 200 and "Checkout failed" in page.content.decode()
    assert client_for(alice).get("/reviews/new/").status_code == 200
    bad = client_for(alice).post("/reviews/new/", {"team": "", "template": "999"})
    assert bad.status_code == 400 and "Choose a template." in bad.content.decode()
    response = client_for(alice).post(
        "/reviews/new/", {"incident": incident.pk, "template": template.pk}
    )
    review = Review.objects.get()
    assert response.status_code == 302 and response.url == f"/reviews/{review.pk}/edit/"
    assert review.incident == incident and review.title == "Checkout failed (incident review)"


def test_it_renders_the_editor_with_coach_marks(client_for, alice, review) -> None:
    response = client_for(alice).get(f"/reviews/{review.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-coach="1"' in html and "Contributing factor <span data-row-number>1</span>" in html
    assert html.count("<textarea") == html.count('data-coach="1"')
    assert "reviews/editor.js" in html and "<script>" not in html


def test_the_editor_offers_row_tools_a_blank_row_template_and_warns_of_past_due_dates(
    client_for, alice, review
) -> None:
    """Issue 11, item 12: rows can be removed and moved (buttons named after their row, shown
    by editor.js), new rows come from a <template>, a past due date is warned about."""
    client = client_for(alice)
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    later = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    _post_editor(
        client,
        review,
        **{
            "c-next_steps-title": ["Late step", "Timely step"],
            "c-next_steps-owner": ["", ""],
            "c-next_steps-due_date": [past, later],
            "c-next_steps-kind": ["prevent", "prevent"],
            "c-next_steps-action_id": ["", ""],
        },
    )
    review.refresh_from_db()
    assert [s["due_date"] for s in review.content["next_steps"]] == [past, later]  # not refused
    html = client.get(f"/reviews/{review.pk}/edit/").content.decode()
    assert html.count("<template data-row-template>") == sum(
        1 for s in review.sections if s["type"] != "rich_text"
    )
    assert 'Move up<span class="visually-hidden"> next step <span data-row-number>2</span>' in html
    assert 'Remove<span class="visually-hidden"> learning <span data-row-number>1</span>' in html
    warning = "The due date is in the past, so this action would be overdue from the start."
    assert 'aria-describedby="due-warning-next_steps-1"' in html
    assert f'id="due-warning-next_steps-1" data-due-warning>{warning}' in html
    assert 'id="due-warning-next_steps-2" data-due-warning hidden>' in html
    assert 'aria-describedby="due-warning-next_steps-2"' not in html
    assert '<label class="next-step-title">' in html


def test_it_saves_from_the_editor_form(client_for, alice, bob, review) -> None:
    response = _post_editor(
        client_for(alice),
        review,
        **{
            "c-summary": "Gateway *timeouts*",
            "c-timeline-at": ["2026-03-01T14:30", "2026-03-01T14:00", ""],
            "c-timeline-text": ["Rolled back", "Alert", ""],
            "c-contributing_factors-category": ["technology", ""],
            "c-contributing_factors-description": ["Short timeout", ""],
            "c-learnings-text": ["Canaries help", ""],
            "c-next_steps-title": ["Add canary", ""],
            "c-next_steps-owner": [str(bob.pk), ""],
            "c-next_steps-due_date": ["2030-01-01", ""],
            "c-next_steps-kind": ["detect", "prevent"],
            "c-next_steps-action_id": ["", ""],
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.version == 2
    assert [e["text"] for e in review.content["timeline"]] == ["Alert", "Rolled back"]
    assert review.content["next_steps"][0]["owner"] == bob.pk
    page = client_for(alice).get(f"/reviews/{review.pk}/").content.decode()
    assert "<em>timeouts</em>" in page and "Technology and tools" in page


def test_it_autosaves_and_answers_json(client_for, alice, review) -> None:
    client = client_for(alice)
    response = client.post(
        f"/reviews/{review.pk}/save/",
        {"version": 1, "title": review.title, "c-summary": "draft"},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = client.post(
        f"/reviews/{review.pk}/save/",
        {"version": 1, "title": review.title, "c-summary": "other"},
        headers={"X-Autosave": "1"},
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2 and stale.json()["error"]["code"] == "conflict"


def test_it_shows_the_conflict_view_and_keeps_my_text(client_for, alice, bob, review) -> None:
    _post_editor(client_for(alice), review, **{"c-summary": "Theirs text"})
    response = _post_editor(client_for(bob), review, **{"c-summary": "Mine text"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved while you were editing" in html
    assert "Theirs text" in html and "Mine text" in html
    assert 'name="version" value="2"' in html
    review.refresh_from_db()
    assert review.content["summary"] == "Theirs text"
    # Keep mine: the form now carries version 2.
    response = client_for(bob).post(
        f"/reviews/{review.pk}/save/",
        {"version": 2, "title": review.title, "c-summary": "Mine text", "resolve": "mine"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.content["summary"] == "Mine text" and review.version == 3


def test_it_shows_errors_next_to_the_row(client_for, alice, review) -> None:
    response = _post_editor(
        client_for(alice),
        review,
        **{"c-timeline-at": ["yesterday-ish"], "c-timeline-text": ["Something"]},
    )
    assert response.status_code == 400
    assert "Enter a date and time" in response.content.decode()
    review.refresh_from_db()
    assert review.version == 1


def test_it_refuses_to_publish_with_a_clear_message(client_for, alice, alpha) -> None:
    alpha.settings = {"learning_review": {"cooling_off_hours": 0}}
    alpha.save()
    review = services.review_create(
        actor=alice, template=shipped("24-hour-learning-review"), team=alpha
    )
    client = client_for(alice)
    _post_editor(client, review, **{"c-learnings-text": ["One", "Two"]})
    response = client.post(f"/reviews/{review.pk}/status/", {"status": "published"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Add 1 more learning (3 needed, 2 written)." in html
    assert "Add 2 more next steps (2 needed, 0 written)." in html


def test_it_closes_the_editor_while_cooling_off(client_for, alice, bob, learning_review) -> None:
    client = client_for(alice)
    assert client.get(f"/reviews/{learning_review.pk}/edit/").status_code == 302
    page = client.get(f"/reviews/{learning_review.pk}/").content.decode()
    assert "opens for writing on" in page and "Your private notes" in page
    client.post(f"/reviews/{learning_review.pk}/notes/", {"body": "Only mine, please."})
    assert PrivateNote.objects.get().author == alice
    assert "Only mine, please." in client.get(f"/reviews/{learning_review.pk}/").content.decode()
    other = client_for(bob).get(f"/reviews/{learning_review.pk}/").content.decode()
    assert "Only mine, please." not in other


def test_it_disables_send_for_review_and_publish_with_the_reason_while_cooling_off(
    client_for, alice, learning_review
) -> None:
    """Issue 11, item 4: no button that can only answer with a 400; the reason is beside them."""
    import re

    client = client_for(alice)
    page = client.get(f"/reviews/{learning_review.pk}/").content.decode()
    for name in ("Send for review", "Publish"):
        button = re.search(rf"<button [^>]*>{name}</button>", page)
        assert button is not None
        assert "disabled" in button.group(0)
        assert 'aria-describedby="workflow-cooling"' in button.group(0)
    assert '<p id="workflow-cooling"' in page
    assert "Sending for review and publishing open with the review, on" in page
    # Sending for review is refused like writing, not only hidden (the API shares the service).
    response = client.post(f"/reviews/{learning_review.pk}/status/", {"status": "in_review"})
    assert response.status_code == 400
    assert Review.objects.get(pk=learning_review.pk).status == "draft"

    Review.objects.filter(pk=learning_review.pk).update(
        opens_at=timezone.now() - dt.timedelta(minutes=1)
    )
    page = client.get(f"/reviews/{learning_review.pk}/").content.decode()
    publish = re.search(r"<button [^>]*>Publish</button>", page)
    assert publish is not None and "disabled" not in publish.group(0)
    assert "workflow-cooling" not in page


def test_it_warns_of_vague_learnings_and_unowned_next_steps_but_still_publishes(
    client_for, alice, alpha
) -> None:
    """Issue 11, item 6: "Be more careful" and "Test more" are named with a question, a next
    step without owner or due date is named before it becomes an action; publishing is not
    blocked, and what is still missing is said after publishing too."""
    alpha.settings = {"learning_review": {"cooling_off_hours": 0}}
    alpha.save()
    review = services.review_create(
        actor=alice, template=shipped("24-hour-learning-review"), team=alpha
    )
    client = client_for(alice)
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    _post_editor(
        client,
        review,
        **{
            "c-learnings-text": [
                "Be more careful",
                "Test more.",
                "Badge lists live in two places, so a vendor update resets one.",
            ],
            "c-next_steps-title": ["Single source for badge lists", "Ask the vendor"],
            "c-next_steps-owner": ["", str(alice.pk)],
            "c-next_steps-due_date": ["", due],
            "c-next_steps-kind": ["prevent", "detect"],
            "c-next_steps-action_id": ["", ""],
        },
    )
    editor = client.get(f"/reviews/{review.pk}/edit/").content.decode()
    assert editor.count("This learning does not say what to change yet.") == 2
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert "Worth a look before publishing" in page
    assert "Learning 1, “Be more careful”, does not say what to change." in page
    assert "Learning 2, “Test more.”, does not say what to change. Which test, of what" in page
    assert "Learning 3" not in page.split("Worth a look before publishing")[1].split("</div>")[0]
    assert "Next step 1, “Single source for badge lists”, has no owner and no due date yet" in page
    assert "Next step 2" not in page.split("Worth a look before publishing")[1]
    response = client.post(f"/reviews/{review.pk}/status/", {"status": "published"}, follow=True)
    body = response.content.decode()
    assert Review.objects.get(pk=review.pk).status == "published"
    assert (
        "1 of its actions still needs an owner or a due date: “Single source for badge lists”"
        in body
    )
    assert "Worth a look before publishing" not in body


def test_it_hides_private_notes_even_from_org_admins(
    client_for, alice, bob, learning_review
) -> None:
    services.private_note_save(actor=bob, review=learning_review, body="Bob's secret")
    alice.is_org_admin = True
    alice.save()
    for path in ("", "edit/", "history/", "history/1/"):
        page = client_for(alice).get(f"/reviews/{learning_review.pk}/{path}", follow=True)
        assert "Bob&#x27;s secret" not in page.content.decode()
        assert "Bob's secret" not in page.content.decode()


def test_it_lists_and_filters_reviews(client_for, alice, review, alpha) -> None:
    services.review_create(actor=alice, template=shipped("experiment-review"), team=alpha)
    client = client_for(alice)
    assert client.get("/reviews/").content.decode().count("/reviews/") >= 2
    page = client.get(f"/reviews/?template={shipped('experiment-review').pk}").content.decode()
    assert "Experiment review" in page and "Checkout failed (incident review)" not in page
    page = client.get("/reviews/?status=published").content.decode()
    assert "No reviews match" in page


def test_it_shows_history_and_a_diff(client_for, alice, review) -> None:
    client = client_for(alice)
    _post_editor(client, review, **{"c-summary": "First words"})
    history = client.get(f"/reviews/{review.pk}/history/").content.decode()
    assert "Version 2" in history and "Changed: Summary" in history
    diff = client.get(f"/reviews/{review.pk}/history/2/").content.decode()
    assert "+First words" in diff


def test_history_records_no_version_for_a_save_that_changes_nothing(
    client_for, alice, review
) -> None:
    """Issue 11, item 12: Save pressed twice, or an autosave of what is already saved."""
    client = client_for(alice)
    _post_editor(client, review, **{"c-summary": "First words"})
    review.refresh_from_db()
    assert review.version == 2
    _post_editor(client, review, **{"c-summary": "First words"})
    response = client.post(
        f"/reviews/{review.pk}/save/",
        {"version": 2, "title": review.title, "c-summary": "First words  "},
        HTTP_X_AUTOSAVE="1",
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    review.refresh_from_db()
    assert review.version == 2
    history = client.get(f"/reviews/{review.pk}/history/").content.decode()
    assert "No changes" not in history and "Version 3" not in history


def test_it_previews_markdown_sanitised(client_for, alice, review) -> None:
    response = client_for(alice).post(
        f"/reviews/{review.pk}/preview/",
        {"field": "c-summary", "c-summary": "**bold** <script>alert(1)</script>"},
    )
    html = response.content.decode()
    assert "<strong>bold</strong>" in html and "<script>" not in html


def test_it_copies_and_edits_a_template_in_the_ui(client_for, alice, alpha) -> None:
    client = client_for(alice)
    assert "24-hour learning review" in client.get("/reviews/templates/").content.decode()
    response = client.post(
        f"/reviews/templates/{shipped('after-action-review').pk}/copy/", {"team": alpha.pk}
    )
    copy = ReviewTemplate.objects.get(team=alpha)
    assert response.url == f"/reviews/templates/{copy.pk}/edit/"
    bad = client.post(
        f"/reviews/templates/{copy.pk}/edit/",
        {
            "name": "",
            "cooling_off_hours": "2",
            "version": "1",
            "s-position": ["1", "2"],
            "s-key": ["intended", "intended"],
            "s-title": ["Plan", "Also plan"],
            "s-type": ["rich_text", "list"],
            "s-prompt": ["", ""],
            "s-min_count": ["3", "0"],
        },
    )
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "Name the template." in html and "used twice" in html and "Free text cannot" in html
    copy.refresh_from_db()
    assert len(copy.sections) == 7
    ok = client.post(
        f"/reviews/templates/{copy.pk}/edit/",
        {
            "name": "Our AAR",
            "cooling_off_hours": "0",
            "version": "1",
            "s-position": ["2", "1", "3"],
            "s-key": ["plan", "learnings", ""],
            "s-title": ["Plan", "Learnings", ""],
            "s-type": ["rich_text", "learnings", ""],
            "s-prompt": ["What was the plan?", "", ""],
            "s-min_count": ["0", "4", "0"],
        },
    )
    assert ok.status_code == 302
    copy.refresh_from_db()
    assert copy.name == "Our AAR"
    assert [s["key"] for s in copy.sections] == ["learnings", "plan"]
    assert copy.sections[0]["min_count"] == 4


def test_it_shows_reviews_on_the_incident_partial(alice, review, incident) -> None:
    from learnloop.reviews.incident_panel import panel_html

    html = panel_html(alice, incident, "")
    assert review.title in html and "Start a review" in html


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_it_hides_everything_from_other_teams(
    request, client_for, who, review, learning_review, alpha, alice
) -> None:
    services.private_note_save(actor=alice, review=learning_review, body="note")
    copy = template_services.template_copy(
        actor=alice, template=shipped("incident-review"), team=alpha
    )
    client = client_for(request.getfixturevalue(who))
    before = (review.version, review.content)
    gets = [
        f"/reviews/{review.pk}/",
        f"/reviews/{review.pk}/edit/",
        f"/reviews/{review.pk}/history/",
        f"/reviews/{review.pk}/history/1/",
        f"/reviews/{learning_review.pk}/",
        f"/reviews/templates/{copy.pk}/edit/",
        f"/reviews/new/?incident={review.incident_id}",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = {
        f"/reviews/{review.pk}/save/": {"version": 1, "c-summary": "hacked"},
        f"/reviews/{review.pk}/status/": {"status": "published"},
        f"/reviews/{review.pk}/participants/": {"participants": []},
        f"/reviews/{review.pk}/preview/": {"field": "c-summary"},
        f"/reviews/{learning_review.pk}/notes/": {"body": "mine now"},
        f"/reviews/templates/{copy.pk}/edit/": {"name": "x"},
        f"/reviews/templates/{copy.pk}/copy/": {"team": alpha.pk},
        "/reviews/new/": {"incident": review.incident_id, "template": copy.pk},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    review.refresh_from_db()
    assert (review.version, review.content) == before and review.status == "draft"
    assert PrivateNote.objects.get().body == "note"
    assert ReviewTemplate.objects.filter(team=alpha).count() == 1
    listing = client.get("/reviews/").content.decode()
    assert review.title not in listing
    assert f"/reviews/{learning_review.pk}/" not in listing
    assert copy.name not in client.get("/reviews/templates/").content.decode()


def test_it_lets_other_teams_read_but_not_edit_organisation_reviews(
    client_for, charlie, review
) -> None:
    Review.objects.filter(pk=review.pk).update(visibility="organisation")
    client = client_for(charlie)
    assert client.get(f"/reviews/{review.pk}/").status_code == 200
    assert client.get(f"/reviews/{review.pk}/edit/").status_code == 404
    assert client.post(f"/reviews/{review.pk}/save/", {"version": 1}).status_code == 404


def test_it_needs_sign_in(client, review) -> None:
    assert client.get(f"/reviews/{review.pk}/").status_code == 302
    assert client.get("/reviews/").status_code == 302


def test_it_creates_actions_when_published_from_the_ui(client_for, alice, review) -> None:
    client = client_for(alice)
    _post_editor(
        client,
        review,
        **{
            "c-next_steps-title": ["Add canary"],
            "c-next_steps-owner": [""],
            "c-next_steps-due_date": [""],
            "c-next_steps-kind": ["detect"],
            "c-next_steps-action_id": [""],
        },
    )
    client.post(f"/reviews/{review.pk}/status/", {"status": "published"})
    action = Action.objects.get()
    assert action.review == review and action.kind == "detect"
    review.refresh_from_db()
    assert review.published_at and review.published_at <= timezone.now() + dt.timedelta(seconds=1)
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert f"/lessons/from-review/{review.pk}/" in page


def test_a_stale_template_form_gets_the_conflict_view_and_loses_nothing(
    client_for, alice, bob, alpha
) -> None:
    """Decision 0014: team templates refuse stale saves like every other editable object."""
    copy = template_services.template_copy(
        actor=alice, template=shipped("after-action-review"), team=alpha
    )
    url = f"/reviews/templates/{copy.pk}/edit/"
    form = {
        "cooling_off_hours": "0",
        "s-position": ["1"],
        "s-key": ["plan"],
        "s-title": ["Plan"],
        "s-type": ["rich_text"],
        "s-prompt": [""],
        "s-min_count": ["0"],
    }
    a, b = client_for(alice), client_for(bob)
    assert 'name="version" value="1"' in a.get(url).content.decode()
    assert a.post(url, {**form, "name": "Alice's AAR", "version": "1"}).status_code == 302
    response = b.post(url, {**form, "name": "Bob's AAR", "version": "1"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this template meanwhile" in html
    assert "Alice&#x27;s AAR" in html and 'value="Bob&#x27;s AAR"' in html
    assert 'name="version" value="2"' in html
    copy.refresh_from_db()
    assert (copy.name, copy.version) == ("Alice's AAR", 2)
