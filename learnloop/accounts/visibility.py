"""The one visibility rule, implemented once.

A piece of content belongs to a team and is either team-private (``visibility="team"``) or
organisation-visible (``visibility="organisation"``):

* team-private content is visible to members of its team only;
* organisation-visible content is visible to every member of the team's organisation;
* nobody outside the organisation sees anything, and anonymous visitors see nothing.

Organisation admins manage structure (teams, people) but are *not* granted team-private
content: "private means private" (docs/decisions/0003-visibility.md).

Every query, view and API endpoint goes through :func:`visible_q` (usually via
``Model.objects.visible_to(user)`` on a :class:`TeamOwned` model), :func:`get_visible_or_404`
:func:`get_by_pk_visible_or_404` or :func:`compiled_visible_or_404`, so another team's private object is indistinguishable
from one that does not exist (404, never 403). The rule has four forms, all here: the ORM
filter (:func:`visible_q`), the check of a loaded object (:func:`can_see`) or of a row read
as values (:func:`sees`), and the SQL condition on the search index (:func:`visibility_sql`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import BigIntegerField, Model, Q, QuerySet
from django.http import Http404

from learnloop.accounts.models import Membership, Team, User
from learnloop.core.compiled import Compiled, CompiledObjects, Param
from learnloop.core.models import Visibility
from learnloop.core.validation import fits_bigint

Viewer = User | AnonymousUser


_M = TypeVar("_M", bound=Model)


class VisibleQuerySet(models.QuerySet[_M]):
    """QuerySet with ``visible_to(user)``: the rows of :func:`visible_q`."""

    team_field = "team"

    def visible_to(self, user: Viewer) -> Self:
        return self.filter(visible_q(user, team_field=self.team_field))


class TeamOwned(models.Model):
    """Content that belongs to a team and is team-private or organisation-visible."""

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.TEAM
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True


#: A user's team ids, compiled once per connection: every page reads them, and the ORM took
#: 0.4 ms to build the query (decisions 0179, 0236). No ORDER BY: Membership's default ordering
#: joins teams and users.
_TEAM_ROWS = Compiled(
    lambda: (
        Membership.objects.filter(user_id=Param("user", BigIntegerField()))
        .order_by()
        .values("team_id")
    )
)


def team_ids_of(user: Viewer) -> list[int]:
    """Ids of the teams ``user`` belongs to, cached on the user object for the request."""
    if not isinstance(user, User):
        return []
    if user._learnloop_team_ids is None:
        rows = _TEAM_ROWS.rows(user=user.pk)
        user._learnloop_team_ids = [row["team_id"] for row in rows]
    return user._learnloop_team_ids


def member_teams(user: Viewer) -> list[Team]:
    """The teams ``user`` belongs to, by name: what a page offers when it asks "which team"."""
    if not isinstance(user, User):
        return []
    return list(Team.objects.filter(pk__in=team_ids_of(user)).order_by("name"))


def visible_q(
    user: Viewer, *, team_field: str = "team", organisation_field: str | None = None
) -> Q:
    """The Q filter selecting content ``user`` may see. Matches nothing for anonymous users.

    ``team_field`` may follow a relation (``"incident__team"``: the incident's team and its
    ``incident__visibility``). ``organisation_field`` names a copy of the team's organisation
    on the row itself (lessons keep one): the same rule without the subquery on teams, so the
    database can walk a sort index and stop after one page (decision 0052).
    """
    if not isinstance(user, User) or user.organisation_id is None:
        return Q(pk__in=[])
    if organisation_field:
        same_org = Q(**{f"{organisation_field}_id": user.organisation_id})
    else:
        # A subquery on the team table rather than a JOIN: with the JOIN, SQLite drives the
        # query from the teams and sorts every visible row before LIMIT; with it, a newest-first
        # list walks the created_at index and stops after one page (docs/benchmarks.md).
        org_teams = Team.objects.filter(organisation_id=user.organisation_id).values("id")
        same_org = Q(**{f"{team_field}_id__in": org_teams})
    mine = Q(**{f"{team_field}_id__in": team_ids_of(user)})
    owner = team_field.rpartition("__")[0]
    shared = Q(**{f"{owner}__visibility" if owner else "visibility": Visibility.ORGANISATION})
    return same_org & (mine | shared)


def can_see(user: Viewer, obj: TeamOwned, *, team_attr: str = "team") -> bool:
    """The same rule for an object already loaded (no query when memberships are cached)."""
    if not isinstance(user, User) or user.organisation_id is None:
        return False
    team = getattr(obj, team_attr)
    return sees(user, team.organisation_id, team.pk, obj.visibility)


def sees(user: Viewer, organisation_id: int | None, team_id: int, visibility: str) -> bool:
    """The same rule for a row read as values: its team's organisation, its team and its
    visibility (no query when memberships are cached)."""
    if not isinstance(user, User) or user.organisation_id is None:
        return False
    if organisation_id != user.organisation_id:
        return False
    return visibility == Visibility.ORGANISATION or team_id in team_ids_of(user)


def visibility_sql(
    vendor: str, organisation_id: int | None, team_ids: Sequence[int], *, alias: str = "d"
) -> tuple[str, list[Any]]:
    """The same rule as an SQL condition on a raw table (the search index, alias ``d``) with
    ``team_id`` and ``visibility`` columns; ``vendor`` picks the placeholder style."""
    if organisation_id is None:
        return "1 = 0", []
    p = "?" if vendor == "sqlite" else "%s"
    same_org = (
        f"{alias}.team_id IN (SELECT t.id FROM accounts_team t WHERE t.organisation_id = {p})"
    )
    params: list[Any] = [int(organisation_id), str(Visibility.ORGANISATION)]
    allowed = f"{alias}.visibility = {p}"
    mine = [int(t) for t in team_ids]
    if mine:
        allowed = f"({allowed} OR {alias}.team_id IN ({', '.join([p] * len(mine))}))"
        params.extend(mine)
    return f"{same_org} AND {allowed}", params


_Owned = TypeVar("_Owned", bound=TeamOwned)


def get_visible_or_404(
    queryset: VisibleQuerySet[_Owned] | type[_Owned], user: Viewer, **lookup: Any
) -> _Owned:
    # A model class's ``objects`` is typed for TeamOwned, not for the subclass passed in.
    qs: VisibleQuerySet[_Owned]
    if isinstance(queryset, type):
        manager: Any = queryset.objects
        qs = manager.all()
    else:
        qs = queryset
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def get_by_pk_visible_or_404(
    queryset: QuerySet[_Owned], user: Viewer, pk: Any, *, team_attr: str = "team"
) -> _Owned:
    """The row of ``queryset`` with primary key ``pk`` if ``user`` may see it, else 404: the
    same answer as :func:`get_visible_or_404`, read by primary key and checked with
    :func:`can_see` instead of filtered by :func:`visible_q`, so the query has no subquery to
    build (about 1 ms of CPU a page: decision 0179). ``queryset`` must load ``team_attr``
    (``select_related``), or checking costs one more query."""
    if not isinstance(user, User) or user.organisation_id is None:
        raise Http404("Not found")
    try:
        found = list(queryset.filter(pk=pk)[:1])
    except (ValueError, TypeError):
        raise Http404("Not found") from None
    if not found or not can_see(user, found[0], team_attr=team_attr):
        raise Http404("Not found")
    return found[0]


def compiled_visible_or_404(
    compiled: CompiledObjects[_Owned], user: Viewer, pk: Any, *, team_attr: str = "team"
) -> _Owned:
    """:func:`get_by_pk_visible_or_404` for a page read on every view: ``compiled`` reads the
    row by its ``pk`` parameter with ``team_attr`` joined, compiled once per connection
    (``core.compiled``, decision 0234), and the loaded row is checked with :func:`can_see`.
    The same 404 for a missing, malformed or out-of-range id, another team's private row,
    another organisation's and an anonymous visitor."""
    if not isinstance(user, User) or user.organisation_id is None:
        raise Http404("Not found")
    try:
        value = int(pk)
    except (ValueError, TypeError):
        raise Http404("Not found") from None
    if not fits_bigint(value):  # no such row (as the ORM's own lookup answers)
        raise Http404("Not found")
    found = compiled.objects(pk=value)
    if not found or not can_see(user, found[0], team_attr=team_attr):
        raise Http404("Not found")
    return found[0]


def teams_visible_to(user: Viewer) -> QuerySet[Team]:
    """Teams whose pages ``user`` may open: their own, or all of the organisation for its admins."""
    if not isinstance(user, User) or user.organisation_id is None:
        return Team.objects.none()
    qs = Team.objects.filter(organisation_id=user.organisation_id)
    if user.is_org_admin:
        return qs
    return qs.filter(pk__in=team_ids_of(user))


def role_in(user: Viewer, team: Team) -> str | None:
    if not isinstance(user, User):
        return None
    return Membership.objects.filter(user=user, team=team).values_list("role", flat=True).first()


def can_manage_team(user: Viewer, team: Team) -> bool:
    """Team admins manage their team; organisation admins manage every team of their organisation."""
    if not isinstance(user, User) or team.organisation_id != user.organisation_id:
        return False
    return bool(user.is_org_admin or role_in(user, team) == "admin")
