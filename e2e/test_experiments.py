"""Experiments in the browser: (a) an Explore card under the limit is approved automatically;
(b) an Experiment-phase card needs one approver, who approves with a note after being told."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def _new_card(page: Page, *, title: str, phase: str, budget: str) -> None:
    page.get_by_role("link", name="Experiments").first.click()
    page.get_by_role("button", name="New test card").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("We believe that …").fill("people pick the self-serve guide")
    page.get_by_label("To verify that, we will …").fill("offer it to the next 20 sign-ups")
    page.get_by_label("And measure …").fill("setup calls booked")
    page.get_by_label("We are right if …").fill("fewer than 10 of 20 book a call")
    page.get_by_label("Budget or cost (EUR)").fill(budget)
    page.get_by_label("Time box (days)").fill("14")
    page.get_by_label("Person-days").fill("3")
    page.get_by_label("Phase").select_option(phase)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_an_explore_card_under_the_limit_is_approved_automatically(
    server, new_page, organisation, sign_in
) -> None:
    organisation()
    noor = new_page()
    sign_in(noor, "noor@clinic.test")
    _new_card(noor, title="Guide instead of a call", phase="explore", budget="500")
    noor.get_by_role("button", name="Submit for approval").click()
    expect(noor.locator("#state")).to_have_text("Approved")
    expect(noor.get_by_text("Approved automatically: under the Explore limit")).to_be_visible()
    # Over the limit is refused, naming the limit.
    _new_card(noor, title="Big exploration", phase="explore", budget="5000")
    noor.get_by_role("button", name="Submit for approval").click()
    expect(noor.get_by_text(re.compile("Over the Explore limit of 2,000 EUR"))).to_be_visible()
    expect(noor.locator("#state")).to_have_text("Draft")


def test_an_experiment_phase_card_needs_one_approver(
    server, new_page, organisation, sign_in
) -> None:
    organisation()
    sam = new_page(viewport={"width": 390, "height": 844})
    sign_in(sam, "sam@clinic.test")
    sam.get_by_text("Menu").click()
    _new_card(sam, title="Pairing on call", phase="experiment", budget="10000")
    sam.get_by_role("button", name="Submit for approval").click()
    expect(sam.locator("#state")).to_have_text("Waiting for approval")
    expect(sam.get_by_role("button", name="Approve")).to_have_count(0)
    card_url = sam.url

    noor = new_page()
    sign_in(noor, "noor@clinic.test")
    expect(noor.locator("a.bell .badge")).to_have_text("1")
    noor.goto(card_url)
    noor.get_by_label("Note or reason").fill("Go — keep it to two weeks")
    noor.get_by_role("button", name="Approve").click()
    expect(noor.locator("#state")).to_have_text("Approved")
    expect(noor.get_by_text("Go — keep it to two weeks").first).to_be_visible()
