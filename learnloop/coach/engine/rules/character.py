"""Rules led by the character signal: judging someone's character ("careless", "a
liability", "asleep at the wheel") rather than the conditions they worked in.
"""

from __future__ import annotations

import re

from learnloop.coach.engine.checks.conditions import omission
from learnloop.coach.engine.checks.judgments import trait_of_a_thing
from learnloop.coach.engine.checks.negation import always, not_negated
from learnloop.coach.engine.checks.people import subject
from learnloop.coach.lexicon import TRAIT_WORDS

from .base import Rule, rule

_I = re.IGNORECASE

CHARACTER: list[Rule] = [
    rule(
        "character",
        r"\b(?:wasn't|weren't|was not|were not|isn't|aren't|not) (?:even )?(?:listening"
        r"|paying attention|thinking|concentrating|focused|careful|awake)\b",
        omission,
        keys="listening|attention|thinking|concentrating|focused|careful|awake",
    ),
    rule(
        "character",
        r"\b(?:anyone|anybody|someone|somebody|any \w+|a \w+) (?:who (?:is|was|were) )?"
        r"(?:paying attention|half awake|with (?:a pulse|eyes|half a brain|any experience"
        r"|basic training|any sense))\b",
        always,
        keys="attention|awake|pulse|eyes|brain|experience|training|sense",
    ),
    rule(
        "character",
        r"\b(?:no|any|the faintest|the slightest) (?:idea|clue) what (?:he|she|they|you|i)"
        r"(?:'s|'re| is| are| was| were) doing\b|\b(?:doesn't|don't|didn't) know what (?:he|she"
        r"|they|you)(?:'s|'re| is| are| was| were) doing\b",
        always,
        keys="idea|clue|know what",
    ),
    # ---------------- character ----------------
    rule(
        "character",
        r"\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|lazy|laziness|sloppy|sloppily"
        r"|sloppiness|incompeten(?:t|ce|tly)|reckless(?:ly|ness)?|unprofessional(?:ism)?"
        r"|irresponsibl[ey]|irresponsibility|clueless|scatterbrained|disorgani[sz]ed"
        r"|inattentive|arrogan(?:t|ce)|inept(?:itude)?|feckless|complacen(?:t|cy)|cavalier"
        r"|lackadaisical|slacker|dim-?witted|moronic|idiotic|half-hearted(?:ly)?)\b(?!-\w)",
        always,
        keys="careless|neglig|lazy|lazi|sloppy|sloppi|incompeten|reckless|unprofessional|irresponsib|clueless|scatter|disorgani|inattentive|arrogan|inept|feckless|complacen|cavalier|lackadaisical|slacker|witted|moron|idiot|hearted",
    ),
    rule(
        "character",
        r"\b(?:" + TRAIT_WORDS + r")\b(?!-\w)",
        lambda s, m: s.has_person() and not_negated(s, m) and not trait_of_a_thing(s, m),
        keys="careless|neglig|lazy|lazi|sloppy|sloppi|incompeten|reckless|unprofessional|irresponsib|clueless|scatter|disorgani|inattentive|arrogan|inept|feckless|complacen|cavalier|lackadaisical|slack|witted|dimwit|moron|idiot|hearted|useless|hopeless|unreliable|untrustworthy|dishonest|rude|lax|indifferent|apathetic|sloth|stupid|dumb|absent-minded",
    ),
    rule(
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
        lambda s, m: s.has_person() and not_negated(s, m),
        keys="liability|people person|business|coasting|too |cut out|menace|loose|rules|lazy|sloppy|complacent|careless|lax|doing|brain|clue|asleep",
    ),
    # ======== Round 2: after a second round of fresh test sentences.
    rule(
        "character",
        r"\b(?:can't|cannot|can no longer|could not|couldn't|not to) be trusted\b"
        r"|\b(?:lied|lies|lying) (?:about|to)\b|\bcovered (?:it |this |that )?up\b",
        lambda s, m: s.has_person() and not_negated(s, m),
        keys="trusted|lied|lies|lying|covered",
    ),
    # ======== Round 3: behaviours, sarcasm and sanctions phrased without the usual vocabulary.
    rule(
        "character normative",
        r"\bpanick(?:ed|s)\b|\bfroze\b|\blost (?:his|her|their|my|your) (?:head|cool|nerve"
        r"|temper)\b|\bmade (?:it|things|matters|everything) worse\b|\bhung up on\b"
        r"|\byell(?:ed|s)? at\b|\bsnapped at\b|\btalked down to\b|\blashed out\b"
        r"|\boversold\b|\bover-sold\b|\brushed (?:through |the |it\b)",
        subject,
        keys="panick|froze|lost |worse|hung up|yell|snapped|talked down|lashed|oversold|over-sold|rushed",
    ),
    rule(
        "character",
        r"\b(?:is|was|has been|have been|are|were|'s) (?:a |an |an absolute |a complete |a total "
        r"|a real )(?:disaster|nightmare|mess|joke|train ?wreck|menace|walking disaster"
        r"|problem child|weak link|loose cannon)\b",
        subject,
        keys="disaster|nightmare|mess|joke|wreck|menace|problem child|weak link|loose cannon",
    ),
    # ======== Round 4: after the untuned fresh check recorded in docs/benchmarks.md.
    rule(
        "character",
        r"\bout of (?:his|her|their|your|my) depth\b|\bin over (?:his|her|their|your|my) head\b"
        r"|\bnot up to (?:the job|it|the task)\b|\bunfit (?:for|to)\b",
        lambda s, m: not_negated(s, m),
        keys="depth|over his|over her|over their|over your|over my|up to|unfit",
    ),
    # ======== Round 5: after fresh set 1 (tests/data/fresh1.jsonl).
    rule(
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
    # ======== Round 6: after fresh set 2 (tests/data/fresh2.jsonl).
    rule(
        "character",
        r"\bway out of a (?:paper|wet paper) bag\b|\ballergic to (?:paperwork|work|process"
        r"|documentation|checklists?|testing|details?|rules|feedback)\b"
        r"|\bwouldn't (?:notice|know|recogni[sz]e|spot|see) (?:a |an |the )?[\w -]{1,30}? if\b"
        r"|\bhas a (?:bad |nasty |long )?habit of\b|\bhave a (?:bad |nasty )?habit of\b",
        lambda s, m: s.subject_is_person(m.start()) or s.has_person(0, s.index_at(m.start())),
        keys="paper bag|allergic|wouldn't|habit of",
    ),
    rule(
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
    # ======== Round 8: after fresh set 4 (tests/data/fresh4.jsonl).
    rule(
        "character named-person",
        r"\bwhen(?:ever)? (?:he|she|they|you) (?:gets?|got|get) around to it\b"
        r"|\bwhen(?:ever)? (?:he|she|they|you) (?:feels?|felt|feel) like it\b",
        always,
        keys="around to it|like it",
    ),
]
