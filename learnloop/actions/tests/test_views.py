"""Web views: follow-through, my actions, create, detail, edit (conflict), status, visibility."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from learnloop.actions.models import Action
from learnloop.actions.services import action_create, action_update
from learnloop.incidents.models import Incident


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def private_action(alice, bob, alpha) -> Action:
    return action_create(
        actor=alice,
        team=alpha,
        title="Alpha secret fix",
        owner=bob,
        due_date=_today() - dt.timedelta(days=2),
    )


def test_it_shows_team_follow_through(client_for, alice, bob, alpha, private_action) -> None:
    action_create(actor=alice, team=alpha, title="Soon", due_date=_today() + dt.timedelta(days=3))
    done = action_create(actor=alice, team=alpha, title="Done one")
    client = client_for(alice)
    client.post(f"/actions/{done.pk}/status/", {"status": "done"})
    response = client.get("/actions/")
    assert response.status_code == 200
    stats = response.context["stats"]
    assert (stats.open, stats.overdue, stats.due_soon, stats.done_on_time) == (2, 1, 1, 1)
    assert stats.median_open_age_days == 0
    body = response.content.decode()
    assert "Alpha secret fix" in body and "overdue" in body
    assert "Done one" not in body  # default filter: open


def test_it_filters_by_status_kind_and_owner(client_for, alice, bob, alpha, private_action) -> None:
    action_create(actor=alice, team=alpha, title="Learn thing", kind="learn")
    client = client_for(alice)
    body = client.get("/actions/?team=alpha&kind=learn").content.decode()
    assert "Learn thing" in body and "Alpha secret fix" not in body
    body = client.get(f"/actions/?team=alpha&owner={bob.pk}").content.decode()
    assert "Alpha secret fix" in body and "Learn thing" not in body
    body = client.get("/actions/?team=alpha&status=overdue").content.decode()
    assert "Alpha secret fix" in body and "Learn thing" not in body


def test_it_paginates_the_team_list(client_for, alice, alpha) -> None:
    Action.objects.bulk_create([Action(team=alpha, title=f"a{i}") for i in range(30)])
    client = client_for(alice)
    first = client.get("/actions/?team=alpha")
    assert len(first.context["page"].object_list) == 25
    second = client.get("/actions/?team=alpha&page=2")
    assert len(second.context["page"].object_list) == 5


def test_it_lists_my_open_actions_overdue_first(
    client_for, alice, bob, alpha, private_action
) -> None:
    action_create(actor=alice, team=alpha, title="Later", owner=bob, due_date=_today())
    action_create(actor=alice, team=alpha, title="Undated", owner=bob)
    action_create(actor=alice, team=alpha, title="Not mine", owner=alice)
    response = client_for(bob).get("/actions/mine/")
    titles = [a.title for a in response.context["page"].object_list]
    assert titles == ["Alpha secret fix", "Later", "Undated"]


def test_it_shows_the_home_panel_only_with_open_actions(client_for, alice, bob, alpha) -> None:
    client = client_for(bob)
    assert "Your open actions" not in client.get("/").content.decode()
    action_create(actor=alice, team=alpha, title="Panel item", owner=bob)
    body = client.get("/").content.decode()
    assert "Your open actions" in body and "Panel item" in body


def test_it_creates_an_action_from_the_form(client_for, alice, bob, alpha) -> None:
    response = client_for(alice).post(
        "/actions/new/",
        {
            "team": alpha.pk,
            "title": "Alert on queue depth",
            "owner": bob.pk,
            "due_date": "2031-05-01",
            "kind": "detect",
            "external_url": "https://tracker.example.org/T-1",
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/actions/{action.pk}/"
    assert (action.owner, action.kind, action.due_date) == (bob, "detect", dt.date(2031, 5, 1))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "x" * 201}, "title"),
        ({"external_url": "javascript:alert(1)"}, "external_url"),
        ({"due_date": "31/31/2031"}, "due_date"),
        ({"description": "x" * 10001}, "description"),
    ],
)
def test_it_shows_errors_next_to_the_field(client_for, alice, alpha, data, field) -> None:
    response = client_for(alice).post(
        "/actions/new/", {"team": alpha.pk, "title": "ok", "kind": "prevent", **data}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Action.objects.exists()


def test_it_refuses_an_owner_from_another_team(client_for, alice, charlie, alpha) -> None:
    response = client_for(alice).post(
        "/actions/new/", {"team": alpha.pk, "title": "ok", "kind": "prevent", "owner": charlie.pk}
    )
    assert "owner" in response.context["form"].errors
    assert not Action.objects.exists()


def test_it_adds_an_action_from_the_incident_partial(client_for, alice, alpha) -> None:
    incident = Incident.objects.create(team=alpha, title="Outage", description="x")
    response = client_for(alice).post(
        "/actions/new/",
        {
            "team": alpha.pk,
            "incident": incident.pk,
            "title": "Fix it",
            "kind": "prevent",
            "next": "/incidents/1/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/incidents/1/"
    assert Action.objects.get().incident == incident


def test_it_ignores_an_offsite_next(client_for, alice, alpha) -> None:
    response = client_for(alice).post(
        "/actions/new/",
        {"team": alpha.pk, "title": "x", "kind": "learn", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith("/actions/")


def test_it_renders_the_incident_partial_with_visible_actions_only(
    rf, alice, charlie, alpha
) -> None:
    from learnloop.actions.incident_panel import panel_html

    incident = Incident.objects.create(
        team=alpha, title="Outage", description="x", visibility="organisation"
    )
    action_create(actor=alice, team=alpha, title="Shared step", incident=incident)
    action_create(
        actor=alice, team=alpha, title="Private step", incident=incident, visibility="team"
    )
    for user, expected, can_add in ((alice, 2, True), (charlie, 1, False)):
        request = rf.get("/incidents/1/")
        request.user = user
        html = panel_html(request, incident, "")
        assert html.count("<li>") == expected
        assert ("Add action" in html) is can_add
    assert "Private step" not in html


def test_it_edits_an_action(client_for, alice, bob, private_action) -> None:
    response = client_for(bob).post(
        f"/actions/{private_action.pk}/edit/",
        {
            "title": "Renamed",
            "status": "in_progress",
            "owner": bob.pk,
            "due_date": "",
            "kind": "mitigate",
            "version": private_action.version,
        },
    )
    assert response.status_code == 302
    private_action.refresh_from_db()
    assert (private_action.title, private_action.status, private_action.due_date) == (
        "Renamed",
        "in_progress",
        None,
    )


def test_it_shows_the_conflict_and_keeps_my_input(client_for, alice, bob, private_action) -> None:
    action_update(actor=alice, action=private_action, version=1, title="Alice's title")
    response = client_for(bob).post(
        f"/actions/{private_action.pk}/edit/",
        {"title": "Bob's title", "status": "open", "kind": "prevent", "version": 1},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this action" in body
    assert "Alice&#x27;s title" in body and 'value="Bob&#x27;s title"' in body
    assert response.context["form"]["version"].value() == "2"
    private_action.refresh_from_db()
    assert private_action.title == "Alice's title"


def test_it_changes_status_with_htmx(client_for, bob, private_action) -> None:
    response = client_for(bob).post(
        f"/actions/{private_action.pk}/status/", {"status": "done"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="action-status"' in response.content.decode()
    assert "<html" not in response.content.decode()
    private_action.refresh_from_db()
    assert private_action.status == "done" and private_action.done_at


def test_it_refuses_an_unknown_status(client_for, bob, private_action) -> None:
    response = client_for(bob).post(
        f"/actions/{private_action.pk}/status/", {"status": "blamed"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    private_action.refresh_from_db()
    assert private_action.status == "open"


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_other_teams_get_404_and_nothing_changes(client_for, who, request, private_action) -> None:
    client = client_for(request.getfixturevalue(who))
    pk = private_action.pk
    assert client.get(f"/actions/{pk}/").status_code == 404
    assert client.get(f"/actions/{pk}/edit/").status_code == 404
    post = {"title": "pwned", "status": "done", "kind": "learn", "version": 1}
    assert client.post(f"/actions/{pk}/edit/", post).status_code == 404
    assert client.post(f"/actions/{pk}/status/", {"status": "done"}).status_code == 404
    assert client.get("/actions/?team=alpha").status_code == 404 or (
        "Alpha secret fix" not in client.get("/actions/?team=alpha").content.decode()
    )
    assert "Alpha secret fix" not in client.get("/actions/").content.decode()
    assert "Alpha secret fix" not in client.get("/actions/mine/").content.decode()
    private_action.refresh_from_db()
    assert private_action.title == "Alpha secret fix" and private_action.status == "open"


def test_org_visible_actions_are_read_only_for_other_teams(
    client_for, alice, charlie, alpha
) -> None:
    shared = action_create(actor=alice, team=alpha, title="Shared", visibility="organisation")
    client = client_for(charlie)
    response = client.get(f"/actions/{shared.pk}/")
    assert response.status_code == 200 and "Mark done" not in response.content.decode()
    assert client.get(f"/actions/{shared.pk}/edit/").status_code == 404
    assert client.post(f"/actions/{shared.pk}/status/", {"status": "done"}).status_code == 404
    shared.refresh_from_db()
    assert shared.status == "open"


def test_pages_need_sign_in(client, private_action) -> None:
    for url in ("/actions/", "/actions/mine/", "/actions/new/", f"/actions/{private_action.pk}/"):
        assert client.get(url).status_code == 302


def test_lists_do_not_query_per_row(
    client_for, alice, bob, alpha, django_assert_max_num_queries
) -> None:
    Action.objects.bulk_create(
        [Action(team=alpha, title=f"a{i}", owner=bob, due_date=_today()) for i in range(25)]
    )
    client = client_for(bob)
    client.get("/actions/")  # warm caches (session, user)
    with django_assert_max_num_queries(15):
        assert client.get("/actions/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/actions/mine/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/api/actions").status_code == 200
