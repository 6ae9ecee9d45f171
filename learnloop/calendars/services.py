"""Creating, replacing and revoking calendar feed secrets: always the actor's own feeds."""

from __future__ import annotations

from django.db import transaction

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.calendars.models import CalendarFeed
from learnloop.core.errors import NotFound


def _check_team(actor: User, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    if team_id not in team_ids_of(actor):
        raise NotFound("No such team.")
    return Team.objects.get(pk=team_id)


def feed_regenerate(*, actor: User, team_id: int | None = None) -> CalendarFeed:
    """Create the feed, or give it a new secret so the old URL stops working at once."""
    team = _check_team(actor, team_id)
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            user=actor, team=team, defaults={"secret": CalendarFeed.new_secret()}
        )
        if not created:
            feed.secret = CalendarFeed.new_secret()
            feed.save(update_fields=["secret", "updated_at"])
    return feed


def feed_revoke(*, actor: User, team_id: int | None = None) -> bool:
    """Delete the feed (its URL answers 404 from now on); False when there was none."""
    team = _check_team(actor, team_id)
    deleted, _ = CalendarFeed.objects.filter(user=actor, team=team).delete()
    return deleted > 0
