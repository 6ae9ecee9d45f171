"""Issue 11 item 11: team admins edit the 24-hour rule, cooling-off and reminder lead time in
the product and the API; impossible values and stale saves are refused."""

from __future__ import annotations

import json

from learnloop.accounts.models import Team
from learnloop.reviews import services
from learnloop.reviews.tests.conftest import shipped

GOOD = {
    "cooling_off_hours": "12",
    "min_learnings": "2",
    "min_next_steps": "1",
    "reminder_days_before": "5",
    "default_template": "",
    "version": "1",
}


def test_a_team_admin_changes_the_rules_on_the_settings_page(client_for, alice, alpha) -> None:
    client = client_for(alice)
    page = client.get("/teams/alpha/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="cooling_off_hours"' in html and 'value="24"' in html
    assert 'href="/teams/alpha/settings/"' in client.get("/teams/alpha/").content.decode()
    response = client.post("/teams/alpha/settings/", GOOD)
    assert response.status_code == 302
    alpha.refresh_from_db()
    assert alpha.version == 2 and alpha.settings["reminder_days_before"] == 5
    review = services.review_create(
        actor=alice, template=shipped("24-hour-learning-review"), team=alpha
    )
    minimums = {s["type"]: s["min_count"] for s in review.sections}
    assert minimums["learnings"] == 2 and minimums["next_steps"] == 1
    assert review.opens_at is not None
    assert round((review.opens_at - review.created_at).total_seconds()) == 12 * 3600


def test_impossible_numbers_are_refused_with_clear_messages(client_for, alice, alpha) -> None:
    bad = {**GOOD, "min_learnings": "51", "cooling_off_hours": "-1", "reminder_days_before": "x"}
    response = client_for(alice).post("/teams/alpha/settings/", bad)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Minimum learnings: 50 at most (nobody can meet a higher minimum)." in html
    assert "Cooling-off period (hours) cannot be below 0." in html
    assert "Reminder lead time (days): enter a whole number from 0 to 30." in html
    alpha.refresh_from_db()
    assert alpha.settings == {} and alpha.version == 1


def test_a_stale_save_shows_the_conflict_and_keeps_the_input(client_for, alice, alpha) -> None:
    client = client_for(alice)
    assert client.post("/teams/alpha/settings/", GOOD).status_code == 302
    mine = {**GOOD, "min_learnings": "4"}  # still from version 1
    response = client.post("/teams/alpha/settings/", mine)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this team’s settings meanwhile" in html
    assert 'name="min_learnings" value="4"' in html and 'name="version" value="2"' in html
    alpha.refresh_from_db()
    assert alpha.settings["learning_review"]["min_learnings"] == 2


def test_members_read_and_nobody_else_sees_the_settings(
    client_for, bob, charlie, mallory, alpha
) -> None:
    page = client_for(bob).get("/teams/alpha/settings/")
    assert (
        page.status_code == 200 and "Only the team's admins change these." in page.content.decode()
    )
    assert client_for(bob).post("/teams/alpha/settings/", GOOD).status_code == 404
    for outsider in (charlie, mallory):
        assert client_for(outsider).get("/teams/alpha/settings/").status_code == 404
        assert client_for(outsider).post("/teams/alpha/settings/", GOOD).status_code == 404
    assert Team.objects.get(pk=alpha.pk).version == 1


def test_the_api_reads_and_writes_the_settings(client_for, alice, bob, charlie, alpha) -> None:
    url = "/api/teams/alpha/settings"
    body = {k: (int(v) if v.isdigit() else None) for k, v in GOOD.items()}
    read = client_for(bob).get(url)
    assert read.status_code == 200 and read.json()["min_learnings"] == 3
    assert client_for(charlie).get(url).status_code == 404
    put = client_for(alice).put(url, json.dumps(body), content_type="application/json")
    assert put.status_code == 200 and put.json()["version"] == 2
    refused = client_for(bob).put(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"]
    stale = client_for(alice).put(url, json.dumps(body), content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    wrong = {**body, "version": 2, "min_next_steps": 99}
    bad = client_for(alice).put(url, json.dumps(wrong), content_type="application/json")
    assert bad.status_code == 400 and "min_next_steps" in bad.json()["error"]["fields"]
