"""The one visibility rule, implemented once.

A piece of content belongs to a team and is either team-private (``visibility="team"``) or
organisation-visible (``visibility="organisation"``):

* team-private content is visible to members of its team only;
* organisation-visible content is visible to every member of the team's organisation;
* nobody outside the organisation sees anything, and anonymous visitors see nothing.

Organisation admins manage structure (teams, people) but are *not* granted team-private
content: "private means private" (docs/decisions/0003-visibility.md).

Every query, view and API endpoint goes through :func:`visible_q` (usually via
``Model.objects.visible_to(user)``) or :func:`get_visible_or_404`, so another team's private
object is indistinguishable from one that does not exist (404, never 403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from learnloop.core.models import Visibility

if TYPE_CHECKING:
    from learnloop.accounts.models import Team, User


def team_ids_of(user: Any) -> list[int]:
    """Ids of the teams ``user`` belongs to, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_learnloop_team_ids", None)
    if cached is None:
        cached = list(user.memberships.values_list("team_id", flat=True))
        user._learnloop_team_ids = cached
    return cached


def visible_q(user: Any, *, team_field: str = "team") -> Q:
    """The Q filter selecting content ``user`` may see. Matches nothing for anonymous users."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Q(pk__in=[])
    # A subquery on the team table rather than a JOIN: with the JOIN, SQLite drives the query
    # from the teams and sorts every visible row before LIMIT; with it, a newest-first list
    # walks the created_at index and stops after one page (docs/benchmarks.md, Scale and load).
    from learnloop.accounts.models import Team

    org_teams = Team.objects.filter(organisation_id=user.organisation_id).values("id")
    same_org = Q(**{f"{team_field}_id__in": org_teams})
    mine = Q(**{f"{team_field}_id__in": team_ids_of(user)})
    shared = Q(visibility=Visibility.ORGANISATION)
    return same_org & (mine | shared)


def can_see(user: Any, obj: Any, *, team_attr: str = "team") -> bool:
    """The same rule for an object already loaded (no query when memberships are cached)."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return False
    team = getattr(obj, team_attr)
    if team.organisation_id != user.organisation_id:
        return False
    return obj.visibility == Visibility.ORGANISATION or team.pk in team_ids_of(user)


def get_visible_or_404(queryset: QuerySet | type[Model], user: Any, **lookup: Any) -> Any:
    qs = queryset.objects.all() if isinstance(queryset, type) else queryset
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def teams_visible_to(user: Any) -> QuerySet[Team]:
    """Teams whose pages ``user`` may open: their own, or all of the organisation for its admins."""
    from learnloop.accounts.models import Team

    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Team.objects.none()
    qs = Team.objects.filter(organisation_id=user.organisation_id)
    if user.is_org_admin:
        return qs
    return qs.filter(pk__in=team_ids_of(user))


def role_in(user: User, team: Team) -> str | None:
    from learnloop.accounts.models import Membership

    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, team=team).values_list("role", flat=True).first()


def can_manage_team(user: Any, team: Team) -> bool:
    """Team admins manage their team; organisation admins manage every team of their organisation."""
    if not getattr(user, "is_authenticated", False) or team.organisation_id != user.organisation_id:
        return False
    return bool(user.is_org_admin or role_in(user, team) == "admin")
