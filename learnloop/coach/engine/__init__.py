"""Blame-language engine: flags sentences that put a failure on a person.

Pure standard-library Python (no Django, no network, no model) so it can run in
the web app, a pre-commit hook and batch jobs alike. The learned stage (``learned.py``, on
by default since decision 0227) is the one exception: a fine-tuned reader shipped beside it
(``reader.onnx``, decision 0251, run by ONNX Runtime when it is installed) that reads only
sentences no rule flagged.

How it decides
--------------
Blame is not a vocabulary, it is a *structure*: a person (named, a role, a
team, "you", "I") + a judgment of their conduct (hindsight, a trait, a
minimiser, a sanction, a rhetorical question). The same words aimed at a
system ("the health check failed to report", "the queue should drop old
messages") are blameless, and they are exactly what reviews are full of. So
most rules fire on a cue *and* check who the cue is about:

* ``subject`` rules (``should have``, ``failed to``, ``forgot to``, ``never
  checked``) require the grammatical subject of the clause to be a person;
* ``person`` rules (``improperly``, ``unacceptable``) require a person to be
  mentioned in the sentence;
* a few idioms ("went rogue", "box-ticking exercise", "written up") are
  person-directed by nature and fire alone.

Then exemptions remove what blameless writing legitimately contains:
quoted words (``the word "careless"``), negated or rejected labels ("not
human error", "rather than operator error"), reported first-person accounts
("she said she assumed ..."), omissions given together with the condition
that produced them ("... because the form had no field"), and action items.

Over-flagging is the costliest failure (people stop reading hints, and feel
accused), so when a rule is ambiguous it stays silent.

Where things are
----------------
``sentence`` (:class:`Sentence`: a sentence's tokens, people and subjects), ``person_words``
(which words can refer to a person: names by shape and use, roles, possessives),
``function_words`` (determiners, prepositions, adverbs, conjunctions, auxiliaries),
``quotes`` (masking quoted words), ``rules`` (the table: signals, regex, check, gate keys),
``checks`` (what a rule asks of its match, one module per question: ``negation``, ``people``,
``conditions``, ``hindsight``, ``judgments``, ``questions``, ``sanctions``), ``gate`` (which
rules a sentence can possibly fire), ``exemptions``, ``verdict`` (one sentence),
``suggestions``, ``findings`` (the signals, :class:`Finding`, messages). This module runs
them over a text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from learnloop.coach.sentences import split_sentences

from . import learned as learned_stage
from .findings import MESSAGES, SIGNALS, Finding
from .gate import scan_keys
from .quotes import mask
from .rules.vague import vague_learning
from .suggestions import suggestion_for
from .verdict import judge_sentence

__all__ = ["Finding", "SIGNALS", "analyse", "is_blameful", "split_sentences", "vague_learning"]

# Off only in the test that checks that the gate never changes a result.
USE_GATE = True


def analyse(text: str, *, names: Iterable[str] = (), learned: bool | None = None) -> list[Finding]:
    """Return one :class:`Finding` per blameful sentence in ``text``.

    ``names`` are the organisation's member names; they make person detection
    exact. Without them capitalised words in subject position and role nouns
    ("the on-call", "the night team", "whoever ...", "you", "I") are used.
    The learned stage (``engine/learned.py``, decision 0251's reader) then reads the
    sentences no rule flagged that have a person in them, when ONNX Runtime is installed: on
    by default since decision 0227
    (``learned=None``: :func:`learned_stage.on_by_default`, off with
    ``LEARNLOOP_COACH_LEARNED=0``); ``learned=False`` is the rules alone, ``learned=True``
    asks for it whatever the setting.
    """
    if not text:
        return []
    if not isinstance(text, str):
        raise TypeError("analyse() expects str")
    name_set = frozenset(
        part.lower()
        for n in names
        for part in re.split(r"\s+", str(n).strip())
        if part and len(part) > 1
    )
    findings = _analyse(text, name_set)
    if learned is None:
        learned = learned_stage.on_by_default()
    if learned and learned_stage.available():
        findings = _add_learned(text, name_set, findings)
    return findings


def _analyse(text: str, name_set: frozenset[str], *, suggest: bool = True) -> list[Finding]:
    masked = mask(text)
    sentences = split_sentences(text)
    keys_by_sentence = scan_keys(masked, sentences) if USE_GATE else None
    findings: list[Finding] = []
    for idx, (start, end) in enumerate(sentences):
        present: set[str] | None = None
        if keys_by_sentence is not None:
            present = keys_by_sentence.get(idx)
            if not present:
                continue
        raw = masked[start:end]
        prev_text = masked[sentences[idx - 1][0] : sentences[idx - 1][1]] if idx else ""
        found = judge_sentence(raw, name_set, prev_text, present)
        if not found:
            continue
        signals, s_off, e_off, primary = found
        findings.append(
            Finding(
                start=start + s_off,
                end=start + e_off,
                signal=primary,
                signals=signals,
                sentence_start=start,
                sentence_end=end,
                message=MESSAGES[primary],
                suggestion=suggestion_for(
                    primary,
                    text[start:end],
                    text[start + s_off : start + e_off],
                    signals,
                    is_flagged=lambda t: bool(_analyse(t, name_set, suggest=False)),
                )
                if suggest
                else "",
            )
        )
    return findings


def _add_learned(text: str, name_set: frozenset[str], findings: list[Finding]) -> list[Finding]:
    """``findings`` plus the learned stage's flags on the sentences no rule flagged."""
    flagged = {(f.sentence_start, f.sentence_end) for f in findings}
    todo = [
        (start, end)
        for start, end in split_sentences(text)
        if (start, end) not in flagged and learned_stage.reads(text[start:end], name_set)
    ]
    if not todo:
        return findings
    probs = learned_stage.probabilities([text[a:b] for a, b in todo])
    limit = learned_stage.threshold()
    out = list(findings)
    for (start, end), p in zip(todo, probs, strict=True):
        if p < limit:
            continue
        a, b = learned_stage.person_span(text[start:end], name_set)
        out.append(
            Finding(
                start=start + a,
                end=start + b,
                signal="named-person",
                signals=("named-person",),
                sentence_start=start,
                sentence_end=end,
                message=MESSAGES["named-person"],
                suggestion=suggestion_for(
                    "named-person",
                    text[start:end],
                    text[start + a : start + b],
                    ("named-person",),
                    is_flagged=lambda t: bool(_analyse(t, name_set, suggest=False)),
                ),
            )
        )
    out.sort(key=lambda f: f.sentence_start)
    return out


def is_blameful(text: str, *, names: Iterable[str] = (), learned: bool | None = None) -> bool:
    """True when at least one sentence of ``text`` is flagged."""
    return bool(analyse(text, names=names, learned=learned))
