"""Rules led by the counterfactual signal: hindsight about a person, what they should, could
or failed to have done.
"""

from __future__ import annotations

import re

from learnloop.coach.engine.checks.conditions import (
    INTENT,
    didnt_action,
    has_condition,
    nobody_did,
    omission,
    without,
)
from learnloop.coach.engine.checks.hindsight import (
    FIX_PLANNED,
    TOOL_CONDITION,
    could_have,
    inverted_conditional,
)
from learnloop.coach.engine.checks.negation import always, not_negated
from learnloop.coach.engine.checks.people import (
    person_in_sentence,
    specific_subject,
    subject,
    subject_or_next,
)
from learnloop.coach.engine.person_words import is_role, strip_poss

from .base import Rule, rule

_I = re.IGNORECASE

COUNTERFACTUAL: list[Rule] = [
    # ---------------- counterfactual (hindsight about a person) ----------------
    rule(
        "counterfactual",
        r"\b(?:never |not )?(?:should|ought to|must)(?:n't| not| never)?\s+(?:\w+\s+)?(?:have|'ve)\b"
        r"|\bshould've\b|\bshouldn't've\b",
        could_have,
        keys="should|ought|must",
    ),
    rule(
        "counterfactual",
        r"\bcould(?:n't| not)?\s+(?:\w+\s+)?have\b|\bcould've\b",
        could_have,
        keys="could",
    ),
    rule(
        "counterfactual",
        r"\b(?:failed|fails|fail|neglected|neglects|forgot|forgets|forget|omitted)\s+to\b"
        r"|\bforgot (?:about|the|his|her|their)\b",
        omission,
        keys="fail|neglect|forg|omitted",
    ),
    rule(
        "counterfactual normative",
        r"\bfailed at (?:the|even|a) \w+",
        subject_or_next,
        keys="failed at",
    ),
    rule(
        "counterfactual normative",
        r"\b(?:did(?:n't| not)|never|won't|wouldn't)\s+(?:even\s+)?(?:bother|bothered)\b"
        r"|\b(?:couldn't|could not|can't|cannot)\s+(?:even\s+)?be\s+(?:bothered|troubled|arsed)\b"
        r"|\bdid(?:n't| not) so much as\b|\b(?:didn't|did not|couldn't|could not) even\b"
        r"|\bnot even (?:once|a|one|glance|look|check|read|open)\b",
        person_in_sentence,
        keys="bother|troubled|arsed|so much as|even",
    ),
    rule(
        "counterfactual",
        r"\b(?:did(?:n't| not)|never|has(?:n't| not) once)\s+(?:once\s+)?(?P<verb>[a-z]+)\b",
        didnt_action,
        keys="did|never|hasn't once|has not once",
    ),
    rule(
        "counterfactual",
        r"\b(?:skipped|ignored|overlooked|disregarded|bypassed|sat on|left out)\b",
        omission,
        keys="skipped|ignored|overlooked|disregarded|bypassed|sat on|left out",
    ),
    rule(
        "counterfactual",
        r"\bwithout (?:even |so much as |first |ever )?\w+ing\b",
        without,
        keys="without",
    ),
    rule(
        "counterfactual",
        r"\b(?:nobody|no one|no-one)(?: (?:in|on|from|at) (?:the )?\w+(?: \w+)?)? "
        r"(?:ever |even )?(?:did|checked|read|looked|opened|noticed|caught|verified|followed"
        r"|asked|called|replied|bothered|counted|compared|tested|reviewed|flagged)\b",
        nobody_did,
        keys="nobody|no one|no-one",
    ),
    rule(
        "counterfactual normative",
        r"\bwould have cost (?:him|her|them|you|me|us|the \w+|\w+) nothing\b"
        r"|\bwould have taken (?:him|her|them|you|the \w+) (?:\w+ )?(?:seconds|a minute|minutes"
        r"|a second|a moment)\b",
        always,
        keys="nothing|would have taken",
    ),
    rule(
        "counterfactual",
        r"\ball (?:it|he|she|they|you|we|anyone|someone) (?:needed|took|had to do|needed to do"
        r"|had to|would have taken|would have needed|needs|takes)(?: was)?(?: to)? (?:a |one |an "
        r"|the |just |to )?(?:\w+[- ]){0,2}?(?:heads-up|message|call|check|glance|look|email"
        r"|click|question|ping|note|post|word|minute|second|read)\b",
        always,
        keys="all it|all he|all she|all they|all you|all we|all anyone|all someone",
    ),
    rule("counterfactual", r"\bif only\b", person_in_sentence, keys="if only"),
    rule(
        "counterfactual",
        r"\bif (?:the |our |a |an |that |this )?(?:\w+ )?(?P<who>\w+) had (?:\w+ )?"
        r"(?:\w+ed|\w+en|read|done|run|set|put|sent|made|told|caught|kept|paid|hit|met)\b",
        lambda s, m: s.person[s.index_at(m.start("who"))],
        keys="had",
    ),
    rule(
        "counterfactual",
        r"(?:^|[,;:]\s*)had (?:the |our |a |an |that |this )?(?:\w+ )?(?P<who>\w+) (?:\w+ )?"
        r"(?:\w+ed|\w+en|read|done|run|set|put|sent|made|told|caught|kept|paid|hit|met)\b",
        lambda s, m: s.person[s.index_at(m.start("who"))],
        keys="had",
    ),
    rule(
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
            # "allowed any authenticated user who knew the bucket name to read it": access
            and not re.search(
                r"\b(?:allow\w*|let|lets|permit\w*|enabl\w*|grant\w*)\s+$",
                s.text[max(0, m.start() - 20) : m.start()],
                _I,
            )
        ),
        keys=" who ",
    ),
    rule(
        "counterfactual",
        r"\b(?:was|were) (?:supposed|meant|expected) to\b",
        omission,
        keys="supposed|meant|expected",
    ),
    # ======== Round 2: after a second round of fresh test sentences.
    rule(
        "counterfactual character",
        r"\b(?:a|any|an) (?:more |truly |reasonably |half-?)?(?:careful|competent|experienced"
        r"|attentive|diligent|thorough|conscientious|skilled|decent|good|better|real|proper"
        r"|awake|alert|responsible) (?:\w+ )?\w+ would(?:'ve| have)\b",
        lambda s, m: s.has_person(s.index_at(m.start()), s.index_at(m.end())),
        keys=" would",
    ),
    rule(
        "counterfactual normative",
        r"\b(?:messed|screwed|fouled|mucked|cocked) (?:it |this |that |things )?up\b"
        r"|\bbotched\b|\bbungled\b|\bblew it\b|\bfumbled\b|\bsle(?:pt|eping|eps?) through\b",
        subject,
        keys="messed|screwed|fouled|mucked|cocked|botch|bungl|blew it|fumbl|slept through|sleep",
    ),
    # ======== Round 3: behaviours, sarcasm and sanctions phrased without the usual vocabulary.
    rule(
        "counterfactual named-person",
        r"\bmade (?:a|an|the|another|two|several|some|one) (?:\w+ ){0,2}?(?:error|mistake|blunder"
        r"|slip|misjudg?ment|bad call|wrong call)s?\b",
        lambda s, m: s.subject_is_person(m.start()) and not_negated(s, m),
        keys="made ",
    ),
    rule(
        "counterfactual",
        r"\b(?:overrode|overridden|did nothing|didn't do anything|did not do anything"
        r"|took no action|sat on it)\b",
        omission,
        keys="overrode|overridden|did nothing|do anything|no action|sat on it",
    ),
    rule(
        "counterfactual normative",
        r"\bgave (?:the |a |our |his |her |their )?(?:\w+ ){0,2}?(?:bad|wrong|terrible|poor"
        r"|incorrect|misleading) (?:advice|information|info|instructions|guidance|answers?"
        r"|quotes?|directions)\b",
        subject,
        keys="gave ",
    ),
    # ======== Round 5: after fresh set 1 (tests/data/fresh1.jsonl).
    rule(
        "counterfactual",
        r"\bleft (?:the |a |an |his |her |their |two |three |several )?(?:[\w-]+ ){0,3}?"
        r"(?:unattended|unlocked|unsupervised|unlabell?ed|unsigned|unchecked|unanswered"
        r"|unopened|unreviewed|unreconciled)\b",
        omission,
        keys="left ",
    ),
    rule(
        "counterfactual",
        r"\b(?:one|a single|a quick|a simple|one quick|one simple|a short|a two-minute"
        r"|a five-minute|one short) (?:[\w-]+ ){0,2}?(?:call|look|glance|check|question|email"
        r"|message|ping|phone call|conversation|text)\b[^.;?]{0,60}?\band (?:the |our |a |an "
        r"|that |this )?(?:[\w-]+ )?(?P<who>[\w-]+) would(?:'ve| have)\b",
        lambda s, m: s.person[s.index_at(m.start("who"))],
        keys="call|look|glance|check|question|email|message|ping|conversation|text",
    ),
    # ======== Round 6: after fresh set 2 (tests/data/fresh2.jsonl).
    rule(
        "counterfactual",
        r"\b(?:a|one|a single|a quick|one quick) (?:[\w-]+ ){0,1}?(?:glance|look|phone call|call"
        r"|question|conversation|moment of thought|second of thought) [^.;?]{0,50}?would(?:'ve"
        r"| have) (?:stopped|kept|saved|prevented|spared) (?=\w)",
        lambda s, m: s.next_np_person(m.end()),
        keys="would've|would have",
    ),
    rule(
        "counterfactual",
        r"\binstead of (?:the |checking|calling|asking|reading|using|following|waiting"
        r"|escalating|looking|counting|verifying|paging)\b",
        lambda s, m: (
            specific_subject(s, m)
            and not has_condition(s, m)
            and not INTENT.search(s.text, 0, m.start())
        ),
        keys="instead of",
    ),
    # ======== Round 8: after fresh set 4 (tests/data/fresh4.jsonl).
    rule(
        "counterfactual character",
        r"\b(?:a|an|any) (?P<who>[\w-]+) (?:who|that) (?:[\w']+ ){0,3}?(?:actually|really|even"
        r"|cared|bothered|was paying attention|paid attention|was listening)\b[^.;?]{0,80}?"
        r"\bwould(?: have|'ve)\b",
        lambda s, m: is_role(strip_poss(m.group("who").lower())[0]),
        keys="would have|would've",
    ),
    rule(
        "counterfactual normative",
        r"\b(?:one|a|a single) (?:reply|answer|response|email|call|question|look|read|review"
        r"|conversation|message) (?:that|which|who) (?:actually|really|even) \w+[^.;?]{0,80}?"
        r"\bwould(?: have|'ve) (?:\w+ )?(?:saved|prevented|stopped|avoided|caught|spared|kept)\b",
        always,
        keys="would have|would've",
    ),
    rule(
        "counterfactual",
        r"\b(?:(?:a|one|two|five|ten|fifteen|thirty|sixty|\d+)[- ](?:second|minute)s?"
        r"|(?:a few|two|five|ten|fifteen|thirty|sixty|\d+) (?:seconds|minutes))"
        r"(?: with (?:the|a|an)\b| of (?:checking|reading|looking|testing|asking|attention"
        r"|care|thought)\b| (?:look|glance|check|call|read|review|conversation|chat)\b)"
        r"[^.;?]{0,50}?\bwould(?:'ve| have) (?:\w+ )?(?:kept|saved|prevented|stopped|spared"
        r"|caught|shown|avoided|flagged|revealed|told)\b",
        lambda s, m: not TOOL_CONDITION.search(s.text) and not FIX_PLANNED.search(s.text),
        keys="would have|would've",
    ),
    rule(
        "counterfactual named-person",
        r"^\W*had (?P<np>(?:[\w'-]+ ){1,5}?)(?P<verb>[a-z]+(?:ed|en|ne|wn|ught|ade|ook|ent"
        r"|ead|ked))\b(?=[^.;?]{0,120}\bwould\b)",
        inverted_conditional,
        keys="had ",
    ),
    rule(
        "counterfactual",
        r"\b(?:needed|took|takes|needs|required|requires) (?:only|just|all of|no more than) "
        r"(?:one|a|a single|two|\w+ (?:seconds|minutes))\b[^.?]{0,80}?(?:\b(?:and|but|yet)|;)"
        r"\s*(?:nobody|no one|no-one|not one person|none of (?:us|them))\b",
        lambda s, m: not has_condition(s, m),
        keys="nobody|no one|no-one|not one|none of",
    ),
]
