"""Blame-language engine: flags sentences that put a failure on a person.

Pure standard-library Python (no Django, no network, no model) so it can run in
the web app, a pre-commit hook and batch jobs alike.

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
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from .lexicon import (
    COMMON_CAPS,
    INDEFINITE,
    PRONOUNS,
    ROLES,
    STATE_VERBS,
    SUBJECT_PRONOUNS,
    SYSTEM_NOUNS,
    TRAIT_WORDS,
)
from .lexicon import words as _words
from .sentences import split_sentences

__all__ = ["Finding", "SIGNALS", "analyse", "is_blameful", "split_sentences"]

SIGNALS = (
    "named-person",
    "character",
    "counterfactual",
    "human-error-conclusion",
    "normative",
    "why-didnt",
    "punitive",
)


@dataclass(frozen=True)
class Finding:
    """One blameful span. Offsets index into the text given to :func:`analyse`."""

    start: int
    end: int
    signal: str
    signals: tuple[str, ...]
    sentence_start: int
    sentence_end: int
    message: str
    suggestion: str


MESSAGES = {
    "named-person": "This presents a person or team as the cause of the failure.",
    "character": "This judges someone's character rather than the conditions they worked in.",
    "counterfactual": "Hindsight: this says what someone should have done, which was only "
    "clear after the outcome.",
    "human-error-conclusion": "'Human error' ends the analysis where it should start.",
    "normative": "This measures the action against an ideal instead of explaining it.",
    "why-didnt": "A rhetorical question aimed at people invites defence, not learning.",
    "punitive": "A sanction tells everyone that reporting is risky.",
}

SUGGESTIONS = {
    "named-person": "Describe what the person saw and did, and which conditions (tools, "
    "workload, information) shaped it.",
    "character": "What about the situation (time pressure, training, tooling) made this "
    "outcome likely for anyone in that seat?",
    "counterfactual": "What made this action make sense at the time?",
    "human-error-conclusion": "What made the action look reasonable at the time, and what "
    "would have caught the slip?",
    "normative": "Describe what happened and what made it hard, without judging how basic "
    "or obvious it looks now.",
    "why-didnt": "Ask about the system instead: what in the setup made this easy to miss?",
    "punitive": "Focus on what the organisation will change; sanctions discourage reporting.",
}

# Primary-signal order: the most specific explanation wins.
_PRIORITY = (
    "punitive",
    "human-error-conclusion",
    "why-didnt",
    "character",
    "counterfactual",
    "normative",
    "named-person",
)

_I = re.IGNORECASE
_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f][\w\u2019'\-]*")
_QUOTED = re.compile(
    r"(?<![\w])\"[^\"\n]{1,120}\"(?![\w])|\u201c[^\u201d\n]{1,120}\u201d"
    r"|(?<![\w])'[^'\n]{1,60}'(?![\w])|\u2018[^\u2019\n]{1,60}\u2019(?![\w])|`[^`\n]{1,200}`"
)
_DETS = _words(
    "the a an our their his her its my your this that these those one two three both some any "
    "every each all whole new newest other same"
)
_PREPS = _words(
    "for to of from with by on in at about into onto over under via through behind per "
    "against toward towards than like"
)
_ADVERBS = _words(
    "just simply also never even obviously clearly then again really actually completely "
    "totally still already apparently somehow basically literally ever always once twice "
    "probably certainly merely plainly evidently conveniently honestly frankly"
)
_CONJ = _words(
    "and but because so while when although though since unless if whereas then after before "
    "until or nor yet"
)
_AUX = _words(
    "has had have is was are were will would should could can did does do must may might "
    "shall isn't wasn't hasn't hadn't didn't doesn't won't wouldn't"
)
_GROUP_HEADS = _words("crew team shift staff department desk unit squad group")
_TITLES = _words("mr mrs ms dr prof professor nurse sister coach")
_NAME_SUFFIX_BAD = re.compile(
    r"(?:s|ing|tion|sion|ment|ness|ity|ure|age|ance|ence|ism|ics|ed|ly|ful|ous|ive|al|er|or)$"
)
_S_NOUNS = _words("""
    status bonus virus campus focus corpus census nexus stimulus surplus plus minus bus
    analysis basis crisis axis thesis diagnosis prognosis synopsis emphasis hypothesis
    chaos kudos canvas gas atlas bias alias ethos cosmos consensus apparatus radius
    genius onus sinus fetus impetus prospectus syllabus thus this has was his is its as
    does goes kubernetes redis paas saas iaas
    """)
_CLAUSE_PUNCT = re.compile(r"[;:\u2014\u2013(\[]|\s-\s|,")


def _strip_poss(word: str) -> tuple[str, bool]:
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        return w[:-2], True
    if w.endswith("s'"):
        return w[:-1], True
    return w, False


def _is_role(w: str) -> bool:
    if w in ROLES:
        return True
    if w.endswith("es") and w[:-2] in ROLES:
        return True
    return w.endswith("s") and w[:-1] in ROLES


_LEXICAL_PERSON: dict[str, tuple[str, bool]] = {}


class _Sentence:
    """Tokenised view of one sentence, built lazily only when a cue matched."""

    __slots__ = ("text", "tokens", "person", "names", "prev_text")

    def __init__(self, text: str, names: frozenset[str]) -> None:
        self.text = text
        self.names = names
        self.prev_text = ""
        self.tokens: list[tuple[str, int, int]] = [
            (m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
        ]
        self.person = [self._person(i) for i in range(len(self.tokens))]

    def _person(self, i: int) -> bool:
        word = self.tokens[i][0]
        cached = _LEXICAL_PERSON.get(word)
        if cached is None:
            w = _strip_poss(word)[0]
            cached = (w, w in PRONOUNS or w in INDEFINITE or _is_role(w))
            if len(_LEXICAL_PERSON) < 50_000:
                _LEXICAL_PERSON[word] = cached
        w, lexical = cached
        if lexical or w in self.names:
            return True
        if w == "one":
            return i > 0 and self.tokens[i - 1][0].lower() == "no"
        if not word[:1].isupper():
            return False
        bare = word.rstrip("'\u2019s") if word.endswith(("'s", "\u2019s")) else word
        if not bare[:1].isupper() or len(bare) < 2 or w in COMMON_CAPS:
            return False
        if bare.isupper():  # acronyms: products and systems, unless a known role
            return False
        if i > 0 and self.tokens[i - 1][0].lower() in _TITLES:
            return True
        if i == 0 or self._starts_sentence(i):
            # Sentence-initial capital: a name only if it does not look like a common noun.
            if not _NAME_SUFFIX_BAD.search(w):
                return len(w) >= 3
            # "Marcus failed to ...", "Chris should have ...": -us/-is/-os/-as names
            # before a verb; common nouns with those endings are listed.
            if not re.search(r"(?:[^s]us|is|os|as)$", w) or w in _S_NOUNS:
                return False
            if i + 1 >= len(self.tokens):
                return False
            nxt = self.tokens[i + 1][0].lower()
            return nxt in _AUX or nxt.endswith("ed") or nxt in ("never", "just", "simply")
        return True

    def _starts_sentence(self, i: int) -> bool:
        prev_end = self.tokens[i - 1][2]
        gap = self.text[prev_end : self.tokens[i][1]]
        return any(c in gap for c in ".!?:*>#")

    # --- helpers -------------------------------------------------------
    def index_at(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        lo, hi = 0, len(self.tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.tokens[mid][1] < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def has_person(self, lo: int = 0, hi: int | None = None) -> bool:
        hi = len(self.tokens) if hi is None else hi
        return any(self.person[lo:hi])

    def clause_start(self, pos: int) -> int:
        """Token index where the clause containing ``pos`` starts."""
        i = self.index_at(pos) - 1
        while i >= 0:
            word, s, e = self.tokens[i]
            nxt = self.tokens[i + 1][1] if i + 1 < len(self.tokens) else pos
            if _CLAUSE_PUNCT.search(self.text, e, min(nxt, pos)):
                return i + 1
            if word.lower() in _CONJ:
                return i + 1
            i -= 1
        return 0

    def subject_is_person(self, pos: int) -> bool:
        """Is the grammatical subject of the clause ending at ``pos`` a person?"""
        end = self.index_at(pos)
        start = self.clause_start(pos)
        toks = self.tokens
        # "..., who never read" / "the nurse that skipped": look at the antecedent.
        if start < end and toks[start][0].lower() in ("who", "whom"):
            return start > 0 and self.person[start - 1]
        j = end - 1
        while j >= start and toks[j][0].lower() in _ADVERBS:
            j -= 1
        if j < start:
            # Clause starts right at the cue ("... and should not be"): fall back to the
            # sentence's first clause.
            if start > 0:
                return self._first_np_person(0, end, loose=True)
            return False
        # Rule A: the word right before the cue heads a person noun phrase.
        if self.person[j] and not _strip_poss(toks[j][0])[1]:
            k = j - 1
            steps = 0
            while k >= start and steps < 3:
                w = toks[k][0].lower()
                if w in _PREPS:
                    break
                if w in _DETS or self.person[k] or steps < 2:
                    k -= 1
                    steps += 1
                    continue
                break
            else:
                return True
            if k < start or toks[k][0].lower() not in _PREPS:
                return True
        # Rule B: the clause opens with a person ("Somebody on the identity team ...").
        return self._first_np_person(start, end)

    def _first_np_person(self, start: int, end: int, loose: bool = False) -> bool:
        toks = self.tokens
        i = start
        while i < end and (toks[i][0].lower() in _DETS or toks[i][0].lower() in _ADVERBS):
            i += 1
        if i < end and not self.person[i]:
            # Up to two modifiers before a role head: "the AP clerk", "the charge nurse".
            for k in (i + 1, i + 2):
                if k >= end or toks[k - 1][0].lower() in _PREPS or toks[k - 1][0].lower() in _AUX:
                    break
                if toks[k - 1][0][:1].isupper() and not toks[k - 1][0].isupper():
                    break  # "The Orchard deal": a capitalised modifier is a product or name
                if self.person[k] and _is_role(_strip_poss(toks[k][0])[0]):
                    i = k
                    break
        if i >= end or not self.person[i]:
            return False
        w = toks[i][0].lower()
        if w in ("whoever", "whomever"):
            return True  # "whoever priced this deal ..." carries its own relative clause
        if w in ("nobody", "no-one") or (w == "one" and i > 0 and toks[i - 1][0].lower() == "no"):
            return True
        while i + 1 < end and self.person[i + 1]:
            i += 1
        base, poss = _strip_poss(toks[i][0])
        if poss:
            return i + 1 < end and _strip_poss(toks[i + 1][0])[0] in _GROUP_HEADS
        if i + 1 < len(toks) and toks[i + 1][0].lower() in SYSTEM_NOUNS:
            return False  # "the vendor renewal reminder": the person word is a modifier
        if i + 1 >= end or loose:
            return True  # loose: the sentence's own subject, seen from a later clause
        nxt = toks[i + 1][0].lower()
        if nxt in _AUX or nxt in _ADVERBS:
            return True
        return (
            nxt in _PREPS
            or nxt in ("who", "that", "whose", "with")
            or nxt in _CONJ
            or (self.text[toks[i][2] : toks[i + 1][1]].strip() == ",")
        )

    def next_np_person(self, pos: int) -> bool:
        """Is the noun phrase starting at ``pos`` a person or a person's possession?"""
        i = self.index_at(pos)
        toks = self.tokens
        steps = 0
        while i < len(toks) and steps < 4:
            w = toks[i][0].lower()
            if self.person[i]:
                return True
            if w in _DETS or steps < 2 and w not in _PREPS:
                i += 1
                steps += 1
                continue
            return False
        return False


# --------------------------------------------------------------------------
# Rules. Each rule: (signals, regex, check, keys). ``check`` receives the sentence
# and the match and returns True when the cue is really about a person. ``keys`` is
# the rule's cheap gate (see ``rule``).
# --------------------------------------------------------------------------

Check = Callable[[_Sentence, re.Match[str]], bool]

_NEG_BEFORE = re.compile(
    r"(?:(?<![\w-])not|n't|(?<![\w-])never|(?<![\w-])no|(?<![\w-])nothing|(?<![\w-])nobody|(?<![\w-])no one|(?<![\w-])rather than|(?<![\w-])instead of"
    r"|(?<![\w-])call(?:ing|ed|s)?(?: it| this| that)?|(?<![\w-])label(?:l?ing|l?ed|s)?(?: it)?"
    r"|(?<![\w-])words?|(?<![\w-])terms?|(?<![\w-])phrase|(?<![\w-])avoid(?:ing)?|(?<![\w-])beyond|(?<![\w-])remov(?:e|ed|ing)"
    r"|(?<![\w-])replac(?:e|ed|ing)|(?<![\w-])stop(?:ped)?|(?<![\w-])less|(?<![\w-])isn't|(?<![\w-])wasn't|(?<![\w-])drop(?:ped)?"
    r"|(?<![\w-])banned|(?<![\w-])forbid\w*|(?<![\w-])swap\w*|(?<![\w-])question(?:ing|ed)?)"
    r"(?:\s+\w+){0,3}\s*[\"'\u201c\u2018]?\s*$",
    _I,
)
_META_AFTER = re.compile(
    r"[\"'\u201d\u2019]?\s*(?:is not|isn't|was not|wasn't|is never|is rarely|is a symptom"
    r"|is where|is the start|as a (?:root )?cause|label\b|tells us nothing|explains nothing"
    r"|(?:\w+ ){0,4}?(?:was|were|is|are|has been|have been) (?:ruled out|excluded|disproven"
    r"|not (?:the|a) (?:cause|factor)))",
    _I,
)
# "user error rate", "operator error messages": the words name a metric or a UI, not a verdict.
_ERROR_NOUN_AFTER = re.compile(
    r"\s*(?:rates?\b|messages?\b|counts?\b|codes?\b|pages?\b|logs?\b|handling|budget"
    r"|-?proof|tolerant|screens?\b|dialogs?\b|states?\b|paths?\b|types?\b)",
    _I,
)


def _not_negated(s: _Sentence, m: re.Match[str]) -> bool:
    before = s.text[max(0, m.start() - 40) : m.start()]
    if _NEG_BEFORE.search(before):
        return False
    return not _META_AFTER.match(s.text, m.end())


def _always(s: _Sentence, m: re.Match[str]) -> bool:
    return _not_negated(s, m)


def _person_in_sentence(s: _Sentence, m: re.Match[str]) -> bool:
    return s.has_person() and _not_negated(s, m)


def _subject(s: _Sentence, m: re.Match[str]) -> bool:
    return s.subject_is_person(m.start())


_COND_AFTER = re.compile(
    r"\b(?:because|since|as (?:it|the|there|they|he|she|we|nobody|no one)|due to|given that"
    r"|while (?:the|it)|until (?:the|it)|following (?:the|our)|per the|as (?:instructed"
    r"|trained|documented|the runbook|the policy)|but (?:the|there|it|no one|nobody)"
    r"|which (?:the|our|its) \w+ (?:\w+ )?(?:offers|allows|suggests|shows|defaults|permits))\b",
    _I,
)
_COND_BEFORE = re.compile(
    r"(?:\bso\b|\btherefore\b|\bhence\b|\bwhich meant\b|\bas a result\b|\bthat is why\b"
    r"|\bwhich is why\b)",
    _I,
)
_COND_ANY = re.compile(
    r"\b(?:no one had|nobody had|had no|has no|there was no|there were no|was no|were no"
    r"|(?:wasn't|weren't|was not|were not|had not been|hadn't been|never been) "
    r"(?:told|shown|trained|given|asked|informed|warned)|no one (?:told|showed)"
    r"|nobody (?:told|showed)|without (?:access|guidance|training|a way|any way|a prompt)"
    r"|couldn't (?:see|know|tell)|could not (?:see|know|tell)|did not have|didn't have"
    r"|the (?:form|tool|screen|system|template|checklist|runbook|ui|page) (?:had|has|did|does|"
    r"didn't|doesn't|showed|shows|was|is))\b",
    _I,
)
_BECAUSE = re.compile(r"\b(?:because|since|due to)\b", _I)


def _has_condition(s: _Sentence, m: re.Match[str]) -> bool:
    """Omission given together with the condition that produced it (blameless)."""
    before = s.text[: m.start()]
    if _BECAUSE.search(before):
        # The omission *is* the explanation ("... because the team failed to run it").
        return False
    if _COND_AFTER.search(s.text, m.end()):
        return True
    if _COND_BEFORE.search(before):
        return True
    return bool(_COND_ANY.search(s.text))


def _omission(s: _Sentence, m: re.Match[str]) -> bool:
    return s.subject_is_person(m.start()) and not _has_condition(s, m)


def _didnt_action(s: _Sentence, m: re.Match[str]) -> bool:
    verb = m.group("verb").lower()
    if verb in STATE_VERBS or verb in _AUX or verb == "been":
        return False
    i = s.index_at(m.start())
    if i > 0 and s.tokens[i - 1][0].lower() in _PERFECT_OR_PASSIVE:
        return False  # "had never worked with", "were never told": experience / recipient
    return _omission(s, m)


_PERFECT_OR_PASSIVE = _words("had has have was were is are be been being")


def _could_have(s: _Sentence, m: re.Match[str]) -> bool:
    start = s.clause_start(m.start())
    end = s.index_at(m.start())
    words = {t[0].lower() for t in s.tokens[start:end]}
    if words & {"anyone", "anybody", "nobody", "everyone", "everybody", "no"}:
        return False  # "anyone could have made this mistake" is exculpatory
    tail = s.text[m.end() : m.end() + 30].lower()
    if re.match(r"\s*(?:had|been able|received|gotten|got|been told|been given)\b", tail):
        return False  # "should have had an alert", "you should have received an email"
    if m.group().lower().startswith("could") and re.match(
        r"\s*(?:known|predicted|foreseen|anticipated|guessed)\b", tail
    ):
        return False  # "nobody could have known"
    nxt = _NEXT_WORD.match(s.text, m.end())
    if not nxt or not _is_participle(nxt.group(1).lower()):
        return False  # "we should have alerting on lag": possession/intent, not hindsight
    if not _not_negated(s, m):
        return False  # "... not what they should have done"
    if m.group().lower().startswith("could") and _TOOL_CONDITION.search(
        s.text, m.end(), m.end() + 80
    ):
        return False  # "we could have caught this with a synthetic check": about a tool
    return s.subject_is_person(m.start())


_TOOL_CONDITION = re.compile(
    r"\b(?:with|if|had|given) (?:a|an|the right|better|more|some|any|there been|we had)\b", _I
)


_NEXT_WORD = re.compile(
    r"\s+(?:(?:just|simply|at least|also|really|probably|easily|then"
    r"|first|never|not|already)\s+)?([A-Za-z][\w'-]*)"
)
_IRREGULAR_PP = _words("""
    been done gone seen known run set put read told caught taught bought brought thought
    fought sought held met paid said sold understood stood spent lost found felt dealt meant
    slept swept lit shut quit let cut hit kept left made taken given written driven ridden
    spoken broken chosen frozen stolen woken forgotten gotten begun drunk rung sung swum
    shown thrown grown drawn blown flown known sent built lent bent spent heard won struck
    hung stuck shot led fed bled fled sat split spread bet burst cast cost hurt shed
    """)


def _is_participle(word: str) -> bool:
    word = word.rsplit("-", 1)[-1]  # "re-read", "double-checked"
    return word.endswith("ed") or word in _IRREGULAR_PP


_INTENT = re.compile(
    r"\b(?:should|must|can(?!'t|not)|could(?!n't)|will|would(?!n't)|need to|needs to|has to"
    r"|have to|able to|so that"
    r"|in order to|lets?|allows?)\b",
    _I,
)


def _without(s: _Sentence, m: re.Match[str]) -> bool:
    start = s.clause_start(m.start())
    if _INTENT.search(s.text, s.tokens[start][1] if start < len(s.tokens) else 0, m.start()):
        return False  # design intent / ability: "operators should be able to stop ... without"
    end = s.index_at(m.start())
    if not any(s.person[:end]):
        # A person anywhere before the cue: "the pull request Amir merged without telling".
        return False
    return not _has_condition(s, m)


def _nobody_did(s: _Sentence, m: re.Match[str]) -> bool:
    if _has_condition(s, m):
        return False
    # Bare "nobody did X" is blame only with a minimiser/ease cue or a rhetorical frame.
    if re.search(r"\b(?:even|bothered|once)\b", m.group(), _I):
        return True
    return bool(_EASE.search(s.text)) or "?" in s.text or bool(_RHETORIC_TAIL.search(s.text))


def _np_person_then_end(s: _Sentence, pos: int) -> bool:
    """A person noun phrase starts at ``pos`` and ends the clause ("... is on the night team.")."""
    i = s.index_at(pos)
    toks = s.tokens
    while i < len(toks) and toks[i][0].lower() in _DETS:
        i += 1
    for _ in range(2):  # modifiers before the head: "accounts payable", "night shift"
        if i + 1 < len(toks) and not s.person[i] and toks[i][0].lower() not in _PREPS:
            i += 1
    if i >= len(toks) or not s.person[i]:
        return False
    while i + 1 < len(toks) and s.person[i + 1]:
        i += 1
    if _strip_poss(toks[i][0])[1]:
        return False
    rest = s.text[toks[i][2] :].lstrip()
    return not rest or rest[0] in ".,;:!?\u2014\u2013-)"


def _next_person(s: _Sentence, m: re.Match[str]) -> bool:
    return s.next_np_person(m.end()) and _not_negated(s, m)


def _subject_or_next(s: _Sentence, m: re.Match[str]) -> bool:
    return s.subject_is_person(m.start())


def _question(s: _Sentence, m: re.Match[str]) -> bool:
    return "?" in s.text[m.start() :] and s.has_person()


def _question_next_person(s: _Sentence, m: re.Match[str]) -> bool:
    if re.match(r"\s+(?:we|i|us)\s+(?!have\b)", s.text[m.end() :], _I):
        return False  # "how could we make the screen clearer?" is constructive
    return "?" in s.text[m.start() :] and s.next_np_person(m.end())


def _why_omission(s: _Sentence, m: re.Match[str]) -> bool:
    if not s.next_np_person(m.end()):
        return False
    return bool(_OMISSION_WORDS.search(s.text, m.end()))


# A generic "who <verb>s ...?" is rhetorical when the question spells out an unreasonable
# circumstance: acting before the check, for a whole weekend, on the strength of one email.
_UNREASONABLE = re.compile(
    r"\bbefore (?:checking|verifying|confirming|reading|asking|testing|looking|telling|scanning"
    r"|counting|calling)\b|\bfor (?:a|an) (?:whole|entire|full)\b|\bon the (?:same \w+"
    r"|strength of)\b|\bwith (?:another|someone else's|somebody else's|the wrong)\b"
    r"|\b(?:a|one) single\b|\bin the middle of\b",
    _I,
)


def _rhetorical_who(s: _Sentence, m: re.Match[str]) -> bool:
    """'Who does that?' / 'Who schedules X for Black Friday?' vs 'Who approved the date?'.

    A generic present tense ("who approves ...") or a modal is rhetorical; a plain past
    tense asks for a fact unless the question carries a judgment ("without", "that?").
    """
    if "?" not in s.text[m.start() :]:
        return False
    verb = m.group("verb").lower()
    if verb in ("does", "would", "even", "thinks") or verb.startswith("in "):
        return True
    if verb in ("gets", "owns", "knows", "needs", "has", "is", "was", "decides"):
        return bool(re.search(r"\bwithout\b|\b(?:that|this)\s*\?", s.text[m.end() :], _I))
    return bool(
        re.search(r"\bwithout\b|\b(?:that|this)\s*\?|\beven\b|\bon earth\b", s.text[m.end() :], _I)
        or (verb.endswith("s") and _UNREASONABLE.search(s.text, m.end()) is not None)
    )


def _rhetoric_tail(s: _Sentence, m: re.Match[str]) -> bool:
    return s.has_person(0, s.index_at(m.start()))


def _ask_name(s: _Sentence, m: re.Match[str]) -> bool:
    return bool(re.search(r"\bwhy\b|\bwho\b", s.text[: m.start()], _I)) and s.next_np_person(
        m.end()
    )


def _thanks_sarcasm(s: _Sentence, m: re.Match[str]) -> bool:
    return s.next_np_person(m.start() + len("thanks to"))


_GENERIC_SUBJECT = re.compile(
    r"^\W*(?:all |our |new |every |most |many |some )?(?:[a-z-]+ ){0,2}?[a-z-]+s\b",
    _I,
)


def _specific(s: _Sentence, m: re.Match[str]) -> bool:
    """Sanctions target specific people; retraining a whole role is a system change."""
    if not re.search(r"retrain|re-train|training", m.group(), _I):
        return True
    if re.search(
        r"\bas a (?:consequence|result|punishment|sanction)\b|\bfor (?:his|her|their"
        r"|the) (?:mistake|error|miss|slip)",
        s.text,
        _I,
    ):
        return True
    start = s.clause_start(m.start())
    prefix = s.text[s.tokens[start][1] if start < len(s.tokens) else 0 : m.start()]
    return not _GENERIC_SUBJECT.match(prefix)


def _reported_ok(s: _Sentence, m: re.Match[str]) -> bool:
    return _not_negated(s, m) and not _ERROR_NOUN_AFTER.match(s.text, m.end())


_BAD_ACT = re.compile(
    r"\b(?:untested|unreviewed|unapproved|wrong|late|without|skipp\w*|ignor\w*|miss\w*"
    r"|forg[eo]t\w*|broke|rush\w*|careless\w*|sloppy|mistake|screw\w*|messed"
    r"|left (?:\w+ ){0,3}?(?:open|unlocked|running|unattended|behind))\b",
    _I,
)
_FOLLOW_UP = re.compile(
    r"\b(?:follow[- ]?ups?|action items?|actions?|fix|remediation|owner|ownership|owning"
    r"|next steps?|rollout|migration plan)\b",
    _I,
)
_EASE = re.compile(
    r"\btakes? (?:only |just |all of )?(?:half a minute|a minute|a second|seconds|\w+ seconds"
    r"|two minutes|five minutes|a moment)\b|\bstep one\b|\bthe first step\b|\bone click\b"
    r"|\btrivial(?:ly)?\b|\bthe easiest\b|\bliterally\b",
    _I,
)
_RHETORIC_TAIL = re.compile(
    r"[\u2014\u2013,-]\s*(?:seriously,?\s*)?(?:how|why(?: not)?|really)\s*\?\s*\W*$", _I
)
_OMISSION_WORDS = re.compile(
    r"\b(?:skip\w*|ignor\w*|miss\w*|forg[eo]t\w*|overlook\w*|bypass\w*|leave out|left out"
    r"|not|never|even|really|seriously|without)\b",
    _I,
)

_OMIT_VERBS = (
    r"(?:check|read|look|open|test|verify|confirm|ask|call|page|tell|follow|run|count|review"
    r"|escalate|notice|catch|reply|respond|document|update|label|log|chart|scan|record|sign"
    r"|wait|stop|report|flag|inform|warn|mention|write|clean|lock|back|double-check|recheck"
    r"|re-check|reconcile|compare|inspect|measure|validate|monitor|investigate|bother)"
)


class Rule(NamedTuple):
    signals: tuple[str, ...]
    pattern: re.Pattern[str]
    check: Check
    keys: tuple[frozenset[str], ...]


def _r(signals: str, pattern: str, check: Check, *, keys: str) -> Rule:
    """One rule. ``keys`` is its gate: lowercase substrings, one of which every match of the
    rule contains (``a|b``); ``&`` joins groups that must all occur in the sentence (``?&why``:
    a question mark and "why"). A sentence without them never runs the regex.
    ``tests/test_engine.py`` checks that gating never changes a result."""
    groups = tuple(frozenset(group.split("|")) for group in keys.split("&"))
    return Rule(tuple(signals.split()), re.compile(pattern, _I), check, groups)


RULES: list[Rule] = [
    # ---------------- counterfactual (hindsight about a person) ----------------
    _r(
        "counterfactual",
        r"\b(?:never |not )?(?:should|ought to|must)(?:n't| not| never)?\s+(?:\w+\s+)?(?:have|'ve)\b"
        r"|\bshould've\b|\bshouldn't've\b",
        _could_have,
        keys="should|ought|must",
    ),
    _r(
        "counterfactual",
        r"\bcould(?:n't| not)?\s+(?:\w+\s+)?have\b|\bcould've\b",
        _could_have,
        keys="could",
    ),
    _r(
        "counterfactual",
        r"\b(?:failed|fails|fail|neglected|neglects|forgot|forgets|forget|omitted)\s+to\b"
        r"|\bforgot (?:about|the|his|her|their)\b",
        _omission,
        keys="fail|neglect|forg|omitted",
    ),
    _r(
        "counterfactual normative",
        r"\bfailed at (?:the|even|a) \w+",
        _subject_or_next,
        keys="failed at",
    ),
    _r(
        "counterfactual normative",
        r"\b(?:did(?:n't| not)|never|won't|wouldn't)\s+(?:even\s+)?(?:bother|bothered)\b"
        r"|\b(?:couldn't|could not|can't|cannot)\s+(?:even\s+)?be\s+(?:bothered|troubled|arsed)\b"
        r"|\bdid(?:n't| not) so much as\b|\b(?:didn't|did not|couldn't|could not) even\b"
        r"|\bnot even (?:once|a|one|glance|look|check|read|open)\b",
        _person_in_sentence,
        keys="bother|troubled|arsed|so much as|even",
    ),
    _r(
        "counterfactual",
        r"\b(?:did(?:n't| not)|never|has(?:n't| not) once)\s+(?:once\s+)?(?P<verb>[a-z]+)\b",
        _didnt_action,
        keys="did|never|hasn't once|has not once",
    ),
    _r(
        "counterfactual",
        r"\b(?:skipped|ignored|overlooked|disregarded|bypassed|sat on|left out)\b",
        _omission,
        keys="skipped|ignored|overlooked|disregarded|bypassed|sat on|left out",
    ),
    _r(
        "counterfactual",
        r"\bwithout (?:even |so much as |first |ever )?\w+ing\b",
        _without,
        keys="without",
    ),
    _r(
        "counterfactual",
        r"\b(?:nobody|no one|no-one)(?: (?:in|on|from|at) (?:the )?\w+(?: \w+)?)? "
        r"(?:ever |even )?(?:did|checked|read|looked|opened|noticed|caught|verified|followed"
        r"|asked|called|replied|bothered|counted|compared|tested|reviewed|flagged)\b",
        _nobody_did,
        keys="nobody|no one|no-one",
    ),
    _r(
        "counterfactual normative",
        r"\bwould have cost (?:him|her|them|you|me|us|the \w+|\w+) nothing\b"
        r"|\bwould have taken (?:him|her|them|you|the \w+) (?:\w+ )?(?:seconds|a minute|minutes"
        r"|a second|a moment)\b",
        _always,
        keys="nothing|would have taken",
    ),
    _r(
        "counterfactual",
        r"\ball (?:it|he|she|they|you|we|anyone|someone) (?:needed|took|had to do|needed to do"
        r"|had to|would have taken|would have needed|needs|takes)(?: was)?(?: to)? (?:a |one |an "
        r"|the |just |to )?(?:\w+[- ]){0,2}?(?:heads-up|message|call|check|glance|look|email"
        r"|click|question|ping|note|post|word|minute|second|read)\b",
        _always,
        keys="all it|all he|all she|all they|all you|all we|all anyone|all someone",
    ),
    _r("counterfactual", r"\bif only\b", _person_in_sentence, keys="if only"),
    _r(
        "counterfactual",
        r"\bif (?:the |our |a |an |that |this )?(?:\w+ )?(?P<who>\w+) had (?:\w+ )?"
        r"(?:\w+ed|\w+en|read|done|run|set|put|sent|made|told|caught|kept|paid|hit|met)\b",
        lambda s, m: s.person[s.index_at(m.start("who"))],
        keys="had",
    ),
    _r(
        "counterfactual",
        r"(?:^|[,;:]\s*)had (?:the |our |a |an |that |this )?(?:\w+ )?(?P<who>\w+) (?:\w+ )?"
        r"(?:\w+ed|\w+en|read|done|run|set|put|sent|made|told|caught|kept|paid|hit|met)\b",
        lambda s, m: s.person[s.index_at(m.start("who"))],
        keys="had",
    ),
    _r(
        "counterfactual character",
        r"\b(?:a|an|any|one|the) (?:\w+ ){0,2}?\w+ who (?:actually |really |even |was |is )?"
        r"(?:paying attention|paid attention|understood|knew|cared|listened|bothered|read the"
        r"|looked|checked|was awake|was competent|knows|understands|cares)\b",
        lambda s, m: (
            s.has_person(s.index_at(m.start()), s.index_at(m.end()))
            # "we should have more than one person who knows the restore": staffing intent
            and not re.search(
                r"\b(?:more than|at least|only|another|a second|a backup|need|needs|needed"
                r"|should have|will have|hire|train)\s+(?:\w+\s+)?$",
                s.text[max(0, m.start() - 30) : m.start()],
                _I,
            )
        ),
        keys=" who ",
    ),
    _r(
        "counterfactual",
        r"\b(?:was|were) (?:supposed|meant|expected) to\b",
        _omission,
        keys="supposed|meant|expected",
    ),
    _r(
        "character",
        r"\b(?:wasn't|weren't|was not|were not|isn't|aren't|not) (?:even )?(?:listening"
        r"|paying attention|thinking|concentrating|focused|careful|awake)\b",
        _omission,
        keys="listening|attention|thinking|concentrating|focused|careful|awake",
    ),
    _r(
        "character",
        r"\b(?:anyone|anybody|someone|somebody|any \w+|a \w+) (?:who (?:is|was|were) )?"
        r"(?:paying attention|half awake|with (?:a pulse|eyes|half a brain|any experience"
        r"|basic training|any sense))\b",
        _always,
        keys="attention|awake|pulse|eyes|brain|experience|training|sense",
    ),
    _r(
        "character",
        r"\b(?:no|any|the faintest|the slightest) (?:idea|clue) what (?:he|she|they|you|i)"
        r"(?:'s|'re| is| are| was| were) doing\b|\b(?:doesn't|don't|didn't) know what (?:he|she"
        r"|they|you)(?:'s|'re| is| are| was| were) doing\b",
        _always,
        keys="idea|clue|know what",
    ),
    _r(
        "normative",
        r"\b(?:this|that|it) is what happens when\b",
        lambda s, m: s.has_person(s.index_at(m.end())),
        keys="what happens",
    ),
    _r(
        "normative",
        r"\b(?:as usual|yet again|once again|once more|as always|like always|again)\b",
        lambda s, m: s.has_person() and bool(_BAD_ACT.search(s.text)),
        keys="usual|again|always|once more",
    ),
    _r(
        "normative",
        r"\b(?:simply|merely|blindly|lazily|casually|happily|conveniently)\s+(?P<verb>\w+ed|"
        r"went|ran|took|made|gave|sent|put|left|let|read|told|said|did|kept|chose|wrote|sold)\b",
        lambda s, m: s.subject_is_person(m.start()),
        keys="simply|merely|blindly|lazily|casually|happily|conveniently",
    ),
    # ---------------- minimisers / intensifiers on a person's action ----------------
    _r(
        "normative counterfactual",
        r"\b(?:simply|obviously|clearly|plainly|blatantly|just|merely|conveniently|casually)\s+"
        r"(?:(?:you|they|he|she|we|i)\s+)?(?:didn't|did not|don't|do not|doesn't|never|ignored"
        r"|ignore|skipped|skip|missed|forgot|failed|wasn't|weren't|couldn't|refused|chose"
        r"|decided|overlooked|disregarded|bypassed|assumed|guessed|shrugged|walked away"
        r"|went ahead|clicked through|looked away|winged|pushed through|hand|signed off|has no"
        r"|had no|lacks|lacked|is not|isn't|can't|cannot)\b",
        lambda s, m: s.has_person(0, s.index_at(m.end())),
        keys="simply|obviously|clearly|plainly|blatantly|just|merely|conveniently|casually",
    ),
    # ---------------- normative idioms ----------------
    _r(
        "normative",
        r"\b(?:the )?most basic\b|\bbasic (?:common )?sense\b|\bcommon sense\b|\bknows? better\b"
        r"|\bknew better\b|\bagainst (?:all )?(?:the )?(?:rules|protocol|policy|procedure)\b"
        r"|\b(?:he|she|they|you) (?:knows?|knew) (?:it|that|this)(?: (?:very|perfectly|full))?"
        r"(?: well)?\s*[.!]?$|\bbox[- ]ticking\b|\btick[- ]box\b|\bticked (?:every|each|all the)"
        r" box(?:es)?\b|\brubber[- ]stamp(?:ed|ing|s)?\b|\bno rules for (?:him|her|them)\b"
        r"|\brules (?:don't|do not) apply to\b|\btoo much to ask\b"
        r"|\bthe least (?:he|she|they|you|we|i) could\b|\bnot rocket science\b"
        r"|\bhow hard (?:is|was|can|could) it\b|\bunder no circumstances\b"
        r"|\b(?:went|go|goes|going|gone) rogue\b|\bcowboy(?:s|ing)?\b|\bcut(?:s|ting)? corners\b"
        r"|\bpromised the moon\b|\bover-?promised\b|\b(?:ran|run|running) wild\b"
        r"|\bacted (?:all )?surprised\b|\bplayed dumb\b|\bjust shrugged\b"
        r"|\bshrug(?:ged|s)?(?: (?:it|them|that|this|those|the \w+))? off\b"
        r"|\bbrushed (?:it |them |that )?off\b|\bwaved (?:[\w-]+ ){0,3}?(?:off|through)\b"
        r"|\bblew (?:it |them |that )?off\b"
        r"|\bdropped the ball\b|\bphon(?:ed|es|e|ing) it in\b|\bwing(?:ed|ing) it\b"
        r"|\bsandbagg(?:ing|ed)\b|\bslacking\b|\bgoofing off\b|\bpass(?:ed|ing) the buck\b"
        r"|\brookie (?:mistake|move|error)\b|\bamateur hour\b|\bfaster than anyone could\b"
        r"|\bcould (?:possibly|even) (?:have )?(?:read|check|review|know)\b"
        r"|\bdecided (?:that )?(?:their|his|her|my) own\b"
        r"|\bdecided (?:to (?:ignore|skip|bypass)|not to (?:follow|use|check|wait|ask|tell))\b"
        r"|\bwhat (?:were|was) (?:they|you|he|she|the \w+) thinking\b"
        r"|\bin (?:their|his|her) right mind\b|\bcouldn't care less\b",
        _always,
        keys="basic|sense|better|against|knows it|knew it|knows that|knew that|know it|box|tick|stamp|rules|much to ask|least|rocket|how hard|circumstances|rogue|cowboy|corner|moon|promised|wild|surprised|dumb|shrug|brushed|waved|blew|asleep|ball|phon|wing|sandbag|slacking|goofing|buck|rookie|amateur|faster than|could possibly|could even|decided|thinking|right mind|care less",
    ),
    _r(
        "normative",
        r"\b(?:plainly |simply |totally |completely )?(?:unacceptable|inexcusable|unforgivable"
        r"|baffling|mind-?boggling|shameful|pathetic|embarrassing|unbelievable|ridiculous"
        r"|absurd|laughable|disgraceful|appalling)\b|\b(?:just |merely |only )?a formality\b"
        r"|\bin plain sight\b|\bimproper(?:ly)?\b|\binadequate(?:ly)?\b|\bseriously\b"
        r"|\bunprofessionally\b|\bhalf-assed\b|\blazy (?:work|job|effort)\b",
        lambda s, m: _not_negated(s, m) and (s.has_person() or _prev_person(s)),
        keys="unaccept|excus|forgiv|baffl|boggl|shame|pathetic|embarrass|believ|ridicul|absurd|laugh|disgrace|appal|formality|plain sight|proper|adequa|serious|profession|assed|lazy",
    ),
    _r(
        "normative",
        r"(?=.)" + _EASE.pattern,
        lambda s, m: s.has_person() and _not_negated(s, m),
        keys="take|step one|first step|one click|trivial|easiest|literally",
    ),
    # ---------------- character ----------------
    _r(
        "character",
        r"\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|lazy|laziness|sloppy|sloppily"
        r"|sloppiness|incompeten(?:t|ce|tly)|reckless(?:ly|ness)?|unprofessional(?:ism)?"
        r"|irresponsibl[ey]|irresponsibility|clueless|scatterbrained|disorgani[sz]ed"
        r"|inattentive|arrogan(?:t|ce)|inept(?:itude)?|feckless|complacen(?:t|cy)|cavalier"
        r"|lackadaisical|slacker|dim-?witted|moronic|idiotic|half-hearted(?:ly)?)\b(?!-\w)",
        _always,
        keys="careless|neglig|lazy|lazi|sloppy|sloppi|incompeten|reckless|unprofessional|irresponsib|clueless|scatter|disorgani|inattentive|arrogan|inept|feckless|complacen|cavalier|lackadaisical|slacker|witted|moron|idiot|hearted",
    ),
    _r(
        "character",
        r"\b(?:" + TRAIT_WORDS + r")\b(?!-\w)",
        lambda s, m: s.has_person() and _not_negated(s, m),
        keys="careless|neglig|lazy|lazi|sloppy|sloppi|incompeten|reckless|unprofessional|irresponsib|clueless|scatter|disorgani|inattentive|arrogan|inept|feckless|complacen|cavalier|lackadaisical|slack|witted|dimwit|moron|idiot|hearted|useless|hopeless|unreliable|untrustworthy|dishonest|rude|lax|indifferent|apathetic|sloth|stupid|dumb|absent-minded",
    ),
    _r(
        "character",
        r"\ba (?:real |total |walking |complete )?liability\b|\bnot a people person\b"
        r"|\basleep at the (?:wheel|switch)\b|\basleep on the job\b"
        r"|\bhas no business\b|\bhave no business\b|\bcoasting\b|\btoo (?:impatient|self-important|checked[- ]out|set in (?:his|her|their) ways|cocky|proud|lazy|arrogant"
        r"|careless|stubborn|green|inexperienced|scatterbrained|sloppy|distracted|disorgani[sz]ed"
        r"|slow|timid|full of (?:himself|herself|themselves)) (?:to|for)\b|\bnot cut out for\b"
        r"|\ba menace\b|\bloose with\b|\bthinks? (?:the )?rules\b"
        r"|\b(?:got|gets|getting|grew|become|became) (?:lazy|sloppy|complacent|careless|lax)\b"
        r"|\bdoing (?:always |just )?(?:like|as|whatever) (?:he|she|they) (?:want|wants|please"
        r"|pleases|like|likes)\b|\bhalf a brain\b|\bno clue\b",
        lambda s, m: s.has_person() and _not_negated(s, m),
        keys="liability|people person|business|coasting|too |cut out|menace|loose|rules|lazy|sloppy|complacent|careless|lax|doing|brain|clue|asleep",
    ),
    # ---------------- human error as a verdict ----------------
    _r(
        "human-error-conclusion",
        r"\b(?:human|operator|user|clerical|pilot|driver|picker|nurse|nursing|agent|clerk"
        r"|technician|data[- ]entry|keying|typing|staff|personnel|employee|people|rep)(?:'s)?"
        r" errors?\b",
        _reported_ok,
        keys="error&human|operator|user|clerical|pilot|driver|picker|nurs|agent|clerk|technician|entry|keying|typing|staff|personnel|employee|people|rep",
    ),
    _r(
        "human-error-conclusion",
        r"\bpebkac\b|\bpebcak\b|\bid-?(?:ten|10)-?t\b|\bpicnic\b(?= (?:error|issue|"
        r"problem|incident))|\blayer[- ]8\b|\bfat[- ]finger(?:ed|ing|s)?\b"
        r"|\bbetween the (?:chair|keyboard) and the (?:keyboard|chair)\b",
        _reported_ok,
        keys="pebkac|pebcak|id-ten|id10|idten|id-10|picnic|layer|finger|chair|keyboard",
    ),
    # ---------------- why-didnt: rhetorical questions at people ----------------
    _r(
        "why-didnt",
        r"\bwhy (?:didn't|did not|wasn't|weren't|couldn't|hasn't|hadn't|won't|wouldn't"
        r"|doesn't|don't|isn't|aren't|haven't)\b",
        lambda s, m: s.next_np_person(m.end()),
        keys="why",
    ),
    _r(
        "why-didnt",
        r"\bwhy (?:(?:did|does|do|would|has|is|was|were) )?(?:no one|nobody|no-one|not anyone"
        r"|none of)\b|\bwhy not\s*\?|\bwhy (?:on earth|the hell|in the world|in god's name)\b",
        lambda s, m: s.has_person(),
        keys="why",
    ),
    _r(
        "why-didnt", r"\bwhy (?:did|does|do|would|has|had|was|were|is)\b", _why_omission, keys="why"
    ),
    _r(
        "why-didnt",
        r"\bhow (?:could|can|would|on earth|the hell|in the world|come)\b",
        _question_next_person,
        keys=" how &?",
    ),
    _r(
        "why-didnt", r"\bhow (?:is|was) it (?:even )?(?:possible|that)\b", _question, keys=" how &?"
    ),
    _r(
        "why-didnt",
        r"(?:^|[\u2014\u2013:;,-]\s*|\bhonestly,?\s+|\bseriously,?\s+)who (?P<verb>does|would|did"
        r"|even|thought|thinks|in (?:their|his|her) right mind|[a-z]+s|[a-z]+ed|left|let|put|ran"
        r"|sent|made|took|gave|signed)\b",
        _rhetorical_who,
        keys="?&who ",
    ),
    _r(
        "why-didnt",
        r"(?:^|[,;:]\s*)(?:did|does|do|has|have|is|was|were|can|could)\s+(?:the |our |a |that "
        r"|this |any |you |he |she |they )?(?:\w+ )?\w+\s+(?:even|actually|really|ever|bother)\b",
        lambda s, m: "?" in s.text and s.has_person(s.index_at(m.start()), s.index_at(m.end())),
        keys="?&even|actually|really|ever|bother",
    ),
    _r(
        "why-didnt",
        r"\b(?:asking myself|ask myself|asked myself|love to know|like to know|wonder|wondering"
        r"|beyond me|baffles me|no idea|still don't understand|can't understand) why\b",
        lambda s, m: (
            s.has_person(s.index_at(m.end()))
            or bool(re.search(r"\bwhy\s*[.!?]?\s*$", s.text[m.start() :], _I))
        ),
        keys="why",
    ),
    _r("why-didnt", _RHETORIC_TAIL.pattern, _rhetoric_tail, keys="?"),
    # ---------------- named person as the cause ----------------
    _r(
        "named-person",
        r"\b(?:traces?|traced|tracing|leads?|led) (?:back )?to\b|\bcame (?:\w+ )?from\b"
        r"|\bcomes (?:\w+ )?from\b"
        r"|\bcaused by\b|\bbecause of\b|\bdue to\b|\bdown to\b|\bcourtesy of\b|\bthe fault of\b"
        r"|\bblame (?:lies|rests|falls|sits|goes|belongs) (?:with|on|to)\b",
        _next_person,
        keys="trac|lead to|leads to|led to|leads back|led back|came|comes|caused by|because of|due to|down to|courtesy|fault of|blame",
    ),
    _r(
        "named-person",
        r"\b(?:blame|fault|accountability|responsibility)\b[^.;]{0,60}?\b(?:lands|landed|falls"
        r"|fell|rests|lies|sits|is|goes|went)\s+(?:squarely |firmly |solely |entirely )?"
        r"(?:on|with)\b",
        lambda s, m: (
            s.next_np_person(m.end()) and not _FOLLOW_UP.search(s.text) and _not_negated(s, m)
        ),
        keys="blame|fault|accountab|responsib",
    ),
    _r(
        "named-person",
        r"\b(?:root cause|real cause|main cause|culprit|cause|common (?:thread|denominator|factor)"
        r"|weak(?:est)? link)(?: (?:of|in|behind) (?:the |this |that |our |these |those )?"
        r"[\w-]+(?: [\w-]+){0,3}?)?\s*(?:was|is|here is|:)\s*",
        _next_person,
        keys=" cause|culprit|common|weak",
    ),
    _r(
        "named-person",
        r"\b(?:is|was|are|were)\s+(?:the\s+)?(?:root cause|real cause|cause|culprit|common"
        r" (?:thread|denominator|factor)|weak(?:est)? link|(?:real )?problem|reason)\b",
        _subject,
        keys=" cause|culprit|common|weak|problem|reason",
    ),
    _r("named-person", r"\bfingerprints (?:are )?all over\b", _always, keys="fingerprint"),
    _r(
        "named-person",
        r"\bthat'?s (?:the whole|all there is to the|the end of the) story\b|\bend of story\b"
        r"|\band that'?s the end of (?:it|that)\b",
        _person_in_sentence,
        keys="story|end of it|end of that",
    ),
    _r("named-person", r"\bask\s+(?=[A-Z])", _ask_name, keys="ask &why|who"),
    _r(
        "named-person normative",
        r"\bthanks to\b[^,]{1,40},\s*(?:we|everyone|the (?:whole )?team|i)(?: all)?"
        r" (?:(?:got|get|had) to (?:spend|work|stay|redo|clean|restore|explain|apologi[sz]e"
        r"|deal|give up|cancel)|spent|lost|missed)\b",
        _thanks_sarcasm,
        keys="thanks to",
    ),
    _r(
        "named-person",
        r"\b(?:this|that|it)(?: one)? (?:is|was|'s) (?:all |entirely |squarely )?on "
        r"(?:me|him|her|them|you)\b",
        _always,
        keys="on me|on him|on her|on them|on you",
    ),
    _r(
        "named-person counterfactual",
        r"\b(?:my|his|her|their|your|\w+'s|\w+\u2019s) (?:own )?(?:fault|mistake|screw-?up|blunder"
        r"|slip-?up|bad|oversight|carelessness)\b",
        lambda s, m: s.person[s.index_at(m.start())] and _not_negated(s, m),
        keys="fault|mistake|screw|blunder|slip|bad|oversight|carelessness",
    ),
    _r(
        "named-person",
        r"\b(?:blame[sd]?) (?:it )?(?:on )?(?=\w)",
        lambda s, m: (
            s.next_np_person(m.end())
            and _not_negated(s, m)
            and not re.search(r",\s*but\b", s.text[m.end() :], _I)
        ),
        keys="blam",
    ),
    _r(
        "named-person",
        r"\bwho (?:dropped|broke|caused|missed|botched|messed up|screwed up|fat-fingered)"
        r" (?:it|this|that|the ball)\b",
        _always,
        keys="who",
    ),
    _r(
        "named-person",
        r"\b(?:is|was|are|were)\s+(?:at fault|to blame|the one to blame)\b",
        lambda s, m: (
            s.subject_is_person(m.start())
            and not re.search(r"\b(?:no one|nobody|no-one|none)\b", s.text[: m.start()], _I)
        ),
        keys="fault|blame",
    ),
    # ---------------- punitive ----------------
    _r(
        "punitive",
        r"\bwritten up\b|\bwrit(?:e|ing) (?:him|her|them|\w+) up\b|\bformal (?:write-?up"
        r"|warning|reprimand|complaint against|review of (?:his|her|their) conduct)\b"
        r"|\b(?:verbal|written|final) warning\b|\bdisciplin(?:e|ed|ary|ing)\b"
        r"|\breprimand(?:ed|s)?\b|\bsent home\b|\bwithout pay\b|\bunpaid (?:leave|suspension)\b"
        r"|\bperformance improvement plan\b|\bconduct review\b|\breview of (?:his|her|their)"
        r" conduct\b|\bheads (?:will|are going to|must|should) roll\b|\bheld accountable\b"
        r"|\bhold (?:\w+ ){0,3}accountable\b|\bface (?:the )?consequences\b"
        r"|\bthere will be consequences\b|\b(?:earned|earns|got|gets|given|giving|received"
        r"|receives|getting|issued) (?:\w+ ){0,3}?(?:a |an )?(?:formal )?(?:write-?up|warning"
        r"|reprimand|strike)\b|\bback (?:to|in) the classroom\b|\buntil (?:they|he|she|you)"
        r" (?:can )?(?:prove|proves|show|shows|learn|learns|demonstrate)\b"
        r"|\bwhat to do (?:with|about) (?:him|her|them)\b",
        _always,
        keys="written up|writ|formal|warning|disciplin|reprimand|sent home|without pay|unpaid|improvement plan|conduct|heads|accountable|consequence|strike|classroom|until|what to do",
    ),
    _r(
        "punitive",
        r"\bwhat to do (?:with|about) (?=[A-Z])|\breport(?:ing|ed|s)? (?:him|her|them|the \w+"
        r"|both \w+|[A-Z]\w+) to (?:the )?(?:board|hr|licensing|regulator|police|authorities"
        r"|college|council|medical board|nursing board|state)\b"
        r"|\b(?:in|into|on|onto) (?:his|her|their|your|[A-Z]\w+'s|[A-Z]\w+\u2019s) (?:permanent )?"
        r"(?:performance review|record|file|appraisal|evaluation|annual review)\b",
        _always,
        keys="what to do|performance review|record|file|apprais|evaluation|annual review|board|hr |licensing|regulator|police|authorities|college|council|state",
    ),
    _r(
        "punitive",
        r"\b(?:forfeits?|forfeited|loses?|lost|losing|docked|docks?|withh[eo]ld(?:s|ing)?"
        r"|costs?|costing)\b(?:\W+\w+){0,3}?\W+(?:his|her|their|your|the|a)\s+(?:[\w-]+\s+){0,2}?"
        r"(?:commission|bonus|bonuses|pay|paycheck|salary|overtime|shifts?|raise|promotion"
        r"|privileges|pto|vacation|(?:lead )?role|position|title|territory|accounts|keys)\b(?!\s+(?:budget|pool|plan|structure|policy|rate|data"
        r"|report|file|cap|approval|forecast|line))",
        _always,
        keys="forfeit|lose|lost|losing|dock|withh|cost",
    ),
    _r(
        "punitive",
        r"\b(?:his|her|their|your) (?:\w+ )?(?:access|privileges|permissions|badge|rights)"
        r" (?:is|are|was|were|has been|have been|got|gets|will be) (?:gone|revoked|removed|pulled"
        r"|suspended|taken away|cut off)\b|\brevok(?:e|ed|ing) (?:his|her|their|[A-Z]\w+'s)"
        r" (?:\w+ )?access\b",
        _always,
        keys="access|privilege|permission|badge|rights",
    ),
    _r(
        "punitive",
        r"\b(?:was|were|is|are|been|be|being|got|get|gets|getting) (?:\w+ )?(?:suspended|fired"
        r"|terminated|let go|demoted|sacked|docked|penali[sz]ed|punished|sanctioned|retrained"
        r"|re-trained|sent (?:back )?(?:to|for) (?:re-?)?training|removed from|taken off"
        r"|pulled off|barred from|banned from|stood down)\b",
        lambda s, m: s.subject_is_person(m.start()) and _not_negated(s, m) and _specific(s, m),
        keys="suspend|fired|terminat|let go|demot|sack|docked|penali|punish|sanction|retrain|re-train|training|removed from|taken off|pulled off|barred|banned|stood down",
    ),
    _r(
        "punitive",
        r"(?:\b(?:is|are|was|were|be|stays?|remains?)|'s|'re) off (?:the )?(?:\w+ )?(?:approvals|rota"
        r"|roster|rotation|on-call|escalations|schedule|floor|line|ward|cases|accounts|deploys"
        r"|releases)\b",
        _subject,
        keys=" off ",
    ),
    _r(
        "punitive",
        r"\b(?:should|must|will|can) (?:not|no longer|never) be (?:allowed|trusted|on|near"
        r"|handling|in charge|given)\b",
        _subject,
        keys="never be|not be|longer be",
    ),
]

# Rules added after a second round of fresh test sentences.
RULES += [
    _r(
        "named-person",
        r"\b(?:is|was|'s|are|were) (?:all |entirely |squarely |firmly |100% |completely )?on "
        r"(?=\w)",
        lambda s, m: _np_person_then_end(s, m.end()) and not s.subject_is_person(m.start()),
        keys=" on ",
    ),
    _r(
        "normative",
        r"\bplain and simple\b|\bfull stop\b|\bno excuses?\b|\bno two ways about it\b"
        r"|\bhad one job\b|\bthrough sheer \w+|\bthat'?s what (?:you get|happens) (?:for|when)\b"
        r"|\bthis is what (?:you get|happens) (?:for|when)\b",
        lambda s, m: s.has_person() and _not_negated(s, m),
        keys="plain and simple|full stop|no excuse|two ways|one job|sheer|what you get|what happens",
    ),
    _r(
        "named-person",
        r"\b[\w-]+(?:'s|\u2019s) (?:(?:little|latest|careless|sloppy|silly|one) )?(?:typo|slip|"
        r"mistake|error|blunder|oversight|lapse|misstep|goof|screw-?up|fumble|fat-finger|"
        r"carelessness|negligence|sloppiness|shortcut|change|commit|deploy|decision|call|push"
        r"|refusal|failure|inability|unwillingness|reluctance|inattention|impatience)\b"
        r"(?: \w+){0,6}? (?:took (?:down|out)|caused|broke|brought down|knocked out|led to|cost"
        r"|triggered|wiped|deleted|is why|is the reason|was the reason|started)\b",
        lambda s, m: s.person[s.index_at(m.start())] and _not_negated(s, m),
        keys="'s&typo|slip|mistake|error|blunder|oversight|lapse|misstep|goof|screw|fumble|finger|careless|neglig|sloppi|shortcut|change|commit|deploy|decision|call|push|refusal|failure|inability|unwillingness|reluctance|inattention|impatience",
    ),
    _r(
        "normative counterfactual",
        r"\b(?:chose|opted|elected|decided|preferred) (?:instead )?(?:to (?:ignore|skip|bypass"
        r"|disregard|override|overlook|cut)|not to (?:follow|use|check|wait|ask|tell|escalate"
        r"|read|call))\b",
        _subject,
        keys="chose|opted|elected|decided|preferred",
    ),
    _r(
        "character",
        r"\b(?:can't|cannot|can no longer|could not|couldn't|not to) be trusted\b"
        r"|\b(?:lied|lies|lying) (?:about|to)\b|\bcovered (?:it |this |that )?up\b",
        lambda s, m: s.has_person() and _not_negated(s, m),
        keys="trusted|lied|lies|lying|covered",
    ),
    _r(
        "counterfactual character",
        r"\b(?:a|any|an) (?:more |truly |reasonably |half-?)?(?:careful|competent|experienced"
        r"|attentive|diligent|thorough|conscientious|skilled|decent|good|better|real|proper"
        r"|awake|alert|responsible) (?:\w+ )?\w+ would(?:'ve| have)\b",
        lambda s, m: s.has_person(s.index_at(m.start()), s.index_at(m.end())),
        keys=" would",
    ),
    _r(
        "counterfactual normative",
        r"\b(?:messed|screwed|fouled|mucked|cocked) (?:it |this |that |things )?up\b"
        r"|\bbotched\b|\bbungled\b|\bblew it\b|\bfumbled\b|\bsle(?:pt|eping|eps?) through\b",
        _subject,
        keys="messed|screwed|fouled|mucked|cocked|botch|bungl|blew it|fumbl|slept through|sleep",
    ),
    _r(
        "punitive",
        r"\bas (?:a|the) (?:penalty|punishment|sanction|disciplinary (?:measure|step)|lesson)\b"
        r"|\bto teach (?:him|her|them|\w+) a lesson\b",
        lambda s, m: s.has_person() and _not_negated(s, m),
        keys="as a|as the|lesson",
    ),
    _r(
        "why-didnt",
        r"\bwhy (?:is|was) it always\b|\bwhy (?:does|do) (?:this|it) always\b"
        r"|\bwhat (?:on earth |exactly |the hell )?(?:was|were) (?:the |our |that |this )?"
        r"(?:\w+ )?\w+ doing\b",
        lambda s, m: s.has_person() and ("?" in s.text),
        keys="?&why|what",
    ),
]

# Third round: behaviours, sarcasm and sanctions phrased without the usual vocabulary.
RULES += [
    _r(
        "counterfactual named-person",
        r"\bmade (?:a|an|the|another|two|several|some|one) (?:\w+ ){0,2}?(?:error|mistake|blunder"
        r"|slip|misjudg?ment|bad call|wrong call)s?\b",
        lambda s, m: s.subject_is_person(m.start()) and _not_negated(s, m),
        keys="made ",
    ),
    _r(
        "character normative",
        r"\bpanick(?:ed|s)\b|\bfroze\b|\blost (?:his|her|their|my|your) (?:head|cool|nerve"
        r"|temper)\b|\bmade (?:it|things|matters|everything) worse\b|\bhung up on\b"
        r"|\byell(?:ed|s)? at\b|\bsnapped at\b|\btalked down to\b|\blashed out\b"
        r"|\boversold\b|\bover-sold\b|\brushed (?:through |the |it\b)",
        _subject,
        keys="panick|froze|lost |worse|hung up|yell|snapped|talked down|lashed|oversold|over-sold|rushed",
    ),
    _r(
        "character",
        r"\b(?:is|was|has been|have been|are|were|'s) (?:a |an |an absolute |a complete |a total "
        r"|a real )(?:disaster|nightmare|mess|joke|train ?wreck|menace|walking disaster"
        r"|problem child|weak link|loose cannon)\b",
        _subject,
        keys="disaster|nightmare|mess|joke|wreck|menace|problem child|weak link|loose cannon",
    ),
    _r(
        "named-person normative",
        r"\b(?:another|yet another|one more)\b[^.;]{0,40}?\bfrom (?=\w)",
        lambda s, m: _np_person_then_end(s, m.end()),
        keys="another|one more",
    ),
    _r(
        "named-person",
        r"\b(?:mess|problem|trouble|outage|incident|whole thing|this|it all|everything)"
        r" (?:all )?(?:started|began|kicked off) (?:when|with|because|the moment)\b",
        lambda s, m: s.next_np_person(m.end()),
        keys="started|began|kicked off",
    ),
    _r(
        "counterfactual",
        r"\b(?:overrode|overridden|did nothing|didn't do anything|did not do anything"
        r"|took no action|sat on it)\b",
        _omission,
        keys="overrode|overridden|did nothing|do anything|no action|sat on it",
    ),
    _r(
        "normative",
        r"\b(?:was|were|had been) (?:told|warned|reminded)(?: \w+){0,6}? and (?:still|yet|then"
        r" still|did nothing)\b|\b(?:i|we) (?:can't|cannot|couldn't|still can't) believe\b"
        r"|\bi (?:don't|do not|still don't) understand how\b",
        lambda s, m: s.has_person(s.index_at(m.end())) or s.has_person(0, s.index_at(m.start())),
        keys="told|warned|reminded|believe|understand how",
    ),
    _r(
        "why-didnt",
        r"\bwhat (?:kind|sort) of (?:\w+ ){0,2}?\w+\b",
        lambda s, m: "?" in s.text and s.has_person(s.index_at(m.start()), s.index_at(m.end())),
        keys="?&kind of|sort of",
    ),
    _r(
        "counterfactual normative",
        r"\bgave (?:the |a |our |his |her |their )?(?:\w+ ){0,2}?(?:bad|wrong|terrible|poor"
        r"|incorrect|misleading) (?:advice|information|info|instructions|guidance|answers?"
        r"|quotes?|directions)\b",
        _subject,
        keys="gave ",
    ),
    _r(
        "punitive",
        r"\bexplain (?:himself|herself|themselves|yourself|yourselves)\b|\banswer for\b"
        r"|\bcalled on the carpet\b|\bhauled (?:in|before|into)\b|\buntil further notice\b"
        r"|\bon (?:a |his |her |their )?(?:final |last )?warning\b|\bon thin ice\b",
        lambda s, m: s.has_person() and _not_negated(s, m),
        keys="explain|answer for|carpet|hauled|further notice|warning|thin ice",
    ),
]

# Fourth round (after the untuned fresh check recorded in docs/benchmarks.md).
RULES += [
    _r(
        "normative",
        r"\blet (?:[\w-]+ ){0,3}?(?:slide|slip|lapse|rot|fester|drift|pile up)\b"
        r"|\band (?:then )?(?:went (?:to lunch|home|on (?:vacation|holiday|leave)|to bed|offline"
        r"|dark)|walked away|left for the day|logged off|clocked out)\b",
        lambda s, m: s.subject_is_person(m.start()) or s.has_person(0, s.index_at(m.start())),
        keys="let |went |walked away|left for|logged off|clocked out",
    ),
    _r(
        "punitive",
        r"\blearn(?:ed|t|s)? (?:his|her|their|your|a|my) lesson\b",
        lambda s, m: _not_negated(s, m),
        keys="lesson",
    ),
    _r(
        "character",
        r"\bout of (?:his|her|their|your|my) depth\b|\bin over (?:his|her|their|your|my) head\b"
        r"|\bnot up to (?:the job|it|the task)\b|\bunfit (?:for|to)\b",
        lambda s, m: _not_negated(s, m),
        keys="depth|over his|over her|over their|over your|over my|up to|unfit",
    ),
]

# Fifth round (after fresh set 1, learnloop/coach/tests/data/fresh1.jsonl): sarcasm frames,
# sanctions and rhetorical questions phrased without the usual vocabulary.
RULES += [
    _r(
        "named-person normative",
        r"\bleave it to (?=\w)",
        lambda s, m: s.next_np_person(m.end()) and _not_negated(s, m),
        keys="leave it to",
    ),
    _r(
        "normative",
        r"\b(?:funny|amazing|curious|odd|strange|interesting|remarkable) (?:how|that)\b"
        r"(?=[^.;]{0,80}\b(?:only|always|never|every time|whenever)\b)",
        lambda s, m: s.has_person(s.index_at(m.end())) and _not_negated(s, m),
        keys="funny|amazing|curious|odd |strange|interesting|remarkable",
    ),
    _r(
        "normative",
        r"\b(?:is|are|was|were) (?:apparently |evidently |just )?(?:optional|beneath|for other"
        r" people)\b",
        lambda s, m: (
            s.has_person()
            and not re.search(
                r"\b(?:fields?|steps?|settings?|training|course|session|meeting|module|class"
                r"|workshop|survey|webinar|attendance)\b[^.;,]{0,40}?\b(?:is|are|was|were)"
                r" optional\b",
                s.text,
                _I,
            )
        ),
        keys="optional|beneath|other people",
    ),
    _r(
        "normative",
        r"\btreat(?:s|ed|ing)? [^.;]{1,50}?\b(?:as|like) (?:(?:it|they) (?:was|were|is|are) "
        r"|it's |they're |they were |mere |just |a |an )?(?:suggestions?|optional|decoration"
        r"|guidelines|an afterthought|a joke|a formality|nice-to-haves?|wallpaper|spam)\b",
        lambda s, m: (
            s.subject_is_person(m.start())
            and not re.search(r"\b(?:taught|learned|learnt|trained|teach)\b", s.text, _I)
        ),
        keys="treat",
    ),
    _r(
        "normative",
        r"\b(?:padd(?:ed|ing|s)|fudg(?:ed|ing|es)|inflat(?:ed|ing)|cook(?:ed|ing)) (?:the |its "
        r"|their |his |her |our )?(?:pipeline|numbers|forecast|books|figures|estimates?"
        r"|timesheets?|hours|expenses|stats|metrics)\b",
        _subject,
        keys="padd|fudg|inflat|cook",
    ),
    _r(
        "character",
        r"\b(?:has|have|had|with|shows?|showed) (?:zero|no|little|not much) (?:patience|interest"
        r"|respect|regard|time) for\b|\b(?:doesn't|don't|didn't|does not|do not|did not)"
        r" (?:really |even )?care (?:about|whether|if|what)\b|\bcouldn't care less\b",
        lambda s, m: (
            s.subject_is_person(m.start())
            and not re.search(
                r"\b(?:customers?|clients?|users?|patients?)\b", s.text[: m.start()], _I
            )
        ),
        keys="patience|interest|respect|regard|time for|care",
    ),
    _r(
        "punitive",
        r"\b(?:[A-Z][\w-]*(?:'s|\u2019s)|the \w+(?:'s|\u2019s)) (?:[\w-]+ )?(?:access|privileges"
        r"|permissions|badge|rights|login|credentials|keys) (?:is|are|was|were|has been|have been"
        r"|got|gets|will be) (?:gone|revoked|removed|pulled|suspended|taken away|cut off"
        r"|withdrawn)\b",
        lambda s, m: s.person[s.index_at(m.start())] and _not_negated(s, m),
        keys="access|privilege|permission|badge|rights|login|credential|keys",
    ),
    _r(
        "punitive",
        r"\b(?:has|have|had) been (?:\w+ )?(?:barred|banned|removed|suspended|stood down"
        r"|taken off|pulled off)\b",
        lambda s, m: (
            s.has_person(0, s.index_at(m.start()))
            and _not_negated(s, m)
            and not re.search(
                r"\b(?:feature|flag|service|job|page|step|check)s? (?:has|have)"
                r" been\b",
                s.text,
                _I,
            )
        ),
        keys="been",
    ),
    _r(
        "counterfactual",
        r"\bleft (?:the |a |an |his |her |their |two |three |several )?(?:[\w-]+ ){0,3}?"
        r"(?:unattended|unlocked|unsupervised|unlabell?ed|unsigned|unchecked|unanswered"
        r"|unopened|unreviewed|unreconciled)\b",
        _omission,
        keys="left ",
    ),
    _r(
        "counterfactual",
        r"\b(?:one|a single|a quick|a simple|one quick|one simple|a short|a two-minute"
        r"|a five-minute|one short) (?:[\w-]+ ){0,2}?(?:call|look|glance|check|question|email"
        r"|message|ping|phone call|conversation|text)\b[^.;?]{0,60}?\band (?:the |our |a |an "
        r"|that |this )?(?:[\w-]+ )?(?P<who>[\w-]+) would(?:'ve| have)\b",
        lambda s, m: s.person[s.index_at(m.start("who"))],
        keys="call|look|glance|check|question|email|message|ping|conversation|text",
    ),
    _r(
        "why-didnt",
        r"\bis it (?:really |honestly |seriously |truly )?(?:so|that|too) (?:hard|difficult"
        r"|much)\b",
        lambda s, m: "?" in s.text[m.start() :] and _not_negated(s, m),
        keys="is it",
    ),
    _r(
        "why-didnt",
        r"(?:^|[,;:]\s*)(?:did|does|do|has|have|is|was|were|can|could)\s+(?:anyone|anybody"
        r"|someone|any of|one of|a single|the whole|either)\b[^?]{0,40}?\b(?:even|bother)\b",
        lambda s, m: "?" in s.text[m.end() :],
        keys="even|bother",
    ),
    _r(
        "named-person",
        r"\b(?:has|have|had|with|bears?|bore) (?:[A-Z][\w-]*(?:'s|\u2019s)|(?:his|her|their)) "
        r"(?:name|initials|fingerprints|signature) (?:all )?(?:on|over|next to|beside|against)\b",
        lambda s, m: _not_negated(s, m) and not re.search(r"\bsign(?:ed|s)?\b", s.text, _I),
        keys="name|initials|fingerprint|signature",
    ),
    _r(
        "named-person",
        r"\b(?:started|began|begun|spiked|climbed|rose|doubled|tripled|jumped)"
        r" (?:the (?:week|day|month|shift|quarter|moment|minute)|(?:right |just )?(?:after|when"
        r"|as soon as|once|since))\b(?=[^.;]{0,40}\b(?:took over|joined|started|arrived|came"
        r" (?:on|in|aboard)|was hired|was put in charge|took charge)\b)",
        lambda s, m: s.has_person(s.index_at(m.end())) and _not_negated(s, m),
        keys="took over|joined|started|arrived|came on|came in|came aboard|hired|in charge|took charge",
    ),
]

# Sixth round (after fresh set 2, learnloop/coach/tests/data/fresh2.jsonl).
_SINGLE_SUBJECT = re.compile(
    r"^\W*(?:[A-Z][\w'-]+\.?(?: [A-Z][\w'-]+)?|(?:[Tt]he|[Oo]ur|[Tt]hat|[Tt]his) (?:[\w-]+ )?"
    r"[\w-]*[^s\W])\s",
)


def _specific_subject(s: _Sentence, m: re.Match[str]) -> bool:
    """A named person or one singular role is the subject (not "agents", not "we")."""
    start = s.clause_start(m.start())
    a = s.tokens[start][1] if start < len(s.tokens) else 0
    prefix = s.text[a : m.start()]
    if re.match(r"\W*(?:we|i|you|they|everyone|all)\b", prefix, _I):
        return False
    if not _SINGLE_SUBJECT.match(prefix):
        return False
    if s.subject_is_person(m.start()):
        return True
    # The sentence's subject is a role ("the payroll clerk keyed ... instead of ...") or a
    # title + name; a capitalised common noun ("Month-end close took ...") is not enough.
    i = start
    end = s.index_at(m.start())
    while i < end and s.tokens[i][0].lower() in _DETS:
        i += 1
    for k in range(i, min(i + 3, end)):
        if not s.person[k]:
            continue
        w = _strip_poss(s.tokens[k][0])[0]
        titled = k > 0 and s.tokens[k - 1][0].lower() in _TITLES
        if _is_role(w) or w in s.names or titled:
            return s._first_np_person(start, end, True)
    return False


RULES += [
    _r(
        "normative named-person",
        r"(?:'s|\u2019s|\b(?:his|her|their)) (?:idea|version|notion|definition) of (?:[\w-]+ ){0,3}?"
        r"(?:is|was|seems to be|appears to be)\b",
        lambda s, m: s.has_person(0, s.index_at(m.start()) + 1) and _not_negated(s, m),
        keys="idea of|version of|notion of|definition of",
    ),
    _r(
        "normative named-person",
        r"\b(?:of course|naturally|predictably|surprise,? surprise|who else but|inevitably),? "
        r"it (?:was|is|'s) (?=\w)",
        lambda s, m: s.next_np_person(m.end()),
        keys="of course|naturally|predictably|surprise|who else|inevitably",
    ),
    _r(
        "character",
        r"\bway out of a (?:paper|wet paper) bag\b|\ballergic to (?:paperwork|work|process"
        r"|documentation|checklists?|testing|details?|rules|feedback)\b"
        r"|\bwouldn't (?:notice|know|recogni[sz]e|spot|see) (?:a |an |the )?[\w -]{1,30}? if\b"
        r"|\bhas a (?:bad |nasty |long )?habit of\b|\bhave a (?:bad |nasty )?habit of\b",
        lambda s, m: s.subject_is_person(m.start()) or s.has_person(0, s.index_at(m.start())),
        keys="paper bag|allergic|wouldn't|habit of",
    ),
    _r(
        "why-didnt",
        r"\bwould it (?:have )?(?:kill(?:ed)?|hurt) (?:\w+ ){0,3}?to\b"
        r"|\bwhat part of\b[^?]{1,60}\b(?:was|is|were|are) (?:so )?(?:unclear|hard|confusing"
        r"|difficult)\b"
        r"|\bhow many (?:more )?(?:reminders|times|warnings|emails|alerts|pages|tickets|messages"
        r"|complaints) (?:does|do|did|will|would) (?:it take|(?:a |an |the |our |this |that )?"
        r"(?:[\w-]+ )?[\w-]+ (?:(?:need|take)(?=[^?]*\b(?:before|until)\b)|ignore))\b",
        lambda s, m: "?" in s.text[m.start() :] and s.has_person(),
        keys="?&would it|what part|how many",
    ),
    _r(
        "why-didnt",
        r"(?:^|[,;:]\s*)(?:did|does|do|has|was)\s+(?:nobody|no one|no-one|anyone|anybody)\b"
        r"[^?]{0,40}?\b(?:think to|think of|thought to|care to|bother)\b",
        lambda s, m: "?" in s.text[m.end() :],
        keys="?&think to|think of|thought to|care to|bother",
    ),
    _r(
        "normative named-person",
        r"\b(?:as|like) (?:\w+ ){0,2}?(?:always|invariably|usually|typically) (?:does|do|did)\b",
        lambda s, m: s.has_person(s.index_at(m.start()), s.index_at(m.end())),
        keys="always|invariably|usually|typically",
    ),
    _r(
        "character",
        r"\b(?:are|were|is|was) (?:written |made |meant |designed )?for (?:everybody|everyone"
        r"|other people|someone else|somebody else|the rest of us|lesser mortals|mere mortals)"
        r"(?: but| except| else| other than)?\b",
        lambda s, m: (
            s.has_person()
            and bool(re.search(r"\b(?:but|except|else|other|rest|lesser|mere)\b", m.group(), _I))
        ),
        keys="everybody|everyone|other people|someone else|somebody else|rest of us|mortals",
    ),
    _r(
        "named-person",
        r"\bon (?:(?:Mr|Mrs|Ms|Dr|Prof)\.? )?(?:[A-Z][\w-]*(?:'s|\u2019s)|(?:his|her|their)"
        r"|the [\w-]+(?:'s|\u2019s)) watch\b",
        lambda s, m: (
            s.has_person(s.index_at(m.start()), s.index_at(m.end())) and _not_negated(s, m)
        ),
        keys=" watch",
    ),
    _r(
        "named-person",
        r"\b(?:all|both|each|every one|every single one|most)(?: of them)? (?:from|in|by)\b"
        r"|\b(?:born|originated|originate|started|began) (?:in|with)\b",
        lambda s, m: (
            s.next_np_person(m.end())
            and s.person[min(s.index_at(m.end()), len(s.tokens) - 1)]
            and _strip_poss(s.tokens[min(s.index_at(m.end()), len(s.tokens) - 1)][0])[1]
        ),
        keys="all |both |each |every one|every single|most |born in|originat|started in|began in|started with|began with",
    ),
    _r(
        "punitive",
        r"\b(?:will no longer|no longer|won't be|will not be|won't ever|will never again)\s+"
        r"(?:be\s+)?(?:allowed|permitted|given|trusted|working|works?|sign(?:s|ing)?(?: off)?"
        r"|approv\w*|lead(?:s|ing)?|handl\w*|run(?:s|ning)?|on (?:call|the rota)|scheduled"
        r"|assigned|covering)\b",
        lambda s, m: (
            _specific_subject(s, m)
            and bool(
                re.search(
                    r"\bagain\b|\bafter (?:the|what|this|that|his|her|their|last|yesterday's)\b"
                    r"|\bbecause of\b"
                    r"|\bfollowing (?:the|his|her|their)\b|\bover (?:the|his|her|their)\b",
                    s.text,
                    _I,
                )
            )
        ),
        keys="no longer|won't|will not|will never",
    ),
    _r(
        "punitive",
        r"\b(?:will|must|now) (?:now )?need (?:a |an )?(?:second|extra|additional|separate)"
        r" (?:sign-?off|approval|approver|reviewer|pair of eyes)\b",
        lambda s, m: (
            _specific_subject(s, m)
            and bool(re.match(r"\W*(?:going forward,? )?[A-Z]", s.text[: m.start()]))
            and not re.match(r"\W*(?:the|our|every|all|each)\b", s.text, _I)
        ),
        keys="need a|need an|need second|need extra|need additional|need separate",
    ),
    _r(
        "counterfactual",
        r"\b(?:a|one|a single|a quick|one quick) (?:[\w-]+ ){0,1}?(?:glance|look|phone call|call"
        r"|question|conversation|moment of thought|second of thought) [^.;?]{0,50}?would(?:'ve"
        r"| have) (?:stopped|kept|saved|prevented|spared) (?=\w)",
        lambda s, m: s.next_np_person(m.end()),
        keys="would've|would have",
    ),
    _r(
        "counterfactual",
        r"\binstead of (?:the |checking|calling|asking|reading|using|following|waiting"
        r"|escalating|looking|counting|verifying|paging)\b",
        lambda s, m: (
            _specific_subject(s, m)
            and not _has_condition(s, m)
            and not _INTENT.search(s.text, 0, m.start())
        ),
        keys="instead of",
    ),
]

# Seventh round (after fresh set 3, learnloop/coach/tests/data/fresh3.jsonl).
RULES += [
    _r(
        "why-didnt",
        r"^\W*(?:honestly|seriously|really|come on),?\s+(?:does|do|did|is|are|was|were|can"
        r"|could|has|have)\b",
        lambda s, m: "?" in s.text and s.has_person(s.index_at(m.end())),
        keys="?&honestly|seriously|really|come on",
    ),
    _r(
        "why-didnt",
        r"\bhow (?:does|do|did|can) (?:a|an|the|our|any|one|your) (?:[\w-]+ )?(?P<who>[\w-]+)"
        r"\b(?=[^?]{0,80}\b(?:without|never|not even)\b[^?]*\?)",
        lambda s, m: s.person[s.index_at(m.start("who"))],
        keys="?&how does|how do|how did|how can",
    ),
    _r(
        "normative named-person",
        r"\b(?:is|'s|was) (?:exactly |just )?what (?:you get|happens) when\b",
        lambda s, m: s.has_person(s.index_at(m.end())),
        keys="what you get|what happens",
    ),
]

# Eighth round (after fresh set 4, learnloop/coach/tests/data/fresh4.jsonl): sarcasm with
# "apparently", "go figure" and mock praise, effort counterfactuals ("thirty seconds with the
# wrench would have ..."), inverted conditionals, a person as the place a failure landed, and
# sanctions phrased as suspensions, supervision or lost rights.
_INCIDENT_LINK = re.compile(
    r"\b(?:after|following|over|because of) (?:the|this|that|his|her|their|last|yesterday's"
    r"|what)\b",
    _I,
)
_BAD_OBJECT = re.compile(
    r"\b(?:fraud\w*|wrong|bad|broken|duplicate[ds]?|faulty|incorrect|bogus|failed|failing"
    r"|rejected|bounced|bogus|mis\w+)\b",
    _I,
)
# "... would have caught it, and we are adding that check": a lesson turned into a fix.
_FIX_PLANNED = re.compile(
    r"\bwe(?:'re|\u2019re| are| will|'ll| have| now)? (?:add|build|writ|mak|put|introduc|instal)\w*"
    r"|\bso we\b|\bwhich is why\b",
    _I,
)
_HAD_STATE = _words("known been had got gotten seen heard received told given shown")


def _inverted_conditional(s: _Sentence, m: re.Match[str]) -> bool:
    """'Had anyone on the team picked up the phone, ...': hindsight about a person's act."""
    if m.group("verb").lower() in _HAD_STATE:
        return False
    lo = s.index_at(m.start("np"))
    hi = s.index_at(m.start("verb"))
    return s._first_np_person(lo, hi, loose=True) and not _has_condition(s, m)


def _plural_role_subject(s: _Sentence) -> bool:
    """'Agents won't see ...': a whole role (a policy), not one person (a sanction)."""
    if not s.tokens:
        return False
    w = s.tokens[0][0].lower()
    return w.endswith("s") and w not in ROLES and _is_role(w)


def _possessor_named(s: _Sentence, m: re.Match[str]) -> bool:
    """The possessor is a name or a personal pronoun, not a role ("the vendor's licence")."""
    i = s.index_at(m.start()) - 1
    if i < 0:
        return False
    w, poss = _strip_poss(s.tokens[i][0])
    if w in ("his", "her", "their"):
        return True
    if not poss or not s.person[i] or _is_role(w):
        return False
    return s.tokens[i][0][:1].isupper()


RULES += [
    _r(
        "normative named-person",
        r"\bapparently,? (?:was |were |is |are )?(?:too (?:busy|important|good|senior|proud"
        r"|grand)|above|beneath)\b",
        lambda s, m: s.has_person(0, s.index_at(m.start())) and _not_negated(s, m),
        keys="apparently",
    ),
    _r(
        "normative named-person",
        r"\bapparently\b[^.;?]{0,60}?\b(?:applies|apply|are|is|was|were) (?:for|to) "
        r"(?:everyone|everybody|all of us) (?:except|but|apart from) (?:him|her|them|himself"
        r"|herself|themselves)\b",
        _always,
        keys="apparently",
    ),
    _r("normative", r"\bapparently,? [^.;?]{1,40}?\bnow means\b", _always, keys="apparently"),
    _r(
        "counterfactual character",
        r"\b(?:a|an|any) (?P<who>[\w-]+) (?:who|that) (?:[\w']+ ){0,3}?(?:actually|really|even"
        r"|cared|bothered|was paying attention|paid attention|was listening)\b[^.;?]{0,80}?"
        r"\bwould(?: have|'ve)\b",
        lambda s, m: _is_role(_strip_poss(m.group("who").lower())[0]),
        keys="would have|would've",
    ),
    _r(
        "counterfactual normative",
        r"\b(?:one|a|a single) (?:reply|answer|response|email|call|question|look|read|review"
        r"|conversation|message) (?:that|which|who) (?:actually|really|even) \w+[^.;?]{0,80}?"
        r"\bwould(?: have|'ve) (?:\w+ )?(?:saved|prevented|stopped|avoided|caught|spared|kept)\b",
        _always,
        keys="would have|would've",
    ),
    _r(
        "counterfactual",
        r"\b(?:(?:a|one|two|five|ten|fifteen|thirty|sixty|\d+)[- ](?:second|minute)s?"
        r"|(?:a few|two|five|ten|fifteen|thirty|sixty|\d+) (?:seconds|minutes))"
        r"(?: with (?:the|a|an)\b| of (?:checking|reading|looking|testing|asking|attention"
        r"|care|thought)\b| (?:look|glance|check|call|read|review|conversation|chat)\b)"
        r"[^.;?]{0,50}?\bwould(?:'ve| have) (?:\w+ )?(?:kept|saved|prevented|stopped|spared"
        r"|caught|shown|avoided|flagged|revealed|told)\b",
        lambda s, m: not _TOOL_CONDITION.search(s.text) and not _FIX_PLANNED.search(s.text),
        keys="would have|would've",
    ),
    _r(
        "counterfactual named-person",
        r"^\W*had (?P<np>(?:[\w'-]+ ){1,5}?)(?P<verb>[a-z]+(?:ed|en|ne|wn|ught|ade|ook|ent"
        r"|ead|ked))\b(?=[^.;?]{0,120}\bwould\b)",
        _inverted_conditional,
        keys="had ",
    ),
    _r(
        "named-person",
        r"\b(?:lands?|landed|falls?|fell|rests?|rested) (?:squarely|right|firmly|solely"
        r"|entirely|directly) (?:on|with|at the feet of)\b",
        lambda s, m: s.next_np_person(m.end()) and _not_negated(s, m),
        keys="squarely|right on|right with|firmly|solely|entirely|directly",
    ),
    _r(
        "named-person",
        r"\bthat(?:'s|\u2019s| is| was) (?:exactly )?where (?:it|they|the \w+) (?:died|stalled"
        r"|stopped|got stuck|ended|fell apart|went to die)\b",
        lambda s, m: s.has_person(0, s.index_at(m.start())),
        keys="where",
    ),
    _r(
        "named-person",
        r"\b(?:we all|you all|everyone|everybody) (?:already )?knows? (?P<wh>which|who|whose)"
        r" (?!to\b)(?P<next>[\w-]+)",
        lambda s, m: (
            m.group("wh").lower() != "which"
            or s.person[s.index_at(m.start("next"))]
            or m.group("next").lower() in _GROUP_HEADS
        ),
        keys="know",
    ),
    _r(
        "named-person",
        r"(?:'s|\u2019s|\b(?:his|her|their)) (?:approval |sign-?off )?(?:stamp|signature"
        r"|initials|name|login|badge|password|credentials|approval|sign-?off) (?:is|are|was"
        r"|were|appears|shows up) (?:on|all over|in) (?:every|each|all|both)\b",
        lambda s, m: (
            s.has_person(0, s.index_at(m.start()) + 1)
            and bool(_BAD_OBJECT.search(s.text, m.end()))
            and not re.search(
                r"\b(?:as|per) (?:policy|the policy|required|the process)\b", s.text, _I
            )
        ),
        keys="stamp|signature|initials|name|login|badge|password|credentials|approval|sign-off|signoff",
    ),
    _r(
        "normative named-person",
        r"\bdecided (?:that )?(?:[\w'-]+ ){1,6}?(?:(?:could|can|would) wait|(?:didn't|did not"
        r"|doesn't|does not) (?:matter|apply|count)|(?:was|were) (?:optional|unnecessary|overkill"
        r"|a waste of time|not (?:needed|necessary|worth \w+)))\b",
        lambda s, m: _specific_subject(s, m) and not _COND_AFTER.search(s.text, m.end()),
        keys="decided",
    ),
    _r(
        "normative named-person",
        r"\b(?:sat|sits|sitting) on (?:the|a|an|this|that|our|my|his|her|their) "
        r"(?:[\w-]+ ){0,3}?(?:request|ticket|email|report|invoice|approval|application|complaint"
        r"|escalation|form|paperwork|fix|pr|pull request|review|refund|claim)s? (?:for|since"
        r"|until)\b",
        lambda s, m: s.subject_is_person(m.start()),
        keys="sat on|sits on|sitting on",
    ),
    _r(
        "character named-person",
        r"\bwhen(?:ever)? (?:he|she|they|you) (?:gets?|got|get) around to it\b"
        r"|\bwhen(?:ever)? (?:he|she|they|you) (?:feels?|felt|feel) like it\b",
        _always,
        keys="around to it|like it",
    ),
    _r(
        "normative named-person",
        r"(?:,|\u2014|\u2013|-|\.\.\.)\s*go figure\s*[.!]*\s*$",
        lambda s, m: s.has_person(0, s.index_at(m.start())),
        keys="go figure",
    ),
    _r(
        "normative",
        r"\btakes? (?:a )?(?:special|rare|real|certain|unique) (?:kind|sort|level|brand) of "
        r"(?:attention|talent|genius|skill|effort|focus|commitment|dedication|brilliance"
        r"|carelessness)\b",
        _always,
        keys="kind of|sort of|level of|brand of",
    ),
    _r(
        "normative named-person",
        r"\b(?:every time|each time|always) the same (?:story|thing|excuse)\b",
        lambda s, m: s.has_person(0, s.index_at(m.start())),
        keys="same story|same thing|same excuse",
    ),
    _r(
        "punitive named-person",
        r"(?:'s|\u2019s|\b(?:his|her|their)) (?:[\w-]+ ){0,2}?(?:certification|certificate"
        r"|licen[cs]e|access|rights|privileges|badge|credentials|bonus|commission|login"
        r"|permissions|clearance) (?:is|are|was|were|has been|have been|got|gets) "
        r"(?:suspended|revoked|pulled|frozen|withdrawn|docked|cut|cancell?ed|on hold|gone"
        r"|removed|taken away)\b",
        lambda s, m: _possessor_named(s, m) or bool(_INCIDENT_LINK.search(s.text)),
        keys="suspended|revoked|pulled|frozen|withdrawn|docked|cut|cancel|on hold|gone|removed|taken away",
    ),
    _r(
        "punitive named-person",
        r"^\W*(?:(?:Nurse|Dr|Mr|Ms|Mrs|Prof|Coach)\.? )?[A-Z][a-z]+ (?:is|was|has been|got|will"
        r" be) (?:now )?(?:suspended|benched|grounded|on probation|on (?:a )?final warning"
        r"|on supervised [\w-]+|stood down|under supervision)\b",
        lambda s, m: s.person[0] or s.person[1] if len(s.tokens) > 1 else False,
        keys="suspended|benched|grounded|probation|final warning|supervised|stood down|supervision",
    ),
    _r(
        "punitive named-person",
        r"\bno longer (?:has|have|holds?|gets?) (?:[\w-]+ ){0,2}?(?:rights|access|authority"
        r"|privileges|sign-?off|approval)\b",
        lambda s, m: (
            _specific_subject(s, m)
            and not _plural_role_subject(s)
            and bool(_INCIDENT_LINK.search(s.text, m.end()))
        ),
        keys="no longer",
    ),
    _r(
        "punitive named-person",
        r"\b(?:won't|will not|will never) (?:see|get|receive|be given|be getting|be assigned"
        r"|be offered) (?:a single|any|another|one more)\b",
        lambda s, m: (
            _specific_subject(s, m)
            and not _plural_role_subject(s)
            and bool(_INCIDENT_LINK.search(s.text, m.end()))
        ),
        keys="won't|will not|will never",
    ),
    _r(
        "counterfactual",
        r"\b(?:needed|took|takes|needs|required|requires) (?:only|just|all of|no more than) "
        r"(?:one|a|a single|two|\w+ (?:seconds|minutes))\b[^.?]{0,80}?(?:\b(?:and|but|yet)|;)"
        r"\s*(?:nobody|no one|no-one|not one person|none of (?:us|them))\b",
        lambda s, m: not _has_condition(s, m),
        keys="nobody|no one|no-one|not one|none of",
    ),
    _r(
        "normative counterfactual",
        r"\b(?:obviously|clearly|plainly|evidently)\s+(?:nobody|no one|no-one|none of (?:them"
        r"|the \w+))\b(?!\s+(?:could|would|can|knew|expected|saw|was told|had been))",
        _always,
        keys="obviously|clearly|plainly|evidently",
    ),
    _r(
        "normative named-person",
        r"\btreat(?:s|ed)\b [^.;]{1,50}?\b(?:as|like) (?:a |an )?(?:rough |mere |loose |friendly"
        r" |polite |vague )(?:suggestion|guideline|guide)s?\b|\btreat(?:s|ed)\b [^.;]{1,50}?"
        r"\blike (?:an? )?(?:[\w-]+ ){0,3}?(?:snooze button|alarm clock|rumou?r|myth|chore"
        r"|nuisance)\b",
        lambda s, m: s.subject_is_person(m.start()) and not _has_condition(s, m),
        keys="treat",
    ),
    _r(
        "normative named-person",
        r"\blike (?:the |a |an |our |their |his |her )?(?:[\w-]+ ){1,3}?(?:is|was|were|are) "
        r"(?:a |an |just a |only a )?(?:rumou?r|myth|suggestion|joke|formality|optional)\b",
        lambda s, m: s.has_person(0, s.index_at(m.start())) and not _has_condition(s, m),
        keys="like ",
    ),
]

_RULE_KEYS = [rule.keys for rule in RULES]
_ALL_KEYS = tuple(sorted({k for groups in _RULE_KEYS for g in groups for k in g}))
# Inverted index: key -> rules whose first key group contains it.
_KEY_RULES: dict[str, frozenset[int]] = {
    k: frozenset(i for i, groups in enumerate(_RULE_KEYS) if k in groups[0]) for k in _ALL_KEYS
}
USE_GATE = True

_REPORTED = re.compile(
    r"\b(?:said|says|explained|explains|told (?:us|me|them|the \w+)|recalled|recalls"
    r"|described|describes|admitted|admits|mentioned|wrote|writes|remembered|remembers)\b"
    r"|\bin (?:his|her|their|my) own words\b"
    r"|\b(?:write-?up|notes|account|statement|recollection|interview)\s+(?:says|say|said"
    r"|notes|describes|calls|shows)\b|\bby (?:his|her|their) (?:own )?account\b"
    r"|\baccording to (?:him|her|them|[A-Z][a-z]+\b)",
    _I,
)
_REPORT_FIXED = re.compile(
    r"\bin (?:his|her|their|my) own words\b|\bby (?:his|her|their) (?:own )?account\b"
    r"|\baccording to\b|\b(?:write-?up|notes|account|statement|recollection|interview)\s",
    _I,
)
# Someone else's claim ("the complaint says our agent was careless"): a report, not a verdict.
_CLAIM = re.compile(
    r"\b(?:complaint|review|email|letter|tweet|post|survey comment|feedback)s? (?:says|said"
    r"|claims|claimed|called|calls)\b|\b(?:claimed|alleged|alleges|accused)\b",
    _I,
)


def _is_reported(s: _Sentence, raw: str) -> bool:
    """A reported or quoted account: the reporting verb has a person as its subject."""
    if _ATTRIBUTED.search(raw):
        return True
    for m in _REPORTED.finditer(raw):
        if _REPORT_FIXED.search(m.group()):
            if not re.match(
                r"(?:write-?up|notes|account|statement|recollection|interview)\s", m.group(), _I
            ):
                return True
            # "Priti's write-up says", "her statement notes" (not "the account notes").
            before = raw[max(0, m.start() - 40) : m.start()]
            if re.search(
                r"(?:'s|\u2019s|\b(?:his|her|their|my|our|your))\s+(?:[\w-]+\s+)?$", before, _I
            ):
                return True
            continue
        i = s.index_at(m.start()) - 1
        while i >= 0 and s.tokens[i][0].lower() in _ADVERBS:
            i -= 1
        if i >= 0 and s.person[i]:
            return True  # "Dario said ...", "she wrote ...", "I told them ..."
        if re.match(r"\s*(?:that\b|,|:|\u201c|\")", raw[m.end() :]):
            return True
    return False


_ATTRIBUTED = re.compile(r"[\u2014\u2013]\s*[A-Z][\w .'-]{0,40}$")
_ACTION = re.compile(
    r"^\W*(?:action(?: items?)?|follow[- ]?ups?|todo|to do|next steps?|recommendations?"
    r"|proposal|proposed|fix|remediation)\s*\**\s*:|^\s*\[ \]|\bwe (?:will|'ll|plan to"
    r"|are going to|intend to)\b",
    _I,
)
# Signals a reported first-person account suppresses (it is what the person told us).
_REPORT_SUPPRESS = frozenset(
    {"counterfactual", "normative", "human-error-conclusion", "named-person", "why-didnt"}
)
_PERSON_PREV = re.compile(r"\b(?:he|she|they|his|her|their|someone|somebody)\b", _I)


def _prev_person(s: _Sentence) -> bool:
    prev = s.prev_text
    return bool(prev and _PERSON_PREV.search(prev))


def _mask(text: str) -> str:
    """Blank out quoted words and inline code, keeping offsets: mentions are not uses."""
    if not any(q in text for q in ('"', "'", "`", "\u201c", "\u2018")):
        return text
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


_SELF_ONLY = re.compile(r"^\s*(?:i|we)\b", _I)


_IRREGULAR_BASE = {
    "been": "be",
    "done": "do",
    "gone": "go",
    "seen": "see",
    "known": "know",
    "run": "run",
    "read": "read",
    "told": "tell",
    "caught": "catch",
    "taught": "teach",
    "brought": "bring",
    "thought": "think",
    "held": "hold",
    "met": "meet",
    "paid": "pay",
    "said": "say",
    "sent": "send",
    "left": "leave",
    "made": "make",
    "taken": "take",
    "given": "give",
    "written": "write",
    "spoken": "speak",
    "chosen": "choose",
    "shown": "show",
    "kept": "keep",
    "put": "put",
    "set": "set",
    "found": "find",
    "heard": "hear",
    "built": "build",
    "understood": "understand",
    "stopped": "stop",
    "planned": "plan",
    "logged": "log",
}
_KEEP_E = re.compile(r"(?:[^aeiou][aeiou][cgsvz]|at|ut|ur|ir|or|ar|iz|yz|ag|ng|rg|dg|ls|rs|ns)$")


def _base_form(participle: str) -> str:
    w = participle.lower()
    if w in _IRREGULAR_BASE:
        return _IRREGULAR_BASE[w]
    if "-" in w:
        head, _, tail = w.rpartition("-")
        return f"{head}-{_base_form(tail)}"
    if w.endswith("ied"):
        return w[:-3] + "y"
    if w.endswith("ed"):
        stem = w[:-2]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
            return stem[:-1]
        if _KEEP_E.search(stem) and not stem.endswith(("ck", "ss")):
            return stem + "e"
        return stem
    return w


_HINDSIGHT = re.compile(
    r"^(?P<pre>.*?)\b(?P<subj>(?:[A-Z][\w'-]*|the \w+(?: \w+)?|[Ii]|you|we|he|she|they))\s+"
    r"(?:should|could|ought to|must)(?:n't| not)?\s+(?:have|'ve)\s+(?P<verb>[\w-]+)(?P<rest>.*?)"
    r"[.!?]?\s*$",
    _I,
)
_FAILED = re.compile(
    r"\b(?:failed|neglected|forgot|didn't bother|did not bother|never bothered) to\s+", _I
)
_JUDGMENT_WORDS = re.compile(
    r"\s*\b(?:simply|obviously|clearly|plainly|just|merely|blatantly|frankly|honestly|"
    r"seriously|even|carelessly|lazily|sloppily|recklessly)\b,?",
    _I,
)


_QUOTED_REWORDING = re.compile(r'"([^"]+)"')


def _suggest(
    signal: str,
    sentence: str,
    span: str,
    signals: tuple[str, ...] = (),
    names: frozenset[str] = frozenset(),
) -> str:
    """The suggestion shown with a finding. A quoted rewording is offered only when the coach
    itself would not flag it; otherwise the guiding question for the signal is shown, so
    "Use this wording" never produces a fresh hint."""
    suggestion = _suggest_candidate(signal, sentence, span, signals)
    quoted = _QUOTED_REWORDING.search(suggestion)
    if quoted and _analyse(quoted.group(1), names, suggest=False):
        return SUGGESTIONS[signal]
    return suggestion


def _suggest_candidate(signal: str, sentence: str, span: str, signals: tuple[str, ...] = ()) -> str:
    """A concrete rewording when a simple transformation exists, else a guiding question.

    Rewordings keep the facts (who did what) and drop the judgment, then add the
    question that moves the review toward conditions. They are deliberately
    conservative: when the sentence does not fit a known shape, a question is
    more useful than a clumsy rewrite.
    """
    text = " ".join(sentence.split())
    if signal == "counterfactual":
        m = _HINDSIGHT.match(text)
        if m and m.group("verb").lower() != "been":
            verb = _base_form(m.group("verb"))
            rest = m.group("rest").rstrip()
            return f'Try: "What made it hard to {verb}{rest}?"'

        if "normative" in signals and _JUDGMENT_WORDS.search(text):
            return _suggest_candidate("normative", sentence, span)
        if _FAILED.search(text):
            facts = _FAILED.sub("did not ", text).rstrip(".!? ")
            return f'Try: "{facts}." then ask: what in the process made this step easy to miss?'
        return SUGGESTIONS["counterfactual"]
    if signal == "normative":
        stripped = _JUDGMENT_WORDS.sub("", text).strip()
        if stripped and stripped != text:
            return (
                f'Try without the judgment: "{stripped}" and add what made the situation '
                f"hard at the time."
            )
        return SUGGESTIONS["normative"]
    if signal == "human-error-conclusion":
        return (
            "Replace the verdict with the conditions: what made the action look reasonable "
            "at the time, and what would have caught the slip?"
        )
    if signal == "why-didnt":
        m = re.search(
            r"\bwhy (?:didn't|did not|couldn't) (?:anyone|anybody|you|they|he|she|we|the \w+)"
            r" (\w+)(.*?)\?",
            text,
            _I,
        )
        if m and m.group(1).lower() not in _PREPS:
            return f'Try: "What made it hard to {m.group(1).lower()}{m.group(2)} at the time?"'
        return "Ask about the system instead: what in the setup made this easy to miss?"
    return SUGGESTIONS[signal]


def analyse(text: str, *, names: Iterable[str] = ()) -> list[Finding]:
    """Return one :class:`Finding` per blameful sentence in ``text``.

    ``names`` are the organisation's member names; they make person detection
    exact. Without them capitalised words in subject position and role nouns
    ("the on-call", "the night team", "whoever ...", "you", "I") are used.
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
    return _analyse(text, name_set)


def _analyse(text: str, name_set: frozenset[str], *, suggest: bool = True) -> list[Finding]:
    masked = _mask(text)
    sentences = split_sentences(text)
    keys_by_sentence = _scan_keys(masked, sentences) if USE_GATE else None
    findings: list[Finding] = []
    for idx, (start, end) in enumerate(sentences):
        if keys_by_sentence is not None:
            present = keys_by_sentence.get(idx)
            if not present:
                continue
        else:
            present = None
        raw = masked[start:end]
        prev_text = masked[sentences[idx - 1][0] : sentences[idx - 1][1]] if idx else ""
        found = _analyse_sentence(raw, name_set, prev_text, present)
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
                suggestion=_suggest(
                    primary, text[start:end], text[start + s_off : start + e_off], signals, name_set
                )
                if suggest
                else "",
            )
        )
    return findings


_WS_TO_SPACE = str.maketrans("\n\t\r", "   ")


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, built as a trie so each position costs a few steps.

    Optional continuations are greedy, so at a given position the longest key wins; the
    shorter keys that are its prefixes are added back from ``_PREFIX_CLOSURE``.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    return build(trie)


_KEY_SCAN = re.compile("(?=(" + _trie_pattern(_ALL_KEYS) + "))")
_PREFIX_CLOSURE: dict[str, frozenset[str]] = {
    k: frozenset(p for p in _ALL_KEYS if k.startswith(p)) for k in _ALL_KEYS
}
_SCAN_TABLE = str.maketrans("\n\t\r\u2019", "   '")


def _scan_keys(masked: str, sentences: list[tuple[int, int]]) -> dict[int, set[str]]:
    """Which rule keys occur in which sentence, in one regex pass over the whole document.

    A single trie-shaped regex finds every key occurrence (zero-width lookahead, so
    overlapping keys are all seen); sentences without any key are never analysed.
    """
    low = " " + masked.lower().translate(_SCAN_TABLE)
    if len(low) != len(masked) + 1:  # a few Unicode characters change length when lowered
        out: dict[int, set[str]] = {}
        for i, (a, b) in enumerate(sentences):
            sent = " " + masked[a:b].lower().translate(_SCAN_TABLE)
            keys = {k for k in _ALL_KEYS if k in sent}
            if keys:
                out[i] = keys
        return out
    # In ``low`` (one leading space) sentence i spans [a, b + 1): it includes the character
    # before it, so keys with a leading space (" how ") match a sentence-initial word.
    starts = [a for a, _ in sentences]
    found: dict[int, set[str]] = {}
    idx = -1
    a = b = -1
    for m in _KEY_SCAN.finditer(low):
        pos = m.start()
        if not (a <= pos < b):
            idx = bisect_right(starts, pos) - 1
            if idx < 0:
                continue
            a, b = sentences[idx][0], sentences[idx][1] + 1
            if pos >= b:
                continue
        key = m.group(1)
        if pos + len(key) <= b:
            found.setdefault(idx, set()).update(_PREFIX_CLOSURE[key])
    return found


_MAX_MATCHES_PER_RULE = 6


def _analyse_sentence(
    raw: str,
    names: frozenset[str],
    prev_text: str,
    present: set[str] | None = None,
) -> tuple[tuple[str, ...], int, int, str] | None:
    if present is None and USE_GATE:
        low = " " + raw.lower().translate(_SCAN_TABLE)
        present = {k for k in _ALL_KEYS if k in low}
    sent: _Sentence | None = None
    hits: list[tuple[tuple[str, ...], int, int]] = []
    if present is not None:
        active: set[int] = set()
        for k in present:
            active |= _KEY_RULES[k]
        rules = [
            RULES[i]
            for i in sorted(active)
            if len(_RULE_KEYS[i]) == 1 or not any(g.isdisjoint(present) for g in _RULE_KEYS[i])
        ]
    else:
        rules = RULES
    for signals, pattern, check, _keys in rules:
        for tried, m in enumerate(pattern.finditer(raw)):
            if tried >= _MAX_MATCHES_PER_RULE:
                break  # bounds the work on run-on text; real sentences have one or two
            if m.end() == m.start():
                continue
            if sent is None:
                sent = _Sentence(raw, names)
                sent.prev_text = prev_text
            if check(sent, m):
                hits.append((signals, m.start(), m.end()))
                break
    if not hits or sent is None:
        return None
    s = sent
    reported = _is_reported(s, raw)
    claim = bool(_CLAIM.search(raw))
    action = bool(_ACTION.search(raw))
    kept = []
    for signals, a, b in hits:
        sig = signals
        if reported:
            sig = tuple(x for x in sig if x not in _REPORT_SUPPRESS)
        if claim:
            sig = tuple(x for x in sig if x != "character")
        if action:
            sig = tuple(x for x in sig if x != "counterfactual")
        if sig:
            kept.append((sig, a, b))
    if not kept:
        return None
    all_signals: list[str] = []
    for sig, _, _ in kept:
        for x in sig:
            if x not in all_signals:
                all_signals.append(x)
    # A person as the subject of any judgment adds named-person (README overlap rules).
    if "named-person" not in all_signals and _names_someone(s, kept):
        all_signals.append("named-person")
    if "why-didnt" in all_signals and "counterfactual" in all_signals:
        all_signals.remove("counterfactual")
    primary = next(p for p in _PRIORITY if p in all_signals)
    span_start = min(a for _, a, _ in kept)
    span_end = max(b for _, _, b in kept)
    # Extend the span to the start of the person reference just before the cue.
    i = s.index_at(span_start)
    j = i - 1
    while j >= 0 and j >= i - 3 and (s.person[j] or s.tokens[j][0].lower() in _DETS):
        j -= 1
    if j + 1 < i and any(s.person[j + 1 : i]):
        span_start = s.tokens[j + 1][1]
    ordered = tuple(x for x in SIGNALS if x in all_signals)
    return ordered, span_start, span_end, primary


def _names_someone(s: _Sentence, kept: list[tuple[tuple[str, ...], int, int]]) -> bool:
    """True when a specific (non-self, non-generic) person or team is referenced."""
    for i, (word, _, _) in enumerate(s.tokens):
        if not s.person[i]:
            continue
        w = _strip_poss(word)[0]
        if w in SUBJECT_PRONOUNS or w in PRONOUNS or w in INDEFINITE:
            continue
        if w in ("no", "one", "people", "person", "someone"):
            continue
        return True
    return False


def is_blameful(text: str, *, names: Iterable[str] = ()) -> bool:
    """True when at least one sentence of ``text`` is flagged."""
    return bool(analyse(text, names=names))
