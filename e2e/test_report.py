"""Journey (a): an anonymous report on a phone-sized viewport. The reporter sees plainly what
is kept; afterwards the SQLite file of the running server holds no reporter and only a date."""

from __future__ import annotations

import sqlite3

from playwright.sync_api import expect


def test_an_anonymous_report_from_a_phone(server, new_page, organisation, sign_in) -> None:
    organisation(
        name="Harbour", team="Ward 4", people=[("ines@harbour.test", "Ines Park", "member")]
    )
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(page, "ines@harbour.test")

    page.goto(server.url + "/incidents/new/")
    expect(page.get_by_role("heading", name="Report something that went wrong")).to_be_visible()
    page.get_by_label("Title").fill("Medication fridge left open overnight")
    page.get_by_label("What happened").fill("The door alarm was muted after a drill.")
    page.get_by_text("More details").click()
    page.get_by_label("Kind").select_option("near_miss")
    page.get_by_label("Tags").fill("fridge, alarms")
    anonymous = page.get_by_label("Report anonymously")  # next to "Send report", not folded away
    anonymous.scroll_into_view_if_needed()
    anonymous.check()
    explainer = page.locator("#anonymous-explainer")
    expect(explainer).to_be_visible()
    expect(explainer).to_contain_text("What is kept when you report anonymously")
    expect(explainer).to_contain_text("not the time")
    # The form fits the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Send report").click()

    # A neutral thank-you page: no id in its address, nothing that says which report.
    expect(page.get_by_role("heading", name="Your report was filed anonymously")).to_be_visible()
    assert page.url.endswith("/incidents/thanks/"), page.url
    page.get_by_role("link", name="See the incident list").click()
    page.get_by_role("link", name="Medication fridge left open overnight").click()
    expect(
        page.get_by_role("heading", name="Medication fridge left open overnight")
    ).to_be_visible()
    expect(page.get_by_text("reported anonymously on")).to_be_visible()
    expect(page.locator("main").get_by_text("Ines Park", exact=False)).to_have_count(0)

    with sqlite3.connect(server.data_dir / "learnloop.sqlite3") as db:
        rows = db.execute(
            "SELECT reporter_id, is_anonymous, created_at, updated_at, id FROM incidents_incident"
        ).fetchall()
    assert len(rows) == 1
    reporter_id, is_anonymous, created_at, updated_at, pk = rows[0]
    assert reporter_id is None
    assert is_anonymous == 1
    assert created_at.endswith("00:00:00"), created_at
    assert updated_at == created_at
    assert pk < 0
