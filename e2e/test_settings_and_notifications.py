"""Issue 11 items 10 and 11 in a browser: a team admin changes the team's rules (an impossible
minimum is refused), a person sets their time zone and sees times in it, an organisation admin
renames a team; a new action owner is told by email (real SMTP) and in the app, and turns that
kind of notification off."""

from __future__ import annotations

import re

from playwright.sync_api import expect

SETUP = """
import datetime as dt
from learnloop.accounts.models import Team
from learnloop.testing.builders import make_incident
incident = make_incident(Team.objects.get(slug="night-shift"), title="Fridge alarm ignored",
    description="", started_at=dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC))
print(incident.pk)
"""


def test_team_settings_time_zone_and_renaming(server, new_page, organisation, sign_in) -> None:
    organisation(org_admins=["noor@clinic.test"])
    incident = server.cli("shell", "-c", SETUP).stdout.strip().splitlines()[-1]
    noor = new_page()
    sign_in(noor, "noor@clinic.test")
    noor.goto(server.url + "/teams/night-shift/")
    team_links = noor.get_by_role("navigation", name="Night Shift")
    expect(team_links.get_by_role("link", name="Dashboard")).to_be_visible()
    team_links.get_by_role("link", name="Settings").click()
    expect(noor.get_by_role("heading", name="Settings of Night Shift")).to_be_visible()
    expect(noor.get_by_label("Cooling-off period (hours)")).to_have_value("24")
    noor.get_by_label("Minimum learnings").fill("60")
    noor.get_by_role("button", name="Save settings").click()
    expect(noor.get_by_text("Minimum learnings: 50 at most")).to_be_visible()
    noor.get_by_label("Minimum learnings").fill("2")
    noor.get_by_label("Cooling-off period (hours)").fill("6")
    noor.get_by_label("Reminder lead time (days)").fill("4")
    noor.get_by_label("Default review template").select_option(label="After-action review")
    noor.get_by_role("button", name="Save settings").click()
    expect(noor.get_by_text("Settings of Night Shift saved.")).to_be_visible()
    expect(noor.get_by_label("Cooling-off period (hours)")).to_have_value("6")

    # Times in the person's own zone: 15:00 UTC is midnight in Tokyo.
    noor.goto(f"{server.url}/incidents/{incident}/")
    expect(noor.get_by_text("2026-11-02 15:00")).to_be_visible()
    noor.goto(server.url + "/account/")
    noor.get_by_label("Display name").fill("Noor H.")
    noor.get_by_label("Time zone").select_option("Asia/Tokyo")
    noor.get_by_role("button", name="Save profile").click()
    expect(noor.get_by_text("Your profile is saved.")).to_be_visible()
    noor.goto(f"{server.url}/incidents/{incident}/")
    expect(noor.get_by_text("2026-11-03 00:00")).to_be_visible()

    noor.goto(server.url + "/organisation/")
    noor.get_by_role("link", name="Rename Night Shift").click()
    noor.get_by_label("Name").fill("Night Team")
    noor.get_by_role("button", name="Rename the team").click()
    expect(noor.get_by_role("heading", name="Night Team")).to_be_visible()
    expect(noor).to_have_url(server.url + "/teams/night-shift/")


def test_a_new_owner_is_told_and_can_turn_it_off(server, new_page, organisation, sign_in) -> None:
    organisation(org_admins=["noor@clinic.test"])
    server.cli("shell", "-c", SETUP)
    noor = new_page()
    sign_in(noor, "noor@clinic.test")

    def add_action(title: str) -> str:
        noor.goto(server.url + "/actions/new/")
        noor.get_by_label("Title").fill(title)
        noor.get_by_label("Owner").select_option(label="Sam Ito")
        noor.get_by_role("button", name="Add action").click()
        expect(noor.get_by_role("heading", name=title)).to_be_visible()
        match = re.search(r"/actions/\d+/", noor.url)
        assert match is not None
        return match.group(0)

    path = add_action("Check the fridge log each night")
    message = server.mailbox.wait_for("sam@clinic.test", timeout=30)
    assert str(message["Subject"]).strip().startswith("Noor Haddad made you the owner of")
    assert server.url + path in server.mailbox.text(message)

    sam = new_page(viewport={"width": 390, "height": 844})
    sign_in(sam, "sam@clinic.test")
    expect(sam.locator("a.bell .badge")).to_have_text("1")
    sam.goto(server.url + "/notifications/")
    sam.get_by_role("button", name=re.compile("made you the owner")).click()
    expect(sam).to_have_url(server.url + path)

    sam.goto(server.url + "/notifications/preferences/")
    sam.get_by_role("group", name="You are made the owner of an action").get_by_label("Off").check()
    sam.get_by_role("button", name="Save preferences").click()
    expect(sam.get_by_text("Notification preferences saved.")).to_be_visible()

    add_action("Label the spare fridge")
    sam.wait_for_timeout(3000)
    assert [m["To"] for m in server.mailbox.messages].count("sam@clinic.test") == 1
    sam.goto(server.url + "/notifications/")
    expect(sam.get_by_role("button", name=re.compile("Label the spare fridge"))).to_have_count(0)
