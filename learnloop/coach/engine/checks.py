"""The checks a rule runs on its match (each a ``Check``: sentence, match -> bool): is the
cue really about a person (the clause subject, someone in the sentence, the next noun
phrase), is it negated, is the condition that explains it given.
"""

from __future__ import annotations

import re

from learnloop.coach.lexicon import INDEFINITE, PRONOUNS, ROLES, STATE_VERBS, SYSTEM_NOUNS
from learnloop.coach.lexicon import words as _words
from learnloop.coach.occupations import DEVICE_CONTEXT, device, new_role

from .parse import AUX, DETS, MACHINE_CONTEXT, PREPS, TITLES, Sentence, is_role, strip_poss

_I = re.IGNORECASE


_NEG_BEFORE = re.compile(
    r"(?:(?<![\w-])not|n't|(?<![\w-])never|(?<![\w-])no|(?<![\w-])nothing|(?<![\w-])nobody|(?<![\w-])no one|(?<![\w-])rather than|(?<![\w-])instead of"
    r"|(?<![\w-])call(?:ing|ed|s)?(?: it| this| that)?|(?<![\w-])label(?:l?ing|l?ed|s)?(?: it)?"
    r"|(?<![\w-])words?|(?<![\w-])terms?|(?<![\w-])phrase|(?<![\w-])avoid(?:ing)?|(?<![\w-])beyond|(?<![\w-])remov(?:e|ed|ing)"
    r"|(?<![\w-])replac(?:e|ed|ing)|(?<![\w-])stop(?:ped)?|(?<![\w-])less|(?<![\w-])isn't|(?<![\w-])wasn't|(?<![\w-])drop(?:ped)?"
    r"|(?<![\w-])banned|(?<![\w-])forbid\w*|(?<![\w-])swap\w*|(?<![\w-])question(?:ing|ed)?"
    r"|(?<![\w-])(?:describ|treat)(?:e|es|ed|ing)(?: it| this| that)? as)"
    r"(?:\s+\w+){0,3}\s*[\"'\u201c\u2018]?\s*$",
    _I,
)


_META_AFTER = re.compile(
    r"[\"'\u201d\u2019]?\s*(?:is not|isn't|was not|wasn't|is never|is rarely|is a symptom"
    r"|is where|is the start|as a (?:root )?cause|label\b|tells us nothing|explains nothing"
    r"|is the wrong (?:finding|label|word|conclusion|name|verdict)"
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


def not_negated(s: Sentence, m: re.Match[str]) -> bool:
    before = s.text[max(0, m.start() - 40) : m.start()]
    if _NEG_BEFORE.search(before):
        return False
    return not _META_AFTER.match(s.text, m.end())


def always(s: Sentence, m: re.Match[str]) -> bool:
    return not_negated(s, m)


# The people an incident happens to, not the people who act in it.
AFFECTED = _words(
    "customers users clients members visitors people patients callers public"
    " customer user client visitor patient caller"
)


def has_actor(s: Sentence, lo: int = 0, hi: int | None = None) -> bool:
    """A person in tokens ``lo:hi`` other than the affected ("customers reported ...")."""
    hi = len(s.tokens) if hi is None else hi
    return any(s.person[k] and strip_poss(s.tokens[k][0])[0] not in AFFECTED for k in range(lo, hi))


def person_in_sentence(s: Sentence, m: re.Match[str]) -> bool:
    return s.has_person() and not_negated(s, m)


def subject(s: Sentence, m: re.Match[str]) -> bool:
    return s.subject_is_person(m.start())


COND_AFTER = re.compile(
    # "as soon as we cleared the breakwater" tells when, not why (round 18, decision 0249)
    r"\b(?:because|since|(?<!\bsoon )as (?:it|the|there|they|he|she|we|nobody|no one)|due to|given that"
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


def has_condition(s: Sentence, m: re.Match[str]) -> bool:
    """Omission given together with the condition that produced it (blameless)."""
    before = s.text[: m.start()]
    if _BECAUSE.search(before):
        # The omission *is* the explanation ("... because the team failed to run it").
        return False
    if COND_AFTER.search(s.text, m.end()):
        return True
    if _COND_BEFORE.search(before):
        return True
    return bool(_COND_ANY.search(s.text))


# Round 18 (decision 0249): "Nobody forgot the purge; the flow meter read high" denies the
# omission: the negative pronoun is the subject of the cue itself, not of a rhetorical "nobody
# checked" (``nobody_did``, which needs a minimiser or a question).
_DENIAL_SUBJECT = re.compile(r"\b(?:nobody|no one|no-one|none of (?:us|them))\s+(?:here\s+)?$", _I)


def omission(s: Sentence, m: re.Match[str]) -> bool:
    if _DENIAL_SUBJECT.search(s.text, max(0, m.start() - 30), m.start()):
        return False
    return s.subject_is_person(m.start()) and not has_condition(s, m)


def didnt_action(s: Sentence, m: re.Match[str]) -> bool:
    verb = m.group("verb").lower()
    if verb in STATE_VERBS or verb in AUX or verb == "been":
        return False
    i = s.index_at(m.start())
    if i > 0 and s.tokens[i - 1][0].lower() in _PERFECT_OR_PASSIVE:
        return False  # "had never worked with", "were never told": experience / recipient
    if verb in _PERCEIVE and _subject_word(s, m.start()) in _AFFECTED_OR_WE:
        return False
    return omission(s, m)


def _subject_word(s: Sentence, pos: int) -> str:
    """The last word before the clause's verb group at ``pos`` (skipping adverbs)."""
    i = s.index_at(pos) - 1
    while i >= 0 and s.tokens[i][0].lower() in ("also", "simply", "just", "still", "never"):
        i -= 1
    return s.tokens[i][0].lower() if i >= 0 else ""


_PERFECT_OR_PASSIVE = _words("had has have was were is are be been being")


def could_have(s: Sentence, m: re.Match[str]) -> bool:
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
    if not not_negated(s, m):
        return False  # "... not what they should have done"
    if m.group().lower().startswith("could") and TOOL_CONDITION.search(
        s.text, m.end(), m.end() + 80
    ):
        return False  # "we could have caught this with a synthetic check": about a tool
    return s.subject_is_person(m.start())


TOOL_CONDITION = re.compile(
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
    worn torn sworn borne shaken hidden bitten eaten fallen risen sewn sown mown shrunk sunk
    spun swung dug wound ground bound rung slid stung flung wrung sprung strung mistaken
    withdrawn foreseen overseen withheld overridden overrun rerun redone undone misread misled
    laid mislaid forgiven beaten
    """)


def _is_participle(word: str) -> bool:
    word = word.rsplit("-", 1)[-1]  # "re-read", "double-checked"
    return word.endswith("ed") or word in _IRREGULAR_PP


INTENT = re.compile(
    r"\b(?:should|must|can(?!'t|not)|could(?!n't)|will|would(?!n't)|need to|needs to|has to"
    r"|have to|able to|so that"
    r"|in order to|lets?|allows?)\b",
    _I,
)


_RENDERED = re.compile(
    r"\b(?:render\w*|made|makes?|making|left|leaves?|leaving) (?:it|them)\s+$", _I
)


def trait_of_a_thing(s: Sentence, m: re.Match[str]) -> bool:
    """'lax input validation', 'rendering them useless': the trait word describes a thing."""
    if _RENDERED.search(s.text, max(0, m.start() - 30), m.start()):
        return True
    i = s.index_at(m.end())
    if i >= len(s.tokens) or s.text[m.end() : s.tokens[i][1]].strip():
        return False
    nxt = s.tokens[i][0].lower()
    return not s.person[i] and nxt not in PREPS and nxt not in AUX and nxt not in _CONJ_WORDS


# A predicate "inadequate": "the response was (repeatedly) inadequate" judges its subject.
_COPULA_BEFORE = re.compile(
    r"\b(?:is|are|was|were|been|being|remains?|remained|proved)\s+(?:\w+ly\s+)?$", re.I
)


def judges_a_thing(s: Sentence, m: re.Match[str]) -> bool:
    """'inadequate funding', 'an improperly configured API setting' (but not "inadequately
    briefed the executives", "Treasury's inadequate review", "an improper practice that the
    data team knew about")."""
    if re.search(r"\b(?:a|an|the)\s+$", s.text[max(0, m.start() - 5) : m.start()], _I) and (
        re.match(r"\s+\w+ed\b", s.text[m.end() :])
    ):
        return True
    i = s.index_at(m.start())
    if m.group().lower().endswith("ly") or (i > 0 and s.person[i - 1]):
        return False
    if re.match(r"(?:inadequate|improper)$", m.group(), _I) and _COPULA_BEFORE.search(
        s.text[max(0, m.start() - 40) : m.start()]
    ):
        # "Contoso's incident response was repeatedly inadequate" judges a thing; "Dana's
        # review was inadequate" judges a person's work.
        return not has_actor(s, s.clause_start(m.start()), i)
    if re.search(
        r"\b(?:that|which) (?:the |our )?[\w-]+ (?:team|crew|staff)\b", s.text[m.end() :], _I
    ):
        return False
    return trait_of_a_thing(s, m)


_CONJ_WORDS = _words("and or but nor so yet then when while because about with")
# Perceiving is not an act a person omits: "most customers did not notice", "we did not spot
# this in testing" (detection, told together with the blind spot), "without realising".
_PERCEIVE = _words(
    "notice noticed noticing spot spotted spotting detect detected detecting realise realised "
    "realising realize realized realizing see seeing know knowing"
)
_AFFECTED_OR_WE = _words("we customers users clients members visitors people patients callers")


def without(s: Sentence, m: re.Match[str]) -> bool:
    last = s.index_at(m.end()) - 1
    if last >= 0 and s.tokens[last][0].lower() in _PERCEIVE:
        return False
    start = s.clause_start(m.start())
    if INTENT.search(s.text, s.tokens[start][1] if start < len(s.tokens) else 0, m.start()):
        return False  # design intent / ability: "operators should be able to stop ... without"
    end = s.index_at(m.start())
    if not has_actor(s, 0, end):
        # A person anywhere before the cue: "the pull request Amir merged without telling".
        return False
    return not has_condition(s, m)


def nobody_did(s: Sentence, m: re.Match[str]) -> bool:
    if has_condition(s, m):
        return False
    # Bare "nobody did X" is blame only with a minimiser/ease cue or a rhetorical frame.
    if re.search(r"\b(?:even|bothered|once)\b", m.group(), _I):
        return True
    return bool(EASE.search(s.text)) or "?" in s.text or bool(RHETORIC_TAIL.search(s.text))


def np_person_then_end(s: Sentence, pos: int) -> bool:
    """A person noun phrase starts at ``pos`` and ends the clause ("... is on the night team.")."""
    i = s.index_at(pos)
    toks = s.tokens
    while i < len(toks) and toks[i][0].lower() in DETS:
        i += 1
    for _ in range(2):  # modifiers before the head: "accounts payable", "night shift"
        if i + 1 < len(toks) and not s.person[i] and toks[i][0].lower() not in PREPS:
            if s.text[toks[i][2] : toks[i + 1][1]].strip():
                return False  # "was on three HVDC links (Mundra, ...)": not one noun phrase
            i += 1
    if i >= len(toks) or not s.person[i]:
        return False
    while i + 1 < len(toks) and s.person[i + 1]:
        i += 1
    if strip_poss(toks[i][0])[1]:
        return False
    rest = s.text[toks[i][2] :].lstrip()
    return not rest or rest[0] in ".,;:!?\u2014\u2013-)"


# "the maintainer's account being compromised": the person is the victim, not the cause.
_VICTIM = re.compile(r"\b(?:compromised|stolen|hacked|phished|hijacked|impersonated)\b", _I)


def next_person(s: Sentence, m: re.Match[str]) -> bool:
    return s.next_np_person(m.end()) and not_negated(s, m) and not _VICTIM.search(s.text, m.end())


def subject_or_next(s: Sentence, m: re.Match[str]) -> bool:
    return s.subject_is_person(m.start())


def question(s: Sentence, m: re.Match[str]) -> bool:
    return "?" in s.text[m.start() :] and s.has_person()


def question_next_person(s: Sentence, m: re.Match[str]) -> bool:
    if re.match(r"\s+(?:we|i|us)\s+(?!have\b)", s.text[m.end() :], _I):
        return False  # "how could we make the screen clearer?" is constructive
    return "?" in s.text[m.start() :] and s.next_np_person(m.end())


def why_omission(s: Sentence, m: re.Match[str]) -> bool:
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


def rhetorical_who(s: Sentence, m: re.Match[str]) -> bool:
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
        or (verb.endswith("s") and GENERIC_OBJECT.match(s.text, m.end()) is not None)
    )


# Round 16 (decision 0237): a generic act on an indefinite object ("Who leaves a gate open
# next to the main road ...?", "Which mover carries a glass table on his own ...?") asks
# who would ever do such a thing; a question about a routine names its object ("Who orders
# the ice for the buffets?", "Which upholsterer does the buttoned backs?"). Possession,
# need, approval and sign-off are how processes are asked about ("Who approves a refund
# over 500?") and stay factual.
GENERIC_OBJECT = re.compile(
    r"(?<!\bhas)(?<!\bneeds)(?<!\bwants)(?<!\bknows)(?<!\bowns)(?<!\buses)(?<!\bgets)"
    r"(?<!\bapproves)(?<!\bsigns)(?<!\bauthorises)(?<!\bauthorizes)(?<!\bdecides)"
    r"(?<!\bis)(?<!\bdoes)(?<!\bhandles)(?<!\bcovers)"
    r"(?: (?:up|down|off|out|in|on))? (?:a|an|another|two|three|four|five|six|seven|eight|nine"
    r"|ten|twelve|twenty|thirty|forty|fifty|hundred|\d[\d,.]*)\b[^?]*\?\s*$",
    _I,
)


def generic_which(s: Sentence, m: re.Match[str]) -> bool:
    """'Which <person> <verb>s a/an/<number> ...?' (round 16): the rhetorical who with a role."""
    return (
        s.person[s.index_at(m.start("who"))] and GENERIC_OBJECT.match(s.text, m.end()) is not None
    )


def negative_question_act(s: Sentence, m: re.Match[str]) -> bool:
    """'Why didn't <subject> <person's act> ...?' (round 18): the subject is not equipment,
    software or a system noun, and not us ("why didn't we ...?" is a team asking itself)."""
    if "?" not in s.text[m.end() :]:
        return False
    words = [strip_poss(w.lower())[0] for w in re.findall(r"[\w'-]+", m.group("np"))]
    if not words or words[0] in ("we", "i", "it", "this", "that", "there", "they"):
        return False
    head = words[-1]
    if head in SYSTEM_NOUNS or device(head) or head in ("it", "this", "that"):
        return False
    return not DEVICE_CONTEXT.search(s.text)


def rhetoric_tail(s: Sentence, m: re.Match[str]) -> bool:
    return s.has_person(0, s.index_at(m.start()))


def ask_name(s: Sentence, m: re.Match[str]) -> bool:
    return bool(re.search(r"\bwhy\b|\bwho\b", s.text[: m.start()], _I)) and s.next_np_person(
        m.end()
    )


def thanks_sarcasm(s: Sentence, m: re.Match[str]) -> bool:
    return s.next_np_person(m.start() + len("thanks to"))


_GENERIC_SUBJECT = re.compile(
    r"^\W*(?:all |our |new |every |most |many |some )?(?:[a-z-]+ ){0,2}?[a-z-]+s\b",
    _I,
)


def specific(s: Sentence, m: re.Match[str]) -> bool:
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


def role_error(s: Sentence, m: re.Match[str]) -> bool:
    """'<person noun> error' (round 18): the noun is a person by the role list or its form
    ("fitter", "groomer", "forecaster", "cellar hand"), not a modifier of something else."""
    i = s.index_at(m.start("who"))
    if i >= len(s.tokens) or not _strong_role(s.tokens[i][0], s.text):
        return False
    if s.tokens[i][0][:1].isupper() and not s._opens(i):
        return False  # "Internal Server Errors": a message's or a product's name
    return reported_ok(s, m)


def _strong_role(word: str, text: str) -> bool:
    """A role by the list or its form; a weak -er/-or noun ("groomer", "forecaster") only in a
    sentence not about machines ("a transfer error in the nightly job")."""
    w = strip_poss(word)[0]
    kind = new_role(w)
    if is_role(w) or kind == 1:
        return True
    return kind == 2 and not (DEVICE_CONTEXT.search(text) or MACHINE_CONTEXT.search(text))


def reported_ok(s: Sentence, m: re.Match[str]) -> bool:
    if m.group().lower() == "user errors":
        return False  # errors that users saw ("when user errors became apparent")
    return not_negated(s, m) and not _ERROR_NOUN_AFTER.match(s.text, m.end())


BAD_ACT = re.compile(
    r"\b(?:untested|unreviewed|unapproved|wrong|late|without|skipp\w*|ignor\w*|miss\w*"
    r"|forg[eo]t\w*|broke|rush\w*|careless\w*|sloppy|mistake|screw\w*|messed"
    r"|left (?:\w+ ){0,3}?(?:open|unlocked|running|unattended|behind))\b",
    _I,
)


FOLLOW_UP = re.compile(
    r"\b(?:follow[- ]?ups?|action items?|actions?|fix|remediation|owner|ownership|owning"
    r"|next steps?|rollout|migration plan)\b",
    _I,
)


EASE = re.compile(
    r"\btakes? (?:only |just |all of )?(?:half a minute|a minute|a second|seconds|\w+ seconds"
    r"|two minutes|five minutes|a moment)\b|\bstep one\b|\bthe first step\b|\bone click\b"
    r"|\btrivial(?:ly)?\b|\bthe easiest\b|\bliterally\b",
    _I,
)


RHETORIC_TAIL = re.compile(
    r"[\u2014\u2013,-]\s*(?:seriously,?\s*)?(?:how|why(?: not)?|really)\s*\?\s*\W*$", _I
)


_OMISSION_WORDS = re.compile(
    r"\b(?:skip\w*|ignor\w*|miss\w*|forg[eo]t\w*|overlook\w*|bypass\w*|leave out|left out"
    r"|not|never|even|really|seriously|without)\b",
    _I,
)


_SINGLE_SUBJECT = re.compile(
    r"^\W*(?:[A-Z][\w'-]+\.?(?: [A-Z][\w'-]+)?|(?:[Tt]he|[Oo]ur|[Tt]hat|[Tt]his) (?:[\w-]+ )?"
    r"[\w-]*[^s\W])\s",
)


def specific_subject(s: Sentence, m: re.Match[str]) -> bool:
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
    while i < end and s.tokens[i][0].lower() in DETS:
        i += 1
    for k in range(i, min(i + 3, end)):
        if not s.person[k]:
            continue
        w = strip_poss(s.tokens[k][0])[0]
        titled = k > 0 and s.tokens[k - 1][0].lower() in TITLES
        if is_role(w) or w in s.names or titled:
            return s._first_np_person(start, end, True)
    return False


INCIDENT_LINK = re.compile(
    r"\b(?:after|following|over|because of) (?:the|this|that|his|her|their|last|yesterday's"
    r"|what)\b",
    _I,
)


BAD_OBJECT = re.compile(
    r"\b(?:fraud\w*|wrong|bad|broken|duplicate[ds]?|faulty|incorrect|bogus|failed|failing"
    r"|rejected|bounced|bogus|mis\w+)\b",
    _I,
)


# "... would have caught it, and we are adding that check": a lesson turned into a fix.
FIX_PLANNED = re.compile(
    r"\bwe(?:'re|\u2019re| are| will|'ll| have| now)? (?:add|build|writ|mak|put|introduc|instal)\w*"
    r"|\bso we\b|\bwhich is why\b",
    _I,
)


_HAD_STATE = _words("known been had got gotten seen heard received told given shown")


def inverted_conditional(s: Sentence, m: re.Match[str]) -> bool:
    """'Had anyone on the team picked up the phone, ...': hindsight about a person's act."""
    if m.group("verb").lower() in _HAD_STATE:
        return False
    lo = s.index_at(m.start("np"))
    hi = s.index_at(m.start("verb"))
    return s._first_np_person(lo, hi, loose=True) and not has_condition(s, m)


PRONOUNS_AND_INDEFINITE = PRONOUNS | INDEFINITE
# What makes a named person's lost duty standing: for good, from now on, after what they did.
_FOR_GOOD = re.compile(
    r"\b(?:again|anymore|any more|for good|ever again|end of (?:discussion|story)|that is final"
    r"|after (?:the|what|that|this|his|her|their)|not after)\b",
    _I,
)
# Relief, ability and plans are not sanctions: "no longer needs to sign twice", "can't log in".
_NOT_A_SANCTION = re.compile(
    r"^\s*(?:\w+\s+)?(?:need|needs|have to|has to|got to|able|be able|remember|know|find"
    r"|see|log in|access|reach|make it|attend|come|afford|wait|stop|help|believe|understand"
    r"|be reached|work today|here)\b|\buntil\b(?!\s+(?:he|she|they)\s+(?:can|learns?|proves?"
    r"|shows?))|\b(?:because|since"
    r"|due to|on leave|off sick|holiday|retire\w*|moved|promoted)\b",
    _I,
)


def named_sanction(s: Sentence, m: re.Match[str]) -> bool:
    """A named person (not a role: a rule for every buyer is a policy) loses a duty for good
    (round 18): "Sven isn't booking guests anymore", "Luis no longer gets a key"."""
    i = s.index_at(m.start("who"))
    if i >= len(s.tokens) or not s.person[i] or is_role(strip_poss(s.tokens[i][0])[0]):
        return False
    w = strip_poss(s.tokens[i][0])[0]
    if w in PRONOUNS_AND_INDEFINITE:
        return False
    rest = m.group("rest")
    if _NOT_A_SANCTION.search(rest):
        return False
    if "no longer" in m.group().lower() or ", not" in m.group():
        return True
    return bool(_FOR_GOOD.search(rest))


def plural_role_subject(s: Sentence) -> bool:
    """'Agents won't see ...': a whole role (a policy), not one person (a sanction)."""
    if not s.tokens:
        return False
    w = s.tokens[0][0].lower()
    return w.endswith("s") and w not in ROLES and is_role(w)


def possessor_named(s: Sentence, m: re.Match[str]) -> bool:
    """The possessor is a name or a personal pronoun, not a role ("the vendor's licence")."""
    i = s.index_at(m.start()) - 1
    if i < 0:
        return False
    w, poss = strip_poss(s.tokens[i][0])
    if w in ("his", "her", "their"):
        return True
    if not poss or not s.person[i] or is_role(w):
        return False
    return s.tokens[i][0][:1].isupper()


_PERSON_PREV = re.compile(r"\b(?:he|she|they|his|her|their|someone|somebody)\b", _I)


def prev_person(s: Sentence) -> bool:
    prev = s.prev_text
    return bool(prev and _PERSON_PREV.search(prev))
