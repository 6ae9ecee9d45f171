"""Turn-taking numbers from the cues of one meeting (decision 0211). No Django here.

Definitions (docs/transcripts.md says the same):

* **speaking time** of a person: the length of the union of their cues (a person's own
  overlapping cues count once); **share**: their speaking time over everyone's;
* a **turn**: a run of consecutive named cues (in start order) by the same person; cues that
  name nobody are skipped and do not end a turn; **longest monologue**: the longest turn, from
  its first cue's start to its last cue's end;
* an **interruption**: a cue that starts before a cue by somebody else has ended (overlapping
  cues), counted for the meeting only;
* **balance** = 1 − G, where G is the Gini coefficient of the speakers' speaking times:
  G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄). 1 means everyone spoke equally long; with n speakers and
  one of them speaking all the time it falls to 1/n.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from learnloop.core.stats import gini
from learnloop.transcripts.reading import Cue, TranscriptError

#: A meeting this balanced or more is called evenly shared in the plain reading.
EVEN = 0.8
NUMBER_WORDS = ["No one", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine"]


@dataclass
class Speaker:
    name: str
    speaking_ms: int = 0
    turns: int = 0
    longest_turn_ms: int = 0
    share: float = 0.0  # 0..1
    intervals: list[tuple[int, int]] = field(default_factory=list, repr=False)


@dataclass
class Analysis:
    speakers: list[Speaker]  # most speaking time first (ties: by name)
    duration_ms: int
    speaking_ms: int
    unattributed_ms: int
    turns: int
    interruptions: int
    balance: float
    cues: int
    reading: str


def _union_ms(intervals: Sequence[tuple[int, int]]) -> int:
    total, current_start, current_end = 0, None, 0
    for start, end in sorted(intervals):
        if current_start is None or start > current_end:
            if current_start is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_start is not None:
        total += current_end - current_start
    return total


def _turns(cues: Sequence[Cue], speakers: dict[str, Speaker]) -> int:
    turns = 0
    who: str | None = None
    turn_start = turn_end = 0
    for cue in cues:
        if cue.speaker is None:
            continue
        if cue.speaker != who:
            if who is not None:
                _close_turn(speakers[who], turn_start, turn_end)
            who, turn_start, turn_end = cue.speaker, cue.start_ms, cue.end_ms
            speakers[who].turns += 1
            turns += 1
        else:
            turn_end = max(turn_end, cue.end_ms)
    if who is not None:
        _close_turn(speakers[who], turn_start, turn_end)
    return turns


def _close_turn(speaker: Speaker, start: int, end: int) -> None:
    speaker.longest_turn_ms = max(speaker.longest_turn_ms, end - start)


def _interruptions(cues: Sequence[Cue]) -> int:
    """Cues that start while somebody else's earlier cue is still running."""
    latest_end: dict[str, int] = {}
    count = 0
    for cue in cues:
        if cue.speaker is None:
            continue
        if any(end > cue.start_ms for who, end in latest_end.items() if who != cue.speaker):
            count += 1
        latest_end[cue.speaker] = max(latest_end.get(cue.speaker, 0), cue.end_ms)
    return count


def percent(share: float) -> int:
    """A share as a whole percent, halves rounded up (62.5% -> 63%)."""
    return int(100 * share + 0.5)


def reading_of(shares: Sequence[float], balance: float) -> str:
    """One plain sentence, naming nobody: how few people took most of the time."""
    ordered = sorted(shares, reverse=True)
    n = len(ordered)
    if n == 2:
        return f"The two speakers split the time {percent(ordered[0])}% and {percent(ordered[1])}%."
    covered, k = 0.0, 0
    for share in ordered:
        covered += share
        k += 1
        if covered >= 0.6:
            break
    who = NUMBER_WORDS[k] if k < len(NUMBER_WORDS) else str(k)
    sentence = f"{who} of the {n} people spoke {percent(covered)}% of the time"
    if balance >= EVEN:
        return sentence + ": speaking time was shared fairly evenly."
    if k == 1 or covered >= 0.7 and k <= n // 3:
        return sentence + ": a few voices carried most of the meeting."
    return sentence + "."


def analyse(cues: Sequence[Cue]) -> Analysis:
    """The numbers for one meeting; ``cues`` come from ``reading.read`` (in time order, with
    at least two named speakers)."""
    speakers: dict[str, Speaker] = {}
    for cue in cues:
        if cue.speaker is not None:
            speakers.setdefault(cue.speaker, Speaker(cue.speaker)).intervals.append(
                (cue.start_ms, cue.end_ms)
            )
    for speaker in speakers.values():
        speaker.speaking_ms = _union_ms(speaker.intervals)
    total = sum(s.speaking_ms for s in speakers.values())
    if total == 0:
        raise TranscriptError(cues[0].line, "every cue ends as it starts: no speaking time.")
    for speaker in speakers.values():
        speaker.share = speaker.speaking_ms / total if total else 0.0
    turns = _turns(cues, speakers)
    g = gini([s.speaking_ms for s in speakers.values()])
    balance = round(1 - (g or 0.0), 3)
    everyone = _union_ms([(c.start_ms, c.end_ms) for c in cues])
    named = _union_ms([(c.start_ms, c.end_ms) for c in cues if c.speaker is not None])
    ordered = sorted(speakers.values(), key=lambda s: (-s.speaking_ms, s.name))
    return Analysis(
        speakers=ordered,
        duration_ms=max(c.end_ms for c in cues) - min(c.start_ms for c in cues),
        speaking_ms=total,
        unattributed_ms=everyone - named,
        turns=turns,
        interruptions=_interruptions(cues),
        balance=balance,
        cues=len(cues),
        reading=reading_of([s.share for s in ordered], balance),
    )
