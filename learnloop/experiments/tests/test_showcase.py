"""The monthly showcase: the month's stopped, pivoted and failed experiments, leaders' own
first; the facilitator reorders, adds and marks items; applause on items; Markdown, .ics, the
calendar feed and the digest; other teams get 404 and no team-private card leaks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from learnloop.applause.models import Reaction
from learnloop.applause.services import reaction_add
from learnloop.core.calendar import FeedScope, feed_events
from learnloop.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from learnloop.experiments import approvals
from learnloop.experiments import showcase as svc
from learnloop.experiments.digest_sections import showcases_ahead, stopped_on_data
from learnloop.experiments.learning import learning_card_create
from learnloop.experiments.models import Experiment, ShowcaseItem
from learnloop.notifications.digest import DigestScope
from learnloop.testing.builders import make_experiment

pytestmark = pytest.mark.django_db


def stopped(team, owner, title: str, *, decision: str = "stop", **fields) -> Experiment:
    card = make_experiment(team, created_by=owner, owner=owner, title=title, **fields)
    approvals.experiment_submit(actor=owner, experiment=card)
    approvals.experiment_start(actor=owner, experiment=card)
    learning_card_create(
        actor=owner,
        experiment=card,
        observed=f"{title}: the numbers said no",
        learned=f"{title} taught us to ask first\nsmaller tests are enough",
        decision=decision,
    )
    card.refresh_from_db()
    return card


def this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def test_leaders_own_items_come_first(alice, bob, alpha):
    first = stopped(alpha, bob, "Bob's pricing page")  # decided first
    second = stopped(alpha, alice, "Alice's onboarding call", decision="pivot")
    make_experiment(alpha, created_by=bob, title="Still a draft")
    showcase = svc.showcase_create(actor=alice, team=alpha, month=this_month())
    items = list(svc.items_of(showcase))
    assert [i.experiment_id for i in items] == [second.pk, first.pk]
    assert [i.leader for i in items] == [True, False]
    assert items[0].outcome == "pivoted on data" and items[1].outcome == "stopped on data"
    assert "taught us to ask first; smaller tests are enough" in items[1].insight
    assert items[0].learning_card is not None and items[0].presenter == alice
    # A later leader's item joins the leaders' block; a repeat adds nothing.
    later = stopped(alpha, alice, "Alice's second try")
    assert svc.showcase_refresh(actor=alice, showcase=showcase) == 1
    assert svc.showcase_refresh(actor=alice, showcase=showcase) == 0
    order = [i.experiment_id for i in svc.items_of(showcase)]
    assert order == [second.pk, later.pk, first.pk]


def test_failed_experiments_join_and_other_months_do_not(alice, bob, alpha):
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    start, _ = svc.month_bounds(last_month)
    make_experiment(
        alpha,
        created_by=bob,
        owner=bob,
        title="Ran out of time",
        state="running",
        started_at=start + dt.timedelta(days=1),
        time_box_days=2,
    )
    make_experiment(
        alpha,
        created_by=bob,
        title="Still inside its time box",
        state="running",
        started_at=timezone.now(),
        time_box_days=30,
    )
    make_experiment(
        alpha,
        created_by=bob,
        title="Decided last year",
        state="decided",
        decision="stop",
        decided_at=start - dt.timedelta(days=400),
    )
    showcase = svc.showcase_create(actor=alice, team=alpha, month=last_month)
    [item] = svc.items_of(showcase)
    assert item.title == "Ran out of time" and item.outcome == "ran past its time box"
    assert item.insight.startswith("No learning card yet")
    this = svc.showcase_create(actor=alice, team=alpha, month=this_month())
    assert list(svc.items_of(this)) == []


def test_the_facilitator_reorders_adds_and_marks(alice, bob, alpha, charlie):
    a = stopped(alpha, bob, "One")
    b = stopped(alpha, bob, "Two")
    showcase = svc.showcase_create(actor=alice, team=alpha, month=this_month())
    item_b = showcase.items.get(experiment=b)
    svc.showcase_item_move(actor=alice, item=item_b, position=1)
    assert [i.experiment_id for i in svc.items_of(showcase)] == [b.pk, a.pk]
    added = svc.showcase_item_add(
        actor=alice, showcase=showcase, title="My own failed rollout", presenter=alice
    )
    assert added.leader and added.position == 1, "a leader's added item goes to the top"
    svc.showcase_item_presented(actor=alice, item=added, presented=True)
    assert ShowcaseItem.objects.get(pk=added.pk).presented_at is not None
    with pytest.raises(PermissionDenied):
        svc.showcase_item_move(actor=bob, item=item_b, position=2)
    with pytest.raises(NotFound):
        svc.showcase_item_presented(actor=charlie, item=item_b, presented=True)
    with pytest.raises(ApplicationError) as caught:
        svc.showcase_item_add(actor=alice, showcase=showcase, title="", experiment=None)
    assert "title" in caught.value.fields
    with pytest.raises(ApplicationError) as caught:
        svc.showcase_item_move(actor=alice, item=item_b, position=99)
    assert "position" in caught.value.fields


def test_bad_set_up_is_refused(alice, bob, alpha, charlie):
    with pytest.raises(PermissionDenied):
        svc.showcase_create(actor=bob, team=alpha, month=this_month())
    with pytest.raises(ApplicationError) as caught:
        svc.showcase_create(actor=alice, team=alpha, month="2026-13", facilitator=charlie)
    assert set(caught.value.fields) == {"month", "facilitator"}
    with pytest.raises(PermissionDenied):
        svc.showcase_create(actor=alice, team=alpha, month=this_month(), scope="organisation")
    svc.showcase_create(actor=alice, team=alpha, month=this_month())
    with pytest.raises(Conflict):
        svc.showcase_create(actor=alice, team=alpha, month=this_month())


def test_an_organisation_showcase_shows_only_organisation_visible_cards(
    alice, bob, alpha, charlie, beta, org
):
    open_card = stopped(alpha, bob, "Shared widely", visibility="organisation")
    stopped(alpha, bob, "Team-private")
    org_admin = charlie
    org_admin.is_org_admin = True
    org_admin.save()
    showcase = svc.showcase_create(
        actor=org_admin, team=beta, month=this_month(), scope="organisation"
    )
    assert [i.experiment_id for i in svc.items_of(showcase)] == [open_card.pk]
    assert showcase.visibility == "organisation"
    private = Experiment.objects.get(title="Team-private")
    with pytest.raises(ApplicationError) as caught:
        svc.showcase_item_add(actor=org_admin, showcase=showcase, title="x", experiment=private)
    assert "experiment_id" in caught.value.fields


def test_pages_exports_and_404s(alice, bob, alpha, client_for, charlie, mallory):
    mine = stopped(alpha, alice, "Alice's pricing test")
    stopped(alpha, bob, "Bob's banner test")
    c = client_for(alice)
    resp = c.post(
        "/experiments/showcases/",
        {
            "team": alpha.pk,
            "scope": "team",
            "month": this_month(),
            "meeting_at": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT15:00"),
            "duration_minutes": "45",
            "location": "Room 4",
            "visibility": "team",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:3000]
    url = resp["Location"]
    page = client_for(bob).get(url).content.decode()
    assert page.index("Alice&#x27;s pricing test") < page.index("Bob&#x27;s banner test")
    assert "leader" in page and "Mark presented" not in page  # bob does not facilitate
    assert "Mark presented" in c.get(url).content.decode()
    printed = c.get(url + "?print=1").content.decode()
    assert "Alice&#x27;s pricing test" in printed and "Mark presented" not in printed
    md = c.get(url + "showcase.md")
    assert md["Content-Type"].startswith("text/markdown")
    text = md.content.decode()
    assert text.index("Alice's pricing test") < text.index("Bob's banner test")
    assert "(leader)" in text and "What it taught:" in text
    ics = c.get(url + "showcase.ics")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "Room 4"
    assert {str(a).removeprefix("mailto:") for a in event.get("ATTENDEE")} >= {
        alice.email,
        bob.email,
    }
    item = ShowcaseItem.objects.get(experiment=mine)
    presented = f"{url}items/{item.pk}/presented/"
    assert client_for(bob).post(presented).status_code == 302
    assert ShowcaseItem.objects.get(pk=item.pk).presented_at is None, "bob may not mark"
    assert c.post(presented, {"presented": "1"}).status_code == 302
    assert ShowcaseItem.objects.get(pk=item.pk).presented_at is not None
    for outsider in (charlie, mallory):
        other = client_for(outsider)
        for path in ("", "showcase.md", "showcase.ics", "settings/", "?print=1"):
            assert other.get(url + path).status_code == 404, path
        assert other.post(presented).status_code == 404
        assert other.post(url + "items/", {"title": "x"}).status_code == 404
    # Applause on an item goes to its presenter.
    reaction_add(actor=bob, kind="showcase_item", object_id=item.pk, emoji="clap")
    assert Reaction.objects.get(kind="showcase_item").recipient == alice
    with pytest.raises(NotFound):
        reaction_add(actor=charlie, kind="showcase_item", object_id=item.pk, emoji="clap")


def test_a_stale_settings_save_is_refused(alice, alpha, client_for):
    """The settings page is ``core.forms.versioned_edit``: a save from a stale version is the
    409 conflict view with both versions, nothing saved, and the form carries the current
    version so that saving again knowingly replaces it."""
    showcase = svc.showcase_create(actor=alice, team=alpha, month=this_month())
    url = f"/experiments/showcases/{showcase.pk}/settings/"
    form = {"title": "Ours", "duration_minutes": "30", "location": "", "meeting_at": ""}
    assert client_for(alice).post(url, {**form, "version": 1}).status_code == 302
    resp = client_for(alice).post(url, {**form, "title": "Theirs", "version": 1})
    assert resp.status_code == 409
    conflict = resp.context["conflict"]
    assert ("title", "Ours") in conflict["rows"] and conflict["fields"] == ["title"]
    assert resp.context["form"]["title"].value() == "Theirs"  # the person's input is kept
    showcase.refresh_from_db()
    assert (showcase.title, showcase.version) == ("Ours", 2)
    again = client_for(alice).post(url, resp.context["form"].data)
    assert again.status_code == 302
    showcase.refresh_from_db()
    assert (showcase.title, showcase.version) == ("Theirs", 3)


def test_a_settings_save_the_service_refuses_shows_the_error(alice, alpha, client_for):
    showcase = svc.showcase_create(actor=alice, team=alpha, month=this_month())
    url = f"/experiments/showcases/{showcase.pk}/settings/"
    form = {"title": "Ours", "duration_minutes": "many", "location": "", "meeting_at": ""}
    resp = client_for(alice).post(url, {**form, "version": showcase.version})
    assert resp.status_code == 200 and "duration_minutes" in resp.context["form"].errors
    assert resp.context["conflict"] is None
    showcase.refresh_from_db()
    assert showcase.version == 1 and showcase.title != "Ours"


def test_feed_and_digest(alice, bob, alpha, beta, charlie):
    stopped(alpha, bob, "Bob's banner test")
    soon = timezone.now() + dt.timedelta(days=2)
    svc.showcase_create(actor=alice, team=alpha, month=this_month(), meeting_at=soon)
    window = (timezone.now(), timezone.now() + dt.timedelta(days=30))
    mine = feed_events(
        FeedScope(user_id=bob.pk, team_ids=(alpha.pk,), start=window[0], end=window[1])
    )
    assert any(e.uid.startswith("showcase-") for e in mine)
    theirs = feed_events(
        FeedScope(user_id=charlie.pk, team_ids=(beta.pk,), start=window[0], end=window[1])
    )
    assert not any(e.uid.startswith("showcase-") for e in theirs)
    now = timezone.now()
    scope = DigestScope(
        user=bob,
        team_ids=(alpha.pk,),
        since=now - dt.timedelta(days=7),
        now=now,
        local_now=now,
    )
    wins = stopped_on_data(scope)
    assert wins is not None and [i.text for i in wins.items] == ["Bob's banner test"]
    ahead = showcases_ahead(scope)
    assert ahead is not None and len(ahead.items) == 1
    other = DigestScope(
        user=charlie, team_ids=(beta.pk,), since=scope.since, now=now, local_now=now
    )
    assert stopped_on_data(other) is None and showcases_ahead(other) is None


def test_the_api(alice, bob, alpha, client_for, charlie, mallory):
    import json

    mine = stopped(alpha, alice, "Alice's pricing test")
    theirs = stopped(alpha, bob, "Bob's banner test")
    c = client_for(alice)

    def send(method, path, body):
        return getattr(c, method)(path, json.dumps(body), content_type="application/json")

    resp = send("post", "/api/experiments/showcases", {"team": "alpha", "month": this_month()})
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert [i["experiment_id"] for i in body["items"]] == [mine.pk, theirs.pk]
    assert body["items"][0]["leader"] is True and body["ics_url"] is None
    url = f"/api/experiments/showcases/{body['id']}"
    again = send("post", "/api/experiments/showcases", {"team": "alpha", "month": this_month()})
    assert again.status_code == 409 and again.json()["error"]["fields"]["month"]
    bad = send("post", "/api/experiments/showcases", {"team": "alpha", "month": "soon"})
    assert bad.status_code == 400 and "month" in bad.json()["error"]["fields"]
    second = body["items"][1]["id"]
    moved = send("patch", f"{url}/items/{second}", {"position": 1, "presented": True})
    assert moved.status_code == 200 and moved.json()["presented_at"]
    assert [i["id"] for i in c.get(url).json()["items"]][0] == second
    added = send("post", f"{url}/items", {"title": "My own slip", "presenter_id": alice.pk})
    assert added.status_code == 201 and added.json()["leader"] is True
    stale = send("patch", url, {"version": 99, "title": "Late"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    ok = send("patch", url, {"version": 1, "meeting_at": "2030-05-17T14:00:00Z"})
    assert ok.status_code == 200 and ok.json()["ics_url"].endswith("showcase.ics")
    assert client_for(bob).get(url).status_code == 200
    refused = client_for(bob).patch(
        f"{url}/items/{second}", json.dumps({"position": 2}), content_type="application/json"
    )
    assert refused.status_code == 403
    for outsider in (charlie, mallory):
        other = client_for(outsider)
        assert other.get(url).status_code == 404
        assert other.delete(f"{url}/items/{second}").status_code == 404
        assert other.get("/api/experiments/showcases").json()["items"] == []
    assert c.delete(f"{url}/items/{second}").status_code == 204
    assert len(c.get(url).json()["items"]) == 2


def test_learning_cards_are_celebrated_on_the_team_page(alice, bob, alpha, client_for, charlie):
    card = stopped(alpha, bob, "Bob's banner test")
    learning = card.learning_cards.get()
    assert learning.team_id == alpha.pk
    page = client_for(alice).get(f"/teams/{alpha.slug}/").content.decode()
    assert "What our experiments taught us" in page and "Stopped on data" in page
    assert f"applause-learning_card-{learning.pk}" in page
    resp = client_for(alice).post(f"/applause/learning_card/{learning.pk}/clap/")
    assert resp.status_code in (200, 302)
    assert Reaction.objects.get(kind="learning_card").recipient == bob
    detail = client_for(bob).get(card.get_absolute_url()).content.decode()
    assert f"applause-learning_card-{learning.pk}" in detail
    with pytest.raises(NotFound):
        reaction_add(actor=charlie, kind="learning_card", object_id=learning.pk, emoji="clap")
    other = client_for(charlie).get(f"/teams/{alpha.slug}/")
    assert "Bob&#x27;s banner test" not in other.content.decode()
