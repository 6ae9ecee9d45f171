"""Share on purpose: the author turns an entry, or part of it, into a library lesson
(decisions/0171).

The lesson is an ordinary lesson of the team the author chooses, with the visibility they
choose. It never carries a link back to the entry: its source is "journal" with no key. A named
share records its lesson on the entry (only the author ever reads the entry). An anonymous share
follows decisions/0010: the lesson has no author, a random id outside the sequence and only a
date; the entry keeps a bare "shared anonymously" mark — no lesson id, and its ``updated_at``
and ``version`` are left as they were, so no time on the entry matches the lesson either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from learnloop.accounts.models import Team, User
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.models import Visibility
from learnloop.core.tags import check_tag_names, parse_tag_names
from learnloop.incidents.services import reporting_teams
from learnloop.journal.models import Entry
from learnloop.lessons import services as lesson_services
from learnloop.lessons.models import CONTEXT_MAX, STATEMENT_MAX, Lesson, SourceKind

SOURCE_LABEL = "A personal reflection"


@dataclass
class SharePreview:
    """Exactly what becomes visible, and to whom."""

    statement: str
    context: str
    team: Team
    visibility: str
    tags: list[str]
    anonymous: bool
    author_name: str
    audience: str
    problems: dict[str, list[str]] = field(default_factory=dict)


def sharing_teams(user: User) -> list[Team]:
    """The teams the author belongs to: a lesson is shared into one of them."""
    return reporting_teams(user)


def first_sentence(text: str) -> str:
    return lesson_services.first_sentence(text)


def draft_context(entry: Entry, keys: Sequence[str] | None = None) -> str:
    """The chosen answers (all when ``keys`` is None) as Markdown, prompt as a heading."""
    parts = [
        f"**{item['label']}**\n\n{item['answer']}"
        for item in entry.answered()
        if keys is None or item["key"] in keys
    ]
    return "\n\n".join(parts)[:CONTEXT_MAX]


def share_preview(
    *,
    actor: User,
    entry: Entry,
    team_id: object,
    statement: str,
    context: str,
    tags: str | Iterable[str] | None,
    visibility: str,
    anonymous: bool,
) -> SharePreview:
    """Check a share and describe what it would show; raises ApplicationError naming fields."""
    if entry.author_id != actor.pk:
        raise NotFound()
    problems: dict[str, list[str]] = {}
    team = next((t for t in sharing_teams(actor) if str(t.pk) == str(team_id)), None)
    if team is None:
        problems["team"] = ["Choose one of your teams."]
    statement = " ".join((statement or "").split())
    context = (context or "").strip()
    if not statement:
        problems["statement"] = ["Write the learning in one short sentence."]
    elif len(statement) > STATEMENT_MAX:
        problems["statement"] = [f"At most {STATEMENT_MAX} characters."]
    if len(context) > CONTEXT_MAX:
        problems["context"] = [f"At most {CONTEXT_MAX} characters."]
    if visibility not in Visibility.values:
        problems["visibility"] = ["Choose the team or the whole organisation."]
    names = parse_tag_names(tags)
    try:
        check_tag_names(names)
    except ApplicationError as exc:
        problems.update(exc.fields)
    if problems or team is None:
        raise ApplicationError("Check what you are about to share.", fields=problems)
    audience = (
        f"everyone in {actor.organisation.name}"
        if visibility == Visibility.ORGANISATION and actor.organisation
        else f"the members of {team.name}"
    )
    return SharePreview(
        statement=statement,
        context=context,
        team=team,
        visibility=visibility,
        tags=names,
        anonymous=anonymous,
        author_name="Anonymous" if anonymous else actor.name,
        audience=audience,
    )


def entry_share(
    *,
    actor: User,
    entry: Entry,
    team_id: object,
    statement: str,
    context: str = "",
    tags: str | Iterable[str] | None = None,
    visibility: str = Visibility.TEAM,
    anonymous: bool = False,
) -> Lesson:
    """Create the lesson the preview described, in one transaction with the entry's mark."""
    preview = share_preview(
        actor=actor,
        entry=entry,
        team_id=team_id,
        statement=statement,
        context=context,
        tags=tags,
        visibility=visibility,
        anonymous=anonymous,
    )
    with transaction.atomic():
        lesson = lesson_services.lesson_create(
            actor=None if anonymous else actor,
            team=preview.team,
            statement=preview.statement,
            context=preview.context,
            tags=preview.tags,
            visibility=preview.visibility,
            source_kind=SourceKind.JOURNAL,
            source_label=SOURCE_LABEL,
            is_anonymous=anonymous,
        )
        marks = Entry.objects.of(actor).filter(pk=entry.pk)
        if anonymous:
            # A bare mark through UPDATE: no lesson id, no new updated_at, no new version.
            marks.update(shared_anonymously=True)
        else:
            marks.update(shared_lesson=lesson)
    return lesson
