"""An answer is unlinkable: after a signed-in person answers through the real view (with a
session, an IP address and a user agent), the rows the request created or changed hold no time,
and the only row naming the person says "has answered" and nothing else (decision 0210)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.utils import timezone

from learnloop.incidents.tests.test_anonymous import dump_database, user_foreign_key_columns
from learnloop.surveys.models import SurveyParticipation
from learnloop.testing.builders import PASSWORD, make_survey_round

pytestmark = pytest.mark.django_db

IP = "203.0.113.78"
ANSWER = {"q1": 2, "q2": 6, "q3": 3, "q4": 5, "q5": 1, "q6": 7, "q7": 6}


def test_an_answer_leaves_nothing_that_ties_it_to_the_person_or_the_time(alice, bob, alpha, caplog):
    survey = make_survey_round(alpha, actor=alice)
    client = Client(REMOTE_ADDR=IP)
    assert client.post("/login/", {"username": bob.email, "password": PASSWORD}).status_code == 302
    client.get(f"/surveys/{survey.pk}/", REMOTE_ADDR=IP)
    session_key = client.session.session_key

    before = dump_database()
    now = timezone.now()
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            f"/surveys/{survey.pk}/answer/",
            {**ANSWER, "comment": "Reviews feel rushed."},
            REMOTE_ADDR=IP,
            HTTP_USER_AGENT="Mozilla/5.0 bob-laptop",
        )
    after = dump_database()
    assert response.status_code == 200

    changed = {key: row for key, row in after.items() if before.get(key) != row}
    tables = {table for table, _ in changed}
    assert tables == {
        "surveys_surveyparticipation",
        "surveys_surveytally",
        "surveys_surveycommentbox",
        "web_pageversion",  # the page cache's data version: a counter, no time (decision 0076)
    }, "an answer writes counters, the comment box and the has-answered mark, nothing else"
    for (table, _), record in changed.items():
        if table == "web_pageversion":
            assert [column for column, _ in record] == ["scope", "counter"]

    (mark,) = [row for (table, _), row in changed.items() if table == "surveys_surveyparticipation"]
    assert [column for column, _ in mark] == ["id", "round_id", "user_id"]  # no time, no answer
    assert SurveyParticipation.objects.get(user=bob).pk < 0  # a random id, not a sequence

    hhmm = {f"{now:%H:%M}", f"{timezone.localtime(now):%H:%M}"}
    forbidden = {
        "email": bob.email,
        "name": bob.name,
        "session key": session_key,
        "IP address": IP,
        "user agent": "bob-laptop",
        **{f"time {t}": t for t in hhmm},
    }
    user_fks = user_foreign_key_columns()
    for (table, _), record in changed.items():
        for column, value in record:
            for what, needle in forbidden.items():
                assert needle not in str(value), f"{what} found in {table}.{column}"
            if (table, column) in user_fks and table != "surveys_surveyparticipation":
                assert value != bob.pk, f"the person's id is in {table}.{column}"
    # The counters and the comment box carry no person and no time at all.
    for table in ("surveys_surveytally", "surveys_surveycommentbox"):
        assert not {c for t, c in user_fks if t == table}
    # Exactly one counter per question went up, to the chosen point.
    raised = sorted(
        (dict(row)["question"], dict(row)["point"])
        for (table, _), row in changed.items()
        if table == "surveys_surveytally"
    )
    # Scores 8-2, 6, 8-3, 5, 8-1, 7, 6: mean 42 / 7 = 6.0, counted in the overall 6 bucket.
    assert raised == sorted([*ANSWER.items(), ("overall", 6)])

    log_text = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    for what, needle in {**forbidden, "user id": f"user {bob.pk}"}.items():
        if not what.startswith("time"):
            assert needle not in log_text, f"{what} found in the logs"


def test_comments_are_stored_in_random_order_with_no_author(alice, alpha):
    """Forty rounds, two comments each, written in the same order: the stored order must
    not follow the writing order (it is random; each order turns up)."""
    from learnloop.surveys.services import round_answer
    from learnloop.testing.builders import make_user

    first = make_user("first@example.com", alpha.organisation, team=alpha)
    second = make_user("second@example.com", alpha.organisation, team=alpha)
    orders = set()
    for _ in range(40):
        survey = make_survey_round(alpha, actor=alice)
        round_answer(actor=first, survey=survey, values=ANSWER, comment="one")
        round_answer(actor=second, survey=survey, values=ANSWER, comment="two")
        survey.comment_box.refresh_from_db()
        orders.add(tuple(survey.comment_box.comments))
        survey.closed_early_at = timezone.now()
        survey.save(update_fields=["closed_early_at"])
    assert orders == {("one", "two"), ("two", "one")}
