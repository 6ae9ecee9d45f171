"""The checks every review write starts with: the actor is a member of the team, and all field
problems are raised together as one :class:`ApplicationError`.
"""

from __future__ import annotations

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.core.errors import ApplicationError, PermissionDenied

TITLE_MAX = 200


def title_errors(title: str) -> list[str]:
    """A review title (already trimmed): given and at most TITLE_MAX characters."""
    if not title:
        return ["Give the review a title."]
    if len(title) > TITLE_MAX:
        return [f"At most {TITLE_MAX} characters."]
    return []


def raise_field_errors(
    errors: dict[str, list[str]], message: str = "Please correct the marked fields."
) -> None:
    if errors:
        raise ApplicationError(message, fields=errors)


def require_member(actor: User, team: Team) -> None:
    if team.pk not in team_ids_of(actor):
        raise PermissionDenied("Only members of the team write its reviews.")
