"""Test builders: the one place tests make organisations, people, incidents, reviews, lessons,
actions, deliverables and debrief entries.

Plain functions, no factory library: the first argument is the owner (team or organisation),
everything else is keyword-only with a default a test rarely needs to change; pass any model
field as an extra keyword (``started_at=...``, ``is_anonymous=True``). Every app's tests and
the e2e seed scripts import them from here (``learnloop.testing`` sits outside ``core`` because
it imports domain apps).

Which path each builder takes:

* ``make_lesson`` goes through ``lessons.services.lesson_create`` (validation, tags, the search
  hooks), so a lesson is built the way the product builds it.
* ``make_incident``, ``make_review`` and ``make_action`` use the ORM: their services need an
  acting member and add noise a test of something else does not want (the report rate limit,
  version history, template copying, reminders, notifications); tests that exercise those go
  through the service or the API themselves.
* ``make_user``, ``make_organisation``, ``make_team`` use the ORM: ``accounts.services``
  creates people through invitations and sign-up, which tests of accounts cover directly.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from learnloop.accounts.models import Membership, Organisation, Role, Team, User
from learnloop.actions.models import Action
from learnloop.chat.models import SlackWorkspace
from learnloop.core.models import Visibility
from learnloop.debriefs.models import DebriefEntry, Deliverable, EntryKind
from learnloop.drills.models import Campaign, Drill
from learnloop.experiments.models import Experiment
from learnloop.incidents.models import Incident
from learnloop.journal import services as journal_services
from learnloop.journal.models import Entry
from learnloop.lessons import services as lesson_services
from learnloop.lessons.models import Lesson
from learnloop.retros.models import Card, Retro, RetroFormat
from learnloop.reviews.models import Learning, Review, Status
from learnloop.surveys.models import SurveyRound
from learnloop.transcripts.models import Transcript
from learnloop.webhooks.models import Endpoint

PASSWORD = "correct-horse-battery-staple"

SUMMARY_SECTION: dict[str, Any] = {
    "key": "summary",
    "title": "Summary",
    "type": "rich_text",
    "min_count": 0,
}


def make_organisation(*, name: str = "Acme", slug: str | None = None) -> Organisation:
    return Organisation.objects.create(name=name, slug=slug or name.lower().replace(" ", "-"))


def make_team(organisation: Organisation, *, name: str = "Alpha", slug: str | None = None) -> Team:
    return Team.objects.create(
        organisation=organisation, name=name, slug=slug or name.lower().replace(" ", "-")
    )


def make_user(
    email: str,
    organisation: Organisation | None,
    *,
    team: Team | None = None,
    role: str = Role.MEMBER,
    password: str = PASSWORD,
    **fields: Any,
) -> User:
    """A person of ``organisation`` (``None``: an operator) who signs in with ``password``;
    a member of ``team`` with ``role`` when a team is given."""
    fields.setdefault("display_name", email.split("@")[0].title())
    user = User(email=email, username=email, organisation=organisation, **fields)
    user.set_password(password)
    user.save()
    if team is not None:
        Membership.objects.create(user=user, team=team, role=role)
    return user


def make_incident(
    team: Team,
    *,
    title: str = "Checkout timed out",
    description: str = "Payments were slow.",
    reporter: User | None = None,
    visibility: str = Visibility.TEAM,
    **fields: Any,
) -> Incident:
    return Incident.objects.create(
        team=team,
        title=title,
        description=description,
        reporter=reporter,
        visibility=visibility,
        **fields,
    )


def make_review(
    team: Team,
    *,
    title: str = "Checkout outage, 3 March",
    status: str = Status.DRAFT,
    sections: list[dict[str, Any]] | None = None,
    content: dict[str, Any] | None = None,
    learnings: Iterable[str] = (),
    visibility: str = Visibility.TEAM,
    **fields: Any,
) -> Review:
    """A review with one summary section (``sections=[]`` for none) and its ``learnings``."""
    review = Review.objects.create(
        team=team,
        title=title,
        status=status,
        sections=[SUMMARY_SECTION] if sections is None else sections,
        content={"summary": "Payments failed for 20 minutes."} if content is None else content,
        visibility=visibility,
        **fields,
    )
    for position, text in enumerate(learnings):
        Learning.objects.create(review=review, text=text, position=position)
    return review


def make_lesson(
    team: Team,
    *,
    statement: str = "Check expiry dates a month ahead.",
    visibility: str = Visibility.TEAM,
    actor: User | None = None,
    **fields: Any,
) -> Lesson:
    """A lesson through ``lesson_create``; ``fields`` are its other arguments (``context``,
    ``tags``, ``review``, ...)."""
    return lesson_services.lesson_create(
        actor=actor, team=team, statement=statement, visibility=visibility, **fields
    )


def make_action(
    team: Team,
    *,
    title: str = "Alert a month before certificates expire",
    status: str = Action.Status.OPEN,
    due_date: dt.date | None = None,
    **fields: Any,
) -> Action:
    return Action.objects.create(team=team, title=title, status=status, due_date=due_date, **fields)


def make_survey_round(team: Team, *, actor: User, days: int = 7, **fields: Any) -> SurveyRound:
    """An open psychological-safety round through the service (counters created as in use)."""
    from learnloop.surveys.services import round_open

    closes = timezone.now() + dt.timedelta(days=days)
    return round_open(actor=actor, team=team, closes_at=closes, **fields)


def make_survey_answers(
    survey: SurveyRound, answers: list[dict[str, int]], **fields: Any
) -> list[User]:
    """``len(answers)`` new members of the round's team each answer once (through the service);
    returns them. ``answers[i]`` maps q1..q7 (and extra keys) to 1..7."""
    from learnloop.surveys.services import round_answer

    people = []
    for values in answers:
        person = make_user(
            f"member{secrets.token_hex(4)}@example.com", survey.team.organisation, team=survey.team
        )
        round_answer(actor=person, survey=survey, values=values, **fields)
        people.append(person)
    return people


def make_deliverable(
    team: Team,
    *,
    title: str = "Checkout redesign",
    owner: User | None = None,
    collaborators: Iterable[User] = (),
    status: str = Deliverable.Status.ACTIVE,
    visibility: str = Visibility.TEAM,
    **fields: Any,
) -> Deliverable:
    """A deliverable through the ORM; the owner and ``collaborators`` are on it."""
    from django.utils import timezone

    deliverable = Deliverable.objects.create(
        team=team,
        title=title,
        owner=owner,
        status=status,
        visibility=visibility,
        last_activity_at=timezone.now(),
        **fields,
    )
    deliverable.collaborators.set([*collaborators, *([owner] if owner else [])])
    return deliverable


def make_entry(
    deliverable: Deliverable,
    *,
    author: User | None = None,
    kind: str = EntryKind.WIN,
    text: str = "The feature flag let us ship on Tuesday without a freeze.",
    **fields: Any,
) -> DebriefEntry:
    """A debrief entry through the ORM (team and visibility follow the deliverable)."""
    return DebriefEntry.objects.create(
        deliverable=deliverable, author=author, kind=kind, text=text, **fields
    )


def make_journal_entry(
    author: User,
    *,
    framework_key: str = "what-so-what-now-what",
    answers: dict[str, str] | None = None,
    **fields: Any,
) -> Entry:
    """An entry through ``journal.services.entry_create`` (its author is the owner)."""
    return journal_services.entry_create(
        actor=author,
        framework_key=framework_key,
        answers={"what": "I skipped the checklist."} if answers is None else answers,
        **fields,
    )


def make_drill(
    team: Team,
    *,
    title: str = "Phishing simulation, December",
    kind: str = "phishing_simulation",
    planned_for: dt.date | None = None,
    visibility: str = Visibility.TEAM,
    **fields: Any,
) -> Drill:
    return Drill.objects.create(
        team=team,
        title=title,
        kind=kind,
        planned_for=planned_for or dt.date(2026, 12, 1),
        visibility=visibility,
        **fields,
    )


def make_campaign(
    team: Team,
    *,
    name: str = "Parcel notice",
    ran_on: dt.date | None = None,
    reported: int = 6,
    clicked: int = 2,
    ignored: int = 12,
    visibility: str = Visibility.TEAM,
    **fields: Any,
) -> Campaign:
    return Campaign.objects.create(
        team=team,
        name=name,
        kind=fields.pop("kind", "phishing"),
        ran_on=ran_on or dt.date(2026, 11, 1),
        reported=reported,
        clicked=clicked,
        ignored=ignored,
        visibility=visibility,
        **fields,
    )


def make_webhook_endpoint(
    team: Team | None,
    *,
    url: str = "http://127.0.0.1:9/hook",
    events: Iterable[str] = ("incident.reported",),
    organisation: Organisation | None = None,
    **fields: Any,
) -> Endpoint:
    """An endpoint for ``team`` (None: ``organisation``'s), with a fresh secret in ``secret``."""
    from learnloop.webhooks.services import new_secret

    org = organisation if organisation is not None else team.organisation  # type: ignore[union-attr]
    fields.setdefault("secret", new_secret())
    return Endpoint.objects.create(
        organisation=org, team=team, url=url, events=sorted(events), **fields
    )


def make_slack_workspace(
    organisation: Organisation,
    *,
    slack_team_id: str = "T0TESTWS",
    signing_secret: str = "8f742231b10e8888abcd99yyyzzz85a5",
    **fields: Any,
) -> SlackWorkspace:
    return SlackWorkspace.objects.create(
        organisation=organisation,
        slack_team_id=slack_team_id,
        signing_secret=signing_secret,
        **fields,
    )


def make_experiment(
    team: Team,
    *,
    title: str = "Self-serve onboarding halves setup calls",
    hypothesis: str = "new customers can set up without a call",
    test: str = "offer the self-serve guide to the next 20 sign-ups",
    metric: str = "setup calls booked",
    success_criterion: str = "fewer than 10 of 20 book a call",
    **fields: Any,
) -> Experiment:
    """A test card through the ORM (a draft unless ``state`` says otherwise); tests of the
    approval path go through ``experiments.approvals`` themselves."""
    return Experiment.objects.create(
        team=team,
        title=title,
        hypothesis=hypothesis,
        test=test,
        metric=metric,
        success_criterion=success_criterion,
        **fields,
    )


def make_retro(
    team: Team,
    *,
    title: str = "Sprint 12 retro",
    facilitator: User | None = None,
    format_slug: str = "start-stop-continue",
    participants: Iterable[User] = (),
    **fields: Any,
) -> Retro:
    """A retro through the ORM (collect phase), with a shipped format's columns copied."""
    fmt = RetroFormat.objects.get(slug=format_slug, is_shipped=True)
    retro = Retro.objects.create(
        team=team,
        title=title,
        format=fmt,
        columns=list(fmt.columns),
        facilitator=facilitator,
        **fields,
    )
    people = {p.pk for p in participants} | ({facilitator.pk} if facilitator else set())
    retro.participants.set(people)
    return retro


def make_card(
    retro: Retro,
    *,
    text: str = "Deploys wait for one reviewer",
    column: str | None = None,
    author: User | None = None,
    **fields: Any,
) -> Card:
    card = Card(
        retro=retro, text=text, column=column or retro.columns[0]["key"], author=author, **fields
    )
    card.save()
    return card


#: A short meeting: Ana speaks 0:00-0:30 and 0:50-1:10, Ben 0:30-0:40 and 1:10-1:18, Cleo
#: 0:38-0:50 (starting before Ben has finished). Hand-computed numbers in
#: learnloop/transcripts/tests/test_analysis.py.
MEETING_VTT = """WEBVTT

1
00:00:00.000 --> 00:00:20.000
<v Ana Lima>We started the rollout at nine.</v>

2
00:00:20.000 --> 00:00:30.000
<v Ana Lima>The canary looked fine.</v>

3
00:00:30.000 --> 00:00:40.000
Ben Okafor: The dashboard lagged by ten minutes.

NOTE Cleo joins here

4
00:00:38.000 --> 00:00:50.000
<v Cleo>Sorry, which dashboard?</v>

5
00:00:50.000 --> 00:01:10.000
<v Ana Lima>The latency one.</v>

6
00:01:10.000 --> 00:01:18.000
Ben Okafor: Right, that one.
"""


def make_transcript(
    team: Team,
    *,
    actor: User,
    vtt: str = MEETING_VTT,
    participants: Iterable[User] = (),
    **fields: Any,
) -> Transcript:
    """A meeting's turn-taking analysed through the service, as the facilitator ``actor``
    uploads it; ``participants`` may see it besides ``actor``."""
    from learnloop.transcripts.services import transcript_analyse

    return transcript_analyse(
        actor=actor,
        team=team,
        data=vtt,
        participant_ids=[p.pk for p in participants],
        **fields,
    )
