"""The innovation immune-system check: each of the four questions answered from the product's
data (ideas that died in approval, stopped/failed experiments with a learning card, the lead
time of a 10K experiment versus a 10K efficiency change) and the anonymous pulse through a
survey round's extra question, shown only with 5 or more answers after the round closed."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from learnloop.experiments import approvals
from learnloop.experiments.diagnostic import PULSE_QUESTION
from learnloop.experiments.learning import learning_card_create
from learnloop.experiments.models import ApprovalRequest, Experiment
from learnloop.experiments.views_diagnostic import diagnostic_for
from learnloop.surveys.models import SurveyRound
from learnloop.surveys.services import round_close
from learnloop.testing.builders import make_experiment, make_survey_answers, make_survey_round

pytestmark = pytest.mark.django_db

EDMONDSON = {f"q{i}": 4 for i in range(1, 8)}


def proposal(team, actor, *, kind="experiment", budget=10000, waited_hours=0.0, approve=True):
    from learnloop.experiments import phase_rules

    rule = phase_rules.rule_for(team, "experiment")
    rule.allow_self_approval = True  # the lead times, not the rule, are under test here
    rule.save()
    card = make_experiment(
        team,
        created_by=actor,
        kind=kind,
        budget=Decimal(budget),
        phase="experiment",
        expected_saving=Decimal(budget * 2) if kind == "efficiency" else None,
    )
    approvals.experiment_submit(actor=actor, experiment=card)
    if approve:
        approvals.experiment_approve(actor=actor, experiment=card, note="Go")
    else:
        approvals.experiment_reject(actor=actor, experiment=card, reason="Not this quarter")
    ApprovalRequest.objects.filter(experiment=card).update(
        lead_time_seconds=int(waited_hours * 3600)
    )
    return card


def signals(user, team):
    return {s.key: s for s in diagnostic_for(user, team=team).signals}


def test_nothing_to_read_says_so(alice, alpha):
    found = signals(alice, alpha)
    assert set(found) == {
        "died_in_approval",
        "taught_something",
        "lead_time",
        "pulse",
        "exploration_share",
    }
    assert not any(s.enough for s in found.values())
    assert "No pulse answered yet" in found["pulse"].reading


def test_the_four_questions_are_answered_from_the_data(alice, bob, alpha):
    # 3: two 10K experiments waited 72 h and 48 h; two efficiency changes of ~10K 2 h and 4 h;
    # a 100K experiment is of another size and does not count.
    proposal(alpha, alice, waited_hours=72)
    proposal(alpha, alice, waited_hours=48)
    proposal(alpha, alice, kind="efficiency", budget=9000, waited_hours=2)
    proposal(alpha, alice, kind="efficiency", budget=12000, waited_hours=4)
    big = make_experiment(alpha, created_by=alice, budget=Decimal(100000), phase="execute")
    approvals.experiment_submit(actor=alice, experiment=big)
    # 1: one idea rejected before any test (a 3K one: not in the lead-time comparison).
    proposal(alpha, alice, approve=False, budget=3000)
    # 2: one stopped with a learning card, one ran past its time box without one.
    tested = Experiment.objects.filter(state="approved").order_by("pk")[0]
    approvals.experiment_start(actor=alice, experiment=tested)
    learning_card_create(actor=alice, experiment=tested, observed="o", learned="l", decision="stop")
    make_experiment(
        alpha,
        created_by=bob,
        state="running",
        started_at=timezone.now() - dt.timedelta(days=10),
        time_box_days=3,
    )
    found = signals(alice, alpha)
    died = found["died_in_approval"]
    assert died.details == {"decided": 3, "rejected_before_test": 1}
    assert died.figure == "1 of 3 (33%)" and "without a test" in died.reading
    taught = found["taught_something"]
    assert taught.details == {"stopped_or_failed": 2, "with_learning_card": 1}
    assert "1 of 2 stopped or failed experiments left no learning card" in taught.reading
    lead = found["lead_time"]
    assert lead.details["experiment_median_seconds"] == 60 * 3600
    assert lead.details["efficiency_median_seconds"] == 3 * 3600
    assert "waits 20.0× as long as an efficiency change" in lead.reading
    assert "10,000 EUR" in lead.question


def test_the_pulse_needs_five_answers_and_a_closed_round(alice, alpha, client_for):
    survey = make_survey_round(alpha, actor=alice, extra_questions=[PULSE_QUESTION])
    make_survey_answers(survey, [{**EDMONDSON, "x1": 6}] * 4)
    assert "No pulse answered yet" in signals(alice, alpha)["pulse"].reading, "still open"
    round_close(actor=alice, survey=survey, version=survey.version)
    thin = signals(alice, alpha)["pulse"]
    assert not thin.enough and "fewer than 5" in thin.reading and "%" not in thin.figure
    second = make_survey_round(alpha, actor=alice, extra_questions=[PULSE_QUESTION])
    make_survey_answers(second, [{**EDMONDSON, "x1": v} for v in (7, 6, 5, 2, 1)])
    second = SurveyRound.objects.get(pk=second.pk)
    round_close(actor=alice, survey=second, version=second.version)
    shown = signals(alice, alpha)["pulse"]
    assert shown.enough and shown.details["answers"] == 5 and shown.details["rounds"] == 1
    assert shown.figure == "60% agree · 4.2 / 7"
    page = client_for(alice).get("/experiments/diagnostic/?team=alpha").content.decode()
    assert "60% agree" in page and PULSE_QUESTION in page


def test_asking_the_pulse_opens_a_survey_round(alice, bob, alpha, client_for, charlie):
    assert (
        client_for(charlie).post("/experiments/diagnostic/pulse/", {"team": "alpha"}).status_code
        == 404
    )
    client_for(bob).post("/experiments/diagnostic/pulse/", {"team": "alpha"})
    assert not SurveyRound.objects.exists(), "members do not open rounds"
    resp = client_for(alice).post("/experiments/diagnostic/pulse/", {"team": "alpha"})
    survey = SurveyRound.objects.get()
    assert resp["Location"] == f"/surveys/{survey.pk}/"
    assert [q["text"] for q in survey.extra_questions] == [PULSE_QUESTION]


def test_page_and_api_and_other_teams(alice, alpha, client_for, charlie, mallory):
    proposal(alpha, alice, approve=False)
    page = client_for(alice).get("/experiments/diagnostic/?team=alpha")
    assert page.status_code == 200 and "1 of 1 (100%)" in page.content.decode()
    body = client_for(alice).get("/api/experiments/diagnostic", {"team": "alpha"}).json()
    assert [s["key"] for s in body["signals"]][0] == "died_in_approval"
    assert body["signals"][0]["details"]["rejected_before_test"] == 1
    assert client_for(alice).get("/api/experiments/diagnostic", {"amount": "x"}).status_code == 200
    for outsider in (charlie, mallory):
        c = client_for(outsider)
        assert c.get("/experiments/diagnostic/?team=alpha").status_code == 404
        assert c.get("/api/experiments/diagnostic", {"team": "alpha"}).status_code == 404
    org = client_for(charlie).get("/api/experiments/diagnostic").json()
    assert org["signals"][0]["figure"] == "–", "alpha's team-private cards stay out"
    assert json.dumps(org).count("rejected_before_test") == 1


def test_the_check_and_the_metric_compare_the_same_requests(alice, alpha, client_for):
    """One definition of "similar cost" (half to double 10,000): a 3,000 or 50,000 request is
    left out by the immune-system check and by the organisation's lead-time metric alike."""

    def at(budget, **kwargs):  # the request's budget as decided (large ones need other phases)
        card = proposal(alpha, alice, **kwargs)
        ApprovalRequest.objects.filter(experiment=card).update(budget=Decimal(budget))

    at(10000, waited_hours=30)
    at(3000, waited_hours=500)
    at(50000, waited_hours=900)
    at(5000, kind="efficiency", waited_hours=6)
    at(25000, kind="efficiency", waited_hours=700)
    check = signals(alice, alpha)["lead_time"]
    assert check.details["experiment_median_seconds"] == 30 * 3600
    assert check.details["efficiency_median_seconds"] == 6 * 3600
    body = client_for(alice).get("/api/metrics/teams/alpha").json()
    metric = next(m for m in body["metrics"] if m["key"] == "approval-lead-time")
    medians = {
        s["label"]: [v for v in s["values"] if v is not None]
        for s in metric["series"]
        if "median" in s["label"]
    }
    assert medians == {"Experiment, median": [30.0], "Efficiency change, median": [6.0]}
