"""Issue 15's journeys: (a) a private Gibbs journal entry an admin cannot reach by search, URL
or API, one learning shared anonymously into the library with no link back; (b) a team plans a
phishing simulation, enters its results, sees the report rate beside the previous campaign's
and turns a finding into an action; (c) the leaders' pledge on the report form."""

from __future__ import annotations

import re
import sqlite3

from playwright.sync_api import expect

PEOPLE = (
    ("noor@clinic.test", "Noor Haddad", "admin"),
    ("sam@clinic.test", "Sam Ito", "member"),
    ("olu@clinic.test", "Olu Bello", "member"),
)


def test_a_private_gibbs_entry_and_an_anonymous_share(
    server, new_page, organisation, sign_in
) -> None:
    organisation(people=PEOPLE, org_admins=["olu@clinic.test"])
    sam = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(sam, "sam@clinic.test")
    sam.goto(server.url + "/journal/")
    expect(sam.get_by_text("only you can see these entries")).to_be_visible()
    sam.goto(server.url + "/journal/new/?framework=gibbs")
    sam.get_by_label("Title").fill("Wrong ward sheet quokkazebra")
    sam.get_by_label("Description").fill("I gave the handover from the wrong ward sheet.")
    sam.get_by_label("Feelings").fill("Embarrassed, then relieved it was caught.")
    sam.get_by_label("Action plan").fill(
        "Read the bed number aloud at handover. It catches mix-ups."
    )
    assert sam.evaluate("document.documentElement.scrollWidth") <= 390
    sam.get_by_role("button", name="Save in my journal").click()
    expect(sam.get_by_role("heading", name="Wrong ward sheet quokkazebra")).to_be_visible()
    entry_url = sam.url
    entry_id = re.search(r"/journal/(\d+)/", entry_url).group(1)  # type: ignore[union-attr]

    # The team admin and the organisation admin cannot find it by search, URL or API.
    for email in ("noor@clinic.test", "olu@clinic.test"):
        admin = new_page()
        sign_in(admin, email)
        admin.goto(server.url + "/search/?q=quokkazebra")
        expect(admin.locator("main")).not_to_contain_text("Wrong ward sheet")
        response = admin.goto(entry_url)
        assert response is not None and response.status == 404
        api = admin.request.get(f"{server.url}/api/journal/entries/{entry_id}")
        assert api.status == 404 and api.json()["error"]["code"] == "not_found"
        assert admin.request.get(f"{server.url}/api/journal/entries").json()["count"] == 0

    # Sam shares one learning anonymously: preview first, then share.
    sam.goto(entry_url)
    sam.get_by_role("button", name="Share a learning").click()
    sam.get_by_label("The learning").fill("Read the bed number aloud at handover.")
    sam.get_by_label("Context").fill("It catches mix-ups between ward sheets.")
    sam.get_by_label("Who can see it").select_option("organisation")
    sam.get_by_label("Share anonymously").check()
    sam.get_by_role("button", name="Preview").click()
    preview = sam.locator(".share-preview")
    expect(preview).to_contain_text("Exactly what becomes visible")
    expect(preview).to_contain_text("Anonymously")
    expect(preview).not_to_contain_text("Embarrassed")
    sam.get_by_role("button", name="Share it").click()
    expect(sam.get_by_role("heading", name="Your learning was shared anonymously")).to_be_visible()
    assert sam.url.endswith("/journal/shared/")

    admin = new_page()
    sign_in(admin, "noor@clinic.test")
    admin.goto(server.url + "/lessons/")
    admin.get_by_role("link", name="Read the bed number aloud at handover.").click()
    main = admin.locator("main")
    expect(main).to_contain_text("shared anonymously")
    expect(main).not_to_contain_text("Sam Ito")
    assert main.locator("a[href*='/journal/']").count() == 0

    with sqlite3.connect(server.data_dir / "learnloop.sqlite3") as db:
        lesson = db.execute(
            "SELECT id, created_by_id, created_at, is_anonymous FROM lessons_lesson"
        ).fetchone()
        mark = db.execute(
            "SELECT shared_lesson_id, shared_anonymously FROM journal_entry WHERE id = ?",
            [int(entry_id)],
        ).fetchone()
    assert lesson[0] < 0 and lesson[1] is None and lesson[2].endswith("00:00:00") and lesson[3] == 1
    assert mark == (None, 1)


def test_a_phishing_simulation_with_results_and_a_finding_into_an_action(
    server, new_page, organisation, sign_in
) -> None:
    organisation(people=PEOPLE)
    page = new_page()
    sign_in(page, "noor@clinic.test")
    # The previous campaign, entered on the results page.
    page.goto(server.url + "/drills/campaigns/")
    expect(page.locator(".safe-practice")).to_contain_text("not a record")
    enter = page.locator("form", has=page.get_by_role("button", name="Save results"))
    enter.get_by_label("Campaign").fill("Parcel notice")
    enter.get_by_label("Sent on").fill("2026-10-01")
    enter.get_by_label("Reported it").fill("5")
    enter.get_by_label("Clicked or answered (without reporting)").fill("5")
    enter.get_by_label("Ignored it").fill("10")
    enter.get_by_role("button", name="Save results").click()
    expect(page.get_by_text("Results saved")).to_be_visible()

    page.goto(server.url + "/drills/new/")
    page.get_by_label("Name").fill("December phishing simulation")
    page.get_by_label("Kind").select_option("phishing_simulation")
    page.get_by_label("Planned for").fill("2026-12-01")
    page.get_by_label("Sam Ito").check()
    page.get_by_role("button", name="Plan it").click()
    expect(page.get_by_role("heading", name="December phishing simulation")).to_be_visible()
    expect(page.get_by_role("link", name="I might have clicked something").first).to_be_visible()
    page.get_by_role("button", name="Enter results").click()
    enter = page.locator("form", has=page.get_by_role("button", name="Save results"))
    enter.get_by_label("Campaign").fill("Invoice lure")
    enter.get_by_label("Sent on").fill("2026-12-01")
    enter.get_by_label("People it went to").fill("20")
    enter.get_by_label("Reported it").fill("10")
    enter.get_by_label("Clicked or answered (without reporting)").fill("2")
    enter.get_by_label("Ignored it").fill("9")
    enter.get_by_role("button", name="Save results").click()
    expect(page.get_by_text("not the 20 it went to")).to_be_visible()  # 21 ≠ 20: refused
    enter = page.locator("form", has=page.get_by_role("button", name="Save results"))
    enter.get_by_label("Ignored it").fill("8")
    enter.get_by_role("button", name="Save results").click()
    results = page.locator("#results")
    expect(results).to_contain_text("Invoice lure")
    page.goto(server.url + "/drills/campaigns/")
    row = page.get_by_role("row", name=re.compile("Invoice lure"))
    expect(row).to_contain_text("50%")
    expect(row).to_contain_text("+25 pts")  # beside the previous campaign's 25%

    page.go_back()
    page.get_by_label("A finding").fill("The report button is hard to find in the mail app.")
    page.get_by_role("button", name="Add finding").click()
    page.get_by_role("button", name="Make it an action").click()
    expect(page.get_by_text("Action created")).to_be_visible()
    page.get_by_role("link", name=re.compile("action: The report button")).click()
    expect(
        page.get_by_role("heading", name="The report button is hard to find in the mail app.")
    ).to_be_visible()


def test_the_pledge_on_the_report_form(server, new_page, organisation, sign_in) -> None:
    organisation(people=PEOPLE, org_admins=["olu@clinic.test"])
    leader = new_page()
    sign_in(leader, "olu@clinic.test")
    leader.goto(server.url + "/drills/pledge/")
    leader.get_by_label("Commitment").fill(
        "No one is punished for reporting a mistake promptly or for an honest error. "
        "Exceptions: deliberate harm and recklessness."
    )
    leader.get_by_role("button", name="Save").click()
    leader.get_by_role("button", name="Sign with my name and today's date").click()
    expect(leader.get_by_text("Signed: Olu Bello")).to_be_visible()

    sam = new_page()
    sign_in(sam, "sam@clinic.test")
    sam.goto(server.url + "/incidents/new/")
    explainer = sam.locator("#anonymous-explainer")
    expect(explainer).to_contain_text("No one is punished for reporting a mistake promptly")
    expect(explainer).to_contain_text("Signed: Olu Bello")
