"""The team's phase rules page: everyone in the team reads them, team admins change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import can_manage_team, team_ids_of
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import apply_error, conflict_view
from learnloop.core.versioning import StaleVersion
from learnloop.experiments import phase_rules
from learnloop.experiments.forms import PhaseRuleForm
from learnloop.experiments.models import Phase, PhaseRule


def _team_or_404(request: AuthedHttpRequest, slug: str) -> Team:
    team = Team.objects.filter(
        organisation_id=request.user.organisation_id or 0,
        slug=slug,
        pk__in=team_ids_of(request.user),
    ).first()
    if team is None:
        raise Http404
    return team


def _initial(rule: PhaseRule) -> dict[str, object]:
    return {
        "budget_limit": "" if rule.budget_limit is None else rule.budget_limit,
        "approval": rule.approval,
        "required_approvals": rule.required_approvals,
        "approvers": list(rule.approvers.all()),
        "allow_self_approval": rule.allow_self_approval,
        "win": rule.win,
        "time_target_pct": "" if rule.time_target_pct is None else rule.time_target_pct,
        "budget_target_pct": "" if rule.budget_target_pct is None else rule.budget_target_pct,
        "version": rule.version,
    }


@login_required
def rules(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """GET: the three rules; POST ``phase=...``: change one (team admins)."""
    team = _team_or_404(request, slug)
    can_manage = can_manage_team(request.user, team)
    forms = {
        r.phase: PhaseRuleForm(team=team, initial=_initial(r), prefix=r.phase)
        for r in phase_rules.rules_for(team)
    }
    conflict = None
    status = 200
    if request.method == "POST":
        phase = request.POST.get("phase", "")
        if phase not in Phase.values or not can_manage:
            raise Http404
        rule = phase_rules.rule_for(team, phase)
        form = PhaseRuleForm(request.POST, team=team, initial=_initial(rule), prefix=phase)
        forms[phase] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                phase_rules.phase_rule_update(
                    actor=request.user,
                    rule=rule,
                    version=data["version"],
                    budget_limit=data["budget_limit"],
                    approval=data["approval"],
                    required_approvals=data["required_approvals"],
                    allow_self_approval=data["allow_self_approval"],
                    win=data["win"],
                    approvers=data["approvers"],
                    time_target_pct=data["time_target_pct"],
                    budget_target_pct=data["budget_target_pct"],
                )
            except StaleVersion as exc:
                current = phase_rules.rule_for(team, phase)
                conflict = conflict_view(
                    form, exc, saved=_initial(current), noun="phase rule", keep_url=request.path
                )
                status = 409
            except ApplicationError as exc:
                apply_error(form, exc)
                status = 400
            else:
                messages.success(request, f"{Phase(phase).label} rule saved.")
                return redirect(reverse("experiments:rules", args=[team.slug]))
        else:
            status = 400
    rows = [(r, forms[r.phase]) for r in phase_rules.rules_for(team)]
    return render(
        request,
        "experiments/rules.html",
        {"team": team, "rows": rows, "can_manage": can_manage, "conflict": conflict},
        status=status,
    )
