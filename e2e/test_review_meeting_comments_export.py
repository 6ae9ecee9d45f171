"""A review meeting scheduled from the review page (invitation with .ics over real SMTP), a
comment thread, and the Markdown and printable exports."""

from __future__ import annotations

import datetime as dt
import re

import yaml
from playwright.sync_api import expect

SETUP = """
from learnloop.accounts.models import Team, User
from learnloop.testing.builders import make_review
review = make_review(
    Team.objects.get(slug="night-shift"), title="Missed medication round, ward 3",
    sections=[{"key": "summary", "title": "Summary", "type": "rich_text", "prompt": "", "min_count": 0}],
    content={"summary": "The round started **40 minutes** late after a handover gap."},
    created_by=User.objects.get(email="noor@clinic.test"),
)
review.participants.add(User.objects.get(email="sam@clinic.test"))
print(review.pk)
"""


def test_a_meeting_is_scheduled_discussed_and_the_review_exported(
    server, new_page, organisation, sign_in
) -> None:
    organisation()
    pk = server.cli("shell", "-c", SETUP).stdout.strip().splitlines()[-1]
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(
        hour=13, minute=30, second=0, microsecond=0
    )

    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, "noor@clinic.test")
    page.goto(f"{server.url}/reviews/{pk}/")
    meeting = page.locator("#review-meeting")
    expect(meeting.get_by_role("heading", name="Review meeting")).to_be_visible()

    # A date in the past is refused next to the field; nothing is scheduled.
    meeting.get_by_label("Date and time").fill("2020-01-01T10:00")
    meeting.get_by_role("button", name="Schedule and invite").click()
    expect(meeting.get_by_text("Choose a date and time in the future.")).to_be_visible()
    expect(meeting.get_by_text("No meeting scheduled yet.")).to_be_visible()

    meeting.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    meeting.get_by_label("Duration (minutes)").fill("45")
    meeting.get_by_label("Where").fill("Room 4, east wing")
    meeting.get_by_role("button", name="Schedule and invite").click()
    expect(meeting.get_by_text("Scheduled for")).to_be_visible()
    expect(meeting.get_by_text("Room 4, east wing")).to_be_visible()

    message = server.mailbox.wait_for("sam@clinic.test", timeout=30)
    assert "Missed medication round" in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    ics = attachment.get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert f"DTSTART:{when:%Y%m%dT%H%M%S}Z" in ics
    assert "LOCATION:Room 4\\, east wing" in ics

    with page.expect_download() as download_info:
        meeting.get_by_role("button", name="Download .ics").click()
    downloaded = open(download_info.value.path(), encoding="utf-8").read()  # noqa: SIM115
    assert f"DTSTART:{when:%Y%m%dT%H%M%S}Z" in downloaded and "UID:review-" in downloaded

    # Comments: Markdown rendered, added and deleted without a page load.
    comments = page.locator("#review-comments")
    comments.get_by_label("Add a comment").fill(
        "Thanks, the **handover checklist** is a good lead."
    )
    comments.get_by_role("button", name="Add comment").click()
    expect(comments.locator("strong", has_text="handover checklist")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    comments.get_by_role("button", name=re.compile("Delete comment")).click()
    expect(comments.get_by_text("No comments yet.")).to_be_visible()

    with page.expect_download() as md_info:
        page.get_by_role("link", name="Download as Markdown").click()
    document = open(md_info.value.path(), encoding="utf-8").read()  # noqa: SIM115
    head, _, body = document[4:].partition("\n---\n")
    meta = yaml.safe_load(head)
    assert meta["title"] == "Missed medication round, ward 3" and meta["product"] == "Night Shift"
    assert "40 minutes" in body

    page.get_by_role("link", name="Printable page").click()
    expect(page.get_by_role("heading", name="Missed medication round, ward 3")).to_be_visible()
    expect(page.locator("nav")).to_have_count(0)
    page.emulate_media(media="print")
    expect(page.get_by_text("Back to the review")).to_be_hidden()
