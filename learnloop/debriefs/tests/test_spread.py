"""The recognition spread: Gini of applause received, who received none (alphabetical, never
ranked), own numbers only, 404 for other teams, org admins see the Gini per team over time."""

from __future__ import annotations

import pytest

from learnloop.accounts.models import Role
from learnloop.applause.services import reaction_add
from learnloop.core.stats import gini
from learnloop.debriefs import spread
from learnloop.testing.builders import make_entry, make_user

pytestmark = pytest.mark.django_db


def test_gini() -> None:
    assert gini([]) is None and gini([0, 0, 0]) is None
    assert gini([3, 3, 3, 3]) == 0
    assert gini([0, 0, 0, 4]) == 0.75
    assert gini([1, 2, 3, 4, 5]) == pytest.approx(0.267, abs=0.001)


@pytest.fixture
def team_of_five(org, alpha, alice, bob):
    return [alice, bob] + [
        make_user(f"{name}@example.org", org, team=alpha, display_name=name.title())
        for name in ("zoe", "dan", "eve")
    ]


def test_admins_see_the_gini_and_who_nobody_recognised(
    client_for, alice, bob, team_of_five, deliverable
) -> None:
    win = make_entry(deliverable, author=bob, kind="win", text="Shipped.")
    for person in team_of_five:
        if person != bob:
            reaction_add(actor=person, kind="entry", object_id=win.pk, emoji="clap")
    body = client_for(alice).get("/deliverables/recognition/?team=alpha&days=30")
    spread = body.context["spread"]
    assert spread.gini == 0.8 and spread.members == 5
    names = [p.name for p in team_of_five if p != bob]
    assert spread.unrecognised == sorted(names, key=str.lower)
    html = body.content.decode()
    assert 'data-testid="gini">0.80<' in html
    # Bob, a member, sees his own numbers and not the team's spread.
    mine = client_for(bob).get("/deliverables/recognition/?team=alpha")
    assert "spread" not in mine.context
    assert (mine.context["mine"].received, mine.context["mine"].entries) == (4, 1)
    # A facilitator sees it too.
    facilitator = team_of_five[2]
    facilitator.memberships.update(role=Role.FACILITATOR)
    assert "spread" in client_for(facilitator).get("/deliverables/recognition/").context


def test_small_teams_get_no_gini(client_for, alice, bob) -> None:
    page = client_for(alice).get("/deliverables/recognition/").context
    assert page["spread"].gini is None and not page["spread"].enough_people
    assert page["spread"].unrecognised == sorted([alice.name, bob.name], key=str.lower)


def test_org_admins_see_the_gini_per_team_over_time(client_for, org, alice, team_of_five) -> None:
    admin = make_user("boss@example.org", org, is_org_admin=True)
    page = client_for(admin).get("/deliverables/recognition/").context
    assert len(page["trend_labels"]) == 6
    teams = {t.team.name: t for t in page["trends"]}
    assert teams["Alpha"].enough_people and len(teams["Alpha"].points) == 6
    assert client_for(alice).get("/deliverables/recognition/").context.get("trends") is None


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_another_team_gets_404(request, client_for, api, who) -> None:
    person = request.getfixturevalue(who)
    assert client_for(person).get("/deliverables/recognition/?team=alpha").status_code == 404
    response = api(person).get("/api/debriefs/spread?team=alpha")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_api_gives_my_numbers_and_the_spread_to_admins(api, alice, bob, team_of_five) -> None:
    body = api(alice).get("/api/debriefs/spread?team=alpha&days=90").json()
    assert body["mine"] == {"received": 0, "given": 0, "entries": 0}
    assert body["team"]["members"] == 5 and body["team"]["gini"] is None
    assert len(body["team"]["unrecognised"]) == 5
    assert api(bob).get("/api/debriefs/spread?team=alpha").json()["team"] is None


def test_the_trend_of_some_teams_is_theirs_from_the_organisations_trend(
    org, alpha, beta, bob, team_of_five, deliverable
) -> None:
    win = make_entry(deliverable, author=bob, kind="win", text="Shipped.")
    for person in team_of_five[2:]:
        reaction_add(actor=person, kind="entry", object_id=win.pk, emoji="clap")
    labels, everyone = spread.organisation_trend(organisation_id=org.pk)
    some_labels, some = spread.organisation_trend(organisation_id=org.pk, team_ids=[alpha.pk])
    assert {t.team.name for t in everyone} == {"Alpha", "Beta"}
    assert some_labels == labels and [t.team.name for t in some] == ["Alpha"]
    alpha_trend = next(t for t in everyone if t.team.name == "Alpha")
    assert some[0] == alpha_trend and some[0].enough_people
    assert any(gini is not None for _, gini in some[0].points)


def test_the_trend_counts_each_reaction_in_its_local_month_as_truncmonth_did(
    settings, org, alpha, bob, team_of_five, deliverable
) -> None:
    """Decision 0174: the month of a reaction is found in SQL by comparing with the months'
    first instants; the same local months as Django's ``TruncMonth`` (the earlier code), at the
    edges of a month in a time zone that is not UTC, and nothing outside the six months."""
    import datetime as dt
    from collections import Counter
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from learnloop.applause.models import Reaction

    settings.TIME_ZONE = "Europe/Berlin"
    berlin = ZoneInfo("Europe/Berlin")
    now = dt.datetime(2026, 12, 5, 12, 0, tzinfo=berlin)
    win = make_entry(deliverable, author=bob, kind="win", text="Shipped.")
    people = team_of_five[1:]
    for person in people:
        reaction_add(actor=person, kind="entry", object_id=win.pk, emoji="clap")
    utc = dt.UTC
    times = [
        dt.datetime(2026, 11, 30, 23, 30, tzinfo=utc),  # 1 December, 00:30 in Berlin
        dt.datetime(2026, 11, 30, 22, 30, tzinfo=utc),  # 30 November, 23:30 in Berlin
        dt.datetime(2026, 6, 30, 22, 0, tzinfo=utc),  # 1 July, 00:00 in Berlin: the first month
        dt.datetime(2026, 6, 30, 21, 59, tzinfo=utc),  # 30 June in Berlin: before the window
    ]
    reactions = list(Reaction.objects.filter(team=alpha).order_by("pk"))
    assert len(reactions) == len(times)
    for reaction, at in zip(reactions, times, strict=True):
        Reaction.objects.filter(pk=reaction.pk).update(created_at=at)
    Reaction.objects.filter(pk=reactions[0].pk).update(
        created_at=dt.datetime(2027, 1, 1, 0, 0, tzinfo=berlin)  # next month: left out
    )
    times[0] = dt.datetime(2027, 1, 1, 0, 0, tzinfo=berlin)
    with timezone.override(berlin):
        labels, trends = spread.organisation_trend(organisation_id=org.pk, now=now)
    # The earlier rule, in Python: each reaction's local month, counted per recipient.
    index = {(2026, m): i for i, m in enumerate(range(7, 13))}
    expected: Counter[tuple[int | None, int]] = Counter()
    for reaction, at in zip(reactions, times, strict=True):
        local = at.astimezone(berlin)
        if (local.year, local.month) in index:
            expected[(reaction.recipient_id, index[(local.year, local.month)])] += 1
    assert labels == ["Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026", "Dec 2026"]
    assert sorted(i for _, i in expected) == [0, 4]
    alpha_trend = next(t for t in trends if t.team.pk == alpha.pk)
    members = set(alpha_trend.team.memberships.values_list("user_id", flat=True))
    assert alpha_trend.points == [
        (label, gini([expected[(uid, i)] for uid in members])) for i, label in enumerate(labels)
    ]
