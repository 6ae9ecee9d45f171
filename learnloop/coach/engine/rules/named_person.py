"""Rules led by the named-person signal: a person or team presented as the cause of the
failure.
"""

from __future__ import annotations

import re

from learnloop.coach.engine.checks.negation import always, not_negated
from learnloop.coach.engine.checks.people import (
    BAD_OBJECT,
    FOLLOW_UP,
    next_person,
    np_person_then_end,
    person_in_sentence,
    subject,
)
from learnloop.coach.engine.checks.questions import ask_name, thanks_sarcasm
from learnloop.coach.engine.person_words import GROUP_HEADS, strip_poss

from .base import Rule, rule

_I = re.IGNORECASE

NAMED_PERSON: list[Rule] = [
    # ---------------- named person as the cause ----------------
    rule(
        "named-person",
        # "led to customers being unable ...": after "led to" a person is the effect, so only
        # "leads back to" counts as a cause (issue 18).
        r"\b(?:traces?|traced|tracing) (?:back )?to\b|\b(?:leads?|led) back to\b"
        r"|\bcame (?:\w+ )?from\b"
        r"|\bcomes (?:\w+ )?from\b"
        r"|\bcaused by\b|\bbecause of\b|\bdue to\b|\bdown to\b|\bcourtesy of\b|\bthe fault of\b"
        r"|\bblame (?:lies|rests|falls|sits|goes|belongs) (?:with|on|to)\b",
        next_person,
        keys="trac|leads back|led back|came|comes|caused by|because of|due to|down to|courtesy|fault of|blame",
    ),
    rule(
        "named-person",
        r"\b(?:blame|fault|accountability|responsibility)\b[^.;]{0,60}?\b(?:lands|landed|falls"
        r"|fell|rests|lies|sits|is|goes|went)\s+(?:squarely |firmly |solely |entirely )?"
        r"(?:on|with)\b",
        lambda s, m: (
            s.next_np_person(m.end()) and not FOLLOW_UP.search(s.text) and not_negated(s, m)
        ),
        keys="blame|fault|accountab|responsib",
    ),
    rule(
        "named-person",
        r"\b(?:root cause|real cause|main cause|culprit|cause|common (?:thread|denominator|factor)"
        r"|weak(?:est)? link)(?: (?:of|in|behind) (?:the |this |that |our |these |those )?"
        r"[\w-]+(?: [\w-]+){0,3}?)?\s*(?:was|is|here is|:)\s*",
        next_person,
        keys=" cause|culprit|common|weak",
    ),
    rule(
        "named-person",
        r"\b(?:is|was|are|were)\s+(?:the\s+)?(?:root cause|real cause|cause|culprit|common"
        r" (?:thread|denominator|factor)|weak(?:est)? link|(?:real )?problem|reason)\b",
        subject,
        keys=" cause|culprit|common|weak|problem|reason",
    ),
    rule("named-person", r"\bfingerprints (?:are )?all over\b", always, keys="fingerprint"),
    rule(
        "named-person",
        r"\bthat'?s (?:the whole|all there is to the|the end of the) story\b|\bend of story\b"
        r"|\band that'?s the end of (?:it|that)\b",
        person_in_sentence,
        keys="story|end of it|end of that",
    ),
    rule("named-person", r"\bask\s+(?=[A-Z])", ask_name, keys="ask &why|who"),
    rule(
        "named-person normative",
        r"\bthanks to\b[^,]{1,40},\s*(?:we|everyone|the (?:whole )?team|i)(?: all)?"
        r" (?:(?:got|get|had) to (?:spend|work|stay|redo|clean|restore|explain|apologi[sz]e"
        r"|deal|give up|cancel)|spent|lost|missed)\b",
        thanks_sarcasm,
        keys="thanks to",
    ),
    rule(
        "named-person",
        r"\b(?:this|that|it)(?: one)? (?:is|was|'s) (?:all |entirely |squarely )?on "
        r"(?:me|him|her|them|you)\b",
        always,
        keys="on me|on him|on her|on them|on you",
    ),
    rule(
        "named-person counterfactual",
        r"\b(?:my|his|her|their|your|\w+'s|\w+\u2019s) (?:own )?(?:fault|mistake|screw-?up|blunder"
        r"|slip-?up|bad|oversight|carelessness)\b",
        lambda s, m: s.person[s.index_at(m.start())] and not_negated(s, m),
        keys="fault|mistake|screw|blunder|slip|bad|oversight|carelessness",
    ),
    rule(
        "named-person",
        r"\b(?:blame[sd]?) (?:it )?(?:on )?(?=\w)",
        lambda s, m: (
            s.next_np_person(m.end())
            and not_negated(s, m)
            and not re.search(r",\s*but\b", s.text[m.end() :], _I)
        ),
        keys="blam",
    ),
    rule(
        "named-person",
        r"\bwho (?:dropped|broke|caused|missed|botched|messed up|screwed up|fat-fingered)"
        r" (?:it|this|that|the ball)\b",
        always,
        keys="who",
    ),
    rule(
        "named-person",
        r"\b(?:is|was|are|were)\s+(?:at fault|to blame|the one to blame)\b",
        lambda s, m: (
            s.subject_is_person(m.start())
            and not re.search(r"\b(?:no one|nobody|no-one|none)\b", s.text[: m.start()], _I)
        ),
        keys="fault|blame",
    ),
    # ======== Round 2: after a second round of fresh test sentences.
    rule(
        "named-person",
        r"\b(?:is|was|'s|are|were) (?:all |entirely |squarely |firmly |100% |completely )?on "
        r"(?=\w)",
        lambda s, m: np_person_then_end(s, m.end()) and not s.subject_is_person(m.start()),
        keys=" on ",
    ),
    rule(
        "named-person",
        r"\b[\w-]+(?:'s|\u2019s) (?:(?:little|latest|careless|sloppy|silly|one) )?(?:typo|slip|"
        r"mistake|error|blunder|oversight|lapse|misstep|goof|screw-?up|fumble|fat-finger|"
        r"carelessness|negligence|sloppiness|shortcut|change|commit|deploy|decision|call|push"
        r"|refusal|failure|inability|unwillingness|reluctance|inattention|impatience)\b"
        r"(?: \w+){0,6}? (?:took (?:down|out)|caused|broke|brought down|knocked out|led to|cost"
        r"|triggered|wiped|deleted|is why|is the reason|was the reason|started)\b",
        lambda s, m: s.person[s.index_at(m.start())] and not_negated(s, m),
        keys="'s&typo|slip|mistake|error|blunder|oversight|lapse|misstep|goof|screw|fumble|finger|careless|neglig|sloppi|shortcut|change|commit|deploy|decision|call|push|refusal|failure|inability|unwillingness|reluctance|inattention|impatience",
    ),
    # ======== Round 3: behaviours, sarcasm and sanctions phrased without the usual vocabulary.
    rule(
        "named-person normative",
        r"\b(?:another|yet another|one more)\b[^.;]{0,40}?\bfrom (?=\w)",
        lambda s, m: np_person_then_end(s, m.end()),
        keys="another|one more",
    ),
    rule(
        "named-person",
        r"\b(?:mess|problem|trouble|whole thing|this|it all|everything)"
        r" (?:all )?(?:started|began|kicked off) (?:when|with|because|the moment)\b",
        lambda s, m: s.next_np_person(m.end()),
        keys="started|began|kicked off",
    ),
    # ======== Round 5: after fresh set 1 (tests/data/fresh1.jsonl).
    rule(
        "named-person normative",
        r"\bleave it to (?=\w)",
        lambda s, m: s.next_np_person(m.end()) and not_negated(s, m),
        keys="leave it to",
    ),
    rule(
        "named-person",
        r"\b(?:has|have|had|with|bears?|bore) (?:[A-Z][\w-]*(?:'s|\u2019s)|(?:his|her|their)) "
        r"(?:name|initials|fingerprints|signature) (?:all )?(?:on|over|next to|beside|against)\b",
        lambda s, m: not_negated(s, m) and not re.search(r"\bsign(?:ed|s)?\b", s.text, _I),
        keys="name|initials|fingerprint|signature",
    ),
    rule(
        "named-person",
        r"\b(?:started|began|begun|spiked|climbed|rose|doubled|tripled|jumped)"
        r" (?:the (?:week|day|month|shift|quarter|moment|minute)|(?:right |just )?(?:after|when"
        r"|as soon as|once|since))\b(?=[^.;]{0,40}\b(?:took over|joined|started|arrived|came"
        r" (?:on|in|aboard)|was hired|was put in charge|took charge)\b)",
        lambda s, m: s.has_person(s.index_at(m.end())) and not_negated(s, m),
        keys="took over|joined|started|arrived|came on|came in|came aboard|hired|in charge|took charge",
    ),
    # ======== Round 6: after fresh set 2 (tests/data/fresh2.jsonl).
    rule(
        "named-person",
        r"\bon (?:(?:Mr|Mrs|Ms|Dr|Prof)\.? )?(?:[A-Z][\w-]*(?:'s|\u2019s)|(?:his|her|their)"
        r"|the [\w-]+(?:'s|\u2019s)) watch\b",
        lambda s, m: s.has_person(s.index_at(m.start()), s.index_at(m.end())) and not_negated(s, m),
        keys=" watch",
    ),
    rule(
        "named-person",
        r"\b(?:all|both|each|every one|every single one|most)(?: of them)? (?:from|in|by)\b"
        r"|\b(?:born|originated|originate|started|began) (?:in|with)\b",
        lambda s, m: (
            s.next_np_person(m.end())
            and s.person[min(s.index_at(m.end()), len(s.tokens) - 1)]
            and strip_poss(s.tokens[min(s.index_at(m.end()), len(s.tokens) - 1)][0])[1]
        ),
        keys="all |both |each |every one|every single|most |born in|originat|started in|began in|started with|began with",
    ),
    # ======== Round 8: after fresh set 4 (tests/data/fresh4.jsonl).
    rule(
        "named-person",
        r"\b(?:lands?|landed|falls?|fell|rests?|rested) (?:squarely|right|firmly|solely"
        r"|entirely|directly) (?:on|with|at the feet of)\b",
        lambda s, m: s.next_np_person(m.end()) and not_negated(s, m),
        keys="squarely|right on|right with|firmly|solely|entirely|directly",
    ),
    rule(
        "named-person",
        r"\bthat(?:'s|\u2019s| is| was) (?:exactly )?where (?:it|they|the \w+) (?:died|stalled"
        r"|stopped|got stuck|ended|fell apart|went to die)\b",
        lambda s, m: s.has_person(0, s.index_at(m.start())),
        keys="where",
    ),
    rule(
        "named-person",
        r"\b(?:we all|you all|everyone|everybody) (?:already )?knows? (?P<wh>which|who|whose)"
        r" (?!to\b)(?P<next>[\w-]+)",
        lambda s, m: (
            m.group("wh").lower() != "which"
            or s.person[s.index_at(m.start("next"))]
            or m.group("next").lower() in GROUP_HEADS
        ),
        keys="know",
    ),
    rule(
        "named-person",
        r"(?:'s|\u2019s|\b(?:his|her|their)) (?:approval |sign-?off )?(?:stamp|signature"
        r"|initials|name|login|badge|password|credentials|approval|sign-?off) (?:is|are|was"
        r"|were|appears|shows up) (?:on|all over|in) (?:every|each|all|both)\b",
        lambda s, m: (
            s.has_person(0, s.index_at(m.start()) + 1)
            and bool(BAD_OBJECT.search(s.text, m.end()))
            and not re.search(
                r"\b(?:as|per) (?:policy|the policy|required|the process)\b", s.text, _I
            )
        ),
        keys="stamp|signature|initials|name|login|badge|password|credentials|approval|sign-off|signoff",
    ),
]
