"""Reads for retros, always through the visibility rule. The board as one viewer may see it
(blind writing, vote totals) is in ``board_state.py``."""

from __future__ import annotations

from django.db.models import BigIntegerField, QuerySet

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import get_visible_or_404
from learnloop.core.compiled import CompiledObjects, Param
from learnloop.core.validation import fits_bigint
from learnloop.retros.models import Retro, RetroFormat


def retros_visible(*, user: User) -> QuerySet[Retro]:
    return Retro.objects.visible_to(user).select_related("team", "facilitator")


def retro_list(*, user: User, team: Team | None = None) -> QuerySet[Retro]:
    qs = retros_visible(user=user)
    if team is not None:
        qs = qs.filter(team=team)
    return qs.order_by("-created_at", "-id")


def retro_get(*, user: User, pk: int) -> Retro:
    """The retro or a 404 (another team's retro is indistinguishable from none)."""
    return get_visible_or_404(
        Retro.objects.select_related(
            "team", "facilitator", "format", "deliverable", "experiment", "incident", "review"
        ),
        user,
        pk=pk,
    )


def formats_for(*, team_ids: list[int]) -> QuerySet[RetroFormat]:
    """Shipped formats and the given teams' own."""
    from django.db.models import Q

    return RetroFormat.objects.filter(Q(team__isnull=True) | Q(team_id__in=team_ids))


#: What the live poll and the API board read of a retro (no joins, no text they do not show).
LIVE_FIELDS = (
    "team",
    "visibility",
    "title",
    "columns",
    "facilitator",
    "phase",
    "anonymity",
    "votes_per_person",
    "votes_per_topic",
    "timer_ends_at",
    "state_version",
)


def retro_live_get(*, user: User, pk: int) -> Retro | None:
    """A retro of one of ``user``'s teams in their organisation (the page's rule: a retro is its
    team's, visible means member), with only :data:`LIVE_FIELDS`; else None. One query: the
    membership is joined, not read first (``team_ids_of`` sorts the memberships by name),
    compiled once per connection (polled by everyone in the room; decision 0234)."""
    if not user.is_authenticated or user.organisation_id is None:
        return None
    if not fits_bigint(pk):
        return None  # no such row (the ORM's lookup answers the same)
    found = _LIVE.objects(pk=pk, organisation=user.organisation_id, user=user.pk)
    return found[0] if found else None


_LIVE = CompiledObjects(
    lambda: (
        Retro.objects.filter(
            pk=Param("pk", BigIntegerField()),
            team__organisation_id=Param("organisation", BigIntegerField()),
            team__memberships__user_id=Param("user", BigIntegerField()),
        )
        .only(*LIVE_FIELDS)
        .order_by()[:1]
    )
)
