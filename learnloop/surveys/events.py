"""The ``survey.round_closed`` event (decisions/0180, 0210; docs/integrations.md).

A round closes early (a team admin closes it: emitted in that transaction) or when its closing
time passes (the hourly job ``surveys.announce_closed`` emits it, once). The payload says that
the round closed and whether its results may be seen, never what anybody answered, how many
answered, or any score: receivers read results, if at all, from the round's page or the API,
where the rules of decision 0210 apply."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from learnloop.core.events import emit
from learnloop.core.urls_util import absolute_url
from learnloop.surveys.models import SurveyCommentBox, SurveyRound

ROUND_CLOSED = "survey.round_closed"


def round_payload(survey: SurveyRound) -> dict[str, Any]:
    from learnloop.surveys.services import minimum_answers

    team = survey.team
    answers = (
        SurveyCommentBox.objects.filter(round=survey).values_list("answers", flat=True).first()
    ) or 0
    return {
        "id": survey.pk,
        "url": absolute_url(reverse("surveys:detail", args=[survey.pk])),
        "team": {"id": team.pk, "slug": team.slug, "name": team.name},
        "visibility": survey.visibility,
        "title": survey.title,
        "closes_at": survey.closes_at.isoformat(),
        "closed_at": survey.closed_at.isoformat(),
        # Whether the round's page shows scores: no count, no score, no answer.
        "results_shown": answers >= minimum_answers(team.organisation),
    }


def emit_closed(survey: SurveyRound) -> None:
    """Call in the transaction that closed ``survey``; marks it announced."""
    SurveyRound.objects.filter(pk=survey.pk).update(closed_announced=True)
    emit(
        ROUND_CLOSED,
        team_id=survey.team_id,
        visibility=survey.visibility,
        build=lambda: round_payload(survey),
    )
