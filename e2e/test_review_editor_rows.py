"""The review editor's rows (issue 11, item 12), driven with the keyboard: rows added with "Add a
row" are numbered at once, rows are moved and removed with buttons named after their row, the
next step's title has room, and a due date in the past is warned about."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from e2e.test_review_journeys import _setup, _sign_in, _start


def _press(page, name: str, key: str = "Enter") -> None:
    """Reach a button by keyboard focus and press it (no mouse)."""
    page.get_by_role("button", name=name, exact=True).focus()
    page.keyboard.press(key)


def test_rows_are_added_numbered_moved_and_removed_by_keyboard(
    server, new_page, organisation, sign_in
) -> None:
    incident_id = _setup(server, organisation)
    page = new_page(viewport={"width": 1280, "height": 900})
    _sign_in(sign_in, page, "noor@clinic.test")
    review_id = _start(page, server.url, incident_id, "Incident review")

    page.get_by_role("textbox", name="Learning 1", exact=True).fill(
        "Badge lists live in two places"
    )
    _press(page, "Add a row to Learnings")
    expect(page.get_by_role("textbox", name="Learning 2", exact=True)).to_be_focused()
    page.keyboard.type("Vendor notes skip access resets")
    _press(page, "Add a row to Learnings")
    expect(page.get_by_role("textbox", name="Learning 3", exact=True)).to_be_focused()
    page.keyboard.type("Night shift has no vendor contact")
    expect(page.locator("textarea[name=c-learnings-text]")).to_have_count(3)

    # Move the third learning up: the numbers follow, focus stays on the moved row's button.
    _press(page, "Move up learning 3")
    expect(page.get_by_role("textbox", name="Learning 2", exact=True)).to_have_value(
        "Night shift has no vendor contact"
    )
    expect(page.get_by_role("textbox", name="Learning 3", exact=True)).to_have_value(
        "Vendor notes skip access resets"
    )
    expect(page.get_by_role("button", name="Move up learning 2", exact=True)).to_be_focused()
    expect(page.locator("#row-status")).to_have_text("Learning 3 moved up: it is now learning 2.")

    # Remove the first learning (Space on the button): the others are renumbered.
    _press(page, "Remove learning 1", key="Space")
    expect(page.locator("textarea[name=c-learnings-text]")).to_have_count(2)
    expect(page.get_by_role("textbox", name="Learning 1", exact=True)).to_have_value(
        "Night shift has no vendor contact"
    )
    expect(page.get_by_role("textbox", name="Learning 1", exact=True)).to_be_focused()

    # The next step's title has the whole line; the other fields share the next one.
    title = page.get_by_role("textbox", name="Next step 1", exact=True).bounding_box()
    owner = page.locator("select[name=c-next_steps-owner]").first.bounding_box()
    assert title["width"] > 2.5 * owner["width"], (title, owner)

    # A due date in the past is warned about, next to the field and in its description.
    past = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    page.get_by_role("textbox", name="Next step 1", exact=True).fill(
        "Single source for badge lists"
    )
    due = page.get_by_role("textbox", name="Due date 1", exact=True)
    due.fill(past)
    warning = page.get_by_text("The due date is in the past")
    expect(warning).to_be_visible()
    expect(due).to_have_accessible_description(re.compile("overdue from the start"))
    due.fill((dt.date.today() + dt.timedelta(days=10)).isoformat())
    expect(warning).to_be_hidden()
    expect(due).not_to_have_accessible_description(re.compile("overdue"))
    due.fill(past)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("textbox", name="Learning 1", exact=True)).to_have_value(
        "Night shift has no vendor contact"
    )
    expect(page.get_by_role("textbox", name="Learning 2", exact=True)).to_have_value(
        "Vendor notes skip access resets"
    )
    expect(page.get_by_role("textbox", name="Learning 3", exact=True)).to_have_value(
        ""
    )  # the blank row
    # Saved with the warning (not refused); shown again after the page reloads.
    expect(page.locator("#due-warning-next_steps-1")).to_be_visible()
    assert f"/reviews/{review_id}/" in page.url


def test_rows_fit_a_phone(server, new_page, organisation, sign_in) -> None:
    incident_id = _setup(server, organisation)
    page = new_page(viewport={"width": 390, "height": 844})
    _sign_in(sign_in, page, "noor@clinic.test")
    _start(page, server.url, incident_id, "Incident review")
    title = page.get_by_role("textbox", name="Next step 1", exact=True)
    title.scroll_into_view_if_needed()
    box = title.bounding_box()
    assert box["width"] > 300 and box["x"] + box["width"] <= 390, box
    tools = page.get_by_role("button", name="Remove next step 1", exact=True).bounding_box()
    assert tools["x"] + tools["width"] <= 390, tools
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
