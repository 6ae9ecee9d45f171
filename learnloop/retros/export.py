"""A retro as Markdown: its columns and cards (anonymous ones without a name), topics in vote
order with votes and notes, and the actions and lessons that came out of it."""

from __future__ import annotations

from learnloop.retros.board import topics_by_votes, votes_visible
from learnloop.retros.models import Card, Retro, TopicAction


def _line(text: str) -> str:
    return " ".join(text.split())


def retro_markdown(retro: Retro) -> str:
    """The whole retro once cards are revealed; during collect only its heading (blind)."""
    out = [f"# {_line(retro.title)}", ""]
    out.append(f"- Team: {retro.team.name}")
    out.append(f"- Phase: {retro.get_phase_display()}")
    if retro.facilitator is not None:
        out.append(f"- Facilitator: {retro.facilitator.name}")
    if retro.meeting_at:
        out.append(f"- Meeting: {retro.meeting_at:%Y-%m-%d %H:%M} UTC")
    out.append("")
    if retro.phase == "collect":
        out.append("_Cards are hidden until they are revealed._")
        return "\n".join(out) + "\n"
    cards = list(Card.objects.filter(retro=retro).select_related("author"))
    for column in retro.columns:
        out += [f"## {column['title']}", ""]
        mine = [c for c in cards if c.column == column["key"]]
        for card in mine:
            who = "anonymous" if card.is_anonymous else (card.author.name if card.author else "—")
            out.append(f"- {_line(card.text)} ({who})")
        if not mine:
            out.append("- (no cards)")
        out.append("")
    topics = topics_by_votes(retro)
    if topics:
        out += ["## Topics", ""]
        shown = votes_visible(retro)
        for topic in topics:
            texts = [_line(c.text) for c in cards if c.topic_id == topic.pk]
            name = topic.title or (texts[0][:60] if texts else "Topic")
            votes = f" — {topic.vote_count} votes" if shown else ""  # type: ignore[attr-defined]
            out.append(f"### {_line(name)}{votes}")
            out.append("")
            out += [f"- {t}" for t in texts]
            if topic.notes:
                out += ["", _line(topic.notes)]
            out.append("")
    links = list(TopicAction.objects.filter(retro=retro).select_related("action", "action__owner"))
    if links:
        out += ["## Actions", ""]
        for link in links:
            a = link.action
            owner = f", owner {a.owner.name}" if a.owner else ""
            due = f", due {a.due_date:%Y-%m-%d}" if a.due_date else ""
            out.append(f"- {_line(a.title)} ({a.get_status_display().lower()}{owner}{due})")
        out.append("")
    lessons = list(retro.lessons.all())
    if lessons:
        out += ["## Lessons", ""]
        out += [f"- {_line(lesson.statement)}" for lesson in lessons]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
