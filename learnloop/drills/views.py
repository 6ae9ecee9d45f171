"""Thin views over drills.services, drills.campaigns and drills.selectors. Lookups go through
the visibility rule: another team's private drill or campaign is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import team_ids_of
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import apply_error, versioned_edit
from learnloop.core.pagination import CappedPaginator
from learnloop.core.validation import id_or_none
from learnloop.drills import campaigns, selectors, services
from learnloop.drills.aar import AFTER_ACTION_TEMPLATE, SAFE_PRACTICE
from learnloop.drills.forms import AfterActionForm, CampaignForm, CampaignImportForm, DrillForm
from learnloop.drills.models import Drill, DrillKind
from learnloop.incidents.services import reporting_teams

#: Campaigns per page of the campaigns page (decision 0245).
PAGE_SIZE = 25

LIST_SIZE = 100


def _my_teams(request: AuthedHttpRequest) -> list[Team]:
    return reporting_teams(request.user)


def _member_drill(request: AuthedHttpRequest, pk: int) -> Drill:
    drill = selectors.drill_get(user=request.user, pk=pk)
    if drill.team_id not in team_ids_of(request.user):
        raise Http404
    return drill


@login_required
def drill_list(request: AuthedHttpRequest) -> HttpResponse:
    drills = list(selectors.drill_list(user=request.user)[:LIST_SIZE])
    return render(
        request,
        "drills/list.html",
        {"drills": drills, "safe_practice": SAFE_PRACTICE, "can_plan": bool(_my_teams(request))},
    )


@login_required
def drill_new(request: AuthedHttpRequest) -> HttpResponse:
    teams = _my_teams(request)
    if not teams:
        messages.error(request, "Join a team to plan drills.")
        return redirect("drills:list")
    chosen = next((t for t in teams if str(t.pk) == request.POST.get("team")), teams[0])
    form = DrillForm(
        request.POST or None,
        teams=teams,
        people=services.team_members(chosen),
        initial={"kind": request.GET.get("kind", ""), "visibility": "team"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = next(t for t in teams if str(t.pk) == data.pop("team"))
        try:
            drill = services.drill_create(actor=request.user, team=team, **data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Drill planned.")
            return redirect("drills:detail", pk=drill.pk)
    return render(request, "drills/form.html", {"form": form, "drill": None})


def _detail_context(request: AuthedHttpRequest, drill: Drill) -> dict[str, Any]:
    member = drill.team_id in team_ids_of(request.user)
    aar = [
        {**p, "answer": (drill.after_action or {}).get(p["key"], "")} for p in AFTER_ACTION_TEMPLATE
    ]
    return {
        "drill": drill,
        "member": member,
        "safe_practice": SAFE_PRACTICE,
        "aar": aar,
        "aar_form": AfterActionForm(
            initial={"version": drill.version, **{f"aar_{p['key']}": p["answer"] for p in aar}}
        ),
        "points": campaigns.trend(list(drill.campaigns.all())),
        "is_campaign_kind": drill.kind in (DrillKind.PHISHING, DrillKind.SOCIAL),
    }


@login_required
def drill_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    drill = selectors.drill_get(user=request.user, pk=pk)
    return render(request, "drills/detail.html", _detail_context(request, drill))


def _edit_values(drill: Drill) -> dict[str, Any]:
    values = services.saved_values(drill)
    values["facilitator"] = str(drill.facilitator_id or "")
    values["participants"] = [str(p.pk) for p in drill.participants.all()]
    values["version"] = drill.version
    return values


@login_required
def drill_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    drill = _member_drill(request, pk)
    form = DrillForm(
        request.POST or None,
        teams=[],
        people=services.team_members(drill.team),
        editing=True,
        initial=_edit_values(drill),
    )

    def saved() -> dict[str, Any]:
        # The participants are a list of ticks, shown in the form, not in the comparison.
        values = _edit_values(selectors.drill_get(user=request.user, pk=pk))
        return {k: v for k, v in values.items() if k != "participants"}

    return versioned_edit(
        request,
        form,
        save=lambda data: services.drill_update(actor=request.user, drill=drill, **data),
        saved_values=saved,
        noun="drill",
        keep_url=drill.get_absolute_url(),
        saved_message="Drill saved.",
        template="drills/form.html",
        context={"drill": drill},
    )


@login_required
@require_POST
def drill_after_action(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    drill = _member_drill(request, pk)
    form = AfterActionForm(request.POST)
    if form.is_valid():
        try:
            services.drill_update(
                actor=request.user,
                drill=drill,
                version=form.cleaned_data["version"],
                after_action=form.answers(),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "After-action review saved.")
    else:
        messages.error(request, "Check the after-action review.")
    return redirect("drills:detail", pk=pk)


@login_required
@require_POST
def finding_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    drill = _member_drill(request, pk)
    try:
        services.finding_add(actor=request.user, drill=drill, text=request.POST.get("text", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('drills:detail', args=[pk])}#findings")


@login_required
@require_POST
def finding_promote(request: AuthedHttpRequest, pk: int, to: str) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, pk=pk)
    if finding.drill.team_id not in team_ids_of(request.user) or to not in ("action", "lesson"):
        raise Http404
    try:
        if to == "action":
            action = services.finding_to_action(actor=request.user, finding=finding)
            messages.success(request, f"Action created: {action.title}")
        else:
            services.finding_to_lesson(actor=request.user, finding=finding)
            messages.success(request, "Lesson added to the library.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('drills:detail', args=[finding.drill_id])}#findings")


@login_required
def campaign_page(request: AuthedHttpRequest) -> HttpResponse:
    """Results and trends; entering a campaign by hand or importing a CSV of counts."""
    teams = _my_teams(request)
    drill = None
    raw_drill = request.GET.get("drill") or request.POST.get("drill")
    if raw_drill:
        drill = _member_drill(request, id_or_none(raw_drill) or 0)
    form = CampaignForm(
        request.POST if request.POST.get("form") == "enter" else None,
        initial={"visibility": "team", "kind": "phishing"},
    )
    import_form = CampaignImportForm(
        request.POST if request.POST.get("form") == "import" else None,
        request.FILES if request.POST.get("form") == "import" else None,
        initial={"visibility": "team"},
    )
    team = (
        drill.team
        if drill
        else next(
            (t for t in teams if str(t.pk) == request.POST.get("team")), teams[0] if teams else None
        )
    )
    status = 200
    if request.method == "POST" and team is not None:
        try:
            if request.POST.get("form") == "enter" and form.is_valid():
                campaigns.campaign_create(
                    actor=request.user, team=team, drill=drill, **form.cleaned_data
                )
                messages.success(request, "Results saved. Thank you to everyone who reported it.")
                return redirect(
                    reverse("drills:detail", args=[drill.pk]) if drill else "drills:campaigns"
                )
            if request.POST.get("form") == "import" and import_form.is_valid():
                upload = import_form.cleaned_data["file"]
                text = upload.read(2_000_000).decode("utf-8", errors="replace")
                made = campaigns.campaigns_import_csv(
                    actor=request.user,
                    team=team,
                    text=text,
                    visibility=import_form.cleaned_data["visibility"],
                )
                messages.success(
                    request, f"{len(made)} campaign{'s' if len(made) != 1 else ''} imported."
                )
                return redirect("drills:campaigns")
        except ApplicationError as exc:
            apply_error(form if request.POST.get("form") == "enter" else import_form, exc)
        status = 400
    page = CappedPaginator(selectors.campaign_rows(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "drills/campaigns.html",
        {
            "form": form,
            "import_form": import_form,
            "teams": teams,
            "drill": drill,
            "organisation": selectors.organisation_summary(request.user),
            "page": page,
            "points": selectors.campaign_points(page),
            "query": params.urlencode(),
            "safe_practice": SAFE_PRACTICE,
        },
        status=status,
    )
