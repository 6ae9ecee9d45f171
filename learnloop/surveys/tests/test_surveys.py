"""Surveys through the web views and services: opening, answering once, the rules that hide
results (open, too few answers, comments under 10), no reopening, the organisation aggregate
that cannot be differenced, and 404 for other teams and organisations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from learnloop.accounts.models import Role
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.surveys import selectors, services
from learnloop.surveys.models import SurveyRound
from learnloop.testing.builders import make_survey_answers, make_survey_round, make_user

pytestmark = pytest.mark.django_db

ALL_AGREE = {f"q{i}": 7 for i in range(1, 8)}
# Agreeing with the positive items and disagreeing with the negative ones (1, 3, 5): score 7.
SAFEST = {"q1": 1, "q2": 7, "q3": 1, "q4": 7, "q5": 1, "q6": 7, "q7": 7}


def _close(survey: SurveyRound, actor) -> SurveyRound:
    return services.round_close(actor=actor, survey=survey, version=survey.version)


def _answers(n: int, values: dict[str, int] | None = None) -> list[dict[str, int]]:
    return [dict(values or ALL_AGREE) for _ in range(n)]


def test_a_team_admin_opens_a_round_and_a_member_answers_once(client_for, alice, bob, alpha):
    client = client_for(alice)
    closes = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/surveys/new/", {"team": "alpha", "closes_at": closes, "allow_comments": "on"}
    )
    assert response.status_code == 302
    survey = SurveyRound.objects.get()
    page = client_for(bob).get(f"/surveys/{survey.pk}/").content.decode()
    assert "It is safe to take a risk on this team." in page and 'name="q7"' in page

    answered = client_for(bob).post(f"/surveys/{survey.pk}/answer/", ALL_AGREE)
    assert answered.status_code == 200 and "Thank you" in answered.content.decode()
    again = client_for(bob).post(f"/surveys/{survey.pk}/answer/", ALL_AGREE)
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    assert survey.comment_box.answers == 1


def test_a_member_who_is_not_an_admin_cannot_open_a_round(client_for, bob, alpha):
    assert client_for(bob).get("/surveys/new/").status_code == 404
    with pytest.raises(PermissionDenied):
        make_survey_round(alpha, actor=bob)


def test_bad_answers_are_refused_naming_the_question_and_nothing_is_counted(
    client_for, alice, bob, alpha
):
    survey = make_survey_round(alpha, actor=alice)
    response = client_for(bob).post(
        f"/surveys/{survey.pk}/answer/", {**ALL_AGREE, "q3": "8", "q5": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "q3" in body and "q5" in body
    survey.refresh_from_db()
    assert survey.comment_box.answers == 0
    assert not services.has_answered(bob, survey)
    assert sum(survey.tallies.values_list("count", flat=True)) == 0


def test_no_answer_after_closing_and_a_closed_round_never_reopens(alice, bob, alpha):
    survey = make_survey_round(alpha, actor=alice)
    _close(survey, alice)
    with pytest.raises(ApplicationError) as closed:
        services.round_answer(actor=bob, survey=survey, values=ALL_AGREE)
    assert closed.value.status == 409
    with pytest.raises(ApplicationError) as reopen:
        services.round_extend(
            actor=alice,
            survey=survey,
            closes_at=timezone.now() + dt.timedelta(days=2),
            version=survey.version,
        )
    assert "cannot be reopened" in str(reopen.value.fields)


def test_results_are_hidden_while_open_even_with_many_answers(alice, alpha):
    survey = make_survey_round(alpha, actor=alice)
    make_survey_answers(survey, _answers(6))
    result = selectors.round_result(survey)
    assert not result.shown and "closes" in result.reason and result.answers is None


def test_results_are_hidden_at_4_answers_and_shown_at_5(alice, alpha, beta, charlie):
    four = make_survey_round(alpha, actor=alice)
    make_survey_answers(four, _answers(4))
    _close(four, alice)
    hidden = selectors.round_result(four)
    assert not hidden.shown and "Fewer than 5" in hidden.reason

    five = make_survey_round(beta, actor=charlie)
    # Known answers: q1 (reverse-scored) answered 2 by everyone -> score 6; q2 answered
    # 1,2,3,4,5 -> mean 3; the rest 4 -> score 4 (q3 and q5 reverse: 8 - 4 = 4).
    answers = [{**{f"q{i}": 4 for i in range(1, 8)}, "q1": 2, "q2": p} for p in range(1, 6)]
    make_survey_answers(five, answers)
    _close(five, charlie)
    shown = selectors.round_result(five)
    assert shown.shown and shown.answers == 5
    scores = {i.key: i.mean_score for i in shown.items}
    assert scores == {"q1": 6.0, "q2": 3.0, "q3": 4.0, "q4": 4.0, "q5": 4.0, "q6": 4.0, "q7": 4.0}
    assert shown.overall_mean == round((6 + 3 + 4 * 5) / 7, 2)
    # Each person's overall: (6 + p + 20) / 7 -> 3.86, 4.0, 4.14, 4.29, 4.43: buckets 4 x 5.
    assert shown.overall_counts == {p: (5 if p == 4 else 0) for p in range(1, 8)}
    assert dict(next(i for i in shown.items if i.key == "q2").counts) == {
        1: 1,
        2: 1,
        3: 1,
        4: 1,
        5: 1,
        6: 0,
        7: 0,
    }


def test_comments_need_10_answers_and_come_in_no_stored_order(alice, alpha):
    nine = make_survey_round(alpha, actor=alice)
    make_survey_answers(nine, _answers(9), comment="We rush the reviews.")
    _close(nine, alice)
    result = selectors.round_result(nine)
    assert result.shown and result.comments is None
    assert "at least 10" in result.comments_reason

    ten = make_survey_round(alpha, actor=alice)
    people = make_survey_answers(ten, _answers(9))
    assert len(people) == 9
    services.round_answer(
        actor=make_user("tenth@example.com", alpha.organisation, team=alpha),
        survey=ten,
        values=ALL_AGREE,
        comment="Meetings run late.",
    )
    _close(ten, alice)
    assert selectors.round_result(ten).comments == ["Meetings run late."]


def test_the_organisation_minimum_can_be_raised_never_lowered_below_5(alice, alpha, org):
    admin = make_user("orgadmin@example.com", org, is_org_admin=True)
    assert services.minimum_set(actor=admin, organisation=org, value=6) == 6
    with pytest.raises(ApplicationError):
        services.minimum_set(actor=admin, organisation=org, value=4)
    with pytest.raises(PermissionDenied):
        services.minimum_set(actor=alice, organisation=org, value=7)
    survey = make_survey_round(alpha, actor=alice)
    make_survey_answers(survey, _answers(5))
    _close(survey, alice)
    assert not selectors.round_result(survey).shown


def test_the_organisation_aggregate_cannot_be_differenced_against_a_team(
    alice, alpha, beta, charlie, org
):
    """The attack: the organisation's total minus the shown team would give the hidden team's
    answers. The aggregate leaves hidden rounds out, so the difference is empty."""
    shown = make_survey_round(alpha, actor=alice)
    make_survey_answers(shown, _answers(5, {f"q{i}": 7 for i in range(1, 8)}))
    _close(shown, alice)
    hidden = make_survey_round(beta, actor=charlie)
    make_survey_answers(hidden, _answers(4, {f"q{i}": 1 for i in range(1, 8)}))
    _close(hidden, charlie)

    (quarter,) = selectors.organisation_results(org)
    alpha_result = selectors.round_result(shown)
    assert quarter.answers == 5 and quarter.rounds == 1 and quarter.hidden_rounds == 1
    assert quarter.overall_mean == alpha_result.overall_mean
    assert [i.counts for i in quarter.items] == [i.counts for i in alpha_result.items]


def test_other_teams_and_organisations_get_404_everywhere(
    client_for, alice, charlie, mallory, alpha
):
    survey = make_survey_round(alpha, actor=alice)
    for person in (charlie, mallory):
        client = client_for(person)
        assert client.get(f"/surveys/{survey.pk}/").status_code == 404
        assert client.post(f"/surveys/{survey.pk}/answer/", ALL_AGREE).status_code == 404
        assert client.post(f"/surveys/{survey.pk}/close/", {"version": 1}).status_code == 404
        assert client.post(f"/surveys/{survey.pk}/extend/", {"version": 1}).status_code == 404
        assert client.get(f"/api/surveys/rounds/{survey.pk}").status_code == 404
        assert client.get(f"/api/surveys/rounds/{survey.pk}/results").status_code == 404
    assert client_for(charlie).get("/surveys/organisation/").status_code == 404
    survey.refresh_from_db()
    assert survey.is_open and survey.comment_box.answers == 0


def test_an_organisation_visible_round_is_readable_but_not_answerable_by_another_team(
    client_for, alice, charlie, mallory, alpha
):
    survey = make_survey_round(alpha, actor=alice, visibility="organisation")
    assert client_for(charlie).get(f"/surveys/{survey.pk}/").status_code == 200
    assert client_for(charlie).post(f"/surveys/{survey.pk}/answer/", ALL_AGREE).status_code == 404
    assert client_for(mallory).get(f"/surveys/{survey.pk}/").status_code == 404


def test_a_stale_close_is_refused(client_for, alice, alpha, bob):
    from learnloop.accounts.models import Membership

    Membership.objects.filter(user=bob, team=alpha).update(role=Role.ADMIN)
    survey = make_survey_round(alpha, actor=alice)
    services.round_extend(
        actor=bob, survey=survey, closes_at=timezone.now() + dt.timedelta(days=5), version=1
    )
    response = client_for(alice).post(f"/surveys/{survey.pk}/close/", {"version": 1})
    assert response.status_code == 409
    survey.refresh_from_db()
    assert survey.is_open


def test_the_pages_render(client_for, alice, alpha, org):
    survey = make_survey_round(alpha, actor=alice)
    make_survey_answers(survey, _answers(5, SAFEST))
    _close(survey, alice)
    client = client_for(alice)
    assert "Overall score" in client.get(f"/surveys/{survey.pk}/").content.decode()
    listing = client.get("/surveys/").content.decode()
    assert "Trend" in listing and "7.0" in listing
    admin = make_user("orgadmin@example.com", org, is_org_admin=True)
    assert "7.0" in client_for(admin).get("/surveys/organisation/").content.decode()
