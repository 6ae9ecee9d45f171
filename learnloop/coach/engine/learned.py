"""The learned stage: a logistic-regression head on sentence embeddings, for the sentences the
rules leave undecided (issue 18, decision 0223).

Rules catch blame carried by known shapes; implicit blame in new words ("the line lead
loaded the wrong recipe and we scrapped a whole batch") has none. This stage reads what the
rules left: a sentence that no rule flagged, that has a person in it other than the affected
(a role, a name, a pronoun: the same person detection as the rules), and that is not an
account told with its conditions, a report, a timeline entry or an action item (the
exemptions the rules use, cheap regexes). Such a sentence is embedded with the model of
related suggestions (all-MiniLM-L6-v2 int8 ONNX, ``learnloop.search.dense``: packaged,
nothing downloaded) and scored by ``sigmoid(w . x + b)``; at or above the stored threshold it
is flagged with the ``named-person`` signal (a person presented as the cause), the person
reference underlined.

The weights (384 embedding dimensions + :data:`N_FEATURES` parse features + a bias, and the
threshold) are ``learned_head.json`` beside this module, written by
``benchmarks/train_coach_head.py`` (round 13: from every labelled set but the dev set and the
newest fresh set, and unlabelled corpus sentences as negatives).
Until round 13 nothing here ran unless the caller asked (``analyse(..., learned=True)``);
since decision 0227 the product's coach runs it by default (``learned=None``), off with
``learned=False`` or ``LEARNLOOP_COACH_LEARNED=0``, and always only on the sentences no rule
flagged. The rules path stays pure standard library and keeps its speed.

Round 11 (issue 18 round 3, decision 0225) narrowed what it reads to implicit blame: no common
blame vocabulary (README-blame.md's list) and no negation, which are the rules' to judge; no
clock time anywhere, no design intent ("should be able to"), exculpation, metric, weekday,
owner or due date, someone else's claim, quoted words, no person who raised, found or
perceived the problem or recovered from it; a person (not one of the affected) in the first
clause. It added a second training file (``tests/data/implicit_train2.jsonl``, sixteen more
domains, with neutral accounts of people at work as negatives) and chose L2 and the corpus
weight by the same cross-validation as the threshold.
"""

from __future__ import annotations

import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .checks.conditions import COND_AFTER
from .checks.people import AFFECTED, has_actor
from .exemptions import _ACTION, _CLAIM, _is_reported
from .person_words import strip_poss
from .quotes import mask
from .sentence import Sentence

WEIGHTS = Path(__file__).with_name("learned_head.json")

# A timestamp or day at the start: a timeline entry ("09:41 Jonas restarted ...").
_TIMELINE = re.compile(
    r"^\W*(?:at |on |by )?(?:\d{1,2}[:.h]\d{2}\b|day \d+\b|(?:mon|tues|wednes|thurs|fri|satur|sun)"
    r"day\b|\d{4}-\d{2}-\d{2}\b|t\s*[+-]\s*\d+)",
    re.IGNORECASE,
)
# Told with its condition or plan: "... because the two tubs had identical lids", "as planned".
_CONDITION = re.compile(
    r"\b(?:because|since|so that|due to|as (?:planned|agreed|asked|the \w+ (?:said|asked"
    r"|showed|named|required))|which (?:was|were|had|showed|listed|named)|after the \w+"
    r"|when (?:the|a|an) \w+|while the \w+|whose \w+|the \w+ (?:had|showed|listed|gave) (?:no|the old"
    r"|the wrong))\b",
    re.IGNORECASE,
)
# Round 11: a clock time anywhere ("... road-tested the car at 16:30 and noted ...") makes a
# timeline entry too.
_CLOCK = re.compile(r"\b(?:at|by|until|from|before|after|around) \d{1,2}[:.]\d{2}\b", re.IGNORECASE)
# Round 11: the human-error vocabulary is the rules' to judge ("it would be easy to call this a
# crew mistake, but ..." rejects the label); the stage does not second-guess them.
# Round 11: implicit blame is blame without the common blame vocabulary (README-blame.md's
# list); a sentence that has it and that no rule flagged was left alone by an exemption on
# purpose, and negated sentences ("has not been let go", "nobody is going to be punished")
# are the rules' too.
_LABEL = re.compile(
    r"\b(?:errors?|mistakes?|faults?|blam\w*|punish\w*|should have|could have|failed to"
    r"|if only|forg[eo]t\w*|neglect\w*|careless\w*|sloppy|lazy|incompetent|negligent|reckless"
    r"|simply|obviously|clearly|improperly|inadequate\w*|accountab\w*|written up|disciplinary"
    r"|retrain\w*|not|never|nobody|no one|none)\b|n't\b|;",
    re.IGNORECASE,
)
# Round 11, read off the tuning sets' false positives: design intent ("operators should be able
# to ...", "should the canary stage take longer"), exculpation ("nobody could have seen"),
# metrics ("scrap rose to 4.8%"), a weekday ("sent the contract on Tuesday, after ..."), an
# owner or due date, and someone else's claim are accounts, not verdicts.
_NOT_A_VERDICT = re.compile(
    r"\b(?:should|must|ought to|shall)\b(?!\s+(?:not\s+)?have\s+\w+(?:ed|en|wn|ne|t)\b)|\b(?:nobody|no one|none of us)\b[^.;]{0,30}"
    r"\bcould\b|\d\s*%|\bper ?cent\b|\bon (?:mon|tues|wednes|thurs|fri|satur|sun)days?\b"
    r"|\bowner\s*:|\bdue (?:\d|by|on)\b|\baccountability for\b|\bno way to\b"
    # a person who raised the problem, or a recovery, is not its cause
    r"|\b(?:asked|requested|reported|raised|flagged|warned|escalated|complained|found"
    r"|discovered|realised|realized)\b"
    # perceiving is not acting ("did anyone on the sales team see the pricing email?")
    r"|\b(?:see|saw|seen|notice|noticed|hear|heard|know|knew|known|receive|received)\b"
    r"|\b(?:fixed|restored|recovered|rolled back|resolved|caught|spotted|saved)\b"
    r"|\b(?:in under|within) (?:an?|one|two|three|five|ten|\d+) \w+"
    r"|\bas (?:\w+ )?(?:policy|procedure|the \w+) (?:requires|required|says|said|asks|asked)\b"
    # what nobody gave the person ("no one had shown her how the screens work"), a word
    # mentioned rather than used, a question about the system or about us
    r"|\b(?:no one|nobody)(?: had| ever)? (?:shown|showed|told|trained|warned|taught)\b"
    r"|\b(?:was|were|had been|had) never (?:been )?(?:shown|told|trained|taught|warned)\b"
    r"|\bthe (?:word|phrase|term|label)\b|^\W*(?:what|which) (?:in|about|part of)\b"
    r"|^\W*why (?:does|do|is|are) (?:the|our|its|this|that)\b|^\W*how (?:can|could|do|did|would|might) we\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,;:]|\b(?:so|but|and|which|because|while|when)\b", re.IGNORECASE)
_MIN_WORDS, _MAX_WORDS = 4, 60


@lru_cache(maxsize=1)
def _head() -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def on_by_default() -> bool:
    """The product reads undecided sentences with the head unless ``LEARNLOOP_COACH_LEARNED``
    is 0/off/false/no (decision 0227)."""
    value = os.environ.get("LEARNLOOP_COACH_LEARNED", "1").strip().lower()
    return value not in ("0", "off", "false", "no")


def available() -> bool:
    """The weights are present and the embedding model is installed."""
    if _head() is None:
        return False
    try:
        from learnloop.search import dense
    except ImportError:
        return False
    return dense.enabled()


# Round 13 (decision 0227): the person may be anywhere in the sentence (not only in its first
# clause), and a standing consequence in the future tense is read too; the head, trained on
# every labelled set but the dev set and the newest fresh set, learned to leave most of those
# alone (leave-one-set-out cross-validation, decision 0227). What stays out, as before: no
# person, the common blame vocabulary and negations (the rules judge those, and an exemption
# that left such a sentence alone did so on purpose), told with its condition or plan, a
# timeline entry or clock time, a report or someone else's claim, quoted words, an action
# item, design intent, a raised, perceived or recovered problem; and now also questions (the
# rules tell a rhetorical question from a factual one: "who approves refunds over 500?") and
# "would have" counterfactuals (about a tool, exculpatory, or about a person: the rules').
_QUESTION = re.compile(r"\?")
# A "would have" counterfactual is the rules' to judge: about a tool, exculpatory ("had she
# been told, she would have ..."), or about a person.
_WOULD_HAVE = re.compile(r"\bwould(?:n't| not)? have\b|^\W*had \w+", re.IGNORECASE)
# A standing consequence: future or from-now-on wording, a duty taken away.
_FROM_NOW = re.compile(
    r"\b(?:will|from (?:now|next|today|monday)|until|again|anymore|any more|off the|barred"
    r"|taken off|pulled|revoked|suspended)\b",
    re.IGNORECASE,
)
# Harm or scale told in plain words ("flooded", "the whole batch", "the wrong door").
_HARM = re.compile(
    r"\b(?:lost|ruin\w*|destroy\w*|wreck\w*|flood\w*|broke|broken|burn\w*|scorch\w*|injur\w*"
    r"|hurt|died|dead|kill\w*|scrap\w*|wast\w*|damag\w*|collaps\w*|spoil\w*|melt\w*|froze"
    r"|frozen|crash\w*|spill\w*|leak\w*|wrong|twice|whole|entire|all|every)\b",
    re.IGNORECASE,
)


# Round 16 (decision 0237): two uses of a condition word that explain nothing. A danger the
# act ignored ("let go the stern line while the tug was still pulling") and the trigger of a
# standing consequence ("After the flume incident, Jonas will be working the ticket booth",
# "Karin's access has been withdrawn after the spill") are part of the blame, not its
# conditions; the condition checks read the sentence without them.
_DANGER = re.compile(r"\bwhile\b[^.;:?!]{0,40}?\bstill\b", re.IGNORECASE)
_STANDING = re.compile(
    r"\b(?:will be \w+ing|will be (?:\w+ed|done|seen|run) by|won't be|no longer|is off the"
    r"|are off the|(?:has|have) been (?:withdrawn|taken back|taken off|stood down|suspended"
    r"|revoked|removed|pulled|moved off|handed)|withdrawn|taken back|stood down|suspended|revoked"
    r"|grounded|lost (?:his|her|their) [\w-]+ (?:rights|keys?|access|certificat\w+|licen[cs]es?"
    r"|privileges)"
    # Round 18 (decision 0249): a duty moved or taken away in other words ("Jonas is done on
    # the paint line", "Dmitar is off battery jobs", "Lucia stays on paperwork", "the yard lads
    # are losing their berths", "Ji-woo hands back the keys", "Musa's calls go to someone
    # else", "Marta's been taken off the rota", "has been told to hand over").
    r"|(?:is|are|'s|\u2019s) (?:off|done (?:on|with))|(?:stays?|remains?) (?:on|in|off|away)"
    r"|loses|losing|lost (?:the|his|her|their)|hands? (?:\w+ ){0,3}?back|handed (?:\w+ ){0,3}?back"
    r"|(?:is|are|was|were|been) (?:taken|moved|kept|stood) (?:off|to|down|away)"
    r"|go(?:es)? to (?:someone|somebody) else|been told to|is back on|banned)\b",
    re.IGNORECASE,
)
_TRIGGER = re.compile(
    r"\b(?:after|since|following|until)\s+(?:[\w'\u2019-]+\s+){0,3}[\w'\u2019-]+", re.IGNORECASE
)


# Round 18 (decision 0249): a person's act given as the cause ("the pothole repair came apart
# because the patching team laid the mix onto standing water", "the lift was out for two weeks
# because maintenance sat on the report") is the blame itself, not the condition that
# explains an act; the head reads it. A thing as the cause ("because the guard slipped off")
# still keeps the sentence out.
_CAUSE = re.compile(r"\b(?:because|since)\b(?!\s+of\b)", re.IGNORECASE)


def _without_blame_context(raw: str, s: Sentence | None = None) -> str:
    """``raw`` with a danger ignored, a sanction's trigger and (given the sentence's person
    view ``s``) the conjunction before a person's act blanked (same offsets)."""
    out = _DANGER.sub(lambda m: " " * len(m.group()), raw)
    if _STANDING.search(raw):
        out = _TRIGGER.sub(lambda m: " " * len(m.group()), out)
    if s is not None:
        for m in _CAUSE.finditer(raw):
            if _person_acts_after(s, m.end()):
                out = out[: m.start()] + " " * (m.end() - m.start()) + out[m.end() :]
    return out


def _person_acts_after(s: Sentence, pos: int) -> bool:
    """The clause at ``pos`` opens with a person (not one of the affected) as its subject:
    up to three words of noun phrase, then the person word, then a word that is not a noun
    of a thing the person owns ("because the nurse's chart" is about the chart)."""
    i = s.index_at(pos)
    for k in range(i, min(i + 4, len(s.tokens))):
        if k > i and s.text[s.tokens[k - 1][2] : s.tokens[k][1]].strip():
            return False
        if s.person[k]:
            word, poss = strip_poss(s.tokens[k][0])
            return not poss and word not in AFFECTED
    return False


def undecided(raw: str, names: frozenset[str], text: str | None = None) -> Sentence | None:
    """The sentence's person view when the learned stage should read ``raw`` (a sentence no
    rule flagged, quotes masked; ``text`` the same sentence unmasked), else None."""
    text = raw if text is None else text
    if raw != text:
        return None  # quoted words: a mention is not a use (the rules mask them too)
    n_words = len(raw.split())
    if not _MIN_WORDS <= n_words <= _MAX_WORDS:
        return None
    if _TIMELINE.search(raw) or _CLOCK.search(raw) or _ACTION.search(raw) or _LABEL.search(raw):
        return None
    if _NOT_A_VERDICT.search(raw) or _CLAIM.search(raw) or _QUESTION.search(raw):
        return None
    if _WOULD_HAVE.search(raw):
        return None
    s = Sentence(raw, names)
    cond = _without_blame_context(raw, s)
    if _CONDITION.search(cond) or COND_AFTER.search(cond):
        return None
    if not has_actor(s) or _is_reported(s, raw):
        return None
    return s


def features(raw: str, s: Sentence) -> list[float]:
    """The parse's view of a sentence beside its embedding, each 0 or 1: is the person the
    actor of the first clause (or only later), is a condition, a standing consequence or harm
    told in plain words in it."""
    first = _CLAUSE_END.search(raw)
    cond = _without_blame_context(raw, s)
    hi = s.index_at(first.start()) if first else None
    flags = (
        has_actor(s, 0, hi),
        bool(_CONDITION.search(cond) or COND_AFTER.search(cond)),
        bool(_FROM_NOW.search(raw)),
        bool(_HARM.search(raw)),
    )
    return [1.0 if f else 0.0 for f in flags]


#: Hand features per sentence after the 384 embedding dimensions.
N_FEATURES = 4


def vectors(texts: list[str], names: frozenset[str] = frozenset()) -> Any:
    """The head's input for each text: its embedding (384) then :func:`features`."""
    import numpy as np

    from learnloop.search import dense

    emb = dense.encode(texts)
    extra = []
    for t in texts:
        raw = mask(t)
        extra.append(features(raw, Sentence(raw, names)))
    return np.hstack([emb, np.array(extra, dtype=np.float32).reshape(len(texts), N_FEATURES)])


def probabilities(texts: list[str], names: frozenset[str] = frozenset()) -> list[float]:
    """The head's probability of blame for each text (embedded in one batch)."""
    head = _head()
    if head is None or not texts:
        return [0.0] * len(texts)
    x = vectors(texts, names)
    w, b = head["weights"], float(head["bias"])
    out = []
    for row in x.tolist():
        z = b + math.fsum(a * c for a, c in zip(row, w, strict=True))
        out.append(1.0 / (1.0 + math.exp(-z)))
    return out


def threshold() -> float:
    head = _head()
    return float(head["threshold"]) if head else 1.1


def person_span(s: Sentence) -> tuple[int, int]:
    """The first person reference (with its determiner) to underline, else the sentence."""
    for i, (_word, a, b) in enumerate(s.tokens):
        if s.person[i]:
            return a, b
    return 0, len(s.text)
