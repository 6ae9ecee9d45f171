"""Review journeys: (b) an incident review with timeline, contributing factors and actions,
published; (c) a 24-hour learning review that cools off, refuses to publish with 2 learnings
and publishes with 3 learnings and 2 next steps; (d) two people save the same review and the
second sees the conflict view, with nothing lost."""

from __future__ import annotations

import re

from playwright.sync_api import expect

SETUP = """
import datetime as dt
from django.utils import timezone
from learnloop.accounts.models import Team
from learnloop.testing.builders import make_incident
t0 = timezone.now() - dt.timedelta(hours=6)
incident = make_incident(
    Team.objects.get(slug="night-shift"), title="Medication cabinet locked out", description="The cabinet refused badges.",
    started_at=t0, detected_at=t0 + dt.timedelta(minutes=12),
    acknowledged_at=t0 + dt.timedelta(minutes=20), resolved_at=t0 + dt.timedelta(hours=1),
    kind="setback",
)
print(incident.pk)
"""


def _setup(server, organisation) -> int:
    """Riverside's Night Shift (Noor admin, Sam member) and a resolved incident; its id."""
    organisation()
    return int(server.cli("shell", "-c", SETUP).stdout.strip().splitlines()[-1])


def _sign_in(sign_in, page, email: str) -> None:
    sign_in(page, email)
    # The bell is in the header at every width (on a phone the section links are in the Menu).
    expect(page.get_by_role("link", name="Notifications")).to_be_visible()


def _start(page, url: str, incident_id: int, template: str) -> int:
    page.goto(f"{url}/reviews/new/?incident={incident_id}")
    page.get_by_label("Template").select_option(label=template)
    page.get_by_role("button", name="Start the review").click()
    return int(re.search(r"/reviews/(\d+)/", page.url).group(1))


def test_an_incident_review_is_written_published_and_creates_actions(
    server, new_page, organisation, sign_in
) -> None:
    incident_id = _setup(server, organisation)
    page = new_page()
    _sign_in(sign_in, page, "noor@clinic.test")
    review_id = _start(page, server.url, incident_id, "Incident review")
    expect(
        page.get_by_role("heading", name="Edit: Medication cabinet locked out (incident review)")
    ).to_be_visible()

    # The timeline is seeded from the incident's four times, in order.
    expect(page.get_by_label("What happened 1")).to_have_value("Started")
    expect(page.get_by_label("What happened 4")).to_have_value("Resolved")
    page.get_by_role("textbox", name="Summary", exact=True).fill(
        "The badge reader **rejected** valid badges."
    )
    page.get_by_role("button", name="Preview Summary").click()
    expect(page.locator("#preview-summary strong")).to_have_text("rejected")
    page.get_by_label("What happened 5").fill("Pharmacist opened it with the key")
    page.get_by_label(re.compile(r"^Time 5")).fill("2020-01-01T00:30")

    page.get_by_label("Category 1").select_option(label="Technology and tools")
    page.get_by_label("Contributing factor 1").fill("Firmware update reset the badge list")
    page.get_by_role("button", name="Add a row to Contributing factors").click()
    # The new row is numbered at once (issue 11, item 12: it used to read "1" until a reload).
    page.get_by_label("Category 2").select_option(label="Process and procedure")
    page.get_by_label("Contributing factor 2").fill("No check after vendor updates")

    page.get_by_label("Learning 1", exact=True).fill(
        "Vendor updates can silently reset access lists"
    )
    page.get_by_label("Next step 1").fill("Add an access check to the update runbook")
    page.get_by_label("Owner 1").select_option(label="Sam Ito")
    page.get_by_label("Due date 1").fill("2030-02-01")
    page.get_by_role("button", name="Save and view").click()

    expect(page.get_by_text(re.compile(r"Saved \(version \d+\)"))).to_be_visible()
    timeline = page.locator("ol.timeline li")
    expect(timeline).to_have_count(5)
    expect(timeline.first).to_contain_text("Pharmacist opened it with the key")  # sorted by time
    expect(page.get_by_text("Firmware update reset the badge list")).to_be_visible()
    expect(page.locator(".md strong")).to_have_text("rejected")

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The review is now published.")).to_be_visible()
    expect(
        page.get_by_role("link", name="Add an access check to the update runbook")
    ).to_be_visible()
    count = (
        server.cli(
            "shell",
            "-c",
            "from learnloop.actions.models import Action; "
            f"a = Action.objects.get(review_id={review_id}); print(a.owner.email, a.due_date)",
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    assert count == "sam@clinic.test 2030-02-01"


def test_a_24_hour_review_cools_off_and_needs_3_learnings_and_2_next_steps(
    server, new_page, organisation, sign_in
) -> None:
    incident_id = _setup(server, organisation)
    page = new_page(viewport={"width": 390, "height": 844})
    _sign_in(sign_in, page, "noor@clinic.test")
    review_id = _start(page, server.url, incident_id, "24-hour learning review (opens after 24 h)")
    expect(page.get_by_role("heading", name="Cooling off")).to_be_visible()
    expect(page.get_by_text("This review opens for writing on")).to_be_visible()
    page.get_by_label("Your private notes").fill("I was on shift; I want to think first.")
    page.get_by_role("button", name="Save my notes").click()
    expect(page.get_by_text("Only you can see them.")).to_be_visible()
    # Issue 11, item 4: the workflow buttons wait with the review and say why.
    for name in ("Send for review", "Publish"):
        expect(page.get_by_role("button", name=name)).to_be_disabled()
        expect(page.get_by_role("button", name=name)).to_have_accessible_description(
            re.compile("Sending for review and publishing open with the review")
        )

    server.cli(
        "shell",
        "-c",
        "import datetime as dt; from django.utils import timezone; "
        "from learnloop.reviews.models import Review; "
        f"Review.objects.filter(pk={review_id}).update(opens_at=timezone.now() - dt.timedelta(minutes=1))",
    )
    page.goto(f"{server.url}/reviews/{review_id}/edit/")
    page.get_by_label("Learning 1", exact=True).fill("Badge lists live in two places")
    page.get_by_label("Learning 2", exact=True).fill("Vendor notes do not mention access resets")
    page.get_by_label("Next step 1").fill("Single source for badge lists")
    page.get_by_label("Next step 2").fill("Ask the vendor for release notes")
    page.get_by_role("button", name="Save and view").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("alert")).to_contain_text("Add 1 more learning (3 needed, 2 written).")
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()

    page.get_by_role("button", name="Edit the review").click()
    page.get_by_label("Learning 3", exact=True).fill("Night shift has no vendor contact")
    page.get_by_role("button", name="Save and view").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The review is now published.")).to_be_visible()
    expect(page.locator(".badge", has_text="action")).to_have_count(2)


def test_a_conflicting_save_shows_the_conflict_view(
    server, new_page, organisation, sign_in
) -> None:
    incident_id = _setup(server, organisation)
    noor = new_page()
    _sign_in(sign_in, noor, "noor@clinic.test")
    review_id = _start(noor, server.url, incident_id, "Incident review")
    sam = new_page()
    _sign_in(sign_in, sam, "sam@clinic.test")
    sam.goto(f"{server.url}/reviews/{review_id}/edit/")

    noor.get_by_role("textbox", name="Summary", exact=True).fill(
        "Noor's summary: the reader failed."
    )
    noor.get_by_role("button", name="Save", exact=True).click()
    expect(noor.get_by_text(re.compile(r"Saved \(version 2\)"))).to_be_visible()

    sam.get_by_role("textbox", name="Summary", exact=True).fill(
        "Sam's summary: the badge list was reset."
    )
    sam.get_by_role("button", name="Save", exact=True).click()
    expect(
        sam.get_by_role("heading", name="Someone else saved while you were editing")
    ).to_be_visible()
    expect(sam.locator(".theirs").first).to_contain_text("Noor's summary: the reader failed.")
    expect(sam.get_by_role("textbox", name="Summary", exact=True)).to_have_value(
        "Sam's summary: the badge list was reset."
    )
    sam.get_by_role("button", name="Keep mine").click()
    expect(sam.get_by_text("Saved (version 3).")).to_be_visible()
    expect(sam.get_by_role("textbox", name="Summary", exact=True)).to_have_value(
        "Sam's summary: the badge list was reset."
    )
    history = (
        server.cli(
            "shell",
            "-c",
            "from learnloop.reviews.models import ReviewRevision; "
            f"print([r.author.email for r in ReviewRevision.objects.filter(review_id={review_id}).order_by('version')])",
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    assert history == "['noor@clinic.test', 'noor@clinic.test', 'sam@clinic.test']"
