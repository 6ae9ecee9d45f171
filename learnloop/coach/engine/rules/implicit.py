"""Implicit blame (issue 18, round 9): blame carried without the usual vocabulary.

- a person-centred account of a slip as the whole story ("an engineer made a typo", "tired
  admin deleted the wrong directory", "engineers wiped the table by accident", "the operator
  pressed the wrong button"): a person is the clause's subject, the verb phrase is a slip,
  and no condition, time stamp, plan or report comes with it;
- character labels ("a corner-cutter", "a cowboy", "can't be bothered");
- sarcasm ("genius move from the night shift", "nice of the vendor team to ...",
  "apparently beyond the weekend crew", "of course the substitute didn't ...");
- sanctions in new words ("will not be driving for us again", "has lost her reporting
  access", "taken off weekend duties").

Tuned on ``tests/data/implicit_train.jsonl`` and the dev set; scored on
``benchmarks/data/coach_fresh_eval.jsonl``, which was written and scored first.
"""

from __future__ import annotations

import re

from learnloop.coach.engine.checks import has_actor, has_condition, not_negated, subject
from learnloop.coach.engine.parse import Sentence

from .base import Rule, rule

_I = re.IGNORECASE

# A condition, a plan, a time stamp or a report that turns the slip into an account.
_ACCOUNT = re.compile(
    r"\b(?:because|since|as (?:planned|agreed|asked|instructed|scheduled|the \w+ (?:asked|said"
    r"|required|listed|named))|which (?:was|were|is|the|had|showed|listed|named|matched)"
    r"|when (?:the|a|an)|so (?:the|that)|after (?:the|a)|said|says|told|reported|explained"
    r"|more often|tends? to|often|usually)\b|\bat \d{1,2}[:.]\d\d\b|^\s*\d{1,2}[:.]\d\d\b",
    _I,
)


_ONE_OF = re.compile(r"^\W*(?:one|two|some|several|a few|both) of (?:our|the|their|his|her) ", _I)


def slip_by_a_person(s: Sentence, m: re.Match[str]) -> bool:
    """A person is the subject of the slip and nothing explains it."""
    one_of = bool(_ONE_OF.match(s.text)) and s.has_person(0, min(5, s.index_at(m.start())))
    if not (subject(s, m) or one_of) or not not_negated(s, m):
        return False
    return not (_ACCOUNT.search(s.text) or has_condition(s, m))


_NOT_BEFORE = re.compile(r"\b(?:not|never|no)\b[^.;]{0,12}$|n't\s*$", _I)


def person_and_sarcasm(s: Sentence, m: re.Match[str]) -> bool:
    return has_actor(s) and not _NOT_BEFORE.search(s.text[max(0, m.start() - 20) : m.start()])


_SLIP = (
    r"\b(?:made|makes) (?:a|an|one|another|the same) (?:small |little |silly |simple )?(?:typo"
    r"|mistake|slip|blunder)\b"
    r"|\b(?:fat-?fingered|mistyped|misread|misheard|misconfigured|mislabell?ed|misfiled"
    r"|mixed up|keyed (?:\w+ ){0,3}twice|dropped a (?:zero|digit|decimal))\b"
    r"|\btyped \S+ (?:instead of|on the wrong|into the wrong)\b"
    r"|\b(?:pressed|clicked|hit|picked|chose|grabbed|selected|opened|deleted|dropped|wiped"
    r"|removed|rebooted|restarted|shut down|unplugged|entered|typed|edited|updated|ran (?:\S+ )"
    r"{0,2}(?:on|against)|plugged (?:\S+ ){0,3}into) (?:\S+ ){0,3}?(?:the )?wrong\b"
    r"|\b(?:deleted|dropped|wiped|removed|truncated|overwrote|erased|rebooted|restarted"
    r"|shut down|unplugged|purged|pushed|merged|deployed)\b[^.;]{0,60}?\b(?:by (?:accident"
    r"|mistake)|accidentally|inadvertently|mistakenly)\b"
    r"|\b(?:accidentally|mistakenly|inadvertently) (?:deleted|dropped|wiped|removed|truncated"
    r"|overwrote|erased|rebooted|restarted|pushed|ran|typed|shut|merged|deployed|unplugged)\b"
    r"|\bleft (?:a|an|the|his|her|their) [\w-]+(?: [\w-]+)? (?:in|inside|behind|under) the\b"
)

IMPLICIT: list[Rule] = [
    rule(
        "named-person",
        _SLIP,
        slip_by_a_person,
        keys="made|makes|finger|mistyp|misread|misheard|misconfig|mislabel|misfiled|mixed up"
        "|keyed|dropped a|typed|wrong|accident|mistake|inadvertent|left",
    ),
    rule(
        "character",
        r"\b(?:is|was|are|were|'s) (?:a |an |such a |an absolute |a real |a total )(?:corner-?cutter"
        r"|cowboy|loose cannon|menace|walking disaster|hazard|danger to \w+|passenger|deadweight"
        r"|dead weight)\b|\bcan(?:'t|not|\u2019t) be bothered\b|\bcouldn(?:'t|\u2019t) be"
        r" bothered\b",
        lambda s, m: subject(s, m) or "bothered" in m.group().lower(),
        keys="cutter|cowboy|cannon|menace|disaster|hazard|danger to|passenger|weight|bothered",
    ),
    rule(
        "normative",
        r"\b(?:(?:real |true |pure )?genius move|special kind of genius|stroke of genius"
        r"|nice of (?:the|our|you|him|her|them)\b|nice going|great job,|well done,|bravo|hats off)"
        r"|\bapparently (?:\w+ ){0,6}?(?:beyond|too much (?:effort|work|trouble) for|too hard"
        r" for)\b|\b(?:is|are|was|seems) apparently (?:beyond|too much)\b"
        r"|\bof course (?:the|our|\w+'s) [\w-]+ (?:didn't|did not|never|forgot|couldn't)\b",
        person_and_sarcasm,
        keys="genius|nice of|nice going|great job|well done|bravo|hats off|apparently|of course",
    ),
    rule(
        "punitive",
        r"\bwill (?:not|never) be (?:working|driving|flying|teaching|handling|picking|serving"
        r"|rostered|scheduled|on shift|on call|on the \w+) (?:[\w-]+ ){0,3}?(?:again|for us)\b"
        r"|\b(?:has|have) lost (?:his|her|their) (?:[\w-]+ ){0,2}(?:access|rights|privileges"
        r"|endorsements?|licen[cs]es?|certifications?|bonus(?:es)?|keys|badge)\b"
        r"|\b(?:taken|moved|pulled) off (?:[\w-]+ ){0,3}(?:duties|duty|shifts|rota|roster|till"
        r"|tills|cases|accounts)\b",
        lambda s, m: subject(s, m) and not_negated(s, m),
        keys="will not be|will never be|lost|taken off|moved off|pulled off",
    ),
]
