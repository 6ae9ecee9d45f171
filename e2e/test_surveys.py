"""Issue 16, item 1 in a browser: a team admin opens a psychological-safety round, five members
answer (two in the browser, one of them on a phone), the results stay hidden while the round
runs, and after closing the scores appear."""

from __future__ import annotations

from playwright.sync_api import expect

PEOPLE = [
    ("noor@clinic.test", "Noor Haddad", "admin"),
    ("sam@clinic.test", "Sam Ito", "member"),
    ("ada@clinic.test", "Ada Obi", "member"),
    ("lin@clinic.test", "Lin Park", "member"),
    ("raj@clinic.test", "Raj Mehta", "member"),
    ("eva@clinic.test", "Eva Horn", "member"),
]
# Agreement 1..7 per item; items 1, 3 and 5 are negatively worded.
SAM = [2, 6, 2, 5, 3, 6, 6]
ADA = [3, 5, 1, 4, 2, 6, 5]
OTHERS = """
from learnloop.accounts.models import User
from learnloop.surveys.models import SurveyRound
from learnloop.surveys.services import round_answer
survey = SurveyRound.objects.get()
for email, row in [("lin@clinic.test", [2, 6, 2, 6, 2, 7, 6]), ("raj@clinic.test", [4, 4, 3, 3, 4, 5, 4]),
                   ("eva@clinic.test", [2, 6, 1, 5, 2, 6, 6])]:
    round_answer(actor=User.objects.get(email=email), survey=survey,
                 values={f"q{i + 1}": v for i, v in enumerate(row)})
print(survey.pk)
"""


def _answer(page, row: list[int]) -> None:
    groups = page.locator("form fieldset")
    for index, point in enumerate(row):
        groups.nth(index).locator(f"input[value='{point}']").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Thank you.")).to_be_visible()


def test_a_round_opens_five_answer_and_scores_appear_after_closing(
    server, new_page, organisation, sign_in
) -> None:
    organisation(people=PEOPLE)
    noor = new_page()
    sign_in(noor, "noor@clinic.test")
    noor.goto(server.url + "/surveys/")
    noor.get_by_role("button", name="Open a round").click()
    noor.get_by_role("button", name="Open the round").click()
    expect(noor.get_by_role("heading", name="Team psychological safety")).to_be_visible()
    survey_url = noor.url

    sam = new_page()
    sign_in(sam, "sam@clinic.test")
    sam.goto(survey_url)
    expect(
        sam.get_by_role("group", name="4. It is safe to take a risk on this team.")
    ).to_be_visible()
    _answer(sam, SAM)
    sam.reload()
    expect(sam.get_by_text("You have answered this round.")).to_be_visible()

    ada = new_page(viewport={"width": 390, "height": 844})
    sign_in(ada, "ada@clinic.test")
    ada.goto(survey_url)
    _answer(ada, ADA)

    server.cli("shell", "-c", OTHERS)
    noor.reload()
    expect(noor.get_by_text("5 of 6 members have answered.")).to_be_visible()
    sam.goto(survey_url)
    expect(sam.get_by_text("Results appear after it closes.")).to_be_visible()
    expect(sam.get_by_text("Overall score")).to_have_count(0)

    noor.get_by_role("button", name="Close now and show results").click()
    expect(noor.get_by_text("5 people answered.")).to_be_visible()
    # Scores (8 - answer for items 1, 3, 5): item 4 answered 5, 4, 6, 3, 5 -> mean 4.6.
    expect(
        noor.get_by_text("4. It is safe to take a risk on this team. — score 4.6")
    ).to_be_visible()
    expect(
        noor.get_by_text("Comments are shown only when at least 10 people answered.")
    ).to_be_visible()
    sam.reload()
    expect(sam.get_by_text("Overall score")).to_be_visible()
