"""Demo journal for Amara, the person the demo signs in as (a journal is its author's alone, so
only her own entries can be shown): entries in each shipped framework and in one of her own,
one linked to the security incident she reported, one shared on purpose as a named lesson
(decisions/0171), and a weekly reminder she opted in to. Written through the services.

The shared entry is shared with her name, not anonymously: an anonymous share moved to a
fixed demo date could not show the unlinkability that decisions/0010 asks of it."""

from __future__ import annotations

from typing import Any

from learnloop.core.demo import DemoContext, step
from learnloop.core.models import Visibility
from learnloop.journal import services, sharing
from learnloop.journal.models import Entry
from learnloop.lessons.models import Lesson

OWN_FRAMEWORK_NAME = "After a hard conversation"
OWN_FRAMEWORK_DESCRIPTION = "Five minutes after a difficult one-to-one or team talk."
OWN_FRAMEWORK_PROMPTS = [
    "What did I want the other person to take away?",
    "What did they most likely hear? | Their words, not my intentions.",
    "What will I follow up on, and when?",
]

# days ago, framework key (None: her own framework, answered in prompt order "1", "2", ...),
# title, answers, tags, link (an incident's demo key)
ENTRIES: list[tuple[int, str | None, str, dict[str, str], list[str], str]] = [
    (
        61,
        "gibbs",
        "The supplier-portal password alert",
        {
            "description": (
                "A leak-monitoring alert matched the shared supplier-portal account. I changed "
                "the password and we turned on two-step sign-in the same afternoon."
            ),
            "feelings": (
                "Embarrassed at first: I set that account up two years ago and shared the "
                "password by chat because it was quick."
            ),
            "evaluation": (
                "Good: the alert worked and the fix took an hour. Less good: four people relied "
                "on one shared login, so nobody owned it."
            ),
            "analysis": (
                "Shared accounts exist because the portal sold us one seat. The shortcut made "
                "sense then and nobody had a reason to look at it again."
            ),
            "conclusion": "I could have asked the supplier for named accounts at the start.",
            "action_plan": (
                "List every shared login we have and ask each supplier for named accounts."
            ),
        },
        ["security", "accounts"],
        "password_reuse",
    ),
    (
        39,
        "what-so-what-now-what",
        "Tabletop: I did not know who may message the cafés",
        {
            "what": (
                "In the Saturday-outage tabletop the room turned to me to decide who may send "
                "the cafés a message at 05:15. I did not know, and said so after a long pause."
            ),
            "so_what": (
                "Saying 'I don't know' out loud is what unblocked the room: Jonas and Priya "
                "proposed a rule within minutes. I had been waiting to look certain."
            ),
            "now_what": (
                "Say 'I don't know yet' early in an incident, then name who decides. Agree the "
                "out-of-hours sender before the next drill."
            ),
        },
        ["drills", "leadership"],
        "",
    ),
    (
        20,
        "24-hour-rule",
        "The quarterly plan slipped three weeks",
        {
            "learning_1": "I planned the quarter around the team's best weeks, not its typical ones.",
            "learning_2": "Holiday cover at the bakery pulls Platform people into support calls.",
            "learning_3": "Nobody questioned the dates because I presented them as final.",
            "next_step_1": "Plan the next quarter with last quarter's actual pace.",
            "next_step_2": "Share the draft dates as a draft and ask what is missing.",
        },
        ["planning"],
        "",
    ),
    (
        9,
        None,
        "One-to-one with a new on-call engineer",
        {
            "1": (
                "That a page at night they cannot solve alone is a reason to call me, not a test."
            ),
            "2": (
                "'Call if it is serious', which leaves them deciding what serious means at 3 a.m."
            ),
            "3": ("Write down three examples of when to call, and go through them on Thursday."),
        },
        ["on-call", "one-to-one"],
        "",
    ),
    (
        4,
        "tell-myself",
        "Before my first week on call as a manager",
        {
            "situation": "Taking the on-call phone for a week while the team was short.",
            "advice": (
                "Write down what you decide and why while you decide it: by Friday you will not "
                "remember, and the team will want to know."
            ),
        },
        ["on-call"],
        "",
    ),
]
# The learning shared from the tabletop entry, with her name, for the whole organisation.
SHARED = {
    "entry": "Tabletop: I did not know who may message the cafés",
    "statement": (
        "Saying 'I don't know yet' early, and naming who decides, unblocks a room faster than "
        "waiting to look certain."
    ),
    "keys": ["so_what", "now_what"],
    "days_ago": 37,
}
REMINDER_WEEKDAY = 4  # Friday afternoons suit a weekly look back


@step(67)
def journal(ctx: DemoContext) -> None:
    amara = ctx.users["amara"]
    own = services.framework_create(
        actor=amara,
        name=OWN_FRAMEWORK_NAME,
        description=OWN_FRAMEWORK_DESCRIPTION,
        prompts=OWN_FRAMEWORK_PROMPTS,
    )
    made: dict[str, Entry] = {}
    for ago, key, title, answers, tags, link in ENTRIES:
        incident = ctx.extra["incidents"][link] if link else None
        if key is None:  # her framework's prompt keys are made from its questions
            answers = {p["key"]: answers[str(n)] for n, p in enumerate(own.prompts, start=1)}
        entry = services.entry_create(
            actor=amara,
            framework_key=key or own.key,
            title=title,
            answers=answers,
            tags=tags,
            link=f"incident:{incident.pk}" if incident else None,
        )
        when = ctx.at(ago, 18, 30)
        Entry.objects.filter(pk=entry.pk).update(created_at=when, updated_at=when)
        made[title] = entry
    _share(ctx, made[str(SHARED["entry"])])
    services.reminder_set(actor=amara, weekday=REMINDER_WEEKDAY)


def _share(ctx: DemoContext, entry: Entry) -> None:
    shared: dict[str, Any] = SHARED
    lesson = sharing.entry_share(
        actor=ctx.users["amara"],
        entry=entry,
        team_id=ctx.teams["platform"].pk,
        statement=shared["statement"],
        context=sharing.draft_context(entry, shared["keys"]),
        tags=entry.tags,
        visibility=Visibility.ORGANISATION,
        anonymous=False,
    )
    when = ctx.at(shared["days_ago"], 9)
    Lesson.objects.filter(pk=lesson.pk).update(created_at=when, updated_at=when)
