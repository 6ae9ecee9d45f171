"""Writing, editing and organising the journal through the views, the API and the job."""

from __future__ import annotations

import json
from typing import Any

import pytest

from learnloop.core.errors import ApplicationError
from learnloop.journal import services
from learnloop.journal.jobs import send_reminders
from learnloop.journal.models import Entry, Framework, Reminder
from learnloop.notifications.models import Notification
from learnloop.testing.builders import make_incident


def _json(c: Any, method: str, url: str, body: Any) -> Any:
    return getattr(c, method)(url, data=json.dumps(body), content_type="application/json")


def test_a_gibbs_entry_is_written_in_the_page_with_the_coach_on_its_answers(
    client_for, bob, alpha
) -> None:
    incident = make_incident(alpha, title="Deploy broke checkout")
    c = client_for(bob)
    page = c.get("/journal/new/", {"framework": "gibbs"})
    html = page.content.decode()
    assert "Feelings" in html and "Action plan" in html
    assert 'data-coach-scope="answer_description' in html and "data-coach-target" not in html
    response = c.post(
        "/journal/new/",
        {
            "framework": "gibbs",
            "title": "",
            "answer_description": "I merged without the checklist.",
            "answer_action_plan": "Use the checklist.",
            "tags": "deploys, Checklists",
            "link": f"incident:{incident.pk}",
        },
    )
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/journal/{entry.pk}/"
    assert entry.title == "I merged without the checklist."
    assert entry.framework_name == "Gibbs' reflective cycle" and len(entry.prompts) == 6
    assert entry.answers == {
        "description": "I merged without the checklist.",
        "action_plan": "Use the checklist.",
    }
    assert entry.tags == ["deploys", "Checklists"]
    detail = c.get(f"/journal/{entry.pk}/").content.decode()
    assert "Deploy broke checkout" in detail and "Use the checklist." in detail


def test_a_link_must_be_something_the_author_can_see(client_for, bob, beta) -> None:
    hidden = make_incident(beta, title="Beta's private")
    with pytest.raises(ApplicationError) as exc:
        services.entry_create(
            actor=bob,
            framework_key="gibbs",
            answers={"description": "x"},
            link=f"incident:{hidden.pk}",
        )
    assert "link" in exc.value.fields
    response = _json(
        client_for(bob),
        "post",
        "/api/journal/entries",
        {"framework": "gibbs", "answers": {"description": "x"}, "link": f"incident:{hidden.pk}"},
    )
    assert response.status_code == 400 and "link" in response.json()["error"]["fields"]
    assert not Entry.objects.exists()


def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(client_for, bob) -> None:
    c = client_for(bob)
    cases = [
        ({"framework": "nope", "answers": {"what": "x"}}, "framework"),
        ({"answers": {"unknown": "x"}}, "answers"),
        ({"answers": {"what": ""}}, "title"),
        ({"answers": {"what": "x" * 10001}}, "answer_what"),
        ({"answers": {"what": "x"}, "tags": ["t" * 61]}, "tags"),
        ({"answers": {"what": "x"}, "title": "t" * 201}, "title"),
    ]
    for body, field in cases:
        response = _json(c, "post", "/api/journal/entries", body)
        assert response.status_code == 400, body
        assert field in response.json()["error"]["fields"], body
    assert not Entry.objects.exists()
    page = c.post("/journal/new/", {"framework": "what-so-what-now-what", "answer_what": ""})
    assert page.status_code == 200 and "Give a title or answer a prompt." in page.content.decode()


def test_a_stale_edit_is_refused_in_the_api_and_shown_as_a_conflict_on_the_page(
    client_for, bob
) -> None:
    c = client_for(bob)
    created = _json(c, "post", "/api/journal/entries", {"answers": {"what": "First."}}).json()
    pk = created["id"]
    assert created["framework_key"] == "what-so-what-now-what" and created["version"] == 1
    ok = _json(c, "patch", f"/api/journal/entries/{pk}", {"version": 1, "title": "Second"})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = _json(c, "patch", f"/api/journal/entries/{pk}", {"version": 1, "title": "Third"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    page = c.post(
        f"/journal/{pk}/edit/",
        {"version": 1, "title": "From an old tab", "answer_what": "First.", "link": ""},
    )
    assert page.status_code == 409
    assert 'value="From an old tab"' in page.content.decode()  # kept in the form
    assert "Second" in page.content.decode()  # the saved title, shown beside it
    assert Entry.objects.get(pk=pk).title == "Second"
    saved = c.post(
        f"/journal/{pk}/edit/",
        {"version": 2, "title": "From an old tab", "answer_what": "First.", "link": ""},
    )
    assert saved.status_code == 302 and Entry.objects.get(pk=pk).title == "From an old tab"
    assert c.delete(f"/api/journal/entries/{pk}").status_code == 204


def test_people_and_organisations_add_their_own_frameworks(
    client_for, bob, alice, charlie, org
) -> None:
    c = client_for(bob)
    response = c.post(
        "/journal/frameworks/",
        {"name": "Pre-mortem", "prompts": "What could go wrong? | Imagine it failed\nWhy?"},
    )
    assert response.status_code == 302
    mine = Framework.objects.get(name="Pre-mortem")
    assert mine.owner == bob and [p["label"] for p in mine.prompts] == [
        "What could go wrong?",
        "Why?",
    ]
    refused = c.post(
        "/journal/frameworks/", {"name": "For all", "prompts": "Q", "for_organisation": "on"}
    )
    assert refused.status_code == 400 and not Framework.objects.filter(name="For all").exists()
    bob.is_org_admin = True
    bob.save()
    _json(
        c,
        "post",
        "/api/journal/frameworks",
        {"name": "Team habit", "prompts": ["What went well?"], "for_organisation": True},
    )
    keys = {
        f["name"]: f["scope"] for f in client_for(charlie).get("/api/journal/frameworks").json()
    }
    assert keys["Team habit"] == "organisation" and "Pre-mortem" not in keys
    assert keys["Gibbs' reflective cycle"] == "shipped"
    entry = services.entry_create(actor=bob, framework_key=mine.key, answers={"why": "Because."})
    assert client_for(charlie).post(f"/journal/frameworks/{mine.pk}/delete/").status_code == 404
    assert client_for(bob).post(f"/journal/frameworks/{mine.pk}/delete/").status_code == 302
    entry.refresh_from_db()
    assert entry.answered()[0]["label"] == "Why?"  # the entry keeps its prompts
    bad = _json(c, "post", "/api/journal/frameworks", {"name": "", "prompts": []})
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"name", "prompts"}


def test_the_weekly_reminder_is_opt_in_and_sent_once_on_the_chosen_day(
    client_for, bob, alice
) -> None:
    import datetime as dt

    monday = dt.date(2026, 11, 30)
    assert send_reminders(monday) == 0
    assert client_for(bob).post("/journal/reminder/", {"weekday": "0"}).status_code == 302
    assert Reminder.objects.get(user=bob).weekday == 0
    assert client_for(bob).post("/journal/reminder/", {"weekday": "9"}).status_code == 200
    assert send_reminders(monday + dt.timedelta(days=1)) == 0
    assert send_reminders(monday) == 1
    assert send_reminders(monday) == 0
    note = Notification.objects.get(recipient=bob)
    assert note.url == "/journal/" and "journal" in note.text
    assert not Notification.objects.filter(recipient=alice).exists()
    client_for(bob).post("/journal/reminder/", {"weekday": ""})
    assert not Reminder.objects.exists()


def test_an_entry_links_a_deliverable_an_experiment_or_a_retro_the_author_can_see(
    client_for, alice, bob, alpha, beta, charlie
) -> None:
    from learnloop.testing.builders import (
        make_deliverable,
        make_experiment,
        make_journal_entry,
        make_retro,
    )

    own = {
        "deliverable": make_deliverable(alpha, title="Checkout v3"),
        "experiment": make_experiment(alpha, title="Guided setup"),
        "retro": make_retro(alpha, title="November retro", facilitator=alice),
    }
    prefix = {"deliverable": "deliverables", "experiment": "experiments", "retro": "retros"}
    for kind, obj in own.items():
        entry = make_journal_entry(bob, link=f"{kind}:{obj.pk}")
        page = client_for(bob).get(f"/journal/{entry.pk}/").content.decode()
        assert f'About: <a href="/{prefix[kind]}/{obj.pk}/">' in page, kind
    new_page = client_for(bob).get("/journal/new/").content.decode()
    assert "Retro: November retro" in new_page and "Deliverable: Checkout v3" in new_page
    hidden = make_retro(beta, title="Beta only", facilitator=charlie)
    with pytest.raises(ApplicationError) as exc:
        make_journal_entry(bob, link=f"retro:{hidden.pk}")
    assert "link" in exc.value.fields
