"""Reading a WebVTT transcript into speaker cues, with webvtt-py doing the parsing (decision
0211). No Django here: the analysis can run anywhere.

What this module adds to the library: the speaker of each cue (the library's voice span,
``<v Name>``, or else a "Name: text" prefix as meeting tools write it), the line number of each
cue's timing line (so every complaint names a line), and the checks a turn-taking analysis
needs (cues in time order, at least two named speakers).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import Caption
from webvtt.vtt import WebVTTCueBlock

#: The largest transcript taken, in bytes (a three-hour meeting is about 0.5 MB of WebVTT).
MAX_BYTES = 2 * 1024 * 1024
MAX_NAME = 100

#: "Ana Lima: text" — a name that starts with a letter, up to 60 characters, no colon.
_PREFIX = re.compile(r"^\s*([^\W\d_][^:\n<>]{0,59}?)\s*:\s+\S")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SPACES = re.compile(r"\s+")


class TranscriptError(ValueError):
    """A transcript that cannot be analysed; ``line`` is 1-based (0: the file as a whole)."""

    def __init__(self, line: int, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}" if line else problem)


@dataclass(frozen=True)
class Cue:
    line: int  # the cue's timing line, 1-based
    start_ms: int
    end_ms: int
    speaker: str | None  # None: the cue names nobody


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped), or an error naming the first bad line."""
    if len(data) > MAX_BYTES:
        raise TranscriptError(
            0,
            f"The file is {len(data) / 1024 / 1024:.1f} MB; transcripts up to "
            f"{MAX_BYTES // 1024 // 1024} MB are taken.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TranscriptError(
            line, "this line is not UTF-8 text; save the file as UTF-8."
        ) from None


def _lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text)


def _speaker_of(caption: Caption) -> str | None:
    name = caption.voice
    if not name:
        match = _PREFIX.match(caption.text)
        name = match.group(1) if match else None
    if not name:
        return None
    name = _SPACES.sub(" ", name).strip()
    return name[:MAX_NAME] or None


def _timing(line: str) -> tuple[str, str] | None:
    match = WebVTTCueBlock.CUE_TIMINGS_PATTERN.match(line)
    return (match.group(1), match.group(2)) if match else None


def _timing_ms(line: str) -> tuple[int, int] | None:
    timing = _timing(line)
    if timing is None:
        return None
    try:
        caption = Caption(*timing)
    except MalformedCaptionError:
        return None
    return caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds()


def _bad_cue_line(lines: list[str], exc: MalformedCaptionError) -> TranscriptError:
    """The line of the block the library refused: the first "-->" line it cannot read, else
    the first line of the block named in its message."""
    for number, line in enumerate(lines, start=1):
        if "-->" not in line:
            continue
        timing = _timing(line)
        if timing is None:
            return TranscriptError(
                number, "this cue timing cannot be read; write it as 00:01:02.500 --> 00:01:05.000."
            )
        try:
            Caption(*timing)
        except MalformedCaptionError:
            return TranscriptError(number, f"{timing[0]} or {timing[1]} is not a valid time.")
    block: object = None
    text = str(exc)
    if "[" in text:
        try:
            block = ast.literal_eval(text[text.index("[") :])
        except (ValueError, SyntaxError):
            block = None
    if isinstance(block, list) and block and isinstance(block[0], str):
        for number, line in enumerate(lines, start=1):
            if line == block[0]:
                return TranscriptError(
                    number,
                    "this cue block cannot be read; separate cues with an empty line.",
                )
    return TranscriptError(0, "A cue block cannot be read.")


def _check_text(lines: list[str]) -> None:
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise TranscriptError(number, "this line holds a NUL character.")


def read(text: str) -> list[Cue]:
    """The cues of a WebVTT transcript in file order, each with its speaker and line."""
    lines = _lines(text)
    _check_text(lines)
    try:
        captions = webvtt.WebVTT.from_string(text, strict=True).captions
    except MalformedFileError:
        raise TranscriptError(
            1,
            "this is not a WebVTT file: the first line must start with WEBVTT "
            "(export the transcript as .vtt from the meeting tool).",
        ) from None
    except MalformedCaptionError as exc:
        raise _bad_cue_line(lines, exc) from None
    if not captions:
        raise TranscriptError(
            0, "The file has no cues: nothing was said, or it is not a transcript."
        )
    cues: list[Cue] = []
    cursor = 0
    for caption in captions:
        start, end = caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds()
        line = 0
        for index in range(cursor, len(lines)):
            if "-->" in lines[index] and _timing_ms(lines[index]) == (start, end):
                line, cursor = index + 1, index + 1
                break
        cues.append(Cue(line, start, end, _speaker_of(caption)))
    _check_order(cues)
    return cues


def _check_order(cues: list[Cue]) -> None:
    previous: Cue | None = None
    for cue in cues:
        if cue.end_ms < cue.start_ms:
            raise TranscriptError(cue.line, "this cue ends before it starts.")
        if previous is not None and cue.start_ms < previous.start_ms:
            raise TranscriptError(
                cue.line,
                f"this cue starts at {_clock(cue.start_ms)}, before the cue on line "
                f"{previous.line} ({_clock(previous.start_ms)}); cues must be in time order.",
            )
        previous = cue
    named = {c.speaker for c in cues if c.speaker}
    if not named:
        raise TranscriptError(
            cues[0].line,
            "no speaker names found: write each cue as <v Name>text</v> or as 'Name: text'.",
        )
    if len(named) < 2:
        first = next(c for c in cues if c.speaker)
        raise TranscriptError(
            first.line,
            f"only one speaker ({first.speaker}) is named; turn-taking needs at least two.",
        )


def _clock(ms: int) -> str:
    seconds, milli = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02}:{minutes:02}:{seconds:02}.{milli:03}"
