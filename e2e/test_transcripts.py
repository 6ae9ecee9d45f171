"""Issue 16, item 2 in a browser: a facilitator uploads a meeting transcript on a phone and
sees the turn-taking numbers; a bad file is refused with its line; the participant she chose
sees the meeting, a teammate who was not there sees only the team's balance trend."""

from __future__ import annotations

from playwright.sync_api import expect

from learnloop.testing.builders import MEETING_VTT

PHONE = {"width": 390, "height": 844}
PEOPLE = [
    ("noor@clinic.test", "Noor Haddad", "admin"),
    ("sam@clinic.test", "Sam Ito", "member"),
    ("ada@clinic.test", "Ada Obi", "member"),
]


def _file(text: str) -> dict[str, object]:
    return {"name": "meeting.vtt", "mimeType": "text/vtt", "buffer": text.encode()}


def test_a_facilitator_uploads_a_transcript_and_only_participants_see_it(
    server, new_page, organisation, sign_in
) -> None:
    organisation(people=PEOPLE)
    noor = new_page(viewport=PHONE)
    sign_in(noor, "noor@clinic.test")
    noor.goto(server.url + "/transcripts/")
    noor.get_by_role("button", name="Upload a transcript").click()

    # A file that is not WebVTT: refused, with the line, and nothing saved.
    noor.get_by_label("Transcript (.vtt)").set_input_files(_file("Ana: hello\nBen: hi\n"))
    noor.get_by_role("button", name="Analyse").click()
    expect(noor.get_by_text("line 1: this is not a WebVTT file").first).to_be_visible()

    noor.get_by_label("Transcript (.vtt)").set_input_files(_file(MEETING_VTT))
    noor.get_by_label("Meeting", exact=True).fill("Checkout review")
    noor.get_by_label("Sam Ito").check()
    noor.get_by_role("button", name="Analyse").click()
    expect(noor.get_by_role("heading", name="Checkout review")).to_be_visible()
    expect(noor.get_by_test_id("reading")).to_have_text(
        "One of the 3 people spoke 63% of the time: a few voices carried most of the meeting."
    )
    expect(noor.get_by_test_id("balance")).to_have_text("0.68")
    expect(noor.get_by_test_id("interruptions")).to_have_text("1")
    row = noor.get_by_test_id("speakers").get_by_role("row", name="Ana Lima")
    expect(row).to_contain_text("0:50")
    expect(row).to_contain_text("63%")
    expect(noor.get_by_text("only these numbers are stored")).to_be_visible()
    meeting_url = noor.url

    sam = new_page()
    sign_in(sam, "sam@clinic.test")
    sam.goto(server.url + "/transcripts/")
    sam.get_by_role("link", name="Checkout review").click()
    expect(sam.get_by_test_id("balance")).to_have_text("0.68")

    ada = new_page(viewport=PHONE)
    sign_in(ada, "ada@clinic.test")
    response = ada.goto(meeting_url)
    assert response is not None and response.status == 404
    ada.goto(server.url + "/transcripts/")
    expect(ada.get_by_role("link", name="Checkout review")).to_have_count(0)
    expect(ada.get_by_text("Ana Lima")).to_have_count(0)
    expect(ada.get_by_test_id("trend-night-shift")).to_contain_text("0.68")
