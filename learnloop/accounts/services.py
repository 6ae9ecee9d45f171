"""Writes for people, organisations, teams, invitations and tokens.

Keyword-only, typed functions named ``<entity>_<verb>``; validation errors are raised as
:class:`ApplicationError` with per-field messages, and nothing is half-saved.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from learnloop.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    Role,
    Team,
    User,
)
from learnloop.accounts.visibility import can_manage_team
from learnloop.core.errors import ApplicationError, NotFound, PermissionDenied
from learnloop.core.jobs import queue_email
from learnloop.core.urls_util import absolute_url


def _check_password(password: str, user: User | None = None, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(
            "Choose a stronger password.", fields={field: list(exc.messages)}
        ) from None


def _clean_email(email: str, field: str = "email") -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(
            "Enter a valid email address.", fields={field: ["Enter a valid email address."]}
        ) from None
    return email


RESERVED_SLUGS = {"new", "edit", "api", "admin"}


def _unique_slug(base: str, exists: callable, max_length: int = 60) -> str:
    root = (slugify(base) or "item")[: max_length - 4]
    slug, n = root, 2
    while exists(slug) or slug in RESERVED_SLUGS:
        slug, n = f"{root}-{n}", n + 1
    return slug


def user_create(
    *,
    email: str,
    password: str,
    display_name: str = "",
    organisation: Organisation | None = None,
    is_org_admin: bool = False,
) -> User:
    email = _clean_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(
            "This email address already has an account.",
            fields={"email": ["Already registered; sign in instead."]},
        )
    user = User(
        email=email,
        username=email[:150],
        display_name=display_name.strip()[:120],
        organisation=organisation,
        is_org_admin=is_org_admin,
    )
    _check_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def organisation_create_with_admin(
    *, organisation_name: str, email: str, password: str, display_name: str = ""
) -> User:
    """First run: create the organisation and its first admin. An organisation admin is not an
    operator: /admin/ is for operator accounts only (``operator_create``, decision 0017)."""
    name = organisation_name.strip()
    if not name:
        raise ApplicationError(
            "Name your organisation.", fields={"organisation_name": ["This field is required."]}
        )
    if len(name) > 120:
        raise ApplicationError(
            "Organisation name is too long.",
            fields={"organisation_name": ["At most 120 characters."]},
        )
    with transaction.atomic():
        org = Organisation.objects.create(
            name=name,
            slug=_unique_slug(name, lambda s: Organisation.objects.filter(slug=s).exists()),
        )
        user = user_create(
            email=email,
            password=password,
            display_name=display_name,
            organisation=org,
            is_org_admin=True,
        )
    return user


def operator_create(*, email: str, password: str, display_name: str = "") -> User:
    """An operator account: the install's Django admin (/admin/), across organisations, and
    therefore a member of none — it sees no organisation's content in the product."""
    with transaction.atomic():
        user = user_create(email=email, password=password, display_name=display_name)
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def first_run_needed() -> bool:
    """The setup page is open until someone belongs to an organisation (operators do not)."""
    return not User.objects.filter(organisation__isnull=False).exists()


def team_create(*, actor: User, name: str, description: str = "") -> Team:
    """Any organisation member may start a team; they become its admin."""
    name = name.strip()
    if actor.organisation_id is None:
        raise PermissionDenied("You are not part of an organisation yet.")
    if not name:
        raise ApplicationError("Name the team.", fields={"name": ["This field is required."]})
    if len(name) > 120:
        raise ApplicationError(
            "Team name is too long.", fields={"name": ["At most 120 characters."]}
        )
    if len(description) > 2000:
        raise ApplicationError(
            "Description is too long.", fields={"description": ["At most 2000 characters."]}
        )
    org = actor.organisation
    if Team.objects.filter(organisation=org, name__iexact=name).exists():
        raise ApplicationError(
            "A team with this name exists.",
            fields={"name": ["A team with this name already exists."]},
        )
    try:
        with transaction.atomic():
            team = Team.objects.create(
                organisation=org,
                name=name,
                description=description.strip(),
                slug=_unique_slug(
                    name, lambda s: Team.objects.filter(organisation=org, slug=s).exists()
                ),
            )
            Membership.objects.create(user=actor, team=team, role=Role.ADMIN)
    except IntegrityError:
        raise ApplicationError(
            "A team with this name exists.",
            fields={"name": ["A team with this name already exists."]},
        ) from None
    actor.__dict__.pop("_learnloop_team_ids", None)
    return team


def _require_manager(actor: User, team: Team) -> None:
    if not can_manage_team(actor, team):
        raise PermissionDenied("Only team admins and organisation admins can do this.")


def invitation_create(
    *,
    actor: User,
    team: Team,
    email: str,
    role: str = Role.MEMBER,
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``team``; email a link carrying a one-time token. Returns the raw token."""
    _require_manager(actor, team)
    email = _clean_email(email)
    if role not in Role.values:
        raise ApplicationError(
            "Unknown role.", fields={"role": [f"Choose one of: {', '.join(Role.values)}."]}
        )
    if Membership.objects.filter(team=team, user__email__iexact=email).exists():
        raise ApplicationError(
            "Already a member.", fields={"email": ["This person is already in the team."]}
        )
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            team=team,
            email=email,
            role=role,
            invited_by=actor,
            token_hash=Invitation.hash_token(raw),
            expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS),
        )
        link = absolute_url(reverse("accounts:invitation-accept", args=[raw]))
        context = {"invitation": invitation, "link": link, "actor": actor, "team": team}
        queue_email(
            to=[email],
            subject=f"{actor.name} invited you to {team.name} on Learnloop",
            body=render_to_string("accounts/email/invitation.txt", context),
        )
    return invitation, raw


def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    _require_manager(actor, invitation.team)
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def invitation_get_open(raw_token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("team__organisation")
        .filter(token_hash=Invitation.hash_token(raw_token))
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise NotFound(
            "This invitation link is not valid: it may have expired, been used or been revoked."
        )
    return invitation


def invitation_accept(
    *, raw_token: str, user: User | None = None, password: str = "", display_name: str = ""
) -> User:
    """Accept an invitation, as a signed-in user or by creating an account with the invited email."""
    with transaction.atomic():
        invitation = invitation_get_open(raw_token)
        # Lock the row: an invitation is accepted once, even by two concurrent clicks.
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        if not claimed:
            raise NotFound("This invitation has already been used.")
        org = invitation.team.organisation
        if user is None or not user.is_authenticated:
            existing = User.objects.filter(email__iexact=invitation.email).first()
            if existing is not None:
                raise ApplicationError(
                    "An account with this email exists; sign in first, then open the link again.",
                    code="sign_in_required",
                )
            user = user_create(
                email=invitation.email,
                password=password,
                display_name=display_name,
                organisation=org,
            )
        else:
            if user.is_operator:
                raise PermissionDenied(
                    "Operator accounts do not join organisations; "
                    "sign out and accept with your own account."
                )
            if user.organisation_id not in (None, org.id):
                raise PermissionDenied("Your account belongs to another organisation.")
            if user.organisation_id is None:
                user.organisation = org
                user.save(update_fields=["organisation"])
        Membership.objects.get_or_create(
            user=user, team=invitation.team, defaults={"role": invitation.role}
        )
        Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
    user.__dict__.pop("_learnloop_team_ids", None)
    return user


def person_set_active(*, actor: User, person: User, active: bool) -> User:
    """An organisation admin deactivates (or reactivates) someone of their organisation: a
    deactivated account cannot sign in, its sessions and API tokens stop working at once, and
    its content stays. The product path for what used to need /admin/ (decision 0017)."""
    if not actor.is_org_admin or person.organisation_id != actor.organisation_id:
        raise NotFound("No such person.")
    if person.pk == actor.pk:
        raise ApplicationError("You cannot deactivate your own account.")
    User.objects.filter(pk=person.pk).update(is_active=active)
    person.is_active = active
    return person


def membership_set_role(*, actor: User, membership: Membership, role: str) -> Membership:
    _require_manager(actor, membership.team)
    if role not in Role.values:
        raise ApplicationError(
            "Unknown role.", fields={"role": [f"Choose one of: {', '.join(Role.values)}."]}
        )
    with transaction.atomic():
        if membership.role == Role.ADMIN and role != Role.ADMIN:
            _keep_one_admin(membership)
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    return membership


def membership_remove(*, actor: User, membership: Membership) -> None:
    if actor.pk != membership.user_id:
        _require_manager(actor, membership.team)
    with transaction.atomic():
        if membership.role == Role.ADMIN:
            _keep_one_admin(membership)
        membership.delete()


def _keep_one_admin(membership: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(team=membership.team, role=Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ApplicationError(
            "A team needs at least one team admin; make someone else admin first.",
            fields={"role": ["Last team admin."]},
        )


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token. The raw token is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 80:
        raise ApplicationError(
            "Name the token (1 to 80 characters).", fields={"name": ["1 to 80 characters."]}
        )
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name, token_hash=ApiToken.hash_token(raw), hint=raw[:8]
    )
    return token, raw


def api_token_revoke(*, user: User, token_id: int) -> None:
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise NotFound("No such token.")


def api_token_authenticate(raw: str) -> User | None:
    if not raw or not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
