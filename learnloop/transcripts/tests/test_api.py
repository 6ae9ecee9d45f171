"""The turn-taking API: the same numbers as the page, errors in the one shape with the line,
the size limit, 404 for anybody outside the meeting, the trend without people."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from learnloop.testing.builders import MEETING_VTT, make_transcript
from learnloop.transcripts.models import SpeakerTotal, Transcript
from learnloop.transcripts.reading import MAX_BYTES
from learnloop.transcripts.selectors import balance_trend

pytestmark = pytest.mark.django_db


def _post(client, body):
    return client.post("/api/transcripts", body, content_type="application/json")


def _error(response) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


def test_analyse_read_and_list(client_for, alice, bob) -> None:
    created = _post(
        client_for(alice),
        {
            "team": "alpha",
            "vtt": MEETING_VTT,
            "title": "Showcase",
            "kind": "showcase",
            "held_on": "2026-11-02",
            "participant_ids": [bob.pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["balance"] == 0.683 and body["turns"] == 5 and body["interruptions"] == 1
    assert body["kind"] == "showcase" and body["text_kept"] is False and body["facilitator"]
    assert [
        (s["name"], s["speaking_ms"], s["share_percent"], s["turns"], s["longest_monologue_ms"])
        for s in body["speakers"]
    ] == [
        ("Ana Lima", 50_000, 63, 2, 30_000),
        ("Ben Okafor", 18_000, 23, 2, 10_000),
        ("Cleo", 12_000, 15, 1, 12_000),
    ]
    bobs = client_for(bob)
    assert bobs.get(f"/api/transcripts/{body['id']}").json()["facilitator"] is False
    assert [t["id"] for t in bobs.get("/api/transcripts").json()] == [body["id"]]


@pytest.mark.parametrize(
    ("vtt", "line"),
    [
        ("WEBVTT FILE?\n\n00:00:01.000 --> 00:00:02.000\nhello\n", 3),
        ("Transcript\nAna: hello\n", 1),
        (
            "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nA: a\n\n00:00:01.000 --> 00:00:02.000\nB: b\n",
            6,
        ),
    ],
    ids=["no-speakers", "not-webvtt", "out-of-order"],
)
def test_a_bad_transcript_is_a_400_naming_the_line(client_for, alice, vtt, line) -> None:
    response = _post(client_for(alice), {"team": "alpha", "vtt": vtt})
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "invalid_transcript"
    assert error["fields"]["vtt"][0].startswith(f"line {line}: ")
    assert not Transcript.objects.exists()


def test_size_limits_are_413_in_the_error_shape(client_for, alice) -> None:
    client = client_for(alice)
    over = _post(client, {"team": "alpha", "vtt": "WEBVTT\n\n" + "x" * MAX_BYTES})
    assert over.status_code == 413 and _error(over)["code"] == "too_large"
    # A 50 MB body never reaches the view: the request guard answers from the header.
    huge = client.post(
        "/api/transcripts", b"{}", content_type="application/json", CONTENT_LENGTH=50 * 1024**2
    )
    assert huge.status_code == 413 and _error(huge)
    assert not Transcript.objects.exists()


def test_outsiders_get_404(client_for, alice, bob, charlie, mallory, alpha) -> None:
    transcript = make_transcript(alpha, actor=alice, participants=[bob])
    for person in (charlie, mallory):
        client = client_for(person)
        assert client.get(f"/api/transcripts/{transcript.pk}").status_code == 404
        patched = client.patch(
            f"/api/transcripts/{transcript.pk}",
            {"version": 1, "title": "x"},
            content_type="application/json",
        )
        assert patched.status_code == 404
        assert client.delete(f"/api/transcripts/{transcript.pk}").status_code == 404
        assert client.get("/api/transcripts/teams/alpha/balance").status_code == 404
        assert _post(client, {"team": "alpha", "vtt": MEETING_VTT}).status_code == 404
    assert Transcript.objects.count() == 1


def test_patch_with_a_stale_version_is_refused(client_for, alice, bob, alpha) -> None:
    transcript = make_transcript(alpha, actor=alice, participants=[bob], keep_text=True)
    client = client_for(alice)
    url = f"/api/transcripts/{transcript.pk}"
    ok = client.patch(url, {"version": 1, "discard_text": True}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["text_kept"] is False and ok.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "title": "Late"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    by_bob = client_for(bob).patch(
        url, {"version": 2, "title": "Mine"}, content_type="application/json"
    )
    assert by_bob.status_code == 403
    assert client_for(bob).delete(url).status_code == 403
    assert client.delete(url).status_code == 204
    assert not SpeakerTotal.objects.exists()


def test_the_balance_trend_holds_aggregates_only(
    client_for, alice, bob, alpha, beta, charlie, org
) -> None:
    make_transcript(alpha, actor=alice, held_on=dt.date(2026, 10, 5))
    even = "WEBVTT\n\n00:00:00.000 --> 00:00:10.000\nA: a\n\n00:00:10.000 --> 00:00:20.000\nB: b\n"
    make_transcript(alpha, actor=alice, vtt=even, held_on=dt.date(2026, 10, 20))
    make_transcript(alpha, actor=alice, vtt=even, held_on=dt.date(2026, 11, 1))
    make_transcript(beta, actor=charlie, held_on=dt.date(2026, 11, 3))
    # Bob took part in none of these meetings: he still sees his team's trend.
    response = client_for(bob).get("/api/transcripts/teams/alpha/balance")
    assert response.status_code == 200
    assert response.json() == [
        {"month": "2026-10-01", "meetings": 2, "mean_balance": 0.842, "median_balance": 0.842},
        {"month": "2026-11-01", "meetings": 1, "mean_balance": 1.0, "median_balance": 1.0},
    ]
    assert "Ana" not in response.content.decode()
    assert [m.meetings for m in balance_trend(org)] == [2, 2]
    assert [m.meetings for m in balance_trend([alpha, beta], since=dt.date(2026, 11, 1))] == [2]
    assert balance_trend(beta, until=dt.date(2026, 10, 31)) == []
