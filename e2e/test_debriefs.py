"""Issue 12's journey: a lead creates a deliverable and sees related past lessons; two
collaborators add a win, an opportunity and a lesson; one applauds the other's win; the lead
closes it and promotes the lesson, which library search then finds and a new incident about the
same topic is offered; the spread page shows the Gini and the members nobody applauded."""

from __future__ import annotations

import re

from playwright.sync_api import expect

PEOPLE = [
    ("noor@crumb.test", "Noor", "admin"),
    ("sam@crumb.test", "Sam", "member"),
    ("ana@crumb.test", "Ana", "member"),
    ("li@crumb.test", "Li", "member"),
    ("kai@crumb.test", "Kai", "member"),
]

LESSON = "Webhook timeouts must be shorter than the payment provider's retry interval."
PAST_LESSON = """
from learnloop.accounts.models import Team
from learnloop.testing.builders import make_lesson
make_lesson(Team.objects.get(slug="platform"),
            statement="Idempotency keys stop duplicate payment retries.",
            context="Without a key, a retried payment request charged customers twice.")
"""


def _add_entry(page, kind: str, text: str) -> None:
    form = page.locator("#entry-form")
    form.get_by_label(kind, exact=True).check()
    form.get_by_label("Text").fill(text)
    form.get_by_role("button", name="Add to the log").click()
    expect(page.locator(".debrief-log")).to_contain_text(text)


def test_a_deliverable_from_first_lessons_to_the_library_and_the_spread(
    server, new_page, organisation, sign_in
) -> None:
    organisation(name="Crumb", team="Platform", people=PEOPLE)
    server.cli("shell", "-c", PAST_LESSON)

    # The lead creates a deliverable and sees what the team already learned.
    lead = new_page()
    sign_in(lead, "noor@crumb.test")
    lead.goto(server.url + "/deliverables/new/")
    lead.get_by_label("Title").fill("Payment retry redesign")
    lead.get_by_label("Description").fill(
        "Stop duplicate payment retries charging customers twice; add idempotency keys."
    )
    lead.get_by_label("Sam").check()
    lead.get_by_label("Ana").check()
    lead.get_by_label("External link").fill("https://linear.app/crumb/issue/PAY-12")
    lead.get_by_role("button", name="Create deliverable").click()
    expect(lead.get_by_role("heading", name="Payment retry redesign", level=1)).to_be_visible()
    before = lead.locator("#before-you-start")
    expect(
        before.get_by_role("link", name="Idempotency keys stop duplicate payment retries.")
    ).to_be_visible()
    expect(before.get_by_text("Why:").first).to_be_visible()
    before.get_by_role("button", name="Applied here").click()
    expect(before.get_by_text("Applied here").first).to_be_visible()
    deliverable_url = lead.url.split("#")[0]

    # Two collaborators write the log over time.
    sam = new_page()
    sign_in(sam, "sam@crumb.test")
    sam.goto(deliverable_url)
    _add_entry(sam, "Win", "The retry worker shipped behind a flag with no downtime.")
    _add_entry(sam, "Opportunity", "Load tests could include the retry traffic.")
    ana = new_page()
    sign_in(ana, "ana@crumb.test")
    ana.goto(deliverable_url)
    _add_entry(ana, "Lesson learned", LESSON)

    # Ana applauds Sam's win, in place.
    win = ana.locator(".debrief-entry", has_text="The retry worker shipped")
    clap = win.get_by_role("button", name=re.compile("applause"))
    clap.click()
    expect(clap).to_have_attribute("aria-pressed", "true")
    expect(clap).to_have_attribute("aria-label", re.compile("from Ana"))

    # The lead closes it and promotes the lesson.
    lead.goto(deliverable_url)
    lead.get_by_role("button", name="Close…").click()
    lead.get_by_label(re.compile("Webhook timeouts must be shorter")).check()
    lead.get_by_role("button", name="Close deliverable").click()
    expect(lead.get_by_text("1 lesson added to the library")).to_be_visible()

    # Library search finds it, and a new incident about the same topic is offered it.
    lead.goto(server.url + "/search/?q=webhook+timeouts")
    expect(lead.get_by_role("link", name=LESSON, exact=True)).to_be_visible()
    lead.goto(server.url + "/incidents/new/")
    lead.locator("#id_title").fill("Provider webhook timeouts")
    lead.locator("#id_description").press_sequentially(
        "Our webhook timeouts were longer than the payment provider's retry interval.", delay=5
    )
    expect(
        lead.locator("#related-box-results").get_by_role("link", name=LESSON, exact=True)
    ).to_be_visible()

    # The spread: a Gini, and everyone but Sam listed as not applauded lately.
    lead.goto(server.url + "/deliverables/recognition/")
    expect(lead.get_by_test_id("gini")).to_have_text("0.80")
    expect(lead.get_by_test_id("unrecognised").get_by_role("listitem")).to_have_text(
        ["Ana", "Kai", "Li", "Noor"]  # alphabetical; Sam was applauded
    )
