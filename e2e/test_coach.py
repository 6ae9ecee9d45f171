"""Blame coach journey: typing "Dave should have double-checked the config before pushing" into
a review shows a hint with a rewording; dismissing it with a reason is recorded and stays
dismissed after a reload; "Use this wording" rewrites a question as a better question; the summary before
publishing lists what is still open, and publishing is not blocked."""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import expect

DAVE = "Dave should have double-checked the config before pushing."

SETUP = """
import datetime as dt
from django.utils import timezone
from learnloop.accounts.models import Team
from learnloop.testing.builders import make_incident
t0 = timezone.now() - dt.timedelta(hours=6)
incident = make_incident(
    Team.objects.get(slug="platform"), title="Bad config pushed",
    description="A config value broke checkout.",
    started_at=t0, detected_at=t0 + dt.timedelta(minutes=5), kind="service",
)
print(incident.pk)
"""

FLAGS = """
import json
from learnloop.coach.models import CoachFlag
print(json.dumps([
    {"span": f.span, "status": f.status, "reason": f.dismiss_reason, "by": f.dismissed_by.email if f.dismissed_by else None,
     "how": f.resolved_how, "field": f.field_key}
    for f in CoachFlag.objects.order_by("id")
]))
"""


def _flags(server) -> list[dict[str, Any]]:
    return json.loads(server.cli("shell", "-c", FLAGS).stdout.strip().splitlines()[-1])


def start_review(server, page, organisation, sign_in) -> int:
    """Harbour with Noor, SETUP's incident, Noor signed in on ``page`` and an "Incident review"
    started; returns the review's id."""
    organisation(
        name="Harbour", team="Platform", people=[("noor@ops.test", "Noor Haddad", "admin")]
    )
    incident_id = int(server.cli("shell", "-c", SETUP).stdout.strip().splitlines()[-1])
    sign_in(page, "noor@ops.test")
    page.goto(f"{server.url}/reviews/new/?incident={incident_id}")
    page.get_by_label("Template").select_option(label="Incident review")
    page.get_by_role("button", name="Start the review").click()
    return int(re.search(r"/reviews/(\d+)/", page.url).group(1))


def test_a_blameful_sentence_gets_a_hint_and_a_dismissal_is_recorded(
    server, new_page, organisation, sign_in
) -> None:
    page = new_page()
    review_id = start_review(server, page, organisation, sign_in)

    summary = page.get_by_role("textbox", name="Summary", exact=True)
    summary.press_sequentially(DAVE, delay=5)
    hint = page.get_by_role("group", name="Wording hint")
    expect(hint).to_have_count(1)
    expect(hint).to_contain_text("Dave should have")
    expect(hint).to_contain_text("Hindsight")
    # A question is offered to consider, never pasted over the statement (issue 11, item 7).
    expect(hint).to_contain_text(
        "A question to consider: What made it hard to double-check the config before pushing?"
    )
    expect(hint.get_by_role("button", name="Use this wording")).to_have_count(0)
    # The hints live in a polite live region that describes the field.
    region = page.locator("[data-coach-hints]").first
    expect(region).to_have_attribute("aria-live", "polite")
    expect(summary).to_have_attribute("aria-describedby", re.compile(region.get_attribute("id")))

    hint.get_by_role("button", name="Dismiss…").click()
    page.get_by_role("radio", name="Quoting someone").check()
    page.get_by_role("button", name="Dismiss hint").click()
    expect(page.get_by_text("Hint dismissed: Quoting someone.")).to_be_visible()
    expect(hint).to_have_count(0)

    (flag,) = _flags(server)
    assert flag["status"] == "dismissed" and flag["reason"] == "Quoting someone"
    assert flag["by"] == "noor@ops.test" and flag["span"].startswith("Dave should have")

    # "Use this wording" replaces a question with a question in another field and resolves
    # its hint.
    impact = page.get_by_role("textbox", name="Impact", exact=True)
    impact.fill("Checkout failed for 20 minutes. Why didn't anyone page the pharmacist?")
    use = page.get_by_role("group", name="Wording hint").get_by_role(
        "button", name="Use this wording"
    )
    use.click()
    expect(impact).to_have_value(
        "Checkout failed for 20 minutes. What made it hard to page the pharmacist at the time?"
    )
    expect(page.get_by_text("Wording replaced; hint resolved.")).to_be_visible()
    expect(page.locator("#autosave-status")).to_contain_text("Saved version", timeout=15_000)
    page.wait_for_timeout(1500)  # the fresh check of the new wording and the autosave settle
    flags = _flags(server)
    assert [f["status"] for f in flags] == ["dismissed", "resolved"]
    assert flags[1]["how"] == "reworded"

    # After a reload the dismissed hint stays dismissed.
    page.reload()
    expect(summary).to_have_value(DAVE)
    page.wait_for_timeout(1500)
    expect(page.get_by_role("group", name="Wording hint")).to_have_count(0)

    # The summary before publishing: nothing open; a new blameful sentence shows up in it.
    page.goto(f"{server.url}/reviews/{review_id}/")
    expect(page.get_by_text("No open wording hints.")).to_be_visible()
    page.goto(f"{server.url}/reviews/{review_id}/edit/")
    learning = page.get_by_label("Learning 1")
    learning.fill("The night team forgot to rotate the key.")
    expect(page.get_by_role("group", name="Wording hint")).to_have_count(1)
    page.get_by_role("button", name="Save and view").click()
    box = page.locator("#coach-summary")
    expect(box).to_contain_text("1 open hint")
    expect(box).to_contain_text("Learnings: 1 hint")
    expect(box).to_contain_text("You can still publish")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".badge").first).to_have_text(re.compile("Published|Draft|In review"))
