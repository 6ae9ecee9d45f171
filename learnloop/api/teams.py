"""The team a write through the API goes to: one of the caller's own teams, named by id or slug.

Every create operation that takes a ``team`` field resolves it here, so that the answer for a
team the caller is not in (or that does not exist) is the same everywhere: a 400 on the
``team`` field that does not say whether such a team exists.
"""

from django.db.models import QuerySet

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.core.errors import ApplicationError
from learnloop.core.validation import id_or_none, looks_like_id


def team_by_ref(teams: QuerySet[Team], ref: int | str) -> Team | None:
    """The team among ``teams`` with this id or slug (digits are an id), or None."""
    if looks_like_id(ref):
        return teams.filter(pk=id_or_none(ref) or 0).first()
    return teams.filter(slug=str(ref)).first()


def member_team(user: User, ref: int | str) -> Team:
    """The caller's team with this id or slug; anything else is 'unknown' (no hint it exists)."""
    team = team_by_ref(Team.objects.filter(pk__in=team_ids_of(user)), ref)
    if team is None:
        raise ApplicationError(
            "Unknown team.", fields={"team": ["No team of yours has this id or slug."]}
        )
    return team
