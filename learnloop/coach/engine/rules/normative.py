"""Rules led by the normative signal: an action measured against an ideal (minimisers such as
"simply" and "just", idioms such as "went rogue", sarcasm, "how hard can it be").
"""

from __future__ import annotations

import re

from learnloop.coach.engine.checks.conditions import COND_AFTER, EASE, has_condition
from learnloop.coach.engine.checks.judgments import BAD_ACT, judges_a_thing
from learnloop.coach.engine.checks.negation import always, not_negated
from learnloop.coach.engine.checks.people import has_actor, prev_person, specific_subject, subject

from .base import Rule, rule
from .vague import EXHORTATION

_I = re.IGNORECASE

NORMATIVE: list[Rule] = [
    rule(
        "normative",
        r"\b(?:this|that|it) is what happens when\b",
        lambda s, m: s.has_person(s.index_at(m.end())),
        keys="what happens",
    ),
    rule(
        "normative",
        r"\b(?:as usual|yet again|once again|once more|as always|like always|again)\b",
        lambda s, m: s.has_person() and bool(BAD_ACT.search(s.text)),
        keys="usual|again|always|once more",
    ),
    rule(
        "normative",
        r"\b(?:simply|merely|blindly|lazily|casually|happily|conveniently)\s+(?P<verb>\w+ed|"
        r"went|ran|took|made|gave|sent|put|left|let|read|told|said|did|kept|chose|wrote|sold)\b",
        lambda s, m: s.subject_is_person(m.start()),
        keys="simply|merely|blindly|lazily|casually|happily|conveniently",
    ),
    # ---------------- minimisers / intensifiers on a person's action ----------------
    rule(
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
    rule(
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
        always,
        keys="basic|sense|better|against|knows it|knew it|knows that|knew that|know it|box|tick|stamp|rules|much to ask|least|rocket|how hard|circumstances|rogue|cowboy|corner|moon|promised|wild|surprised|dumb|shrug|brushed|waved|blew|asleep|ball|phon|wing|sandbag|slacking|goofing|buck|rookie|amateur|faster than|could possibly|could even|decided|thinking|right mind|care less",
    ),
    rule(
        "normative",
        r"\b(?:plainly |simply |totally |completely )?(?:unacceptable|inexcusable|unforgivable"
        r"|baffling|mind-?boggling|shameful|pathetic|embarrassing|unbelievable|ridiculous"
        r"|absurd|laughable|disgraceful|appalling)\b|\b(?:just |merely |only )?a formality\b"
        r"|\bin plain sight\b|\bimproper(?:ly)?\b|\binadequate(?:ly)?\b|\bseriously\b"
        r"|\bunprofessionally\b|\bhalf-assed\b|\blazy (?:work|job|effort)\b",
        lambda s, m: (
            not_negated(s, m)
            and (has_actor(s) or prev_person(s))
            # "inadequate testing procedures", "an improperly configured setting": a judgment
            # of a thing counts only when a person is the clause's subject.
            and (not judges_a_thing(s, m) or s.subject_is_person(m.start()))
        ),
        keys="unaccept|excus|forgiv|baffl|boggl|shame|pathetic|embarrass|believ|ridicul|absurd|laugh|disgrace|appal|formality|plain sight|proper|adequa|serious|profession|assed|lazy",
    ),
    rule(
        "normative",
        r"(?=.)" + EASE.pattern,
        lambda s, m: s.has_person() and not_negated(s, m),
        keys="take|step one|first step|one click|trivial|easiest|literally",
    ),
    # ======== Round 2: after a second round of fresh test sentences.
    rule(
        "normative",
        r"\bplain and simple\b|\bfull stop\b|\bno excuses?\b|\bno two ways about it\b"
        r"|\bhad one job\b|\bthrough sheer \w+|\bthat'?s what (?:you get|happens) (?:for|when)\b"
        r"|\bthis is what (?:you get|happens) (?:for|when)\b",
        lambda s, m: s.has_person() and not_negated(s, m),
        keys="plain and simple|full stop|no excuse|two ways|one job|sheer|what you get|what happens",
    ),
    rule(
        "normative counterfactual",
        r"\b(?:chose|opted|elected|decided|preferred) (?:instead )?(?:to (?:ignore|skip|bypass"
        r"|disregard|override|overlook|cut)|not to (?:follow|use|check|wait|ask|tell|escalate"
        r"|read|call))\b",
        subject,
        keys="chose|opted|elected|decided|preferred",
    ),
    # ======== Round 3: behaviours, sarcasm and sanctions phrased without the usual vocabulary.
    rule(
        "normative",
        r"\b(?:was|were|had been) (?:told|warned|reminded)(?: \w+){0,6}? and (?:still|yet|then"
        r" still|did nothing)\b|\b(?:i|we) (?:can't|cannot|couldn't|still can't) believe\b"
        r"|\bi (?:don't|do not|still don't) understand how\b",
        lambda s, m: s.has_person(s.index_at(m.end())) or s.has_person(0, s.index_at(m.start())),
        keys="told|warned|reminded|believe|understand how",
    ),
    # ======== Round 4: after the untuned fresh check recorded in docs/benchmarks.md.
    rule(
        "normative",
        r"\blet (?:[\w-]+ ){0,3}?(?:slide|slip|lapse|rot|fester|drift|pile up)\b"
        r"|\band (?:then )?(?:went (?:to lunch|home|on (?:vacation|holiday|leave)|to bed|offline"
        r"|dark)|walked away|left for the day|logged off|clocked out)\b",
        # Round 10: the affected going home is not someone abandoning a task.
        lambda s, m: has_actor(s, 0, s.index_at(m.start())),
        keys="let |went |walked away|left for|logged off|clocked out",
    ),
    # ======== Round 5: after fresh set 1 (tests/data/fresh1.jsonl).
    rule(
        "normative",
        r"\b(?:funny|amazing|curious|odd|strange|interesting|remarkable) (?:how|that)\b"
        r"(?=[^.;]{0,80}\b(?:only|always|never|every time|whenever)\b)",
        lambda s, m: s.has_person(s.index_at(m.end())) and not_negated(s, m),
        keys="funny|amazing|curious|odd |strange|interesting|remarkable",
    ),
    rule(
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
    rule(
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
    rule(
        "normative",
        r"\b(?:padd(?:ed|ing|s)|fudg(?:ed|ing|es)|inflat(?:ed|ing)|cook(?:ed|ing)) (?:the |its "
        r"|their |his |her |our )?(?:pipeline|numbers|forecast|books|figures|estimates?"
        r"|timesheets?|hours|expenses|stats|metrics)\b",
        subject,
        keys="padd|fudg|inflat|cook",
    ),
    # ======== Round 6: after fresh set 2 (tests/data/fresh2.jsonl).
    rule(
        "normative named-person",
        r"(?:'s|\u2019s|\b(?:his|her|their)) (?:idea|version|notion|definition) of (?:[\w-]+ ){0,3}?"
        r"(?:is|was|seems to be|appears to be)\b",
        lambda s, m: s.has_person(0, s.index_at(m.start()) + 1) and not_negated(s, m),
        keys="idea of|version of|notion of|definition of",
    ),
    rule(
        "normative named-person",
        r"\b(?:of course|naturally|predictably|surprise,? surprise|who else but|inevitably),? "
        r"it (?:was|is|'s) (?=\w)",
        lambda s, m: s.next_np_person(m.end()),
        keys="of course|naturally|predictably|surprise|who else|inevitably",
    ),
    rule(
        "normative named-person",
        r"\b(?:as|like) (?:\w+ ){0,2}?(?:always|invariably|usually|typically) (?:does|do|did)\b",
        lambda s, m: s.has_person(s.index_at(m.start()), s.index_at(m.end())),
        keys="always|invariably|usually|typically",
    ),
    # ======== Round 7: after fresh set 3 (tests/data/fresh3.jsonl).
    rule(
        "normative named-person",
        r"\b(?:is|'s|was) (?:exactly |just )?what (?:you get|happens) when\b",
        lambda s, m: s.has_person(s.index_at(m.end())),
        keys="what you get|what happens",
    ),
    # ======== Round 8: after fresh set 4 (tests/data/fresh4.jsonl).
    rule(
        "normative named-person",
        r"\bapparently,? (?:was |were |is |are )?(?:too (?:busy|important|good|senior|proud"
        r"|grand)|above|beneath)\b",
        lambda s, m: s.has_person(0, s.index_at(m.start())) and not_negated(s, m),
        keys="apparently",
    ),
    rule(
        "normative named-person",
        r"\bapparently\b[^.;?]{0,60}?\b(?:applies|apply|are|is|was|were) (?:for|to) "
        r"(?:everyone|everybody|all of us) (?:except|but|apart from) (?:him|her|them|himself"
        r"|herself|themselves)\b",
        always,
        keys="apparently",
    ),
    rule("normative", r"\bapparently,? [^.;?]{1,40}?\bnow means\b", always, keys="apparently"),
    rule(
        "normative named-person",
        r"\bdecided (?:that )?(?:[\w'-]+ ){1,6}?(?:(?:could|can|would) wait|(?:didn't|did not"
        r"|doesn't|does not) (?:matter|apply|count)|(?:was|were) (?:optional|unnecessary|overkill"
        r"|a waste of time|not (?:needed|necessary|worth \w+)))\b",
        lambda s, m: specific_subject(s, m) and not COND_AFTER.search(s.text, m.end()),
        keys="decided",
    ),
    rule(
        "normative named-person",
        r"\b(?:sat|sits|sitting) on (?:the|a|an|this|that|our|my|his|her|their) "
        r"(?:[\w-]+ ){0,3}?(?:request|ticket|email|report|invoice|approval|application|complaint"
        r"|escalation|form|paperwork|fix|pr|pull request|review|refund|claim)s? (?:for|since"
        r"|until)\b",
        lambda s, m: s.subject_is_person(m.start()),
        keys="sat on|sits on|sitting on",
    ),
    rule(
        "normative named-person",
        r"(?:,|\u2014|\u2013|-|\.\.\.)\s*go figure\s*[.!]*\s*$",
        lambda s, m: s.has_person(0, s.index_at(m.start())),
        keys="go figure",
    ),
    rule(
        "normative",
        r"\btakes? (?:a )?(?:special|rare|real|certain|unique) (?:kind|sort|level|brand) of "
        r"(?:attention|talent|genius|skill|effort|focus|commitment|dedication|brilliance"
        r"|carelessness)\b",
        always,
        keys="kind of|sort of|level of|brand of",
    ),
    rule(
        "normative named-person",
        r"\b(?:every time|each time|always) the same (?:story|thing|excuse)\b",
        lambda s, m: s.has_person(0, s.index_at(m.start())),
        keys="same story|same thing|same excuse",
    ),
    rule(
        "normative counterfactual",
        r"\b(?:obviously|clearly|plainly|evidently)\s+(?:nobody|no one|no-one|none of (?:them"
        r"|the \w+))\b(?!\s+(?:could|would|can|knew|expected|saw|was told|had been))",
        always,
        keys="obviously|clearly|plainly|evidently",
    ),
    rule(
        "normative named-person",
        r"\btreat(?:s|ed)\b [^.;]{1,50}?\b(?:as|like) (?:a |an )?(?:rough |mere |loose |friendly"
        r" |polite |vague )(?:suggestion|guideline|guide)s?\b|\btreat(?:s|ed)\b [^.;]{1,50}?"
        r"\blike (?:an? )?(?:[\w-]+ ){0,3}?(?:snooze button|alarm clock|rumou?r|myth|chore"
        r"|nuisance)\b",
        lambda s, m: s.subject_is_person(m.start()) and not has_condition(s, m),
        keys="treat",
    ),
    rule(
        "normative named-person",
        r"\blike (?:the |a |an |our |their |his |her )?(?:[\w-]+ ){1,3}?(?:is|was|were|are) "
        r"(?:a |an |just a |only a )?(?:rumou?r|myth|suggestion|joke|formality|optional)\b",
        lambda s, m: s.has_person(0, s.index_at(m.start())) and not has_condition(s, m),
        keys="like ",
    ),
    # ======== Round 9 (issue 11): an exhortation to people as the whole lesson ("Be more
    # careful.", "We all need to try harder."). It asks people to change instead of a system,
    # so it is blameful in spirit; it is also a vague learning (rules/vague.py). Only when the
    # exhortation is the sentence (a short tail at most), never inside a longer account
    # ("we told them to be more careful, which did not help").
    rule(
        "normative",
        EXHORTATION,
        lambda s, m: len(s.text[m.end() :].split()) <= 4 and not has_condition(s, m),
        keys="careful|vigilant|attentive|diligent|harder|attention|more care|extra care",
    ),
]
