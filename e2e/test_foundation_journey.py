"""The first admin signs up, creates a team, invites a member who accepts and signs in."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_first_admin_team_invitation_and_sign_in(server, new_page) -> None:
    admin = new_page()
    admin.goto(server.url + "/")
    expect(admin).to_have_url(re.compile(r"/setup/$"))
    admin.get_by_label("Organisation name").fill("Riverside Clinic")
    admin.get_by_label("Your name").fill("Noor Haddad")
    admin.get_by_label("Your email").fill("noor@clinic.test")
    admin.get_by_label("Password").fill("a-very-good-password")
    admin.get_by_role("button", name="Create organisation and admin").click()

    expect(admin.get_by_role("heading", name="New team")).to_be_visible()
    admin.get_by_label("Name").fill("Night Shift")
    admin.get_by_role("button", name="Create team").click()
    expect(admin.get_by_role("heading", name="Night Shift")).to_be_visible()

    admin.locator("#id_email").fill("sam@clinic.test")
    admin.locator("#id_role").select_option("facilitator")
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_text("Invitation sent to sam@clinic.test")).to_be_visible()

    message = server.mailbox.wait_for("sam@clinic.test")
    link = re.search(r"http://\S+/invite/\S+/", server.mailbox.text(message)).group(0)

    member = new_page(viewport={"width": 390, "height": 844})
    member.goto(link)
    expect(member.get_by_role("heading", name="Join Night Shift")).to_be_visible()
    member.get_by_label("Your name").fill("Sam Ito")
    member.get_by_label("Choose a password").fill("another-good-password")
    member.get_by_role("button", name="Accept and join").click()
    expect(member.get_by_text("You joined Night Shift.")).to_be_visible()
    expect(member.get_by_role("cell", name="Facilitator")).to_be_visible()

    member.locator("header.site summary", has_text="Menu").click()  # the phone's compact menu
    member.get_by_role("button", name="Sign out").click()
    expect(member.get_by_role("heading", name="Sign in")).to_be_visible()
    member.get_by_label("Email").fill("sam@clinic.test")
    member.get_by_label("Password").fill("another-good-password")
    member.get_by_role("button", name="Sign in").click()
    expect(member.get_by_role("heading", name="Hello, Sam Ito")).to_be_visible()
    expect(member.get_by_role("link", name="Night Shift")).to_be_visible()

    # The used invitation link is dead.
    other = new_page()
    response = other.goto(link)
    assert response.status == 404
