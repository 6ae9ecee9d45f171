"""Issue 11 item 11: each person sets their display name and time zone (times shown and entered
in it, stored in UTC); organisation admins rename the organisation and its teams."""

from __future__ import annotations

import datetime as dt
import json

from learnloop.accounts.models import Organisation, Team
from learnloop.incidents.models import Incident


def test_a_person_sets_display_name_and_time_zone(client_for, bob) -> None:
    client = client_for(bob)
    page = client.get("/account/").content.decode()
    assert 'name="time_zone"' in page and '<option value="Europe/Berlin">' in page
    response = client.post(
        "/account/profile/", {"display_name": "Bob B.", "time_zone": "Asia/Kolkata"}
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert (bob.display_name, bob.time_zone) == ("Bob B.", "Asia/Kolkata")


def test_an_unknown_time_zone_is_refused_clearly(client_for, bob) -> None:
    response = client_for(bob).post(
        "/account/profile/", {"display_name": "Bob", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 400
    assert "“Mars/Olympus” is not a time zone" in response.content.decode()
    bob.refresh_from_db()
    assert bob.time_zone == ""


def test_times_are_shown_and_entered_in_the_persons_zone(client_for, bob, alpha) -> None:
    started = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
    incident = Incident.objects.create(team=alpha, title="Slow", started_at=started)
    client = client_for(bob)
    assert "2026-11-02 15:00" in client.get(f"/incidents/{incident.pk}/").content.decode()
    bob.time_zone = "America/New_York"  # UTC-5 in November
    bob.save()
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "2026-11-02 10:00" in page and "2026-11-02 15:00" not in page
    form = client.get(f"/incidents/{incident.pk}/edit/")
    assert 'value="2026-11-02T10:00"' in form.content.decode()


def test_the_api_changes_my_profile(client_for, bob) -> None:
    client = client_for(bob)
    ok = client.patch(
        "/api/me", json.dumps({"time_zone": "Europe/Berlin"}), content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["time_zone"] == "Europe/Berlin"
    bad = client.patch(
        "/api/me", json.dumps({"time_zone": "Nowhere"}), content_type="application/json"
    )
    assert bad.status_code == 400 and "time_zone" in bad.json()["error"]["fields"]


def test_an_organisation_admin_renames_the_organisation_and_a_team(
    client_for, alice, alpha, beta
) -> None:
    alice.is_org_admin = True
    alice.save()
    client = client_for(alice)
    assert client.get("/organisation/").status_code == 200
    assert client.post("/organisation/", {"name": "Acme Corp", "version": "1"}).status_code == 302
    assert Organisation.objects.get().name == "Acme Corp"
    taken = client.post("/teams/alpha/rename/", {"name": "beta", "version": "1"})
    assert (
        taken.status_code == 400
        and "Another team of the organisation has this name." in taken.content.decode()
    )
    assert (
        client.post("/teams/alpha/rename/", {"name": "Payments", "version": "1"}).status_code == 302
    )
    alpha.refresh_from_db()
    assert (alpha.name, alpha.slug) == ("Payments", "alpha")
    stale = client.post("/teams/alpha/rename/", {"name": "Checkout", "version": "1"})
    assert stale.status_code == 409 and "Payments" in stale.content.decode()
    assert Team.objects.get(pk=alpha.pk).name == "Payments"


def test_only_organisation_admins_rename(client_for, alice, bob, mallory, alpha) -> None:
    for person in (alice, bob):  # a team admin is not an organisation admin
        assert client_for(person).get("/organisation/").status_code == 404
        assert (
            client_for(person)
            .post("/teams/alpha/rename/", {"name": "X", "version": "1"})
            .status_code
            == 404
        )
    assert (
        client_for(mallory).post("/teams/alpha/rename/", {"name": "X", "version": "1"}).status_code
        == 404
    )
    assert Team.objects.get(pk=alpha.pk).name == "Alpha"


def test_the_review_timeline_follows_the_persons_zone(client_for, alice, alpha) -> None:
    from learnloop.reviews import services
    from learnloop.reviews.tests.conftest import shipped

    started = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
    incident = Incident.objects.create(team=alpha, title="Slow", started_at=started)
    review = services.review_create(
        actor=alice, template=shipped("incident-review"), incident=incident
    )
    alice.time_zone = "Asia/Tokyo"
    alice.save()
    client = client_for(alice)
    assert "2026-11-03 00:00" in client.get(f"/reviews/{review.pk}/").content.decode()
    editor = client.get(f"/reviews/{review.pk}/edit/").content.decode()
    assert 'value="2026-11-03T00:00"' in editor and "Asia/Tokyo" in editor
