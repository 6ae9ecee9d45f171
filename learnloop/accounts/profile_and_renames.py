"""What people change about themselves (display name, time zone) and what organisation admins
rename (the organisation, its teams), decision 0111. Renames refuse stale saves (decision 0014);
slugs, and so every link, stay as they are."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.db import IntegrityError, transaction

from learnloop.accounts.models import Organisation, Team, User
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.versioning import claim_version, require_version

NAME_MAX = 120


@cache
def time_zone_names() -> list[str]:
    """The zoneinfo names a person can choose, sorted ("UTC" included)."""
    return sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})


def _clean_name(value: str, *, what: str, field: str = "name") -> str:
    name = " ".join((value or "").split())
    if not name:
        raise ApplicationError(f"Name the {what}.", fields={field: [f"Give the {what} a name."]})
    if len(name) > NAME_MAX:
        raise ApplicationError(
            f"The {what}'s name is too long.",
            fields={field: [f"At most {NAME_MAX} characters (it has {len(name)})."]},
        )
    return name


def profile_update(*, user: User, display_name: str, time_zone: str) -> User:
    """A person's own display name (empty: their name or email is used) and time zone (a
    zoneinfo name such as "Europe/Berlin"; empty: the server's)."""
    errors: dict[str, list[str]] = {}
    display_name = " ".join((display_name or "").split())
    if len(display_name) > NAME_MAX:
        errors["display_name"] = [f"At most {NAME_MAX} characters (it has {len(display_name)})."]
    time_zone = (time_zone or "").strip()
    if time_zone and time_zone not in time_zone_names():
        errors["time_zone"] = [
            f"“{time_zone[:60]}” is not a time zone; choose one from the list, "
            "such as Europe/Berlin or America/New_York."
        ]
    if errors:
        raise ApplicationError("Your profile was not saved.", fields=errors)
    user.display_name = display_name
    user.time_zone = time_zone
    user.save(update_fields=["display_name", "time_zone"])
    return user


def _rename(obj: Organisation | Team, *, name: str, version: int, message: str) -> None:
    """Claim ``obj``'s version (a stale rename raises StaleVersion) and save the new name."""
    model = type(obj)
    obj.version = claim_version(
        model,
        pk=obj.pk,
        version=version,
        message=message,
        submitted={"name": name},
        saved=lambda current: {"name": current.name},
    )
    obj.name = name
    obj.save(update_fields=["name", "version", "updated_at"])


def organisation_rename(
    *, actor: User, organisation: Organisation, name: str, version: object
) -> Organisation:
    if not actor.is_org_admin or actor.organisation_id != organisation.pk:
        raise PermissionDenied("Only organisation admins rename the organisation.")
    expected = require_version(version)
    name = _clean_name(name, what="organisation")
    with transaction.atomic():
        _rename(
            organisation,
            name=name,
            version=expected,
            message="Someone renamed the organisation after you opened this page.",
        )
    return organisation


def team_rename(*, actor: User, team: Team, name: str, version: object) -> Team:
    if not actor.is_org_admin or actor.organisation_id != team.organisation_id:
        raise PermissionDenied("Only organisation admins rename teams.")
    expected = require_version(version)
    name = _clean_name(name, what="team")
    taken = ApplicationError(
        "A team with this name exists.",
        fields={"name": ["Another team of the organisation has this name."]},
    )
    others = Team.objects.filter(organisation_id=team.organisation_id, name__iexact=name)
    if others.exclude(pk=team.pk).exists():
        raise taken
    try:
        with transaction.atomic():
            _rename(
                team,
                name=name,
                version=expected,
                message="Someone changed this team after you opened this page.",
            )
    except IntegrityError:
        raise taken from None
    return team
