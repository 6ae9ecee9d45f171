"""The surveys API: open, answer once, results only when they may be shown, the one error shape."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from learnloop.testing.builders import make_survey_answers, make_survey_round

pytestmark = pytest.mark.django_db

SAFEST = {"q1": 1, "q2": 7, "q3": 1, "q4": 7, "q5": 1, "q6": 7, "q7": 7}


def _in_days(days: int) -> str:
    return (timezone.now() + dt.timedelta(days=days)).isoformat()


def test_open_answer_close_and_read_results(client_for, alice, bob, alpha):
    admin = client_for(alice)
    opened = admin.post(
        "/api/surveys/rounds",
        {
            "team": "alpha",
            "closes_at": _in_days(3),
            "extra_questions": ["I can pitch a risky idea."],
        },
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content
    survey_id = opened.json()["id"]
    assert opened.json()["extra_questions"][0]["key"] == "x1"

    answered = client_for(bob).post(
        f"/api/surveys/rounds/{survey_id}/answer",
        {"answers": {**SAFEST, "x1": 6}},
        content_type="application/json",
    )
    assert answered.status_code == 201
    again = client_for(bob).post(
        f"/api/surveys/rounds/{survey_id}/answer",
        {"answers": {**SAFEST, "x1": 6}},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_answered"

    hidden = admin.get(f"/api/surveys/rounds/{survey_id}/results").json()
    assert hidden["shown"] is False and hidden["answers"] is None and hidden["items"] == []

    closed = admin.patch(
        f"/api/surveys/rounds/{survey_id}",
        {"version": 1, "closed": True},
        content_type="application/json",
    )
    assert closed.status_code == 200 and closed.json()["is_open"] is False
    still_hidden = admin.get(f"/api/surveys/rounds/{survey_id}/results").json()
    assert still_hidden["shown"] is False and "Fewer than 5" in still_hidden["reason"]


def test_results_appear_with_five_answers(client_for, alice, alpha):
    survey = make_survey_round(alpha, actor=alice)
    make_survey_answers(survey, [SAFEST] * 5)
    client = client_for(alice)
    client.patch(
        f"/api/surveys/rounds/{survey.pk}",
        {"version": 1, "closed": True},
        content_type="application/json",
    )
    result = client.get(f"/api/surveys/rounds/{survey.pk}/results").json()
    assert result["shown"] is True and result["answers"] == 5 and result["overall_mean"] == 7.0
    assert result["items"][0]["counts"]["1"] == 5


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({**SAFEST, "q2": 0}, "q2"),
        ({**SAFEST, "q4": 8}, "q4"),
        ({"q1": 3}, "q7"),
        ({**SAFEST, "q9": 3}, "q9"),
    ],
)
def test_bad_answers_get_the_one_error_shape_and_count_nothing(
    client_for, alice, bob, alpha, answers, field
):
    survey = make_survey_round(alpha, actor=alice)
    response = client_for(bob).post(
        f"/api/surveys/rounds/{survey.pk}/answer",
        {"answers": answers},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    survey.comment_box.refresh_from_db()
    assert survey.comment_box.answers == 0


def test_opening_refuses_bad_input_clearly(client_for, alice, bob, alpha):
    client = client_for(alice)
    past = client.post(
        "/api/surveys/rounds",
        {"team": "alpha", "closes_at": _in_days(-1)},
        content_type="application/json",
    )
    assert past.status_code == 400 and "closes_at" in past.json()["error"]["fields"]
    far = client.post(
        "/api/surveys/rounds",
        {"team": "alpha", "closes_at": _in_days(200)},
        content_type="application/json",
    )
    assert far.status_code == 400
    member = client_for(bob).post(
        "/api/surveys/rounds",
        {"team": "alpha", "closes_at": _in_days(2)},
        content_type="application/json",
    )
    assert member.status_code == 403
    unknown = client.post(
        "/api/surveys/rounds",
        {"team": "beta", "closes_at": _in_days(2)},
        content_type="application/json",
    )
    assert unknown.status_code == 404


def test_other_teams_see_no_rounds_and_the_aggregate_is_for_org_admins(
    client_for, alice, charlie, mallory, alpha, org
):
    make_survey_round(alpha, actor=alice)
    assert client_for(charlie).get("/api/surveys/rounds").json() == []
    assert client_for(mallory).get("/api/surveys/rounds").json() == []
    assert client_for(alice).get("/api/surveys/organisation").status_code == 404
    assert client_for(mallory).get("/api/surveys/organisation").json() == []


def test_a_closed_round_is_not_reopened_and_a_stale_patch_is_refused(client_for, alice, alpha):
    survey = make_survey_round(alpha, actor=alice)
    client = client_for(alice)
    moved = client.patch(
        f"/api/surveys/rounds/{survey.pk}",
        {"version": 1, "closes_at": _in_days(10)},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["version"] == 2
    stale = client.patch(
        f"/api/surveys/rounds/{survey.pk}",
        {"version": 1, "closed": True},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    client.patch(
        f"/api/surveys/rounds/{survey.pk}",
        {"version": 2, "closed": True},
        content_type="application/json",
    )
    for body in ({"version": 3, "closed": False}, {"version": 3, "closes_at": _in_days(5)}):
        refused = client.patch(
            f"/api/surveys/rounds/{survey.pk}", body, content_type="application/json"
        )
        assert refused.status_code == 400, refused.content
