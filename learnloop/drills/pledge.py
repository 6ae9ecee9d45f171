"""The leaders' pledge (decisions/0173): organisation admins write the organisation's,
team admins (and organisation admins) their team's. Every change is a new version, kept and
shown as history; leaders sign a version with their name and the date. Shown on the report
form (and its anonymous-report explanation), the "I might have clicked something" page and
every drill page (``drills/templatetags/pledge.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import can_manage_team, team_ids_of
from learnloop.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from learnloop.core.versioning import claim_version, require_version
from learnloop.drills.models import Pledge, PledgeSignature, PledgeVersion

TEXT_MAX = 2000
EXAMPLE = (
    "No one here is punished for reporting a mistake promptly, for an honest error, or for "
    "failing a drill. The exceptions are deliberate harm and recklessness — knowingly taking "
    "an unjustifiable risk. We, the undersigned, will act on this, and you can hold us to it."
)
STALE = "Someone changed the pledge meanwhile. Nothing was overwritten: read theirs first."


@dataclass
class PledgeView:
    pledge: Pledge
    scope: str  # the organisation's or the team's name
    current: PledgeVersion
    signatures: list[PledgeSignature]


def can_write(user: User, team: Team | None) -> bool:
    if team is None:
        return bool(user.is_org_admin and user.organisation_id)
    return can_manage_team(user, team)


def pledge_for(*, organisation_id: int, team: Team | None) -> Pledge | None:
    qs = Pledge.objects.filter(organisation_id=organisation_id)
    return (qs.filter(team=team) if team else qs.filter(team__isnull=True)).first()


def pledge_write(*, actor: User, team: Team | None, text: str, version: Any = None) -> Pledge:
    """Write a new version of the organisation's (``team`` None) or a team's pledge. The first
    write needs no ``version``; later ones the version read (a stale one is refused)."""
    if team is not None and team.organisation_id != actor.organisation_id:
        raise NotFound()
    if not can_write(actor, team):
        raise PermissionDenied("Only the organisation's or the team's admins write its pledge.")
    text = (text or "").strip()
    if not text or len(text) > TEXT_MAX:
        raise ApplicationError(
            "Write the commitment.", fields={"text": [f"1 to {TEXT_MAX} characters."]}
        )
    assert actor.organisation_id is not None
    with transaction.atomic():
        pledge = pledge_for(organisation_id=actor.organisation_id, team=team)
        if pledge is None:
            try:
                with transaction.atomic():
                    pledge = Pledge.objects.create(organisation_id=actor.organisation_id, team=team)
            except IntegrityError:
                raise Conflict(
                    STALE, fields={"version": ["Reload: a pledge exists now."]}
                ) from None
            number = 1
        else:
            number = claim_version(
                Pledge, pk=pledge.pk, version=require_version(version), message=STALE
            )
            pledge.version = number
        PledgeVersion.objects.create(
            pledge=pledge, number=number, text=text, written_by=actor, written_by_name=actor.name
        )
    return pledge


def pledge_sign(*, actor: User, pledge: Pledge) -> PledgeSignature:
    """Sign the current version with your name and today's date (once per version)."""
    if pledge.organisation_id != actor.organisation_id:
        raise NotFound()
    if not can_write(actor, pledge.team):
        raise PermissionDenied("Leaders sign: the organisation's or the team's admins.")
    current = pledge.versions.order_by("-number").first()
    if current is None:
        raise NotFound()
    signature, _ = PledgeSignature.objects.get_or_create(
        version=current,
        signer=actor,
        defaults={"name": actor.name, "signed_on": timezone.localdate()},
    )
    return signature


def _view(pledge: Pledge | None, scope: str) -> PledgeView | None:
    if pledge is None:
        return None
    current = pledge.versions.order_by("-number").first()
    if current is None:
        return None
    return PledgeView(pledge, scope, current, list(current.signatures.all()))


def pledges_shown_to(user: User, team: Team | None = None) -> list[PledgeView]:
    """The organisation's pledge and the team's (``team``, or every team of ``user``)."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return []
    org = user.organisation
    shown = [
        _view(pledge_for(organisation_id=user.organisation_id, team=None), org.name if org else "")
    ]
    teams = (
        [team]
        if team is not None
        else list(Team.objects.filter(pk__in=team_ids_of(user)).order_by("name"))
    )
    pledges = {p.team_id: p for p in Pledge.objects.filter(team__in=teams).select_related("team")}
    shown += [_view(pledges.get(t.pk), t.name) for t in teams]
    return [v for v in shown if v is not None]


def history(pledge: Pledge) -> list[PledgeVersion]:
    return list(pledge.versions.prefetch_related("signatures").order_by("-number"))
