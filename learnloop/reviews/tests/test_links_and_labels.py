"""Issue 11 item 9: no dead ends, no doubled wording, no raw keys, a picker that fits the kind."""

from __future__ import annotations

import re

from learnloop.actions.services import action_create
from learnloop.incidents.models import Incident
from learnloop.reviews import services
from learnloop.reviews.models import Status
from learnloop.reviews.tests.conftest import shipped
from learnloop.testing.builders import make_lesson, make_review


def _selected_option(page: str, select_id: str) -> str:
    select = re.search(rf'<select id="{select_id}".*?</select>', page, re.S)
    assert select is not None
    option = re.search(r'<option value="\d+" selected>([^<]*)</option>', select.group(0))
    assert option is not None
    return option.group(1)


def test_team_page_links_to_what_the_team_has(client_for, alice, alpha) -> None:
    page = client_for(alice).get("/teams/alpha/").content.decode()
    for href in (
        "/incidents/dashboard/?team=alpha",
        "/incidents/?team=alpha",
        "/reviews/?team=alpha",
        "/actions/?team=alpha",
        "/reviews/templates/",
        "#members-h",
    ):
        assert f'href="{href}"' in page, href


def test_an_action_links_its_incident_and_review(client_for, alice, alpha, incident) -> None:
    review = services.review_create(
        actor=alice, template=shipped("incident-review"), incident=incident
    )
    action = action_create(
        actor=alice, team=alpha, title="Add a timeout", review=review, incident=incident
    )
    page = client_for(alice).get(f"/actions/{action.pk}/").content.decode()
    assert f'<a href="/incidents/{incident.pk}/">Checkout failed</a>' in page
    assert f'<a href="/reviews/{review.pk}/">Checkout failed (incident review)</a>' in page


def test_a_lessons_source_review_links_to_the_review(client_for, alice, alpha) -> None:
    review = make_review(alpha, title="Checkout review", status=Status.PUBLISHED)
    lesson = make_lesson(alpha, source_review=review)
    page = client_for(alice).get(f"/lessons/{lesson.pk}/").content.decode()
    assert f'from <a href="/reviews/{review.pk}/">Checkout review</a>' in page


def test_a_review_title_never_doubles_review(alice, alpha, incident) -> None:
    review = services.review_create(
        actor=alice, template=shipped("incident-review"), incident=incident
    )
    assert review.title == "Checkout failed (incident review)"
    assert not review.title.lower().startswith("review")


def test_the_picker_chooses_by_kind_and_names_the_team_once(client_for, alice, alpha) -> None:
    from learnloop.reviews import template_services

    template_services.template_copy(actor=alice, template=shipped("incident-review"), team=alpha)
    client = client_for(alice)
    expected = {
        "service_incident": "Incident review (Alpha)",  # the team's own copy first
        "setback": "24-hour learning review (opens after 24 h)",
        "near_miss": "After-action review",
    }
    for kind, name in expected.items():
        incident = Incident.objects.create(team=alpha, title=f"A {kind}", kind=kind)
        page = client.get(f"/incidents/{incident.pk}/").content.decode()
        assert _selected_option(page, "incident-review-template") == name, kind
        page = client.get(f"/reviews/new/?incident={incident.pk}").content.decode()
        assert _selected_option(page, "id_template") == name, kind
    page = client.get("/reviews/new/").content.decode()
    assert "· Alpha" not in page and "Alpha’s templates" in page
    assert "(Alpha) · Alpha" not in client.get("/reviews/").content.decode()


def test_a_team_default_template_wins_over_the_kind(client_for, alice, alpha) -> None:
    alpha.settings = {"default_template": shipped("experiment-review").pk}
    alpha.save()
    incident = Incident.objects.create(team=alpha, title="Slow", kind="setback")
    page = client_for(alice).get(f"/reviews/new/?incident={incident.pk}").content.decode()
    assert _selected_option(page, "id_template") == "Experiment review"


def test_the_template_editor_shows_labels_not_keys(client_for, alice, alpha) -> None:
    from learnloop.reviews import template_services

    copy = template_services.template_copy(
        actor=alice, template=shipped("incident-review"), team=alpha
    )
    page = client_for(alice).get(f"/reviews/templates/{copy.pk}/edit/").content.decode()
    assert '<option value="rich_text" selected>Free text</option>' in page
    assert ">rich_text<" not in page and ">next_steps<" not in page
