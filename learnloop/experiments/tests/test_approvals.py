"""The approval path: phase rules as data, automatic approval under the limit, one approver,
N named approvers or a team admin, no self-approval when the rule forbids it, reasons, lead
times, notifications to approvers, and efficiency changes on the same path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from learnloop.accounts.models import Role
from learnloop.core.errors import ApplicationError
from learnloop.experiments import approvals, phase_rules
from learnloop.experiments.models import ApprovalRequest, Experiment, Kind, Outcome, State
from learnloop.notifications.models import Notification
from learnloop.testing.builders import make_experiment, make_user

pytestmark = pytest.mark.django_db


def _rule(team, phase, actor, **changes):
    rule = phase_rules.rule_for(team, phase)
    values = {
        "budget_limit": rule.budget_limit,
        "approval": rule.approval,
        "required_approvals": rule.required_approvals,
        "allow_self_approval": rule.allow_self_approval,
        "win": rule.win,
        "approvers": list(rule.approvers.all()),
        **changes,
    }
    return phase_rules.phase_rule_update(actor=actor, rule=rule, version=rule.version, **values)


def test_each_team_gets_default_rules_per_phase(alpha) -> None:
    rules = phase_rules.rules_for(alpha)
    assert [(r.phase, r.approval) for r in rules] == [
        ("explore", "auto"),
        ("experiment", "one"),
        ("execute", "formal"),
    ]
    assert rules[0].budget_limit == Decimal("2000") and rules[2].budget_limit is None


def test_explore_under_the_limit_is_approved_automatically(alice, alpha) -> None:
    card = make_experiment(alpha, budget=Decimal("500"), created_by=alice)
    card = approvals.experiment_submit(actor=alice, experiment=card)
    assert card.state == State.APPROVED
    request = ApprovalRequest.objects.get(experiment=card)
    assert request.outcome == Outcome.AUTO and request.lead_time_seconds == 0
    assert "automatically" in card.events.get(what="submitted").note


def test_a_budget_over_the_phase_limit_is_refused(alice, alpha) -> None:
    card = make_experiment(alpha, budget=Decimal("2000.01"))
    with pytest.raises(ApplicationError) as caught:
        approvals.experiment_submit(actor=alice, experiment=card)
    assert "budget" in caught.value.fields and "2,000 EUR" in caught.value.fields["budget"][0]
    card.refresh_from_db()
    assert card.state == State.DRAFT and not ApprovalRequest.objects.exists()


def test_an_incomplete_test_card_is_not_submitted(alice, alpha) -> None:
    card = make_experiment(alpha, success_criterion="", metric="")
    with pytest.raises(ApplicationError) as caught:
        approvals.experiment_submit(actor=alice, experiment=card)
    assert {"success_criterion", "metric"} <= set(caught.value.fields)


def test_one_approver_approves_with_a_note_and_the_lead_time_is_kept(alice, bob, alpha) -> None:
    card = make_experiment(alpha, phase="experiment", budget=Decimal("10000"), created_by=bob)
    approvals.experiment_submit(actor=bob, experiment=card)
    card.refresh_from_db()
    assert card.state == State.SUBMITTED
    told = Notification.objects.filter(recipient=alice)
    assert told.count() == 1 and "asks for approval" in told.get().text
    request = ApprovalRequest.objects.get()
    request.submitted_at = timezone.now() - dt.timedelta(hours=5)
    request.save()
    card = approvals.experiment_approve(actor=alice, experiment=card, note="Go, small and safe")
    assert card.state == State.APPROVED
    request.refresh_from_db()
    assert request.outcome == Outcome.APPROVED
    assert 5 * 3600 <= (request.lead_time_seconds or 0) < 5 * 3600 + 60
    assert Notification.objects.filter(recipient=bob, text__contains="approved").exists()
    whats = list(card.events.values_list("what", flat=True))
    assert whats[-2:] == ["submitted", "approved"]


def test_a_rejection_needs_a_reason_that_the_team_sees(alice, bob, alpha) -> None:
    card = make_experiment(alpha, phase="experiment", created_by=bob)
    approvals.experiment_submit(actor=bob, experiment=card)
    with pytest.raises(ApplicationError) as caught:
        approvals.experiment_reject(actor=alice, experiment=card, reason=" ")
    assert "reason" in caught.value.fields
    card = approvals.experiment_reject(actor=alice, experiment=card, reason="Not this quarter")
    assert card.state == State.REJECTED
    assert ApprovalRequest.objects.get().reason == "Not this quarter"
    assert card.events.get(what="rejected").note == "Not this quarter"


def test_no_self_approval_when_the_rule_forbids_it(alice, alpha) -> None:
    card = make_experiment(alpha, phase="experiment", created_by=alice, owner=alice)
    approvals.experiment_submit(actor=alice, experiment=card)
    with pytest.raises(ApplicationError) as caught:
        approvals.experiment_approve(actor=alice, experiment=card)
    assert caught.value.status == 403 and "own proposal" in caught.value.message
    assert Experiment.objects.get().state == State.SUBMITTED


def test_self_approval_when_the_rule_allows_it(alice, alpha) -> None:
    _rule(alpha, "experiment", alice, allow_self_approval=True)
    card = make_experiment(alpha, phase="experiment", created_by=alice, owner=alice)
    approvals.experiment_submit(actor=alice, experiment=card)
    assert approvals.experiment_approve(actor=alice, experiment=card).state == State.APPROVED


def test_a_member_who_is_not_an_approver_cannot_decide(alice, bob, alpha) -> None:
    card = make_experiment(alpha, phase="experiment", created_by=alice)
    approvals.experiment_submit(actor=alice, experiment=card)
    with pytest.raises(ApplicationError) as caught:
        approvals.experiment_approve(actor=bob, experiment=card)
    assert caught.value.status == 403


def test_formal_approval_needs_n_named_approvers_or_a_team_admin(org, alice, bob, alpha) -> None:
    dora = make_user("dora@example.org", org, team=alpha, role=Role.MEMBER)
    erin = make_user("erin@example.org", org, team=alpha, role=Role.MEMBER)
    _rule(alpha, "execute", alice, approvers=[bob, dora], required_approvals=2)
    card = make_experiment(alpha, phase="execute", budget=Decimal("90000"), created_by=erin)
    approvals.experiment_submit(actor=erin, experiment=card)
    assert set(Notification.objects.values_list("recipient__email", flat=True)) == {
        "alice@example.org",
        "bob@example.org",
        "dora@example.org",
    }
    card = approvals.experiment_approve(actor=bob, experiment=card, note="ok")
    assert card.state == State.SUBMITTED
    with pytest.raises(ApplicationError):
        approvals.experiment_approve(actor=bob, experiment=card)
    card = approvals.experiment_approve(actor=dora, experiment=card)
    assert card.state == State.APPROVED
    # a team admin alone is enough
    other = make_experiment(alpha, phase="execute", created_by=erin)
    approvals.experiment_submit(actor=erin, experiment=other)
    assert approvals.experiment_approve(actor=alice, experiment=other).state == State.APPROVED


def test_an_approver_from_another_team_is_refused_in_the_rule(alice, charlie, alpha) -> None:
    with pytest.raises(ApplicationError) as caught:
        _rule(alpha, "execute", alice, approvers=[charlie])
    assert "approvers" in caught.value.fields


def test_only_team_admins_change_rules(bob, alpha) -> None:
    with pytest.raises(ApplicationError) as caught:
        _rule(alpha, "explore", bob, budget_limit="100")
    assert caught.value.status == 403


def test_rule_edits_refuse_bad_values(alice, alpha) -> None:
    with pytest.raises(ApplicationError) as caught:
        _rule(alpha, "explore", alice, budget_limit="-1", approval="vote", win="luck")
    assert {"budget_limit", "approval", "win"} <= set(caught.value.fields)


def test_an_efficiency_change_takes_the_same_path(alice, bob, alpha) -> None:
    change = make_experiment(
        alpha,
        kind=Kind.EFFICIENCY,
        phase="experiment",
        title="Faster CI runners",
        budget=Decimal("10000"),
        created_by=bob,
    )
    with pytest.raises(ApplicationError) as caught:
        approvals.experiment_submit(actor=bob, experiment=change)
    assert "expected_saving" in caught.value.fields
    change.expected_saving = Decimal("25000")
    change.save()
    approvals.experiment_submit(actor=bob, experiment=change)
    approvals.experiment_approve(actor=alice, experiment=change)
    request = ApprovalRequest.objects.get()
    assert request.kind == Kind.EFFICIENCY and request.outcome == Outcome.APPROVED


def test_moving_phase_passes_the_next_rule(alice, bob, alpha) -> None:
    card = make_experiment(alpha, budget=Decimal("100"), created_by=bob)
    approvals.experiment_submit(actor=bob, experiment=card)
    approvals.experiment_start(actor=bob, experiment=card)
    with pytest.raises(ApplicationError) as caught:  # over the Experiment limit of 25,000
        approvals.experiment_move_phase(actor=bob, experiment=card, budget="30000")
    assert "budget" in caught.value.fields
    card.refresh_from_db()
    assert card.phase == "explore" and card.state == State.RUNNING
    card = approvals.experiment_move_phase(actor=bob, experiment=card, budget="20000")
    assert card.phase == "experiment" and card.state == State.SUBMITTED
    assert card.budget == Decimal("20000")
    assert [r.phase for r in ApprovalRequest.objects.order_by("id")] == ["explore", "experiment"]


def test_states_must_follow_the_path(alice, alpha) -> None:
    card = make_experiment(alpha)
    for step in (approvals.experiment_start, approvals.experiment_move_phase):
        with pytest.raises(ApplicationError) as caught:
            step(actor=alice, experiment=card)
        assert caught.value.code == "invalid_state"
    with pytest.raises(ApplicationError):
        approvals.experiment_approve(actor=alice, experiment=card)
