"""Reading and analysing a transcript: numbers computed by hand, and every bad file refused
with its line number (decision 0211)."""

from __future__ import annotations

import pytest

from learnloop.testing.builders import MEETING_VTT
from learnloop.transcripts.analysis import analyse, reading_of
from learnloop.transcripts.reading import MAX_BYTES, TranscriptError, decode, read


def test_the_fixture_gives_the_hand_computed_numbers() -> None:
    result = analyse(read(MEETING_VTT))
    by_name = {s.name: s for s in result.speakers}
    # Ana: 0:00-0:20 + 0:20-0:30 + 0:50-1:10 = 50 s; Ben: 10 s + 8 s = 18 s; Cleo: 12 s.
    assert {n: s.speaking_ms for n, s in by_name.items()} == {
        "Ana Lima": 50_000,
        "Ben Okafor": 18_000,
        "Cleo": 12_000,
    }
    assert result.speaking_ms == 80_000
    # Shares of 80 s: 50/80, 18/80, 12/80.
    assert by_name["Ana Lima"].share == pytest.approx(0.625)
    assert by_name["Ben Okafor"].share == pytest.approx(0.225)
    assert by_name["Cleo"].share == pytest.approx(0.15)
    # Turns: Ana (cues 1-2), Ben, Cleo, Ana, Ben.
    assert result.turns == 5
    assert {n: s.turns for n, s in by_name.items()} == {"Ana Lima": 2, "Ben Okafor": 2, "Cleo": 1}
    # Longest monologue: Ana's first turn 0:00-0:30; Ben's 0:30-0:40; Cleo's 0:38-0:50.
    assert {n: s.longest_turn_ms for n, s in by_name.items()} == {
        "Ana Lima": 30_000,
        "Ben Okafor": 10_000,
        "Cleo": 12_000,
    }
    # Cleo starts at 0:38 while Ben speaks until 0:40: one interruption.
    assert result.interruptions == 1
    # Gini: pairs |50-18| + |50-12| + |18-12| = 32 + 38 + 6 = 76, counted both ways: 152;
    # 2 n^2 mean = 2 * 9 * 80/3 = 480; G = 152/480 = 0.31667; balance = 1 - G = 0.683.
    assert result.balance == 0.683
    assert result.duration_ms == 78_000
    assert result.speakers[0].name == "Ana Lima"
    assert result.reading == (
        "One of the 3 people spoke 63% of the time: a few voices carried most of the meeting."
    )


def test_an_evenly_shared_meeting_reads_as_such() -> None:
    vtt = "WEBVTT\n\n" + "\n".join(
        f"00:00:{10 * i:02}.000 --> 00:00:{10 * i + 10:02}.000\n<v P{i % 4}>x</v>\n"
        for i in range(4)
    )
    result = analyse(read(vtt))
    assert result.balance == 1.0 and result.interruptions == 0
    assert result.reading == (
        "Three of the 4 people spoke 75% of the time: speaking time was shared fairly evenly."
    )
    assert reading_of([0.7, 0.3], 0.6) == "The two speakers split the time 70% and 30%."


def test_a_cue_naming_nobody_is_not_counted_and_does_not_end_a_turn() -> None:
    vtt = (
        "WEBVTT\n\n00:00:00.000 --> 00:00:10.000\n<v A>one</v>\n\n"
        "00:00:10.000 --> 00:00:15.000\n(laughter)\n\n"
        "00:00:15.000 --> 00:00:20.000\n<v A>two</v>\n\n"
        "00:00:20.000 --> 00:00:30.000\nB: three\n"
    )
    result = analyse(read(vtt))
    assert result.unattributed_ms == 5_000
    assert {s.name: (s.speaking_ms, s.turns) for s in result.speakers} == {
        "A": (15_000, 1),
        "B": (10_000, 1),
    }
    assert result.speakers[0].longest_turn_ms == 20_000


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("1\n00:00:01,000 --> 00:00:02,000\nA: srt\n", 1, "not a WebVTT file"),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n\n00:00:03.000 --> 00:00:04.000\nbye\n",
            3,
            "no speaker names",
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>a</v>\n\n00:00:03.000 --> 00:00:04.000\n<v A>b</v>\n",
            3,
            "only one speaker",
        ),
        (
            "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\n<v A>a</v>\n\n"
            "00:00:01.000 --> 00:00:02.000\n<v B>b</v>\n",
            6,
            "before the cue on line 3",
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>a</v>\n\n00:00:03.000 --> 00:00:04,000\nB: b\n",
            6,
            "cannot be read",
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>a</v>\n00:00:03.000 --> 00:00:04.000\nB: b\n",
            3,
            "empty line",
        ),
        (
            "WEBVTT\n\n00:00:05.000 --> 00:00:01.000\n<v A>a</v>\n\n00:00:06.000 --> 00:00:07.000\nB: b\n",
            3,
            "ends before it starts",
        ),
        ("WEBVTT\n\nNOTE nothing said\n", 0, "no cues"),
    ],
    ids=[
        "srt",
        "no-speakers",
        "one-speaker",
        "out-of-order",
        "bad-time",
        "no-blank-line",
        "backwards",
        "empty",
    ],
)
def test_a_bad_transcript_names_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(TranscriptError) as caught:
        read(text)
    assert caught.value.line == line, str(caught.value)
    assert words in str(caught.value)
    if line:
        assert str(caught.value).startswith(f"line {line}: ")


def test_too_large_and_not_utf8_are_refused_before_parsing() -> None:
    with pytest.raises(TranscriptError, match="up to 2 MB"):
        decode(b"WEBVTT\n" + b"x" * MAX_BYTES)
    with pytest.raises(TranscriptError) as caught:
        decode(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA: caf\xe9\n")
    assert caught.value.line == 4
