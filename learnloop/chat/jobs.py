"""Chat jobs: the related lessons answered through Slack's response URL, and purging the
replay guard (decisions/0181)."""

from __future__ import annotations

import datetime as dt

from learnloop.accounts.models import User
from learnloop.chat.slack import post_response, purge_seen
from learnloop.core.urls_util import absolute_url
from learnloop.search.selectors import Result, related, search
from learnloop.tasks.registry import job

LESSONS_SHOWN = 5


def top_lessons(user: User, words: str) -> list[Result]:
    """The related engine's lessons first (same failure mechanism); short queries rarely reach
    its confidence threshold, so full-text matches of lessons fill the rest. Both go through
    the visibility rule."""
    found = [r for r in related(user, words, words, limit=30) if r.kind == "lesson"]
    if len(found) < LESSONS_SHOWN:
        seen = {r.object_id for r in found}
        matches = search(user, words, {"kinds": ["lesson"]}).results
        found += [r for r in matches if r.object_id not in seen]
    return [r for r in found if r.url][:LESSONS_SHOWN]


def lessons_message(user: User, words: str) -> dict[str, object]:
    results = top_lessons(user, words)
    if not results:
        text = f"No lessons related to “{words[:200]}” yet."
    else:
        lines = [f"• <{absolute_url(r.url or '')}|{r.title[:150]}> ({r.team})" for r in results]
        text = f"Lessons related to “{words[:200]}”:\n" + "\n".join(lines)
    return {"response_type": "ephemeral", "replace_original": True, "text": text}


@job("chat.related_lessons")
def related_lessons(user_id: int, words: str, response_url: str) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    post_response(response_url, lessons_message(user, words))


@job("chat.purge_seen", every=dt.timedelta(minutes=10))
def purge_seen_requests() -> int:
    return purge_seen()
