"""The portfolio: time and budget per phase against targets, lead times (median, p90) per
phase and for efficiency changes, learning cycles, stopped or failed with a learning card,
ideas that died in approval; team and organisation scopes; 404 for others' teams."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from learnloop.accounts.services import api_token_create
from learnloop.experiments import approvals
from learnloop.experiments.learning import learning_card_create
from learnloop.experiments.models import ApprovalRequest, Kind
from learnloop.experiments.portfolio import percentile
from learnloop.experiments.views_portfolio import portfolio_for
from learnloop.testing.builders import make_experiment

pytestmark = pytest.mark.django_db


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 90) is None
    assert percentile([5.0], 90) == 5.0
    assert percentile([float(n) for n in range(1, 11)], 90) == 9.0
    assert percentile([float(n) for n in range(1, 11)], 50) == 5.0


def _approved_after(card, approver, hours: float) -> None:
    approvals.experiment_submit(actor=card.created_by, experiment=card)
    ApprovalRequest.objects.filter(experiment=card).update(
        submitted_at=timezone.now() - dt.timedelta(hours=hours)
    )
    approvals.experiment_approve(actor=approver, experiment=card)


@pytest.fixture
def portfolio_data(alice, bob, alpha):
    explore = make_experiment(
        alpha, budget=Decimal("1000"), person_days=Decimal("2"), created_by=bob
    )
    approvals.experiment_submit(actor=bob, experiment=explore)  # automatic
    for hours in (1, 2, 10):
        card = make_experiment(
            alpha,
            phase="experiment",
            budget=Decimal("10000"),
            person_days=Decimal("6"),
            created_by=bob,
        )
        _approved_after(card, alice, hours)
    change = make_experiment(
        alpha,
        kind=Kind.EFFICIENCY,
        phase="experiment",
        budget=Decimal("10000"),
        expected_saving=Decimal("30000"),
        created_by=bob,
    )
    _approved_after(change, alice, 48)
    dead = make_experiment(alpha, phase="experiment", title="Died in approval", created_by=bob)
    approvals.experiment_submit(actor=bob, experiment=dead)
    approvals.experiment_reject(actor=alice, experiment=dead, reason="Not now")
    approvals.experiment_start(actor=bob, experiment=explore)
    learning_card_create(actor=bob, experiment=explore, observed="o", learned="l", decision="stop")
    overdue = make_experiment(
        alpha, state="running", time_box_days=7, started_at=timezone.now() - dt.timedelta(days=30)
    )
    return {"explore": explore, "dead": dead, "overdue": overdue}


def test_the_team_portfolio_reads_the_data(alice, alpha, portfolio_data) -> None:
    result, _ = portfolio_for(alice, team=alpha)
    explore, experiment, execute = result.phases
    # committed: explore 2 of 20 person-days (10%), 1000 of 41000 budget
    assert explore.person_days == Decimal("2") and explore.time_share == pytest.approx(0.1)
    assert explore.budget_share == pytest.approx(1000 / 41000)
    assert explore.time_target == 10 and explore.budget_target == 5 and execute.time_share == 0
    lead = {lt.label: lt for lt in result.lead_times}
    assert lead["Explore phase"].count == 1 and lead["Explore phase"].median_seconds == 0
    assert lead["Experiment phase"].count == 4  # three approvals and one rejection
    assert lead["Experiment phase"].median_seconds == pytest.approx(1.5 * 3600, abs=120)
    assert lead["Experiment phase"].p90_seconds == pytest.approx(10 * 3600, abs=120)
    assert lead["Efficiency changes"].count == 1
    assert lead["Efficiency changes"].median_seconds == pytest.approx(48 * 3600, abs=120)
    assert [e.title for e in result.died_in_approval] == ["Died in approval"]
    # the stop has a learning card, the overdue running one has none
    assert (result.stopped_or_failed, result.stopped_or_failed_with_card) == (2, 1)
    assert result.cycles_per_quarter[-1][1] == 1 and len(result.cycles_per_quarter) == 4
    assert result.by_phase_state["Experiment"]["Rejected"] == 1


def test_the_page_and_the_api(client_for, alice, charlie, mallory, portfolio_data, client) -> None:
    page = client_for(alice).get("/experiments/portfolio/?team=alpha")
    html = page.content.decode()
    assert page.status_code == 200 and "Efficiency changes" in html and "Died in approval" in html
    assert "target 10%" in html and "1 of 2" in html
    org = client_for(alice).get("/experiments/portfolio/?scope=organisation").content.decode()
    assert "Died in approval" in org
    for who in (charlie, mallory):
        assert client_for(who).get("/experiments/portfolio/?team=alpha").status_code == 404
    _, raw = api_token_create(user=alice, name="t")
    body = client.get(
        "/api/experiments/portfolio?team=alpha", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert body["scope"] == "alpha" and body["died_in_approval"] == 1
    assert body["lead_times"][3]["label"] == "Efficiency changes"
    _, raw = api_token_create(user=charlie, name="t")
    assert (
        client.get(
            "/api/experiments/portfolio?team=alpha", HTTP_AUTHORIZATION=f"Bearer {raw}"
        ).status_code
        == 404
    )
    charlie_org = client_for(charlie).get("/experiments/portfolio/?scope=organisation")
    assert "Died in approval" not in charlie_org.content.decode()  # private means private


def test_targets_are_edited_in_the_rules(client_for, alice, alpha) -> None:
    from learnloop.experiments import phase_rules

    rule = phase_rules.rule_for(alpha, "explore")
    phase_rules.phase_rule_update(
        actor=alice,
        rule=rule,
        version=1,
        budget_limit="2000",
        approval="auto",
        win="insights",
        time_target_pct="15",
        budget_target_pct="",
    )
    rule.refresh_from_db()
    assert rule.time_target_pct == 15 and rule.budget_target_pct is None
    from learnloop.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as caught:
        phase_rules.phase_rule_update(
            actor=alice,
            rule=rule,
            version=2,
            budget_limit="2000",
            approval="auto",
            win="insights",
            time_target_pct="120",
        )
    assert "time_target_pct" in caught.value.fields
