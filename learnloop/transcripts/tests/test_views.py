"""The web pages: upload as the facilitator, only participants see a meeting, the team sees
the balance trend only, bad files name their line and save nothing (decision 0211)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learnloop.accounts.models import Role
from learnloop.testing.builders import MEETING_VTT, make_retro, make_transcript, make_user
from learnloop.transcripts.models import SpeakerTotal, Transcript

pytestmark = pytest.mark.django_db


def _vtt(text: str = MEETING_VTT) -> SimpleUploadedFile:
    return SimpleUploadedFile("meeting.vtt", text.encode(), content_type="text/vtt")


def test_the_facilitator_uploads_and_participants_see_the_numbers(
    client_for, alice, bob, alpha, org
) -> None:
    dave = make_user("dave@example.org", org, team=alpha, role=Role.MEMBER)
    response = client_for(alice).post(
        "/transcripts/new/",
        {
            "team": "alpha",
            "file": _vtt(),
            "title": "Checkout review",
            "kind": "meeting",
            "held_on": "2026-11-20",
            "participants": [bob.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    transcript = Transcript.objects.get()
    assert response["Location"] == f"/transcripts/{transcript.pk}/"
    assert transcript.text == ""  # not kept unless asked
    assert set(transcript.participants.values_list("email", flat=True)) == {
        "alice@example.org",
        "bob@example.org",
    }
    page = client_for(bob).get(f"/transcripts/{transcript.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ana Lima" in html and "63%" in html and "0:50" in html
    assert "0.68" in html and "Gini" in html
    assert "One of the 3 people spoke 63% of the time" in html
    # A teammate who was not in the meeting sees nothing of it, only the team's trend.
    assert client_for(dave).get(f"/transcripts/{transcript.pk}/").status_code == 404
    listing = client_for(dave).get("/transcripts/").content.decode()
    assert "Checkout review" not in listing and "Ana Lima" not in listing
    assert "Nov 2026" in listing and "0.68" in listing


def test_another_teams_users_get_404(client_for, alice, charlie, mallory, alpha) -> None:
    transcript = make_transcript(alpha, actor=alice)
    for person in (charlie, mallory):
        client = client_for(person)
        assert client.get(f"/transcripts/{transcript.pk}/").status_code == 404
        assert client.post(f"/transcripts/{transcript.pk}/edit/", {"version": 1}).status_code == 404
        assert client.post(f"/transcripts/{transcript.pk}/delete/").status_code == 404
        assert "Ana Lima" not in client.get("/transcripts/").content.decode()
    assert Transcript.objects.filter(pk=transcript.pk).exists()


def test_a_retros_facilitator_uploads_and_its_participants_see_it(
    client_for, alice, bob, alpha, org
) -> None:
    carol = make_user("carol@example.org", org, team=alpha, role=Role.MEMBER)
    retro = make_retro(alpha, facilitator=bob, participants=[carol])
    # Neither the retro's facilitator nor a team admin: refused, nothing saved.
    refused = client_for(carol).post(
        "/transcripts/new/", {"team": "alpha", "file": _vtt(), "retro": retro.pk}
    )
    assert refused.status_code == 403 and not Transcript.objects.exists()
    done = client_for(bob).post(
        "/transcripts/new/", {"team": "alpha", "file": _vtt(), "retro": retro.pk, "keep_text": "on"}
    )
    assert done.status_code == 302
    transcript = Transcript.objects.get()
    assert transcript.kind == "retro" and transcript.title == retro.title
    assert transcript.text == MEETING_VTT  # kept as asked
    assert client_for(carol).get(f"/transcripts/{transcript.pk}/").status_code == 200
    assert client_for(alice).get(f"/transcripts/{transcript.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("not a transcript at all", "line 1: this is not a WebVTT file"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n", "line 3: no speaker names"),
        (
            "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nA: a\n\n00:00:01.000 --> 00:00:02.000\nB: b\n",
            "line 6: this cue starts at 00:00:01.000",
        ),
    ],
)
def test_a_bad_file_names_the_line_and_saves_nothing(client_for, alice, text, needle) -> None:
    response = client_for(alice).post("/transcripts/new/", {"team": "alpha", "file": _vtt(text)})
    assert response.status_code == 400
    assert needle in response.content.decode()
    assert not Transcript.objects.exists() and not SpeakerTotal.objects.exists()


def test_the_facilitator_edits_with_a_version_and_discards_the_text(
    client_for, alice, bob, alpha
) -> None:
    transcript = make_transcript(alpha, actor=alice, participants=[bob], keep_text=True)
    assert transcript.kept
    client = client_for(alice)
    saved = client.post(
        f"/transcripts/{transcript.pk}/edit/",
        {"version": 1, "title": "Renamed", "participants_sent": "1", "discard_text": "on"},
    )
    assert saved.status_code == 302
    transcript.refresh_from_db()
    assert transcript.title == "Renamed" and transcript.text == "" and transcript.version == 2
    # Bob was left out of the participants: he no longer sees it.
    assert client_for(bob).get(f"/transcripts/{transcript.pk}/").status_code == 404
    stale = client.post(f"/transcripts/{transcript.pk}/edit/", {"version": 1, "title": "Old"})
    assert stale.status_code == 409
    assert "changed this analysis meanwhile" in stale.content.decode()
    transcript.refresh_from_db()
    assert transcript.title == "Renamed"


def test_only_the_facilitator_changes_or_deletes(client_for, alice, bob, alpha) -> None:
    transcript = make_transcript(alpha, actor=alice, participants=[bob])
    assert client_for(bob).post(f"/transcripts/{transcript.pk}/delete/").status_code == 403
    assert client_for(alice).post(f"/transcripts/{transcript.pk}/delete/").status_code == 302
    assert not Transcript.objects.exists() and not SpeakerTotal.objects.exists()


def test_the_upload_form_lists_the_teams_members_and_meetings(
    client_for, alice, bob, charlie, alpha, beta
) -> None:
    make_retro(alpha, title="Sprint 40 retro", facilitator=alice)
    make_retro(beta, title="Beta's own retro", facilitator=charlie)
    html = client_for(alice).get("/transcripts/new/").content.decode()
    assert 'type="file"' in html and "Sprint 40 retro" in html
    assert f'value="{bob.pk}"' in html and f'value="{charlie.pk}"' not in html
    assert "Beta&#x27;s own retro" not in html and "Beta's own retro" not in html


def test_a_meeting_held_in_the_future_is_refused(client_for, alice) -> None:
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = client_for(alice).post(
        "/transcripts/new/", {"team": "alpha", "file": _vtt(), "held_on": later}
    )
    assert response.status_code == 400 and not Transcript.objects.exists()
