"""Coach hints as people meet them (issue 11, item 7): in a contributing-factor row and on a
phone the hint and its dismiss form use the row's full width; hints read as kind sentences,
never as internal codes; no dismiss reason is chosen for you; a suggested question is offered
as a question to consider and never pasted over a statement; the summary before publishing
lists each hint on its own lines."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.test_coach import start_review
from e2e.test_phone import screenshot

FACTOR = "Dave should have double-checked the config before pushing."
CODES = re.compile(
    r"\b(?:why-didnt|human-error-conclusion|named-person|counterfactual|normative|punitive)\b"
)


def _visible_text(page) -> str:
    return str(page.locator("main").inner_text())


def test_a_hint_in_a_factor_row_reads_kindly_and_is_dismissed_on_purpose(
    server, new_page, organisation, sign_in
) -> None:
    page = new_page(viewport={"width": 1280, "height": 900})
    review_id = start_review(server, page, organisation, sign_in)

    factor = page.get_by_label("Contributing factor 1")
    factor.press_sequentially(FACTOR, delay=5)
    hint = page.get_by_role("group", name="Wording hint")
    expect(hint).to_have_count(1)
    # A kind sentence, not the rule's code.
    expect(hint).to_contain_text("Hindsight: this says what someone should have done")
    assert not CODES.search(_visible_text(page)), CODES.search(_visible_text(page))
    # The hint spans the row (category + description), not a third squeezed column.
    row = page.locator("[data-row]", has=factor)
    assert hint.bounding_box()["width"] > 0.9 * row.bounding_box()["width"]

    # A question is offered as a question to consider; the statement is never replaced.
    expect(hint.get_by_role("button", name="Use this wording")).to_have_count(0)
    expect(hint).to_contain_text(
        "A question to consider: What made it hard to double-check the config before pushing?"
    )

    hint.get_by_role("button", name="Dismiss…").click()
    dismiss = hint.locator(".coach-dismiss")
    expect(dismiss).to_be_visible()
    assert dismiss.bounding_box()["width"] > 400
    # Nothing is chosen for you: confirming without a reason asks for one.
    expect(dismiss.locator("input[type=radio]:checked")).to_have_count(0)
    dismiss.get_by_role("button", name="Dismiss hint").click()
    expect(dismiss.get_by_role("alert")).to_have_text("Choose a reason, or write one.")
    screenshot(page, "coach_factor_row_desktop")
    dismiss.get_by_role("radio", name="Already discussed").check()
    dismiss.get_by_role("button", name="Dismiss hint").click()
    expect(page.get_by_text("Hint dismissed: Already discussed.")).to_be_visible()
    expect(factor).to_have_value(FACTOR)

    # The summary before publishing: each open hint on its own lines, with its kind sentence.
    page.get_by_label("Category 1").select_option(index=1)
    learning = page.get_by_label("Learning 1")
    learning.fill("Why didn't anyone check the pharmacy queue?")
    expect(page.get_by_role("group", name="Wording hint")).to_have_count(1)
    page.get_by_role("button", name="Save and view").click()
    expect(page).to_have_url(re.compile(rf"/reviews/{review_id}/$"))
    box = page.locator("#coach-summary")
    expect(box).to_contain_text("1 open hint")
    expect(box).to_contain_text("can sound like an accusation")
    assert not CODES.search(box.inner_text()), box.inner_text()
    screenshot(page, "coach_summary_desktop")
    items = box.locator("li li").all()
    for a, b in zip(items, items[1:], strict=False):
        first, second = a.bounding_box(), b.bounding_box()
        assert first["y"] + first["height"] <= second["y"] + 1, (first, second)


def test_on_a_phone_the_hint_and_its_dismiss_form_fit_the_screen(
    server, new_page, organisation, sign_in
) -> None:
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    start_review(server, page, organisation, sign_in)
    factor = page.get_by_label("Contributing factor 1")
    factor.press_sequentially(FACTOR, delay=5)
    hint = page.get_by_role("group", name="Wording hint")
    expect(hint).to_have_count(1)
    hint.get_by_role("button", name="Dismiss…").click()
    dismiss = hint.locator(".coach-dismiss")
    expect(dismiss).to_be_visible()
    screenshot(page, "coach_factor_row_phone")
    # The form uses the screen's width (it was a few words wide), and nothing scrolls sideways.
    assert dismiss.bounding_box()["width"] > 250
    for label in ("Quoting someone", "Not about a person", "Already discussed", "Other"):
        option = dismiss.get_by_role("radio", name=label, exact=True)
        expect(option).to_be_visible()
        expect(option).not_to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    dismiss.get_by_label("Other reason").fill("We quote the runbook here")
    dismiss.get_by_role("button", name="Dismiss hint").click()
    expect(page.get_by_text("Hint dismissed: We quote the runbook here.")).to_be_visible()
