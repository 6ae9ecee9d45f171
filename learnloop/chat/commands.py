"""The ``/learnloop`` slash command: what each subcommand does and answers, in Slack's JSON
reply format (decisions/0181). Fast work is done here (within Slack's 3 seconds); finding
related lessons goes to the job queue and answers through the response URL."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from learnloop.accounts.models import Team, User
from learnloop.chat.models import SlackLink, SlackWorkspace
from learnloop.chat.services import link_token
from learnloop.core.errors import ApplicationError
from learnloop.core.urls_util import absolute_url
from learnloop.incidents.services import incident_create, reporting_teams
from learnloop.tasks.registry import enqueue

HELP = (
    "*/learnloop* files reports and finds lessons without leaving Slack.\n"
    "• `/learnloop report <title> | <what happened>`: file a report (add `#team` first "
    "if you are in several teams).\n"
    "• `/learnloop anon <title> | <what happened>`: file it anonymously.\n"
    "• `/learnloop lessons <words>`: the lessons most related to those words.\n"
    "• `/learnloop help`: this help."
)
ANON_NOTE = (
    "Learnloop stored nothing that links this report to you: no name, no Slack id, only the "
    "date. *Slack itself still knows who typed this command* (its logs and exports can show "
    "it), so for full anonymity use the report page in Learnloop."
)


def reply(text: str, *, public: bool = False) -> dict[str, Any]:
    return {"response_type": "in_channel" if public else "ephemeral", "text": text}


def _link_reply(workspace: SlackWorkspace, form: dict[str, str]) -> dict[str, Any]:
    token = link_token(workspace, form.get("user_id", ""), form.get("user_name", ""))
    url = absolute_url(reverse("chat:link", args=[token]))
    return reply(
        "Learnloop does not know your Slack account yet. Link it once (you sign in to "
        f"Learnloop and confirm): <{url}|link my account>. The link works for 30 minutes."
    )


def _member(workspace: SlackWorkspace, slack_user_id: str) -> User | None:
    link = (
        SlackLink.objects.filter(workspace=workspace, slack_user_id=slack_user_id)
        .select_related("user")
        .first()
    )
    if link is None or not link.user.is_active:
        return None
    if link.user.organisation_id != workspace.organisation_id:
        return None
    return link.user


def _team_for(workspace: SlackWorkspace, user: User, slug: str | None) -> Team | str:
    """The team to report to, or the reply that says why there is none."""
    teams = reporting_teams(user)
    if slug:
        team = next((t for t in teams if t.slug == slug), None)
        return team or f"You are not in a team called #{slug}."
    if len(teams) == 1:
        return teams[0]
    default = next((t for t in teams if t.pk == workspace.default_team_id), None)
    if default is not None:
        return default
    if not teams:
        return "Join a team in Learnloop first: reports belong to a team."
    names = ", ".join(f"#{t.slug}" for t in teams)
    return f"You are in several teams ({names}): name one first, e.g. `report #{teams[0].slug} …`."


def _report(workspace: SlackWorkspace, user: User, rest: str, *, anonymous: bool) -> dict[str, Any]:
    slug = None
    if rest.startswith("#"):
        slug, _, rest = rest[1:].partition(" ")
    title, bar, what = rest.partition("|")
    title, what = title.strip(), what.strip()
    verb = "anon" if anonymous else "report"
    if not bar or not title or not what:
        return reply(f"Write it as `/learnloop {verb} <title> | <what happened>`.")
    team = _team_for(workspace, user, slug)
    if isinstance(team, str):
        return reply(team)
    try:
        incident = incident_create(
            actor=user, title=title, description=what, team=team, anonymous=anonymous
        )
    except ApplicationError as exc:
        problems = [m for messages in exc.fields.values() for m in messages] or [exc.message]
        return reply("Not filed: " + " ".join(problems))
    if anonymous:
        # No link and no id: Slack keeps this reply, and an id would tie the report to you.
        return reply(f"Thank you. Your report is filed anonymously for {team.name}. {ANON_NOTE}")
    url = absolute_url(reverse("incidents:detail", args=[incident.pk]))
    return reply(f"Thank you for reporting. Filed for {team.name}: <{url}|{incident.title}>")


def _lessons(user: User, words: str, response_url: str) -> dict[str, Any]:
    if not words:
        return reply("Write some words to look for, e.g. `/learnloop lessons certificate expiry`.")
    enqueue(
        "chat.related_lessons",
        args={"user_id": user.pk, "words": words[:500], "response_url": response_url},
        max_attempts=3,
    )
    return reply(f"Looking for lessons about “{words[:200]}”…")


def handle(workspace: SlackWorkspace, form: dict[str, str]) -> dict[str, Any]:
    """The reply to one verified command."""
    sub, _, rest = form.get("text", "").strip().partition(" ")
    sub, rest = sub.lower(), rest.strip()
    if sub not in ("report", "anon", "lessons"):
        return reply(HELP)
    user = _member(workspace, form.get("user_id", ""))
    if user is None:
        return _link_reply(workspace, form)
    if sub == "lessons":
        return _lessons(user, rest, form.get("response_url", ""))
    return _report(workspace, user, rest, anonymous=sub == "anon")
