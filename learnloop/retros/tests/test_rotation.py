"""The five-minute learning share: least recently shared first (never first), away and opted-out
people skipped, ties drawn with a recorded seed, skipped stays next; fair over 20 meetings."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.utils import timezone

from learnloop.accounts.models import Role
from learnloop.retros.models import ShareTurn
from learnloop.retros.rotation import _pick, share_decide, share_next, share_set_availability
from learnloop.testing.builders import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_of_six(org, alpha, alice, bob):
    others = [make_user(f"p{n}@example.org", org, team=alpha, role=Role.MEMBER) for n in range(4)]
    return [alice, bob, *others]


def test_it_is_fair_over_20_meetings(alpha, alice, team_of_six) -> None:
    away = team_of_six[-1]
    share_set_availability(actor=away, team=alpha, away=True)
    eligible = [p.pk for p in team_of_six if p != away]
    start = timezone.now() - dt.timedelta(days=200)
    order = []
    for meeting in range(20):
        turn = share_next(team=alpha)
        assert turn is not None
        order.append(turn.person_id)
        share_decide(
            actor=alice, team=alpha, outcome="done", now=start + dt.timedelta(days=7 * meeting)
        )
    counts = Counter(order)
    assert away.pk not in counts
    assert set(counts) == set(eligible)
    assert max(counts.values()) - min(counts.values()) <= 1  # 20 over 5 people: 4 each
    assert set(counts.values()) == {4}
    # Nobody shares twice before everyone has shared once, in every round.
    for n in range(0, 20, len(eligible)):
        assert sorted(order[n : n + len(eligible)]) == sorted(eligible)
    # Ties were drawn with a seed that is recorded and replays the same choice.
    first = ShareTurn.objects.filter(team=alpha).order_by("chosen_at", "id").first()
    assert first is not None and first.tied == len(eligible) and first.seed is not None


def test_skipped_stays_next_and_opted_out_people_are_never_named(
    alpha, alice, bob, team_of_six
) -> None:
    for person in team_of_six:
        if person not in (alice, bob):
            share_set_availability(actor=person, team=alpha, opted_out=True)
    turn = share_next(team=alpha)
    assert turn is not None and turn.person in (alice, bob)
    share_decide(actor=alice, team=alpha, outcome="skipped")
    again = share_next(team=alpha)
    assert again is not None and again.person == turn.person and again.pk == turn.pk
    assert ShareTurn.objects.filter(status="skipped", person=turn.person).count() == 1
    share_decide(actor=alice, team=alpha, outcome="done")
    after = share_next(team=alpha)
    assert after is not None and after.person != turn.person
    # Going away while named: someone else is named instead.
    share_set_availability(actor=after.person, team=alpha, away=True)
    replaced = share_next(team=alpha)
    assert replaced is not None and replaced.person == turn.person


def test_the_seed_replays_the_draw(alpha, team_of_six) -> None:
    seeds = random.Random(7).sample(range(10**9), 30)
    picks = {seed: _pick(alpha, seed)[0] for seed in seeds}
    assert all(_pick(alpha, seed)[0] == person for seed, person in picks.items())
    assert len({p.pk for p in picks.values() if p}) > 1  # the draw is not always the same person


def test_the_team_page_names_the_next_person(client_for, alice, bob, alpha, charlie) -> None:
    client_for(bob).post("/retros/share/alpha/draw/")
    body = client_for(bob).get("/teams/alpha/").content.decode()
    assert "Five-minute learning share" in body and "data-share-next" in body
    response = client_for(bob).post("/retros/share/alpha/decide/", {"outcome": "done"})
    assert response.status_code == 302
    assert ShareTurn.objects.filter(team=alpha, status="done").count() == 1
    assert (
        client_for(charlie).post("/retros/share/alpha/decide/", {"outcome": "done"}).status_code
        == 404
    )
    assert client_for(charlie).post("/retros/share/alpha/me/", {"away": "on"}).status_code == 404


def test_opening_the_team_page_writes_nothing_and_the_draw_is_a_post(
    client_for, bob, alpha, charlie
) -> None:
    client = client_for(bob)
    body = client.get("/teams/alpha/").content.decode()
    assert "Draw who shares next" in body and "data-share-next" not in body
    assert not ShareTurn.objects.exists()  # the GET wrote nothing
    assert client_for(charlie).post("/retros/share/alpha/draw/").status_code == 404
    assert not ShareTurn.objects.exists()
    assert client.post("/retros/share/alpha/draw/").status_code == 302
    turn = ShareTurn.objects.get(team=alpha, status="pending")
    body = client.get("/teams/alpha/").content.decode()
    assert f'data-share-next="{turn.person_id}"' in body
    client.post("/retros/share/alpha/draw/")  # someone is named: a second draw changes nothing
    assert list(ShareTurn.objects.values_list("pk", flat=True)) == [turn.pk]


def test_done_names_the_next_person_and_away_redraws(client_for, alice, bob, alpha) -> None:
    first = share_next(team=alpha)
    assert first is not None
    share_decide(actor=alice, team=alpha, outcome="done")
    pending = ShareTurn.objects.get(team=alpha, status="pending")
    assert pending.person_id != first.person_id
    named = pending.person
    client_for(named).post("/retros/share/alpha/me/", {"away": "on"})
    replaced = ShareTurn.objects.get(team=alpha, status="pending")
    assert replaced.person_id not in (named.pk,)


def test_the_named_person_alone_sees_their_lessons_entries_and_shared_journal(
    client_for, alice, bob, alpha
) -> None:
    from learnloop.debriefs.models import DebriefEntry
    from learnloop.journal.sharing import entry_share
    from learnloop.testing.builders import (
        make_deliverable,
        make_journal_entry,
        make_lesson,
    )

    make_lesson(alpha, statement="Small batches ship sooner", actor=bob)
    deliverable = make_deliverable(alpha, title="Checkout v3")
    DebriefEntry.objects.create(
        team=alpha, deliverable=deliverable, kind="win", text="The canary caught it", author=bob
    )
    shared = make_journal_entry(bob, title="On hand-offs", answers={"what": "Say who owns it."})
    entry_share(
        actor=bob, entry=shared, team_id=alpha.pk, statement="Name the receiver of a hand-off"
    )
    make_journal_entry(bob, title="Private worry", answers={"what": "Never shared."})
    ShareTurn.objects.create(team=alpha, person=bob, seed=1, tied=1)
    page = client_for(bob).get("/teams/alpha/").content.decode()
    for text in ("Small batches ship sooner", "The canary caught it", "On hand-offs"):
        assert text in page, text
    assert "Private worry" not in page
    other = client_for(alice).get("/teams/alpha/").content.decode()
    assert "On hand-offs" not in other and "The canary caught it" not in other
