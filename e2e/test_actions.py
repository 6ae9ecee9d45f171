"""An action due tomorrow: added in the UI, reminded by email (real SMTP) and in the app,
opened from the notification and marked done."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

REMIND = "from learnloop.tasks.registry import enqueue; enqueue('actions.send_reminders')"


def test_an_action_is_reminded_by_email_and_in_the_app(
    server, new_page, organisation, sign_in
) -> None:
    organisation()
    # The server runs in UTC (LEARNLOOP_TIME_ZONE's default).
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()

    noor = new_page()
    sign_in(noor, "noor@clinic.test")
    expect(noor.get_by_role("link", name="Actions")).to_be_visible()
    noor.get_by_role("link", name="Actions").click()
    expect(noor.get_by_role("heading", name="Night Shift follow-through")).to_be_visible()
    noor.get_by_role("link", name="Add an action").click()
    noor.get_by_label("Title").fill("Alert when the backup job is late")
    noor.get_by_label("Owner").select_option(label="Sam Ito")
    noor.get_by_label("Due date").fill(tomorrow)
    noor.get_by_label("Kind").select_option("detect")
    noor.get_by_label("Link to an external tracker").fill("javascript:alert(1)")
    noor.get_by_role("button", name="Add action").click()
    expect(noor.get_by_text("Enter a link starting with http:// or https://.")).to_be_visible()
    noor.get_by_label("Link to an external tracker").fill("https://tracker.test/OPS-7")
    noor.get_by_role("button", name="Add action").click()
    expect(noor.get_by_role("heading", name="Alert when the backup job is late")).to_be_visible()
    action_path = re.search(r"/actions/\d+/", noor.url).group(0)

    server.cli("shell", "-c", REMIND)
    # Sam was told he owns it (decision 0112), then reminded.
    told = server.mailbox.wait_for("sam@clinic.test", timeout=30, subject="Noor Haddad made you")
    assert server.url + action_path in server.mailbox.text(told)
    message = server.mailbox.wait_for("sam@clinic.test", timeout=30, subject="Due tomorrow")
    assert message["Subject"] == "Due tomorrow: Alert when the backup job is late"
    assert server.url + action_path in server.mailbox.text(message)

    sam = new_page(viewport={"width": 390, "height": 844})
    sign_in(sam, "sam@clinic.test")
    # On a phone the section links are in "Menu"; the bell stays in the header.
    expect(sam.locator("header.site a.bell")).to_be_visible()
    expect(sam.get_by_role("heading", name="Your open actions")).to_be_visible()
    expect(sam.locator("a.bell .badge")).to_have_text("2")
    sam.get_by_role("link", name="Notifications").click()
    expect(sam.locator("#unread-count")).to_have_text("2")
    sam.get_by_role("button", name=re.compile("is due tomorrow")).click()
    expect(sam).to_have_url(server.url + action_path)
    sam.get_by_role("button", name="Mark done").click()
    expect(sam.locator("#action-status")).to_contain_text("Status: Done")

    sam.get_by_role("link", name="Notifications").click()
    expect(sam.locator("#unread-count")).to_have_text("1")
    sam.get_by_role("button", name="Mark all read").click()
    expect(sam.locator("#unread-count")).to_have_text("0")
    expect(sam.locator("a.bell .badge")).to_have_count(0)

    # The reminder is never sent twice.
    server.cli("shell", "-c", REMIND)
    sam.wait_for_timeout(3000)
    assert [m["To"] for m in server.mailbox.messages].count("sam@clinic.test") == 2
