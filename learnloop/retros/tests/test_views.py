"""Retro pages: create, the board (blind while collect runs), the live state poll (304 while
nothing changed), phases, grouping, votes, outcomes; another team's user gets 404 everywhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from learnloop.retros.models import Card, Phase, Retro, RetroFormat, Topic
from learnloop.testing.builders import make_card

pytestmark = pytest.mark.django_db


def _set_phase(retro: Retro, phase: str) -> None:
    Retro.objects.filter(pk=retro.pk).update(phase=phase, state_version=retro.state_version + 1)
    retro.refresh_from_db()


def test_a_member_creates_a_retro_with_a_meeting_and_invitations(
    client_for, alice, bob, alpha, run_jobs, django_capture_on_commit_callbacks
) -> None:
    client = client_for(alice)
    assert client.get("/retros/new/").status_code == 200
    fmt = RetroFormat.objects.get(slug="went-well-to-improve")
    when = (timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/retros/new/",
            {
                "team": alpha.pk,
                "title": "Release 4 retro",
                "format": fmt.pk,
                "anonymity": "allowed",
                "votes_per_person": 3,
                "votes_per_topic": 2,
                "participants": [bob.pk],
                "meeting_at": when,
            },
        )
    retro = Retro.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/retros/{retro.pk}/"
    assert retro.facilitator == alice and retro.meeting_at is not None
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    assert "BEGIN:VCALENDAR" in mail.outbox[0].attachments[0][1]
    ics = client.get(f"/retros/{retro.pk}/meeting.ics")
    assert ics.status_code == 200 and b"SUMMARY:Retrospective: Release 4 retro" in ics.content
    body = client.get("/retros/").content.decode()
    assert "Release 4 retro" in body


def test_the_create_form_shows_errors_and_saves_nothing(client_for, alice, alpha) -> None:
    fmt = RetroFormat.objects.get(slug="4ls")
    response = client_for(alice).post(
        "/retros/new/",
        {
            "team": alpha.pk,
            "title": "",
            "format": fmt.pk,
            "anonymity": "named",
            "votes_per_person": 0,
            "votes_per_topic": 2,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"title", "votes_per_person"}
    assert not Retro.objects.exists()


def test_the_page_and_the_state_are_blind_until_reveal(client_for, alice, bob, retro) -> None:
    bob_client = client_for(bob)
    alice_client = client_for(alice)
    assert (
        bob_client.post(
            f"/retros/{retro.pk}/cards/", {"column": "start", "text": "Bob secret idea"}
        ).status_code
        == 302
    )
    assert "Bob secret idea" in bob_client.get(f"/retros/{retro.pk}/").content.decode()
    page = alice_client.get(f"/retros/{retro.pk}/").content.decode()
    assert "Bob secret idea" not in page and "1 card written" in page
    state = alice_client.get(f"/retros/{retro.pk}/state/")
    assert state.status_code == 200 and b"Bob secret idea" not in state.content
    etag = state["ETag"]
    assert (
        alice_client.get(f"/retros/{retro.pk}/state/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    )
    alice_client.post(f"/retros/{retro.pk}/phase/", {"phase": "reveal"})
    after = alice_client.get(f"/retros/{retro.pk}/state/", HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and b"Bob secret idea" in after.content
    assert after["ETag"] != etag


def test_bob_cannot_move_phases_and_sees_why(client_for, bob, retro) -> None:
    response = client_for(bob).post(
        f"/retros/{retro.pk}/phase/", {"phase": "reveal"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Only the facilitator" in response.content.decode()
    retro.refresh_from_db()
    assert retro.phase == Phase.COLLECT


def test_a_bad_card_shows_the_error_and_keeps_the_text(client_for, bob, retro) -> None:
    response = client_for(bob).post(f"/retros/{retro.pk}/cards/", {"column": "start", "text": ""})
    assert response.status_code == 400
    assert "cannot be empty" in response.content.decode()
    long = client_for(bob).post(
        f"/retros/{retro.pk}/cards/", {"column": "start", "text": "é" * 1001}
    )
    assert long.status_code == 400 and "é" * 1001 in long.content.decode()
    assert not Card.objects.exists()


def test_an_anonymous_card_is_edited_through_the_browser_s_cookie_only(
    client_for, alice, bob, retro
) -> None:
    bob_client = client_for(bob)
    response = bob_client.post(
        f"/retros/{retro.pk}/cards/", {"column": "stop", "text": "Quiet worry", "anonymous": "on"}
    )
    card = Card.objects.get()
    assert card.is_anonymous and card.author_id is None and card.pk < 0
    cookie = response.cookies[f"ll_retro_{retro.pk}"]
    assert cookie["httponly"] and cookie["path"] == f"/retros/{retro.pk}/"
    assert "Quiet worry" in bob_client.get(f"/retros/{retro.pk}/").content.decode()
    ok = bob_client.post(
        f"/retros/{retro.pk}/cards/{card.pk}/", {"text": "Quiet worry, said", "version": 1}
    )
    assert ok.status_code == 302
    card.refresh_from_db()
    assert card.text == "Quiet worry, said"
    # Without the cookie (another browser, or another person) the card is not theirs.
    fresh = client_for(alice)
    denied = fresh.post(f"/retros/{retro.pk}/cards/{card.pk}/", {"text": "x", "version": 2})
    assert denied.status_code == 404
    bob_client.cookies.pop(f"ll_retro_{retro.pk}")
    assert "Quiet worry" not in bob_client.get(f"/retros/{retro.pk}/").content.decode()


def test_the_whole_flow_through_htmx(client_for, alice, bob, retro) -> None:
    a = make_card(retro, text="Slow review queue", author=bob, column="stop")
    b = make_card(retro, text="Reviews wait days", author=alice, column="stop")
    hx = {"HTTP_HX_REQUEST": "true"}
    alice_client, bob_client = client_for(alice), client_for(bob)
    for phase in ("reveal", "group"):
        assert (
            alice_client.post(f"/retros/{retro.pk}/phase/", {"phase": phase}, **hx).status_code
            == 200
        )
    bob_client.post(f"/retros/{retro.pk}/cards/{a.pk}/group/", {"topic": "new"}, **hx)
    topic = Topic.objects.get()
    fragment = bob_client.post(
        f"/retros/{retro.pk}/cards/{b.pk}/group/", {"topic": str(topic.pk)}, **hx
    ).content.decode()
    assert f'id="group-{b.pk}"' in fragment and "Group name" in fragment
    bob_client.post(
        f"/retros/{retro.pk}/topics/{topic.pk}/title/", {"title": "Review latency"}, **hx
    )
    alice_client.post(f"/retros/{retro.pk}/phase/", {"phase": "vote"}, **hx)
    voted = bob_client.post(
        f"/retros/{retro.pk}/topics/{topic.pk}/vote/", {}, **hx
    ).content.decode()
    assert 'data-votes-left="2"' in voted and "data-votes=" not in voted
    alice_client.post(f"/retros/{retro.pk}/phase/", {"phase": "discuss"}, **hx)
    page = bob_client.get(f"/retros/{retro.pk}/").content.decode()
    assert 'data-votes="1"' in page and "Review latency" in page
    bob_client.post(
        f"/retros/{retro.pk}/topics/{topic.pk}/notes/", {"notes": "Rota", "notes_version": 1}, **hx
    )
    bob_client.post(
        f"/retros/{retro.pk}/actions/",
        {"topic": topic.pk, "title": "Review rota", "owner": bob.pk, "due_date": "2030-02-01"},
        **hx,
    )
    lesson = bob_client.post(
        f"/retros/{retro.pk}/lessons/", {"topic": topic.pk, "statement": "Queues need owners"}, **hx
    ).content.decode()
    assert "Review rota" in lesson and "Queues need owners" in lesson


def test_formats_are_copied_and_edited_on_the_web(client_for, alice, alpha) -> None:
    client = client_for(alice)
    fmt = RetroFormat.objects.get(slug="start-stop-continue")
    assert "Mad, sad, glad" in client.get("/retros/formats/").content.decode()
    response = client.post(f"/retros/formats/{fmt.pk}/copy/", {"team": "alpha"})
    copy = RetroFormat.objects.get(team=alpha)
    assert response["Location"] == f"/retros/formats/{copy.pk}/edit/"
    saved = client.post(
        f"/retros/formats/{copy.pk}/edit/",
        {
            "name": "Ours",
            "description": "",
            "columns": "Keep | what works\nDrop | what not",
            "version": 1,
        },
    )
    assert saved.status_code == 302
    copy.refresh_from_db()
    assert [c["title"] for c in copy.columns] == ["Keep", "Drop"]
    stale = client.post(
        f"/retros/formats/{copy.pk}/edit/",
        {"name": "Theirs", "description": "", "columns": "A", "version": 1},
    )
    assert stale.status_code == 409
    assert client.get(f"/retros/formats/{fmt.pk}/edit/").status_code == 404  # shipped


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_another_team_gets_404_on_every_url(request, client_for, who, alice, bob, retro) -> None:
    retro.meeting_at = timezone.now() + dt.timedelta(days=1)
    retro.save()
    card = make_card(retro, text="Alpha only", author=bob)
    topic = Topic.objects.create(retro=retro)
    copy = RetroFormat.objects.create(team=retro.team, name="Alpha format", slug="a", columns=[])
    client = client_for(request.getfixturevalue(who))
    gets = [
        f"/retros/{retro.pk}/",
        f"/retros/{retro.pk}/state/",
        f"/retros/{retro.pk}/meeting.ics",
        f"/retros/formats/{copy.pk}/edit/",
        "/retros/?team=alpha",
    ]
    posts = [
        f"/retros/{retro.pk}/phase/",
        f"/retros/{retro.pk}/timer/",
        f"/retros/{retro.pk}/cards/",
        f"/retros/{retro.pk}/cards/{card.pk}/",
        f"/retros/{retro.pk}/cards/{card.pk}/group/",
        f"/retros/{retro.pk}/topics/{topic.pk}/title/",
        f"/retros/{retro.pk}/topics/{topic.pk}/vote/",
        f"/retros/{retro.pk}/topics/{topic.pk}/notes/",
        f"/retros/{retro.pk}/actions/",
        f"/retros/{retro.pk}/lessons/",
        f"/retros/formats/{copy.pk}/copy/",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert (
            client.post(url, {"phase": "reveal", "text": "x", "team": "alpha"}).status_code == 404
        ), url
    assert "Alpha only" not in client.get("/retros/").content.decode()


def test_the_markdown_export_is_blind_during_collect_and_whole_after(
    client_for, alice, bob, charlie, retro
) -> None:
    make_card(retro, text="Named worry", author=bob, column="stop")
    make_card(retro, text="Hidden worry", is_anonymous=True, column="stop")
    client = client_for(alice)
    during = client.get(f"/retros/{retro.pk}/export.md").content.decode()
    assert "Named worry" not in during and "hidden until they are revealed" in during
    _set_phase(retro, Phase.DISCUSS)
    from learnloop.retros.board import topics_for_loose_cards

    topics_for_loose_cards(retro)
    response = client.get(f"/retros/{retro.pk}/export.md")
    assert response["Content-Type"].startswith("text/markdown")
    body = response.content.decode()
    assert "## Stop" in body and "- Named worry (Bob)" in body
    assert "- Hidden worry (anonymous)" in body and "## Topics" in body and "0 votes" in body
    assert client_for(charlie).get(f"/retros/{retro.pk}/export.md").status_code == 404


def test_a_named_group_without_cards_does_not_break_the_vote(client_for, alice, bob, retro) -> None:
    make_card(retro, text="Only card", author=bob)
    Topic.objects.create(retro=retro, title="Empty but named")
    _set_phase(retro, Phase.VOTE)
    for url in (f"/retros/{retro.pk}/", f"/retros/{retro.pk}/state/"):
        response = client_for(alice).get(url)
        assert (
            response.status_code == 200 and "Vote for Empty but named" in response.content.decode()
        )
    _set_phase(retro, Phase.DISCUSS)
    assert "Empty but named" in client_for(alice).get(f"/retros/{retro.pk}/").content.decode()
