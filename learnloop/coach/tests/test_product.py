"""The coach in the product: web check endpoint, kept flags, counts, trend, the summary shown
before publishing, and visibility (charlie and mallory get 404, and nothing changes)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import caches
from django.utils import timezone

from learnloop.coach import selectors, services
from learnloop.coach.models import CoachFlag
from learnloop.reviews.models import Review

DAVE = "Dave should have double-checked the config before pushing."

pytestmark = pytest.mark.usefixtures("fresh_names")
CALM = "The config push had no validation step, so the bad value reached production."


def _check(client, body):
    return client.post("/coach/check", json.dumps(body), content_type="application/json")


def _post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_it_flags_the_dave_sentence_with_a_rewording(client_for, alice) -> None:
    response = _check(client_for(alice), {"text": DAVE})
    assert response.status_code == 200
    (finding,) = response.json()["findings"]
    assert finding["signal"] == "counterfactual"
    assert finding["span"] == DAVE[finding["start"] : finding["end"]]
    assert (
        finding["suggestion"]
        == 'Try: "What made it hard to double-check the config before pushing?"'
    )
    assert finding["message"] and finding["flag"] is None
    assert CoachFlag.objects.count() == 0  # no target: nothing kept


def test_it_finds_nothing_in_a_blameless_sentence(client_for, alice) -> None:
    assert _check(client_for(alice), {"text": CALM}).json() == {"findings": []}


def test_it_knows_the_organisations_member_names(client_for, alice, alpha, monkeypatch) -> None:
    from learnloop.testing.builders import make_user

    # Member names are the rules' (the reader, decision 0251, does not use them): rules alone.
    monkeypatch.setenv("LEARNLOOP_COACH_LEARNED", "0")
    text = "Then Will forgot to restart the queue."
    client = client_for(alice)
    assert _check(client, {"text": text}).json()["findings"] == []
    will = make_user("will@example.org", alice.organisation)
    will.display_name = "Will Turner"
    will.save()
    caches["local"].delete(f"coach:names:{alice.organisation_id}")
    (finding,) = _check(client, {"text": text}).json()["findings"]
    assert "named-person" in finding["signals"]
    # names can be switched off (the command-line behaviour)
    assert _check(client, {"text": text, "names": False}).json()["findings"] == []


def test_it_caches_the_name_list_per_organisation(org, alice, django_assert_num_queries) -> None:
    first = services.org_member_names(org.pk)
    assert "Alice" in first
    with django_assert_num_queries(0):
        assert services.org_member_names(org.pk) == first
    assert services.org_member_names(None) == []


def test_it_keeps_flags_for_a_review_and_a_dismissal_sticks(client_for, alice, review) -> None:
    client = client_for(alice)
    body = {"text": f"{CALM} {DAVE}", "target": f"review:{review.pk}", "field": "c-summary#0"}
    (finding,) = _check(client, body).json()["findings"]
    flag = CoachFlag.objects.get()
    assert finding["flag"] == {"id": flag.pk, "status": "open", "dismiss_reason": ""}
    assert (flag.review_id, flag.team_id, flag.field_key) == (
        review.pk,
        review.team_id,
        "c-summary#0",
    )
    assert flag.span == finding["span"] == "Dave should have"

    response = _post(client, f"/coach/flags/{flag.pk}/dismiss", {"reason": "Quoting someone"})
    assert response.status_code == 200 and response.json()["flag"]["status"] == "dismissed"
    flag.refresh_from_db()
    assert (flag.status, flag.dismiss_reason, flag.dismissed_by) == (
        "dismissed",
        "Quoting someone",
        alice,
    )

    # The same sentence (other spacing, other field) is not raised again.
    again = dict(body, text=f"Intro.\n\n{DAVE.replace(' ', '  ')}", field="c-learnings-text#1")
    (finding,) = _check(client, again).json()["findings"]
    assert finding["flag"]["status"] == "dismissed"
    assert CoachFlag.objects.count() == 1


def test_it_drops_open_drafts_of_a_sentence_but_keeps_acted_on_flags(
    client_for, alice, review
) -> None:
    client = client_for(alice)
    target = f"review:{review.pk}"
    _check(client, {"text": "Dave should have checked the con", "target": target, "field": "f#0"})
    assert CoachFlag.objects.count() == 1
    _check(client, {"text": DAVE, "target": target, "field": "f#0"})
    flag = CoachFlag.objects.get()
    assert flag.span.startswith("Dave should have")
    _post(client, f"/coach/flags/{flag.pk}/resolve", {"how": "reworded"})
    _check(client, {"text": CALM, "target": target, "field": "f#0"})
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_how, flag.resolved_by) == ("resolved", "reworded", alice)
    # Other fields are untouched by a check of this one.
    _check(client, {"text": "I should have asked first.", "target": target, "field": "g#0"})
    _check(client, {"text": "", "target": target, "field": "f#0"})
    assert CoachFlag.objects.filter(field_key="g#0", status="open").count() == 1


def test_it_counts_flags_per_review_by_status_and_signal(client_for, alice, review) -> None:
    client = client_for(alice)
    text = f"{DAVE} Conclusion: human error by the packing team. I should have asked first."
    findings = _check(
        client, {"text": text, "target": f"review:{review.pk}", "field": "c-summary#0"}
    ).json()["findings"]
    assert len(findings) == 3
    ids = [f["flag"]["id"] for f in findings]
    services.coach_flag_resolve(user=alice, flag_id=ids[0])
    services.coach_flag_dismiss(user=alice, flag_id=ids[1], reason="Already discussed")
    counts = selectors.coach_counts_for_review(review)
    assert {k: counts[k] for k in ("raised", "open", "resolved", "dismissed")} == {
        "raised": 3,
        "open": 1,
        "resolved": 1,
        "dismissed": 1,
    }
    assert sum(counts["by_signal"].values()) == 3
    assert counts["by_signal"]["human-error-conclusion"] == 1


def test_it_reports_a_monthly_trend_per_team(alice, alpha, review) -> None:
    services.coach_check(
        user=alice, text=DAVE, target_type="review", target_id=review.pk, field_key="c-summary#0"
    )
    trend = selectors.coach_trend(alpha, 3)
    assert len(trend) == 3 and trend[-1]["month"] == timezone.localdate().replace(day=1)
    assert trend[-1] | {"month": None} == {
        "month": None,
        "reviews": 1,
        "flags": 1,
        "flags_per_review": 1.0,
        "resolved": 0,
        "dismissed": 0,
    }
    assert trend[0]["flags"] == 0 and trend[0]["flags_per_review"] == 0.0


def test_it_shows_open_hints_per_section_before_publishing(client_for, alice, review) -> None:
    content = dict(review.content)
    content["summary"] = f"{CALM} {DAVE}"
    content["learnings"] = ["Priya's team forgot to update the runbook."]
    Review.objects.filter(pk=review.pk).update(content=content)
    html = client_for(alice).get(f"/reviews/{review.pk}/").content.decode()
    assert "Wording hints before publishing" in html
    assert "2 open hints" in html and "You can still publish" in html
    assert "<strong>Summary</strong>: 1 hint" in html
    assert 'name="status" value="published"' in html  # publishing is not blocked

    # A dismissed sentence leaves the summary.
    review.refresh_from_db()
    flags = services.coach_check(
        user=alice,
        text=content["summary"],
        target_type="review",
        target_id=review.pk,
        field_key="c-summary#0",
    )
    services.coach_flag_dismiss(
        user=alice, flag_id=flags[0]["flag"]["id"], reason="Quoting someone"
    )
    html = client_for(alice).get(f"/reviews/{review.pk}/").content.decode()
    assert "1 open hint" in html and "<strong>Summary</strong>" not in html


def test_it_syncs_flags_when_a_review_is_published(
    alice, review, django_capture_on_commit_callbacks
) -> None:
    content = dict(review.content)
    content["summary"] = DAVE
    Review.objects.filter(pk=review.pk).update(content=content)
    review.refresh_from_db()
    CoachFlag.objects.create(
        organisation=review.team.organisation,
        team=review.team,
        review=review,
        target_type="review",
        target_id=review.pk,
        field_key="x#0",
        sentence_hash="0" * 64,
        signal="normative",
    )
    with django_capture_on_commit_callbacks(execute=True):
        review.status = "published"
        review.save()
    flag = CoachFlag.objects.get(review=review)
    assert (flag.field_key, flag.status, flag.signal) == ("c-summary#0", "open", "counterfactual")


def test_it_marks_lesson_and_incident_fields_for_the_coach(client_for, alice, alpha) -> None:
    html = client_for(alice).get("/lessons/new/").content.decode()
    assert 'data-coach-scope="statement context"' in html
    html = client_for(alice).get("/incidents/new/").content.decode()
    assert 'data-coach-scope="description"' in html and "coach/coach.js" in html


def test_it_keeps_flags_for_a_lesson_its_team_edits(client_for, alice, bob, charlie, alpha) -> None:
    from learnloop.lessons.models import Lesson

    lesson = Lesson.objects.create(
        team=alpha, organisation=alpha.organisation, statement="Check configs", context=""
    )
    body = {"text": DAVE, "target": f"lesson:{lesson.pk}", "field": "context#0"}
    (finding,) = _check(client_for(bob), body).json()["findings"]
    assert finding["flag"]["status"] == "open"
    assert CoachFlag.objects.get().review_id is None
    assert _check(client_for(charlie), body).status_code == 404


# ------------------------------------------------------------------------ visibility


def test_it_hides_another_teams_review_from_charlie_and_mallory(
    client_for, alice, charlie, mallory, review
) -> None:
    (finding,) = services.coach_check(
        user=alice, text=DAVE, target_type="review", target_id=review.pk, field_key="c-summary#0"
    )
    flag_id = finding["flag"]["id"]
    for user in (charlie, mallory):
        client = client_for(user)
        body = {"text": DAVE, "target": f"review:{review.pk}", "field": "c-summary#0"}
        assert _check(client, body).status_code == 404
        assert _post(client, f"/coach/flags/{flag_id}/resolve").status_code == 404
        response = _post(client, f"/coach/flags/{flag_id}/dismiss", {"reason": "nope"})
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    flag = CoachFlag.objects.get()
    assert (flag.status, flag.dismiss_reason) == ("open", "")
    assert CoachFlag.objects.count() == 1


def test_it_lets_other_teams_read_but_not_act_on_an_organisation_review(
    client_for, alice, charlie, review
) -> None:
    Review.objects.filter(pk=review.pk).update(visibility="organisation")
    (finding,) = services.coach_check(
        user=alice, text=DAVE, target_type="review", target_id=review.pk, field_key="c-summary#0"
    )
    client = client_for(charlie)
    body = {"text": DAVE, "target": f"review:{review.pk}", "field": "c-summary#0"}
    assert _check(client, body).json()["findings"][0]["flag"] is None  # checked, nothing kept
    assert _post(client, f"/coach/flags/{finding['flag']['id']}/resolve").status_code == 404
    assert CoachFlag.objects.get().status == "open"


def test_it_needs_a_signed_in_user(client, review) -> None:
    response = _check(client, {"text": DAVE})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get("/coach/check").status_code in (302, 405)


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n ",
        "\x00\x01\x02\ufffd\ufffe",
        "Zoë 🙂 ‮rtl‬ \u200b",
        "\ud800 lone surrogate",
        "**bold `code",
        "> quote\n- [ ] \n|a|",
    ],
)
def test_it_survives_odd_text(client_for, alice, review, text) -> None:
    body = {"text": text, "target": f"review:{review.pk}", "field": "c-summary#0"}
    response = _check(client_for(alice), body)
    assert response.status_code == 200 and isinstance(response.json()["findings"], list)


def test_it_stores_unusual_unicode_and_nul_safely(client_for, alice, review) -> None:
    text = "Zoë\x00 🙂 should have checked the \ud800 config."
    body = {"text": text, "target": f"review:{review.pk}", "field": "c-summary#0"}
    findings = _check(client_for(alice), body).json()["findings"]
    assert findings and "\x00" not in CoachFlag.objects.get().span


def test_it_refuses_text_over_200_kb_with_a_clear_error(client_for, alice) -> None:
    response = _check(client_for(alice), {"text": "a" * (200 * 1024 + 1)})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large" and "200 KB" in error["message"]
    ok = _check(client_for(alice), {"text": ("The queue grew. " * 12_800)[: 200 * 1024]})
    assert ok.status_code == 200


def test_it_refuses_binary_and_malformed_bodies(client_for, alice) -> None:
    client = client_for(alice)
    junk = bytes(range(256)) * 4
    response = client.post("/coach/check", junk, content_type="application/octet-stream")
    assert response.status_code == 400 and "JSON" in response.json()["error"]["message"]
    assert client.post("/coach/check", "[1, 2]", content_type="application/json").status_code == 400
    response = _check(client, {"text": 42})
    assert response.status_code == 400 and "text" in response.json()["error"]["fields"]
    response = _check(client, {"text": DAVE, "target": "spaceship:1"})
    assert response.status_code == 400 and "target_type" in response.json()["error"]["fields"]
    assert _check(client, {"text": DAVE, "target": "review:abc"}).status_code == 404
    assert (
        _check(client, {"text": DAVE, "target": "review:99999999999999999999999"}).status_code
        == 404
    )


def test_it_requires_a_dismiss_reason(client_for, alice, review) -> None:
    (finding,) = services.coach_check(
        user=alice, text=DAVE, target_type="review", target_id=review.pk, field_key="c-summary#0"
    )
    client = client_for(alice)
    url = f"/coach/flags/{finding['flag']['id']}/dismiss"
    for reason in ("", "   ", None, "x" * 301):
        response = _post(client, url, {"reason": reason})
        assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    assert CoachFlag.objects.get().status == "open"
    assert _post(client, "/coach/flags/987654/dismiss", {"reason": "x"}).status_code == 404


def test_it_does_not_flag_the_wording_it_suggested_once_accepted(client_for, alice, review) -> None:
    client = client_for(alice)
    target = f"review:{review.pk}"
    (finding,) = _check(client, {"text": DAVE, "target": target, "field": "f#0"}).json()["findings"]
    words = finding["suggestion"].removeprefix('Try: "').removesuffix('"')
    response = _post(
        client,
        f"/coach/flags/{finding['flag']['id']}/resolve",
        {"how": "reworded", "replacement": words},
    )
    assert response.json()["flag"]["resolved_how"] == "reworded"
    assert (
        _check(client, {"text": words, "target": target, "field": "f#0"}).json()["findings"] == []
    )
    assert CoachFlag.objects.count() == 1
