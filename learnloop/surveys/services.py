"""Writes for surveys: open a round, answer it (once, anonymously), close it, extend it, and
the organisation's minimum number of answers. Decision 0210 is the argument for why an answer
cannot be tied to the person or the time."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from learnloop.accounts.models import Membership, Organisation, Team, User
from learnloop.accounts.visibility import can_manage_team, team_ids_of
from learnloop.core.errors import ApplicationError, NotFound, PermissionDenied
from learnloop.core.models import Visibility
from learnloop.core.validation import clean_text, parse_datetime_in_range, parse_int
from learnloop.core.versioning import claim_version
from learnloop.notifications.delivery import notify
from learnloop.surveys.events import emit_closed
from learnloop.surveys.models import (
    MAX_COMMENT_LENGTH,
    MAX_EXTRA_QUESTIONS,
    MIN_ANSWERS,
    SurveyCommentBox,
    SurveyParticipation,
    SurveyRound,
    SurveyTally,
)
from learnloop.surveys.scale import EDMONDSON_ITEMS, OVERALL, POINTS, overall_bucket

MAX_ROUND_DAYS = 90
MIN_SETTING = "survey_min_answers"


def _fail(field: str, message: str, summary: str = "The survey was not saved.") -> ApplicationError:
    return ApplicationError(summary, fields={field: [message]})


def minimum_answers(organisation: Organisation) -> int:
    """The organisation's minimum number of answers before any score is shown (never below 5)."""
    value = (organisation.settings or {}).get(MIN_SETTING, MIN_ANSWERS)
    return max(MIN_ANSWERS, value if isinstance(value, int) else MIN_ANSWERS)


def minimum_set(*, actor: User, organisation: Organisation, value: Any) -> int:
    """Raise (or lower back towards 5) the organisation's minimum; below 5 is refused."""
    if not actor.is_org_admin or actor.organisation_id != organisation.pk:
        raise PermissionDenied("Only organisation admins set the survey minimum.")
    number = parse_int(value, "minimum_answers", minimum=MIN_ANSWERS, maximum=1000)
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        org.settings = {**(org.settings or {}), MIN_SETTING: number}
        org.save(update_fields=["settings"])
    organisation.settings = org.settings
    return number


def _extra_questions(value: Any) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    lines = value.splitlines() if isinstance(value, str) else value
    if not isinstance(lines, list):
        raise _fail("extra_questions", "Send a list of questions.")
    questions: list[dict[str, Any]] = []
    for raw in lines:
        text = clean_text(raw.get("text") if isinstance(raw, dict) else raw, "extra_questions")
        text = text.strip()
        if not text:
            continue
        if len(text) > 300:
            raise _fail("extra_questions", "Keep each question under 300 characters.")
        reverse = bool(raw.get("reverse")) if isinstance(raw, dict) else False
        questions.append({"key": f"x{len(questions) + 1}", "text": text, "reverse": reverse})
    if len(questions) > MAX_EXTRA_QUESTIONS:
        raise _fail("extra_questions", f"Ask at most {MAX_EXTRA_QUESTIONS} extra questions.")
    return questions


def _question_keys(survey: SurveyRound) -> list[str]:
    return [i.key for i in EDMONDSON_ITEMS] + [q["key"] for q in survey.extra_questions]


def round_open(
    *,
    actor: User,
    team: Team,
    closes_at: Any,
    title: str = "",
    extra_questions: Any = None,
    allow_comments: bool = True,
    visibility: str = Visibility.TEAM,
) -> SurveyRound:
    """Open a round for ``team`` (team admins); one open round per team at a time."""
    if not can_manage_team(actor, team):
        raise (
            NotFound()
            if team.pk not in team_ids_of(actor)
            else PermissionDenied("Only the team's admins open a survey round.")
        )
    closes = parse_datetime_in_range(closes_at, "closes_at")
    now = timezone.now()
    if closes is None:
        raise _fail("closes_at", "Choose when the round closes.")
    if closes <= now:
        raise _fail("closes_at", "Choose a closing time in the future.")
    if closes > now + dt.timedelta(days=MAX_ROUND_DAYS):
        raise _fail("closes_at", f"Close the round within {MAX_ROUND_DAYS} days.")
    if visibility not in Visibility.values:
        raise _fail("visibility", "Choose team or organisation.")
    title = clean_text(title, "title").strip() or "Team psychological safety"
    if len(title) > 200:
        raise _fail("title", "Keep the title under 200 characters.")
    extras = _extra_questions(extra_questions)
    with transaction.atomic():
        survey = SurveyRound.objects.create(
            team=team,
            title=title,
            opened_by=actor,
            closes_at=closes,
            extra_questions=extras,
            allow_comments=bool(allow_comments),
            visibility=visibility,
            eligible_count=Membership.objects.filter(team=team, user__is_active=True).count(),
        )
        # Every counter exists from the start: an answer only ever adds to counters.
        keys = _question_keys(survey) + [OVERALL]
        SurveyTally.objects.bulk_create(
            SurveyTally(round=survey, question=key, point=p) for key in keys for p in POINTS
        )
        SurveyCommentBox.objects.create(round=survey)
        members = User.objects.filter(memberships__team=team)
        notify(
            recipients=members,
            kind="survey",
            text=f"{team.name}: a psychological-safety survey is open until "
            f"{timezone.localtime(closes):%d %b %Y %H:%M}. Answers are anonymous.",
            path=f"/surveys/{survey.pk}/",
            actor=actor,
            key=f"survey-open-{survey.pk}",
        )
    return survey


def _answers(survey: SurveyRound, values: Mapping[str, Any]) -> dict[str, int]:
    answers, problems = {}, {}
    for key in _question_keys(survey):
        raw = values.get(key)
        if raw in (None, ""):
            problems[key] = ["Choose a point from 1 (strongly disagree) to 7 (strongly agree)."]
            continue
        try:
            answers[key] = parse_int(raw, key, minimum=1, maximum=7)
        except ApplicationError:
            problems[key] = ["Choose a whole number from 1 to 7."]
    unknown = [k for k in values if k not in answers and k not in problems and k != "comment"]
    for key in unknown:
        problems[key] = ["This round has no such question."]
    if problems:
        raise ApplicationError("Your answer was not saved.", fields=problems)
    return answers


def round_answer(
    *, actor: User, survey: SurveyRound, values: Mapping[str, Any], comment: Any = ""
) -> None:
    """Record ``actor``'s answer: add one to each chosen counter, maybe add the comment at a
    random place, and mark that ``actor`` has answered. Nothing written names the person next to
    an answer, and nothing written holds a time (decision 0210)."""
    if survey.team_id not in team_ids_of(actor):
        raise NotFound()
    if not survey.is_open:
        raise ApplicationError(
            "This round is closed; answers are no longer taken.",
            code="closed",
            fields={"__all__": ["The round closed; answers are no longer taken."]},
            status=409,
        )
    answers = _answers(survey, values)
    text = clean_text(comment, "comment").strip()
    if text and not survey.allow_comments:
        raise _fail("comment", "This round takes no comments.", "Your answer was not saved.")
    if len(text) > MAX_COMMENT_LENGTH:
        raise _fail(
            "comment",
            f"Keep the comment under {MAX_COMMENT_LENGTH} characters.",
            "Your answer was not saved.",
        )
    items = {i.key: i for i in EDMONDSON_ITEMS}
    bucket = overall_bucket([items[k].score(v) for k, v in answers.items() if k in items])
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(round=survey, user=actor)
            box = SurveyCommentBox.objects.select_for_update().get(round=survey)
            for key, point in [*answers.items(), (OVERALL, bucket)]:
                SurveyTally.objects.filter(round=survey, question=key, point=point).update(
                    count=F("count") + 1
                )
            box.answers += 1
            if text:
                box.comments.insert(secrets.randbelow(len(box.comments) + 1), text)
            box.save(update_fields=["answers", "comments"])
    except IntegrityError:
        raise ApplicationError(
            "You have already answered this round; each person answers once.",
            code="already_answered",
            fields={"__all__": ["You have already answered this round."]},
            status=409,
        ) from None


def round_close(*, actor: User, survey: SurveyRound, version: int) -> SurveyRound:
    """Close a round now. A closed round never reopens: one more answer after results were
    shown would reveal that answer by difference."""
    _require_manager(actor, survey)
    if not survey.is_open:
        raise _fail("__all__", "This round is closed already.", "The round was not changed.")
    with transaction.atomic():
        new_version = claim_version(
            SurveyRound, pk=survey.pk, version=version, message="The round changed meanwhile."
        )
        survey.closed_early_at = timezone.now()
        survey.version = new_version
        survey.save(update_fields=["closed_early_at", "version", "updated_at"])
        emit_closed(survey)
    return survey


def round_extend(*, actor: User, survey: SurveyRound, closes_at: Any, version: int) -> SurveyRound:
    """Move the closing time of an open round; a closed round cannot be reopened."""
    _require_manager(actor, survey)
    if not survey.is_open:
        raise _fail(
            "closes_at",
            "A closed round cannot be reopened: a late answer would show by difference.",
            "The round was not changed.",
        )
    closes = parse_datetime_in_range(closes_at, "closes_at")
    now = timezone.now()
    if closes is None or closes <= now:
        raise _fail(
            "closes_at", "Choose a closing time in the future.", "The round was not changed."
        )
    if closes > survey.created_at + dt.timedelta(days=MAX_ROUND_DAYS):
        raise _fail(
            "closes_at",
            f"A round lasts at most {MAX_ROUND_DAYS} days from opening.",
            "The round was not changed.",
        )
    with transaction.atomic():
        survey.version = claim_version(
            SurveyRound, pk=survey.pk, version=version, message="The round changed meanwhile."
        )
        survey.closes_at = closes
        survey.save(update_fields=["closes_at", "version", "updated_at"])
    return survey


def _require_manager(actor: User, survey: SurveyRound) -> None:
    if not can_manage_team(actor, survey.team):
        if survey.team_id in team_ids_of(actor):
            raise PermissionDenied("Only the team's admins manage a survey round.")
        raise NotFound()


def has_answered(user: User, survey: SurveyRound) -> bool:
    return SurveyParticipation.objects.filter(round=survey, user=user).exists()


def answered_rounds(user: User, rounds: Sequence[SurveyRound]) -> set[int]:
    ids = [r.pk for r in rounds]
    return set(
        SurveyParticipation.objects.filter(user=user, round_id__in=ids).values_list(
            "round_id", flat=True
        )
    )
