"""Web pages: the list, the card form, the card page and its steps, the phase rules page;
charlie (other team) and mallory (other organisation) get 404 on every URL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from learnloop.experiments import approvals
from learnloop.experiments.learning import learning_card_create
from learnloop.experiments.models import Experiment, State
from learnloop.lessons.models import Lesson
from learnloop.testing.builders import make_experiment

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(alpha, bob) -> Experiment:
    return make_experiment(alpha, title="Alpha secret test", created_by=bob, owner=bob)


def _urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/experiments/{pk}/"),
        ("get", f"/experiments/{pk}/edit/"),
        ("post", f"/experiments/{pk}/edit/"),
        ("post", f"/experiments/{pk}/submit/"),
        ("post", f"/experiments/{pk}/approve/"),
        ("post", f"/experiments/{pk}/reject/"),
        ("post", f"/experiments/{pk}/start/"),
        ("post", f"/experiments/{pk}/move/"),
        ("post", f"/experiments/{pk}/learning-card/"),
        ("post", f"/experiments/{pk}/cards/1/lesson/"),
        ("get", "/experiments/rules/alpha/"),
        ("post", "/experiments/rules/alpha/"),
        ("get", "/experiments/?team=alpha"),
    ]


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_other_teams_and_organisations_get_404_everywhere(request, client_for, card, who) -> None:
    client = client_for(request.getfixturevalue(who))
    for method, url in _urls(card.pk):
        response = getattr(client, method)(url, {"phase": "explore"} if method == "post" else {})
        assert response.status_code == 404, (who, method, url, response.status_code)
    card.refresh_from_db()
    assert card.state == State.DRAFT and card.version == 1


def test_an_organisation_visible_card_is_read_only_for_charlie(client_for, charlie, card) -> None:
    card.visibility = "organisation"
    card.save()
    client = client_for(charlie)
    page = client.get(f"/experiments/{card.pk}/")
    assert page.status_code == 200 and "Submit for approval" not in page.content.decode()
    assert client.post(f"/experiments/{card.pk}/submit/").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, card) -> None:
    assert client.get(f"/experiments/{card.pk}/").status_code == 302


def test_create_a_card_from_the_form(client_for, alice, bob, alpha) -> None:
    client = client_for(alice)
    page = client.get("/experiments/new/?team=alpha")
    assert page.status_code == 200 and "We believe that" in page.content.decode()
    response = client.post(
        "/experiments/new/",
        {
            "team": alpha.pk,
            "kind": "experiment",
            "title": "Pairing on call",
            "hypothesis": "pairing halves escalations",
            "test": "pair for two weeks",
            "metric": "escalations",
            "success_criterion": "fewer than 3",
            "budget": "0",
            "time_box_days": "14",
            "person_days": "4",
            "owner": bob.pk,
            "participants": [alice.pk, bob.pk],
            "phase": "explore",
            "visibility": "team",
        },
    )
    card = Experiment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/experiments/{card.pk}/"
    assert card.time_box_days == 14 and card.owner == bob


def test_bad_input_shows_on_the_form(client_for, alice, alpha) -> None:
    response = client_for(alice).post(
        "/experiments/new/",
        {
            "team": alpha.pk,
            "kind": "experiment",
            "title": "x",
            "budget": "-5",
            "phase": "explore",
            "visibility": "team",
            "time_box_days": "-1",
            "person_days": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"budget", "time_box_days"}
    assert not Experiment.objects.exists()


def test_a_stale_edit_shows_the_conflict(client_for, alice, bob, card, form_as_posted) -> None:
    page = client_for(alice).get(f"/experiments/{card.pk}/edit/")
    data = form_as_posted(page)
    client_for(bob).post(f"/experiments/{card.pk}/edit/", {**data, "title": "Bob's title"})
    response = client_for(alice).post(f"/experiments/{card.pk}/edit/", {**data, "title": "Mine"})
    assert response.status_code == 409 and "Bob&#x27;s title" in response.content.decode()
    card.refresh_from_db()
    assert card.title == "Bob's title"


def test_the_whole_path_through_the_pages(client_for, alice, bob, card) -> None:
    card.phase = "experiment"
    card.budget = Decimal("10000")
    card.save()
    b = client_for(bob)
    assert b.post(f"/experiments/{card.pk}/submit/").status_code == 302
    page = b.get(f"/experiments/{card.pk}/").content.decode()
    assert "Waiting for approval" in page and "Approve" not in page.split("Next step")[1][:400]
    a = client_for(alice)
    assert "Reject with this reason" in a.get(f"/experiments/{card.pk}/").content.decode()
    assert a.post(f"/experiments/{card.pk}/approve/", {"note": "Go"}).status_code == 302
    assert b.post(f"/experiments/{card.pk}/start/").status_code == 302
    bad = b.post(f"/experiments/{card.pk}/learning-card/", {"observed": "", "learned": "x"})
    assert bad.status_code == 400
    ok = b.post(
        f"/experiments/{card.pk}/learning-card/",
        {"observed": "nobody used it", "learned": "wrong channel\nask first", "decision": "stop"},
    )
    assert ok.status_code == 302
    page = b.get(f"/experiments/{card.pk}/").content.decode()
    assert "Stopped on data" in page and "Add to the library" in page
    assert "Open an experiment review" not in page  # offered while running only
    c = Experiment.objects.get().learning_cards.get()
    assert b.post(f"/experiments/{card.pk}/cards/{c.pk}/lesson/", {"index": "0"}).status_code == 302
    assert Lesson.objects.get().statement == "wrong channel"
    assert "in the library" in b.get(f"/experiments/{card.pk}/").content.decode()


def test_the_learning_card_offers_the_experiment_review(client_for, alice, alpha) -> None:
    card = make_experiment(alpha, created_by=alice)
    approvals.experiment_submit(actor=alice, experiment=card)
    approvals.experiment_start(actor=alice, experiment=card)
    page = client_for(alice).get(f"/experiments/{card.pk}/").content.decode()
    assert "Open an experiment review" in page and "What hypothesis were we testing?" in page


def test_a_refused_step_explains_itself(client_for, alice, alpha) -> None:
    card = make_experiment(alpha, budget=Decimal("5000"))
    response = client_for(alice).post(f"/experiments/{card.pk}/submit/")
    assert response.status_code == 400 and "Over the Explore limit" in response.content.decode()


def test_the_list_filters_and_shows_stopped_on_data(client_for, alice, alpha) -> None:
    card = make_experiment(alpha, title="Dead end", created_by=alice)
    approvals.experiment_submit(actor=alice, experiment=card)
    approvals.experiment_start(actor=alice, experiment=card)
    learning_card_create(actor=alice, experiment=card, observed="o", learned="l", decision="stop")
    make_experiment(alpha, title="Later idea", phase="execute")
    page = client_for(alice).get("/experiments/?phase=explore").content.decode()
    assert "Dead end" in page and "Stopped on data" in page and "Later idea" not in page


def test_the_list_counts_each_cards_learning_cycles(client_for, alice, alpha) -> None:
    # Counted per row shown (decision 0185): two cards on one test, one on another, none on a
    # third; the page's count is of tests, not of tests times cards.
    twice, once = (make_experiment(alpha, title=t, created_by=alice) for t in ("Twice", "Once"))
    make_experiment(alpha, title="Never")
    for card, decisions in ((twice, ("persevere", "persevere")), (once, ("stop",))):
        approvals.experiment_submit(actor=alice, experiment=card)
        approvals.experiment_start(actor=alice, experiment=card)
        for decision in decisions:
            learning_card_create(
                actor=alice, experiment=card, observed="o", learned="l", decision=decision
            )
    response = client_for(alice).get("/experiments/?team=alpha")
    page = response.context["page"]
    assert {e.title: e.cycles for e in page} == {"Twice": 2, "Once": 1, "Never": 0}
    assert page.paginator.count == 3
    api = client_for(alice).get("/api/experiments?team=alpha").json()
    assert api["count"] == 3 and [e["title"] for e in api["items"]] == [e.title for e in page]


def test_team_admins_edit_phase_rules_members_read_them(client_for, alice, bob, alpha) -> None:
    assert "Change the" not in client_for(bob).get("/experiments/rules/alpha/").content.decode()
    assert (
        client_for(bob).post("/experiments/rules/alpha/", {"phase": "explore"}).status_code == 404
    )
    client = client_for(alice)
    page = client.get("/experiments/rules/alpha/")
    form = page.context["rows"][0][1]
    data = {f"explore-{k}": v for k, v in form.initial.items() if k != "approvers"}
    data |= {"phase": "explore", "explore-budget_limit": "3000", "explore-approval": "auto"}
    response = client.post("/experiments/rules/alpha/", data)
    assert response.status_code == 302
    assert "3,000" in client.get("/experiments/rules/alpha/").content.decode()
    data |= {"explore-budget_limit": "-4", "explore-version": "2"}
    response = client.post("/experiments/rules/alpha/", data)
    assert response.status_code == 400 and "zero or more" in response.content.decode()
    data |= {"explore-budget_limit": "5", "explore-version": "1"}
    assert client.post("/experiments/rules/alpha/", data).status_code == 409
