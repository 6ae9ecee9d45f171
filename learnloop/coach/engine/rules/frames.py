"""Frames of implicit blame (issue 18, round 11): sanctions, rhetorical questions and sarcasm
told by their structure rather than by a list of phrases.

- **Sanctions** are a future or standing restriction on one specific person: "<one person>
  won't be <doing X> again / for the rest of / at the next ...", "<one person> is not to
  <do X> again", "<Name> is not allowed near ...", "<one person> is off the <duty> from
  today", "<one person> no longer <does X> after ...". A whole role as the subject is a
  policy ("drivers will not be working alone again"), not a sanction.
- **Rhetorical questions** about a person: "whose (bright) idea was it ...?", "how many X
  does a <role> need before ...?", "how does a <role> miss ...?", "is <doing X> really
  beyond <a person>?", "would it have hurt the <role> to ...?", "did the <role> even ...?".
  Questions about systems ("how did the dashboard miss the spike?") have no person in them.
- **Sarcasm and trivialising**: "of all people", "it had to be X who", "<person> treats
  <a duty> as a suggestion / optional / fiction", a person's work likened to something
  careless ("checks proofs the way other people accept cookie banners").

Written against the round-11 training sentences (``tests/data/implicit_train2.jsonl``, sixteen
domains used by no evaluation set) and the tuning sets; checked against the dev set, the
corpus and the precision probes.
"""

from __future__ import annotations

import re

from learnloop.coach.engine.checks.conditions import has_condition
from learnloop.coach.engine.checks.people import has_actor, plural_role_subject, specific_subject
from learnloop.coach.engine.sentence import Sentence
from learnloop.coach.lexicon import words as _words

from .base import Rule, rule

_I = re.IGNORECASE

_TRIGGER = re.compile(
    r"\b(?:again|any ?more|any longer|from now on|until further notice|for the rest of|for good"
    r"|since (?:the|his|her|their|last)|after (?:the|his|her|their|last|this|that)|following"
    r" the|as of|from today|from (?:this|next) \w+|pending)\b",
    _I,
)
_NAME_START = re.compile(
    r"^\W*(?:(?:Mr|Mrs|Ms|Dr|Driver|Nurse|Officer|Coach)\.? )?(?!(?:The|Our|That|This|A|An|Every"
    r"|All|Any|Each|No|Nobody|Everyone|Staff)\b)[A-Z][a-z]+\b"
)
# A rule for a whole role is a policy, not a sanction ("that is the new policy for every buyer").
_POLICY = re.compile(r"\b(?:policy|policies|rule for|for (?:every|all|any|each) \w+)\b", _I)
_REASON_OFF = re.compile(
    r"\b(?:sick|leave|holiday|vacation|annual|parental|maternity|paternity|training|course)\b",
    _I,
)


_LEAD = re.compile(
    r"^\W*(?:[A-Z][\w'-]+\.?(?: [A-Z][\w'-]+)?|(?:[Tt]he|[Oo]ur|[Tt]hat) [\w' -]{1,30})\s"
)


def _one_subject(s: Sentence, m: re.Match[str]) -> bool:
    """The clause's subject is one specific person; a clause without its own subject ("...
    and won't be driving a round again") takes the sentence's."""
    if specific_subject(s, m):
        return True
    start = s.clause_start(m.start())
    conj = start < len(s.tokens) and s.tokens[start][0].lower() in ("and", "but", "so")
    if not conj and s.index_at(m.start()) - start > 1:
        return False
    return bool(_LEAD.match(s.text)) and s.has_person(0, 4) and not plural_role_subject(s)


def one_person_restricted(s: Sentence, m: re.Match[str]) -> bool:
    """One specific person is the subject, and the restriction is a consequence: it comes
    with a trigger ("again", "after the ...", "from today") or names the person."""
    if plural_role_subject(s) or not _one_subject(s, m):
        return False
    if _REASON_OFF.search(s.text) or _POLICY.search(s.text):
        return False  # "Kenji is off the rota until Monday on annual leave"
    return bool(_TRIGGER.search(s.text, m.start()) or _NAME_START.match(s.text))


def person_question(s: Sentence, m: re.Match[str]) -> bool:
    """A question with a person in it and no condition that explains the act."""
    return s.text.rstrip().endswith("?") and has_actor(s) and not has_condition(s, m)


def question(s: Sentence, m: re.Match[str]) -> bool:
    return s.text.rstrip().endswith("?")


def person_after(s: Sentence, m: re.Match[str]) -> bool:
    """A question whose person comes after the cue ("... really beyond our night crew?")."""
    return s.text.rstrip().endswith("?") and has_actor(s, s.index_at(m.end()))


def _verb_of_a_person(s: Sentence, m: re.Match[str]) -> bool:
    """The verb's subject is a person; the regex may start its match early ("prepress lead
    checks ..."), so every candidate verb in the match is tried."""
    if has_condition(s, m):
        return False
    for v in re.finditer(r"\b[a-z]+s\b|\btreated\b", m.group()):
        if s.subject_is_person(m.start() + v.start()):
            return True
    return False


# A person's act given as the reason ("... because a loader grabbed the wrong manifest",
# "thanks to Kwabena skipping aisle nine"): the because-clause's subject is a person and its
# verb an act, not a state, a perception, what the person was told or an act of compliance
# ("because the nurse was covering two wards", "because the operator followed the runbook").
_NOT_AN_ACT = _words(
    """was were had been is are did didn't could couldn't would knew thought assumed believed
    expected saw heard noticed felt followed used relied trusted checked asked called reported
    escalated waited stopped paused read understood got received needed wanted tried"""
)
_ACT_AFTER = re.compile(r"\s+((?:[a-z]+ly )?)([a-z][a-z-]+)\b")


def person_act_as_reason(s: Sentence, m: re.Match[str]) -> bool:
    lo = s.index_at(m.end())
    for k in range(lo, min(lo + 5, len(s.tokens))):
        if s.tokens[k][0].lower() in ("they", "them", "it", "we", "you", "their", "its"):
            return False
        if not s.person[k]:
            continue
        nxt = _ACT_AFTER.match(s.text, s.tokens[k][2])
        if not nxt:
            return False
        verb = nxt.group(2).lower()
        if verb in _NOT_AN_ACT or not (verb.endswith("ed") or verb in _PAST_ACTS):
            return False
        rest = s.text[nxt.end() :]
        return not re.search(r"\b(?:as|because|since|after|when|while|so)\b", rest, _I)
    return False


_PAST_ACTS = _words(
    """left hit took went sent put ran made cut drew wrote gave threw broke lost sold shut
    set tore let dropped kept brought stuck hung shot"""
)


def named_and_restricted(s: Sentence, m: re.Match[str]) -> bool:
    """A supervision or approval restriction on one named person ("From Monday, every change
    Ingmar proposes needs his manager's written approval"), not a rule for a role."""
    if plural_role_subject(s) or _POLICY.search(s.text):
        return False
    named = any(
        s.person[k] and s.tokens[k][0][:1].isupper() and k > 0 for k in range(len(s.tokens))
    ) or bool(_NAME_START.match(s.text) and s.has_person(0, 3))
    return named and bool(_RESTRICT_TRIGGER.search(s.text))


_RESTRICT_TRIGGER = re.compile(
    r"\b(?:after (?:the|his|her|their|last)|until (?:the|further)|from (?:now|today|monday"
    r"|tuesday|wednesday|thursday|friday|next)|starting (?:this|next|today|monday)|next (?:term"
    r"|week|month|quarter|year)|since (?:the|his|her|their)|pending)\b",
    _I,
)


_DUTY_TRIVIAL = (
    r"(?:suggestions?|optional(?: \w+)?|(?:light |pure |science )?fiction|decoration"
    r"|decorative|(?:a )?museum piece|background (?:music|noise)|an? ornament|a formality"
    r"|a joke|guidelines?|small print|white noise|wallpaper)"
)

FRAMES: list[Rule] = [
    rule(
        "named-person",
        r"\bbecause (?=(?:a|an|one|the|our|some|two|[A-Z]))(?!(?:They|It|We|You|This|That)\b)"
        r"|\bthanks to (?=(?:a|an|one|the|our|[A-Z]))",
        person_act_as_reason,
        keys="because|thanks to",
    ),
    rule(
        "punitive",
        r"\bwithout (?:a|an|his|her|their) (?:second|supervisor|manager|mentor|senior)\w*"
        r"|\bunder (?:a|an|the|his|her) (?:[\w-]+'s )?(?:observation|eye|supervision|watch)\b"
        r"|\bonly (?:under|with) (?:a|an) (?:[\w-]+ ){0,2}(?:observation|supervisor|mentor)\b"
        r"|\b(?:manager|supervisor|lead|mentor)'s (?:written )?(?:approval|sign-off|signature)\b"
        r"|\broute(?:s|d)? through (?:the|a) [\w-]+ desk\b|\bsupervisor listening\b",
        named_and_restricted,
        keys="without|under|only|approval|sign-off|signature|desk|listening",
    ),
    rule(
        "normative",
        r"\b(?:thinks|believes|seems to think|acts as if|behaves as if|treats \w+ as)\b[^.;?]{0,40}"
        r"\b(?:(?:somebody|someone|something) else's|happens to other)\b",
        lambda s, m: s.subject_is_person(m.start()),
        keys="else's|happens to other",
    ),
    rule(
        "character",
        r"\bmakes? a habit of\b",
        lambda s, m: s.subject_is_person(m.start()),
        keys="habit",
    ),
    rule(
        "named-person",
        r"^\W*it (?:was|is) (?:[\w'-]+ ){1,3}?again,? who\b|,? as only (?:he|she|they) (?:would|could|can)\b",
        lambda s, m: has_actor(s),
        keys="again|as only",
    ),
    rule(
        "punitive",
        r"\b(?:won't|won\u2019t|will not|will never) be [a-z]+ing\b"
        r"|\b(?:is|are) not to (?!blame\b|say\b|mention\b|be confused\b)(?:be )?[a-z]+\b"
        r"|\b(?:is|was) (?:no longer|not) (?:allowed|permitted|trusted) (?:near|with|to)\b"
        r"|\bis off (?:the|all|any) [\w-]+(?: [\w-]+){0,2}\b"
        r"|\bno longer (?:[a-z]+s|has|gets|does)\b(?=[^.;]{0,60}\b(?:after|since|following)\b)",
        one_person_restricted,
        keys="won't be|won\u2019t be|will not be|will never be|not to|not allowed|not permitted"
        "|not trusted|no longer|is off",
    ),
    rule(
        "why-didnt",
        r"^\W*how many (?:more )?[\w-]+(?: [\w-]+)? (?:does|do|did|will|would|must) (?:it take"
        r"|(?:a|an|the|our|one|you|he|she|they)\b[^?]{0,30}?\b(?:need|have|take|lose|break))\b"
        r"[^?]*\bbefore\b"
        r"|^\W*how (?:do|does|did|can|could) (?:you|anyone|anybody|someone|somebody|a|an|the"
        r"|our|one)\b[^?]{0,40}?\b(?:miss|not (?:see|notice|check|read|spot|hear)|overlook"
        r"|lose|forget|skip|ignore)\w*\b"
        r"|^\W*would it have (?:killed|hurt|cost|harmed) (?:the|a|an|our|him|her|them|you"
        r"|anyone|anybody)\b"
        r"|^\W*did (?:anyone|anybody|the|our|a|an|you|he|she|they)\b[^?]{0,40}?\b(?:even"
        r"|actually|bother to|ever think)\b",
        person_question,
        keys="how many|how do|how does|how did|how can|how could|would it have|did",
    ),
    rule(
        "why-didnt",
        r"^\W*whose (?:[\w-]+ )?(?:idea|plan|call|decision) was (?:it|this|that)\b",
        question,
        keys="whose",
    ),
    rule(
        "why-didnt normative",
        r"^\W*is (?:it )?[^?]{3,60}?\b(?:really |honestly |truly |so )?(?:too much to ask of"
        r"|beyond|above|beneath|too hard for|so hard for)\b",
        person_after,
        keys="too much|beyond|above|beneath|too hard|so hard",
    ),
    rule(
        "named-person",
        r"\bof all (?:people|the [\w-]+(?: [\w-]+)?)\b"
        r"|^\W*it (?:had to be|would be|could only be|was always) (?:[\w'-]+ ){0,3}?who\b",
        lambda s, m: has_actor(s),
        keys="of all|had to be|would be|only be|always",
    ),
    rule(
        "normative",
        r"\b(?:treats?|treated|sees?|hears?|reads?|regards?|takes?|handles?) (?:the |a |an |our"
        r" |his |her |their |every |any |each )?[\w' -]{1,40}? as (?:an? |just |mere |a mere"
        r" |light |polite |gentle )*" + _DUTY_TRIVIAL + r"\b",
        lambda s, m: _verb_of_a_person(s, m),
        keys="suggestion|optional|fiction|decorat|museum|background|ornament|formality|joke"
        "|guideline|small print|white noise|wallpaper",
    ),
    rule(
        "character",
        r"\b(?:[a-z]+s) (?:[\w'-]+ ){0,4}?(?:the way|about as (?:\w+ )?as|as (?:\w+ly|much) as)"
        r" (?:(?:some|other|most) )?(?:people|toddlers|kids|children|teenagers|tourists"
        r"|(?:a|an) (?!(?:\w+ )?(?:policy|procedure|checklist|manual|runbook|rule|spec|protocol"
        r"|standard|guide|plan)\b)[a-z]+)\b"
        r"|\b[a-z]+s (?:[\w'-]+ ){0,4}?like (?:he|she|they)(?:'s|'re| is| are| was| were) [a-z]+ing\b",
        lambda s, m: _verb_of_a_person(s, m),
        keys="the way|about as|much as|ly as|like he|like she|like they",
    ),
]
