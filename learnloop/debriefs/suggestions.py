"""Before you start: what this team, the people on a deliverable and other teams already
learned about it, from the one related-suggestions engine (its threshold and its "why").

Suggestions are grouped: "written by people on it" first (lessons, reviews and debrief entries
whose author is on the deliverable, whatever their team), then the rest of "this team", then
"other teams". Incidents are grouped by team only: a report never names its reporter here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from learnloop.accounts.models import User
from learnloop.accounts.visibility import team_ids_of
from learnloop.debriefs.models import DebriefEntry, Deliverable
from learnloop.lessons.models import LessonApplication, TargetKind
from learnloop.search import selectors as search
from learnloop.search.sync import model_for

LIMIT = 9
#: The attribute naming who wrote each kind of suggestion (incidents: never).
AUTHOR_FIELD = {"lesson": "created_by_id", "review": "created_by_id", "entry": "author_id"}


@dataclass
class Suggestion:
    result: search.Result
    author: str = ""
    applied: bool = False


@dataclass
class Groups:
    people: list[Suggestion] = field(default_factory=list)
    team: list[Suggestion] = field(default_factory=list)
    others: list[Suggestion] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.people or self.team or self.others)


def _facts(user: User, results: list[search.Result]) -> dict[tuple[str, int], tuple[int, Any]]:
    """(kind, id) → (team id, author id or None), one query per kind, through visibility."""
    out: dict[tuple[str, int], tuple[int, Any]] = {}
    by_kind: dict[str, list[int]] = {}
    for r in results:
        by_kind.setdefault(r.kind, []).append(r.object_id)
    for kind, ids in by_kind.items():
        author = AUTHOR_FIELD.get(kind)
        columns = ["pk", "team_id", *([author] if author else [])]
        rows = model_for(kind).objects.visible_to(user).filter(pk__in=ids).values_list(*columns)
        for row in rows:
            out[(kind, row[0])] = (row[1], row[2] if author else None)
    return out


def before_you_start(*, user: User, deliverable: Deliverable, people: list[User]) -> Groups:
    """Grouped related suggestions for ``deliverable`` (its own entries are never suggested)."""
    stamp = deliverable.updated_at.timestamp() if deliverable.updated_at else ""
    scope = ",".join(str(t) for t in sorted(team_ids_of(user)))
    key = f"before-you-start:v1:{deliverable.pk}:{stamp}:{user.organisation_id}:{scope}"
    own_entries = DebriefEntry.objects.filter(deliverable=deliverable).values_list("pk", flat=True)
    exclude: list[tuple[str, Any]] = [("deliverable", deliverable.pk)]
    exclude += [("entry", pk) for pk in own_entries]
    results = search.related(
        user, deliverable.title, deliverable.description, exclude, limit=LIMIT, cache_key=key
    )
    facts = _facts(user, results)
    names = {p.pk: p.name for p in people}
    applied = set(
        LessonApplication.objects.filter(
            target_kind=TargetKind.DELIVERABLE, target_id=deliverable.pk
        ).values_list("lesson_id", flat=True)
    )
    groups = Groups()
    for r in results:
        team_id, author_id = facts.get((r.kind, r.object_id), (None, None))
        if team_id is None:
            continue
        item = Suggestion(
            result=r,
            author=names.get(author_id, "") if author_id is not None else "",
            applied=r.kind == "lesson" and r.object_id in applied,
        )
        if item.author:
            groups.people.append(item)
        elif team_id == deliverable.team_id:
            groups.team.append(item)
        else:
            groups.others.append(item)
    return groups
