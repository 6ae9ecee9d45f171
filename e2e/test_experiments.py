"""Experiments in the browser: (a) an Explore card under the limit is approved automatically;
(b) an Experiment-phase card needs one approver, who approves with a note after being told;
(c) a learning card with "stop" is celebrated (team page, applause) and joins the month's
showcase after the team admin's own stopped experiment; (d) the immune-system check answers
its four questions from that kind of data."""

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


ADMIN_STOPPED = """
from learnloop.accounts.models import User
from learnloop.experiments import approvals
from learnloop.experiments.learning import learning_card_create
from learnloop.testing.builders import make_experiment
noor = User.objects.get(email="noor@clinic.test")
card = make_experiment(noor.memberships.get().team, created_by=noor, owner=noor,
                       title="Noor's night-handover checklist")
approvals.experiment_submit(actor=noor, experiment=card)
approvals.experiment_start(actor=noor, experiment=card)
learning_card_create(actor=noor, experiment=card, observed="Handovers took longer",
                     learned="A checklist alone does not shorten handovers", decision="stop")
"""


def _start_explore_card(page: Page, title: str) -> None:
    _new_card(page, title=title, phase="explore", budget="300")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("#state")).to_have_text("Approved")
    page.get_by_role("button", name="Start the test").click()
    expect(page.locator("#state")).to_have_text("Running")


def test_a_stop_is_celebrated_and_joins_the_showcase_after_the_leaders_own(
    server, new_page, organisation, sign_in
) -> None:
    organisation()
    # Noor (team admin) stopped her own experiment this month, before Sam's.
    server.cli("shell", "-c", ADMIN_STOPPED)
    sam = new_page(viewport={"width": 390, "height": 844})
    sign_in(sam, "sam@clinic.test")
    sam.get_by_text("Menu").click()
    _start_explore_card(sam, "Text reminders for night rounds")
    sam.get_by_label("We observed …").fill("Only 3 of 40 reminders were opened at night")
    sam.get_by_label("From that we learned …").fill("Nurses check the board, not their phones")
    sam.get_by_label("Stop").check()
    sam.get_by_role("button", name="Save the learning card").click()
    expect(sam.get_by_text("Stopped on data — that is a win. 🎉")).to_be_visible()
    expect(sam.locator("#state")).to_have_text("Stopped on data")

    noor = new_page()
    sign_in(noor, "noor@clinic.test")
    # The team page celebrates it, with applause on the learning card.
    noor.goto(server.url + "/teams/night-shift/")
    panel = noor.locator("#learned-h").locator("xpath=..")
    expect(panel.get_by_text("Text reminders for night rounds")).to_be_visible()
    card = panel.locator("li", has_text="Text reminders")
    card.get_by_role("button", name=re.compile("applause", re.I)).first.click()
    expect(card.locator("button[aria-pressed=true]")).to_have_count(1)
    # The month's showcase: Noor's own stop first (leaders first), then Sam's.
    noor.goto(server.url + "/experiments/showcases/")
    noor.get_by_label("Room or video link").fill("Ward 3 break room")
    noor.get_by_role("button", name="Set up the showcase").click()
    items = noor.locator("#agenda > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Noor's night-handover checklist")
    expect(items.nth(0)).to_contain_text("leader")
    expect(items.nth(1)).to_contain_text("Text reminders for night rounds")
    expect(items.nth(1)).to_contain_text("stopped on data")
    expect(items.nth(1)).to_contain_text("Nurses check the board, not their phones")
    items.nth(1).get_by_role("button", name="Mark presented").click()
    expect(noor.locator("#agenda > li").nth(1)).to_contain_text("✓ presented")


DIAGNOSTIC_DATA = """
import datetime as dt
from decimal import Decimal
from learnloop.accounts.models import User
from learnloop.experiments import approvals, phase_rules
from learnloop.experiments.diagnostic import PULSE_QUESTION
from learnloop.experiments.learning import learning_card_create
from learnloop.experiments.models import ApprovalRequest
from learnloop.surveys.models import SurveyRound
from learnloop.surveys.services import round_close
from learnloop.testing.builders import make_experiment, make_survey_answers, make_survey_round
noor = User.objects.get(email="noor@clinic.test")
sam = User.objects.get(email="sam@clinic.test")
team = noor.memberships.get().team
def proposal(kind, budget, hours, approve=True, by=sam):
    card = make_experiment(team, created_by=by, owner=by, kind=kind, budget=Decimal(budget),
                           phase="experiment",
                           expected_saving=Decimal(budget * 3) if kind == "efficiency" else None)
    approvals.experiment_submit(actor=by, experiment=card)
    if approve:
        approvals.experiment_approve(actor=noor, experiment=card, note="Go")
    else:
        approvals.experiment_reject(actor=noor, experiment=card, reason="Not this quarter")
    ApprovalRequest.objects.filter(experiment=card).update(lead_time_seconds=int(hours * 3600))
    return card
tested = proposal("experiment", 10000, 72)
proposal("experiment", 10000, 48)
proposal("efficiency", 10000, 3)
proposal("experiment", 3000, 5, approve=False)
approvals.experiment_start(actor=sam, experiment=tested)
learning_card_create(actor=sam, experiment=tested, observed="o", learned="l", decision="stop")
survey = make_survey_round(team, actor=noor, extra_questions=[PULSE_QUESTION])
make_survey_answers(survey, [{**{f"q{i}": 4 for i in range(1, 8)}, "x1": v} for v in (6, 6, 5, 3, 2)])
survey = SurveyRound.objects.get(pk=survey.pk)
round_close(actor=noor, survey=survey, version=survey.version)
"""


def test_the_diagnostic_answers_the_four_questions(server, new_page, organisation, sign_in) -> None:
    organisation()
    server.cli("shell", "-c", DIAGNOSTIC_DATA)
    noor = new_page(viewport={"width": 390, "height": 844})
    sign_in(noor, "noor@clinic.test")
    noor.goto(server.url + "/experiments/")
    noor.get_by_role("link", name="Immune-system check").click()
    died = noor.locator("#signal-died_in_approval")
    expect(died).to_contain_text("How many good ideas die in approval")
    expect(died).to_contain_text("1 of 3 (33%)")
    taught = noor.locator("#signal-taught_something")
    expect(taught).to_contain_text("1 of 1 (100%)")
    lead = noor.locator("#signal-lead_time")
    expect(lead).to_contain_text("experiment 2.5 days · efficiency change 3.0 h")
    expect(lead).to_contain_text("waits 20.0× as long")
    pulse = noor.locator("#signal-pulse")
    expect(pulse).to_contain_text("60% agree")
    expect(pulse).to_contain_text("5 anonymous answers")
