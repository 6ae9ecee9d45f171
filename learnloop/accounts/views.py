"""Thin views over accounts.services; every object lookup goes through the visibility helpers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from learnloop.accounts import forms, profile_and_renames, services, team_panels, throttling
from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import ApiToken, Invitation, Membership, Team, User
from learnloop.accounts.visibility import can_manage_team, teams_visible_to
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import apply_error, conflict_view
from learnloop.core.validation import id_or_none
from learnloop.core.versioning import StaleVersion

BACKEND = "django.contrib.auth.backends.ModelBackend"


def setup(request: HttpRequest) -> HttpResponse:
    """First run: create the organisation and its first admin. Gone once anyone exists."""
    if not services.first_run_needed():
        return redirect("accounts:login")
    form = forms.SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.organisation_create_with_admin(**form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, "Welcome! Next, create your first team.")
            return redirect("accounts:team-create")
    return render(request, "accounts/setup.html", {"form": form})


def _team_or_404(request: AuthedHttpRequest, slug: str) -> Team:
    return get_object_or_404(teams_visible_to(request.user), slug=slug)


@login_required
def team_list(request: AuthedHttpRequest) -> HttpResponse:
    teams = teams_visible_to(request.user).prefetch_related("memberships")
    return render(request, "accounts/team_list.html", {"teams": teams})


@login_required
def team_create(request: AuthedHttpRequest) -> HttpResponse:
    form = forms.TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Team “{team.name}” created. Invite people next.")
            return redirect("accounts:team-detail", slug=team.slug)
    return render(request, "accounts/team_form.html", {"form": form})


@login_required
def team_detail(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    team = _team_or_404(request, slug)
    manager = can_manage_team(request.user, team)
    form = forms.InvitationForm(request.POST or None)
    if request.method == "POST":
        if not manager:
            raise Http404
        if form.is_valid():
            try:
                services.invitation_create(actor=request.user, team=team, **form.cleaned_data)
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
                return redirect("accounts:team-detail", slug=team.slug)
    context = {
        "team": team,
        "manager": manager,
        "memberships": team.memberships.select_related("user"),
        "invitations": team.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        if manager
        else [],
        "form": form,
        "role_choices": Membership._meta.get_field("role").choices,
        "panels": team_panels.render_all(request, team),
    }
    return render(request, "accounts/team_detail.html", context)


@login_required
@require_POST
def membership_update(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    team = _team_or_404(request, slug)
    membership = get_object_or_404(Membership, team=team, pk=pk)
    if not can_manage_team(request.user, team) and membership.user_id != request.user.pk:
        raise Http404
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(actor=request.user, membership=membership)
            messages.success(request, f"{membership.user.name} left {team.name}.")
            if membership.user_id == request.user.pk:
                return redirect("accounts:team-list")
        else:
            services.membership_set_role(
                actor=request.user, membership=membership, role=request.POST.get("role", "")
            )
            messages.success(
                request, f"{membership.user.name} is now {membership.get_role_display().lower()}."
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:team-detail", slug=team.slug)


@login_required
def people(request: AuthedHttpRequest) -> HttpResponse:
    """Organisation admins: everyone in the organisation, to deactivate or reactivate."""
    if not request.user.is_org_admin or request.user.organisation_id is None:
        raise Http404
    if request.method == "POST":
        person_id = id_or_none(request.POST.get("person"))
        if person_id is None:
            raise Http404
        person = get_object_or_404(User, organisation_id=request.user.organisation_id, pk=person_id)
        active = request.POST.get("action") == "reactivate"
        try:
            services.person_set_active(actor=request.user, person=person, active=active)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            state = "can sign in again" if active else "is deactivated and signed out"
            messages.success(request, f"{person.name} {state}.")
        return redirect("accounts:people")
    members = User.objects.filter(organisation_id=request.user.organisation_id).order_by("email")
    return render(request, "accounts/people.html", {"people": members})


@login_required
@require_POST
def invitation_revoke(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    team = _team_or_404(request, slug)
    if not can_manage_team(request.user, team):
        raise Http404
    invitation = get_object_or_404(Invitation, team=team, pk=pk)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, f"Invitation for {invitation.email} revoked.")
    return redirect("accounts:team-detail", slug=team.slug)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_get_open(token)
    except ApplicationError as exc:
        return render(
            request, "accounts/invitation_invalid.html", {"message": exc.message}, status=404
        )
    signed_in = request.user.is_authenticated
    form = None if signed_in else forms.AcceptForm(request.POST or None)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            user = services.invitation_accept(
                raw_token=token,
                user=request.user if signed_in else None,
                **({} if signed_in else form.cleaned_data),
            )
        except ApplicationError as exc:
            if form is None:
                messages.error(request, exc.message)
            else:
                apply_error(form, exc)
        else:
            if not signed_in:
                login(request, user, backend=BACKEND)
            messages.success(request, f"You joined {invitation.team.name}.")
            return redirect("accounts:team-detail", slug=invitation.team.slug)
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def _profile_page(request: AuthedHttpRequest, **forms_given: Any) -> HttpResponse:
    """The account page: profile (display name, time zone) and personal API tokens."""
    user = request.user
    context = {
        "profile_form": forms.ProfileForm(
            initial={"display_name": user.display_name, "time_zone": user.time_zone}
        ),
        "form": forms.TokenForm(),
        "new_token": None,
        "tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True),
        **forms_given,
    }
    bound = [f for f in (context["profile_form"], context["form"]) if f.is_bound and f.errors]
    return render(request, "accounts/profile.html", context, status=400 if bound else 200)


@login_required
def profile(request: AuthedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _profile_page(request)
    form = forms.TokenForm(request.POST)
    if form.is_valid():
        try:
            _, new_token = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            return _profile_page(request, new_token=new_token)
    return _profile_page(request, form=form)


@login_required
@require_POST
def profile_update(request: AuthedHttpRequest) -> HttpResponse:
    form = forms.ProfileForm(request.POST)
    if form.is_valid():
        try:
            profile_and_renames.profile_update(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
    return _profile_page(request, profile_form=form)


def _rename(
    request: AuthedHttpRequest, obj: Any, rename: Any, *, noun: str, keep_url: str
) -> tuple[forms.RenameForm | HttpResponseRedirect, dict[str, Any] | None]:
    """A rename form for ``obj`` (bound on POST): a redirect when saved, else the form and the
    conflict view context (or None)."""
    form = forms.RenameForm(
        request.POST or None, initial={"name": obj.name, "version": obj.version}
    )
    if request.method != "POST" or not form.is_valid():
        return form, None
    try:
        rename(name=form.cleaned_data["name"], version=form.cleaned_data["version"])
    except StaleVersion as exc:
        obj.refresh_from_db()
        return form, conflict_view(
            form, exc, saved={"name": obj.name}, noun=noun, keep_url=keep_url
        )
    except ApplicationError as exc:
        apply_error(form, exc)
        return form, None
    messages.success(request, f"Renamed to “{obj.name}”.")
    return redirect(keep_url), None


@login_required
def organisation(request: AuthedHttpRequest) -> HttpResponse:
    """Organisation admins: rename the organisation; its teams, each with a rename link."""
    org = request.user.organisation if request.user.is_org_admin else None
    if org is None:
        raise Http404

    def rename(**values: Any) -> Any:
        return profile_and_renames.organisation_rename(
            actor=request.user, organisation=org, **values
        )

    keep = reverse("accounts:organisation")
    form, conflict = _rename(request, org, rename, noun="organisation", keep_url=keep)
    if not isinstance(form, forms.RenameForm):
        return form
    context = {"organisation": org, "form": form, "conflict": conflict, "teams": org.teams.all()}
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "accounts/organisation.html", context, status=status)


@login_required
def team_rename(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_org_admin:
        raise Http404
    team = get_object_or_404(Team, organisation_id=request.user.organisation_id, slug=slug)

    def rename(**values: Any) -> Any:
        return profile_and_renames.team_rename(actor=request.user, team=team, **values)

    keep = reverse("accounts:team-rename", args=[team.slug])
    form, conflict = _rename(request, team, rename, noun="team", keep_url=keep)
    if not isinstance(form, forms.RenameForm):
        return redirect("accounts:team-detail", slug=team.slug)
    status = 409 if conflict else 400 if form.errors else 200
    context = {"team": team, "form": form, "conflict": conflict}
    return render(request, "accounts/team_rename.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    try:
        services.api_token_revoke(user=request.user, token_id=pk)
    except ApplicationError:
        raise Http404 from None
    messages.success(request, "Token revoked.")
    return redirect("accounts:profile")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the emailed link also lifts a sign-in pause for that
    email: whoever did it controls the mailbox."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        throttling.signin_failures_forget(form.user.email)
        return response
