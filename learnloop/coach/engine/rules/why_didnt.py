"""Rules led by the why-didnt signal: rhetorical questions aimed at people ("Why didn't
anyone ...?", "Who approves ...?").
"""

from __future__ import annotations

import re

from learnloop.coach.engine.checks.negation import not_negated
from learnloop.coach.engine.checks.questions import (
    RHETORIC_TAIL,
    generic_which,
    negative_question_act,
    question,
    question_next_person,
    rhetoric_tail,
    rhetorical_who,
    why_omission,
)

from .base import Rule, rule

_I = re.IGNORECASE

WHY_DIDNT: list[Rule] = [
    # ---------------- why-didnt: rhetorical questions at people ----------------
    rule(
        "why-didnt",
        r"\bwhy (?:didn't|did not|wasn't|weren't|couldn't|hasn't|hadn't|won't|wouldn't"
        r"|doesn't|don't|isn't|aren't|haven't)\b",
        lambda s, m: s.next_np_person(m.end()),
        keys="why",
    ),
    rule(
        "why-didnt",
        r"\bwhy (?:(?:did|does|do|would|has|is|was|were) )?(?:no one|nobody|no-one|not anyone"
        r"|none of)\b|\bwhy not\s*\?|\bwhy (?:on earth|the hell|in the world|in god's name)\b",
        lambda s, m: s.has_person(),
        keys="why",
    ),
    rule(
        "why-didnt", r"\bwhy (?:did|does|do|would|has|had|was|were|is)\b", why_omission, keys="why"
    ),
    rule(
        "why-didnt",
        r"\bhow (?:could|can|would|on earth|the hell|in the world|come)\b",
        question_next_person,
        keys=" how &?",
    ),
    rule(
        "why-didnt", r"\bhow (?:is|was) it (?:even )?(?:possible|that)\b", question, keys=" how &?"
    ),
    rule(
        "why-didnt",
        r"(?:^|[\u2014\u2013:;,-]\s*|\bhonestly,?\s+|\bseriously,?\s+)who (?P<verb>does|would|did"
        r"|even|thought|thinks|in (?:their|his|her) right mind|[a-z]+s|[a-z]+ed|left|let|put|ran"
        r"|sent|made|took|gave|signed)\b",
        rhetorical_who,
        keys="?&who ",
    ),
    rule(
        "why-didnt",
        r"(?:^|[,;:]\s*)(?:did|does|do|has|have|is|was|were|can|could)\s+(?:the |our |a |that "
        r"|this |any |you |he |she |they )?(?:\w+ )?\w+\s+(?:even|actually|really|ever|bother)\b",
        lambda s, m: "?" in s.text and s.has_person(s.index_at(m.start()), s.index_at(m.end())),
        keys="?&even|actually|really|ever|bother",
    ),
    rule(
        "why-didnt",
        r"\b(?:asking myself|ask myself|asked myself|love to know|like to know|wonder|wondering"
        r"|beyond me|baffles me|no idea|still don't understand|can't understand) why\b",
        lambda s, m: (
            s.has_person(s.index_at(m.end()))
            or bool(re.search(r"\bwhy\s*[.!?]?\s*$", s.text[m.start() :], _I))
        ),
        keys="why",
    ),
    rule("why-didnt", RHETORIC_TAIL.pattern, rhetoric_tail, keys="?"),
    # ======== Round 2: after a second round of fresh test sentences.
    rule(
        "why-didnt",
        r"\bwhy (?:is|was) it always\b|\bwhy (?:does|do) (?:this|it) always\b"
        r"|\bwhat (?:on earth |exactly |the hell )?(?:was|were) (?:the |our |that |this )?"
        r"(?:\w+ )?\w+ doing\b",
        lambda s, m: s.has_person() and ("?" in s.text),
        keys="?&why|what",
    ),
    # ======== Round 3: behaviours, sarcasm and sanctions phrased without the usual vocabulary.
    rule(
        "why-didnt",
        r"\bwhat (?:kind|sort) of (?:\w+ ){0,2}?\w+\b",
        lambda s, m: "?" in s.text and s.has_person(s.index_at(m.start()), s.index_at(m.end())),
        keys="?&kind of|sort of",
    ),
    # ======== Round 5: after fresh set 1 (tests/data/fresh1.jsonl).
    rule(
        "why-didnt",
        r"\bis it (?:really |honestly |seriously |truly )?(?:so|that|too) (?:hard|difficult"
        r"|much)\b",
        lambda s, m: "?" in s.text[m.start() :] and not_negated(s, m),
        keys="is it",
    ),
    rule(
        "why-didnt",
        r"(?:^|[,;:]\s*)(?:did|does|do|has|have|is|was|were|can|could)\s+(?:anyone|anybody"
        r"|someone|any of|one of|a single|the whole|either)\b[^?]{0,40}?\b(?:even|bother)\b",
        lambda s, m: "?" in s.text[m.end() :],
        keys="even|bother",
    ),
    # ======== Round 6: after fresh set 2 (tests/data/fresh2.jsonl).
    rule(
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
    rule(
        "why-didnt",
        r"(?:^|[,;:]\s*)(?:did|does|do|has|was)\s+(?:nobody|no one|no-one|anyone|anybody)\b"
        r"[^?]{0,40}?\b(?:think to|think of|thought to|care to|bother)\b",
        lambda s, m: "?" in s.text[m.end() :],
        keys="?&think to|think of|thought to|care to|bother",
    ),
    # ======== Round 7: after fresh set 3 (tests/data/fresh3.jsonl).
    rule(
        "why-didnt",
        r"^\W*(?:honestly|seriously|really|come on),?\s+(?:does|do|did|is|are|was|were|can"
        r"|could|has|have)\b",
        lambda s, m: "?" in s.text and s.has_person(s.index_at(m.end())),
        keys="?&honestly|seriously|really|come on",
    ),
    rule(
        "why-didnt",
        r"\bhow (?:does|do|did|can) (?:a|an|the|our|any|one|your) (?:[\w-]+ )?(?P<who>[\w-]+)"
        r"\b(?=[^?]{0,80}\b(?:without|never|not even)\b[^?]*\?)",
        lambda s, m: s.person[s.index_at(m.start("who"))],
        keys="?&how does|how do|how did|how can",
    ),
    # ======== Round 16 (decision 0237): the rhetorical who with a role.
    rule(
        "why-didnt",
        r"^\W*(?:which|what kind of|what sort of) (?:[\w-]+ ){0,2}?(?P<who>[\w-]+)"
        r" (?!has\b|needs\b|wants\b|knows\b|owns\b|uses\b|gets\b|approves\b|signs\b|is\b|does\b)"
        r"[a-z]+s\b",
        generic_which,
        keys="?&which|kind of|sort of",
    ),
    # ======== Round 18 (decision 0249): a negative question about an act only people do.
    # "Why didn't the night desk check the flight times?", "Why didn't the office warn the
    # family ...?", "Didn't anybody look at the collar ...?": the verb makes the subject a
    # doer (a desk, an office, reception); "Why didn't the alert fire?" is about a thing.
    rule(
        "why-didnt",
        r"(?:\bwhy |(?:^|[.?!;:,\u2014\u2013]\s*))(?:didn't|did not|couldn't|could not"
        r"|wouldn't|hasn't|hadn't|doesn't|don't|wasn't|weren't)\s+(?P<np>(?:[\w'-]+\s+){1,5}?)"
        r"(?:even\s+|just\s+|once\s+)?(?P<verb>say|tell|warn|call|ring|phone|email|ask|check|compare"
        r"|look|read|report|send|stop|follow|escalate|raise|flag|inform|chase|test|measure"
        r"|count|verify|confirm|think|speak|mention|notice|renew|catch|take|come|double-check)\b",
        negative_question_act,
        keys="?&n't|not",
    ),
]
