"""Issue 17 items 3, 4 and 6 in a browser, on a phone: a team admin imports a Jira CSV (a bad
line is named, the rest imports, importing again adds nothing), makes a calendar subscribe URL
that a calendar app can read (parsed with icalendar), and a member's weekly digest arrives over
SMTP with a one-click unsubscribe link that works without signing in."""

from __future__ import annotations

import re

from icalendar import Calendar
from playwright.sync_api import expect

PHONE = {"viewport": {"width": 390, "height": 844}}
JIRA = (
    "Summary,Issue key,Issue id,Issue Type,Status,Priority,Resolution,Created,Resolved\r\n"
    "Fridge alarm ignored overnight,NS-1,1,Incident,Done,High,Done,03/Mar/26 2:14 AM,03/Mar/26 6:00 AM\r\n"
    "Night log not signed,NS-2,2,Incident,Done,Low,Done,someday,\r\n"
    "Spare key missing,NS-3,3,Incident,Open,Medium,,10/Mar/26 11:05 PM,\r\n"
)
DIGEST = """
import datetime as dt
from django.core.management import call_command
from django.utils import timezone
from learnloop.accounts.models import Team, User
from learnloop.notifications.digest import digests_send_due
from learnloop.testing.builders import make_action
sam = User.objects.get(email="sam@clinic.test")
sam.time_zone = "UTC"; sam.save()
make_action(Team.objects.get(slug="night-shift"), title="Check the fridge log nightly", owner=sam,
    due_date=timezone.localdate() - dt.timedelta(days=2))
today = timezone.now().date()
monday = today - dt.timedelta(days=today.weekday())
print(digests_send_due(now=dt.datetime.combine(monday, dt.time(9), tzinfo=dt.UTC)))
"""


def test_csv_import_calendar_feed_and_digest(
    server, new_page, organisation, sign_in, tmp_path
) -> None:
    organisation()
    noor = new_page(**PHONE)
    sign_in(noor, "noor@clinic.test")

    # Import from Jira: a preview names the bad line, the import takes the others.
    path = tmp_path / "jira.csv"
    path.write_text(JIRA)
    noor.goto(server.url + "/teams/night-shift/")
    noor.get_by_role("link", name="Import CSV").click()
    noor.get_by_label("Exported from").select_option("jira")
    noor.get_by_label("CSV file").set_input_files(str(path))
    noor.get_by_label("Time zone of times").fill("Europe/Berlin")
    noor.get_by_role("button", name="Preview").click()
    expect(noor.locator("#preview-summary")).to_contain_text("2 would import (2 new")
    expect(noor.locator("#line-errors")).to_contain_text("line 3: detected_at: 'someday'")
    expect(noor.get_by_label("Title")).to_have_value("Summary")
    noor.get_by_role("button", name="Import 2 lines").click()
    expect(noor.locator("#import-result")).to_contain_text("Imported 2 of 3 lines: 2 new")
    noor.goto(server.url + "/incidents/")
    expect(noor.get_by_text("Fridge alarm ignored overnight")).to_be_visible()
    noor.goto(server.url + "/teams/night-shift/import-csv/?format=jira")
    noor.get_by_label("CSV file").set_input_files(str(path))
    noor.get_by_role("button", name="Preview").click()
    expect(noor.locator("#preview-summary")).to_contain_text("(0 new, 0 updated, 2 unchanged)")

    # A calendar subscribe URL that a calendar app reads without a session.
    noor.goto(server.url + "/account/")
    noor.get_by_role("link", name="Calendar feeds").click()
    noor.locator("#feed-personal").get_by_role("button", name="Make a subscribe URL").click()
    url = noor.locator("#url-personal").input_value()
    assert re.fullmatch(re.escape(server.url) + r"/calendar/feed/[\w-]{40,}\.ics", url)
    anonymous = new_page()
    response = anonymous.request.get(url)
    assert response.status == 200 and response.headers["content-type"].startswith("text/calendar")
    assert isinstance(Calendar.from_ical(response.body()), Calendar)
    noor.locator("#feed-personal").get_by_role("button", name="Make a new URL").click()
    assert anonymous.request.get(url).status == 404

    # The weekly digest over SMTP, and its one-click unsubscribe without signing in.
    assert server.cli("shell", "-c", DIGEST).stdout.strip().splitlines()[-1] == "1"
    message = server.mailbox.wait_for("sam@clinic.test", timeout=30, subject="Your Learnloop week")
    assert "Check the fridge log nightly" in server.mailbox.text(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    reader = new_page(**PHONE)
    reader.goto(link)
    expect(reader.get_by_role("heading", name="Stop these emails?")).to_be_visible()
    reader.get_by_role("button", name="Unsubscribe").click()
    expect(reader.locator("#unsubscribed")).to_contain_text("The weekly digest")
