"""``survey.round_closed``: emitted once when a round closes, early or on time, delivered
signed to a real receiver, and saying nothing about answers (decisions/0180, 0210)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from learnloop.surveys.jobs import announce_closed
from learnloop.surveys.models import SurveyRound
from learnloop.surveys.services import round_close
from learnloop.tasks.worker import run_due_jobs
from learnloop.testing.builders import make_survey_answers, make_survey_round, make_webhook_endpoint

pytestmark = pytest.mark.django_db

SAFE = {"q1": 2, "q2": 6, "q3": 2, "q4": 5, "q5": 3, "q6": 6, "q7": 6}


def test_closing_a_round_early_is_delivered_without_answers_or_counts(
    alice, alpha, http_receiver, django_capture_on_commit_callbacks
) -> None:
    endpoint = make_webhook_endpoint(alpha, url=http_receiver.url, events=["survey.round_closed"])
    survey = make_survey_round(alpha, actor=alice, title="Q4 safety")
    make_survey_answers(survey, [SAFE] * 4)
    with django_capture_on_commit_callbacks(execute=True):
        round_close(actor=alice, survey=survey, version=survey.version)
    with django_capture_on_commit_callbacks(execute=True):
        run_due_jobs()
    http_receiver.wait_for_count(1)
    [request] = http_receiver.requests
    message = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert message["type"] == "survey.round_closed"
    data = message["data"]
    assert set(data) == {
        "id", "url", "team", "visibility", "title", "closes_at", "closed_at", "results_shown"
    }  # fmt: skip
    assert data["id"] == survey.pk and data["title"] == "Q4 safety"
    assert data["results_shown"] is False  # 4 answers: hidden, and no count says so
    assert data["team"] == {"id": alpha.pk, "name": "Alpha", "slug": "alpha"}
    # Searched without the ids and the URL: a database id such as 467 reads ": 4" too.
    body = json.dumps({k: v for k, v in data.items() if k not in {"id", "url", "team"}})
    assert "answers" not in body and '"4"' not in body and ": 4" not in body
    # The job does not announce it again.
    assert announce_closed() == 0
    assert endpoint.deliveries.count() == 1


def test_a_round_whose_time_passes_is_announced_once_by_the_job(alice, alpha) -> None:
    endpoint = make_webhook_endpoint(alpha, events=["survey.round_closed"])
    survey = make_survey_round(alpha, actor=alice)
    make_survey_answers(survey, [SAFE] * 5)
    assert announce_closed() == 0  # still open
    SurveyRound.objects.filter(pk=survey.pk).update(
        closes_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert announce_closed() == 1
    assert announce_closed() == 0
    [delivery] = endpoint.deliveries.all()
    assert delivery.payload["data"]["results_shown"] is True
    assert delivery.payload["data"]["team"]["slug"] == alpha.slug
    # A round that closed long ago (before the look-back) is never announced.
    old = make_survey_round(alpha, actor=alice)
    SurveyRound.objects.filter(pk=old.pk).update(closes_at=timezone.now() - dt.timedelta(days=30))
    assert announce_closed() == 0


def test_another_teams_endpoint_hears_nothing(alice, alpha, beta) -> None:
    endpoint = make_webhook_endpoint(beta, events=["survey.round_closed"])
    survey = make_survey_round(alpha, actor=alice)
    round_close(actor=alice, survey=survey, version=survey.version)
    assert not endpoint.deliveries.exists()
