"""The rule table: every blame cue as (signals, regex, check, gate keys).

The first block is the original table; each later round is its own block, in the order it
was added, with a comment naming the fresh set that prompted it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from learnloop.coach.lexicon import TRAIT_WORDS

from .checks import (
    BAD_ACT,
    BAD_OBJECT,
    COND_AFTER,
    EASE,
    FIX_PLANNED,
    FOLLOW_UP,
    INCIDENT_LINK,
    INTENT,
    RHETORIC_TAIL,
    TOOL_CONDITION,
    always,
    ask_name,
    could_have,
    didnt_action,
    has_condition,
    inverted_conditional,
    next_person,
    nobody_did,
    not_negated,
    np_person_then_end,
    omission,
    person_in_sentence,
    plural_role_subject,
    possessor_named,
    prev_person,
    question,
    question_next_person,
    reported_ok,
    rhetoric_tail,
    rhetorical_who,
    specific,
    specific_subject,
    subject,
    subject_or_next,
    thanks_sarcasm,
    why_omission,
    without,
)
from .parse import GROUP_HEADS, Sentence, is_role, strip_poss

_I = re.IGNORECASE


# --------------------------------------------------------------------------
# Rules. Each rule: (signals, regex, check, keys). ``check`` receives the sentence
# and the match and returns True when the cue is really about a person. ``keys`` is
# the rule's cheap gate (see ``rule``).
# --------------------------------------------------------------------------

Check = Callable[[Sentence, re.Match[str]], bool]


class Rule(NamedTuple):
    signals: tuple[str, ...]
    pattern: re.Pattern[str]
    check: Check
    keys: tuple[frozenset[str], ...]


def rule(signals: str, pattern: str, check: Check, *, keys: str) -> Rule:
    """One rule. ``keys`` is its gate: lowercase substrings, one of which every match of the
    rule contains (``a|b``); ``&`` joins groups that must all occur in the sentence (``?&why``:
    a question mark and "why"). A sentence without them never runs the regex.
    ``tests/test_engine.py`` checks that gating never changes a result."""
    groups = tuple(frozenset(group.split("|")) for group in keys.split("&"))
    return Rule(tuple(signals.split()), re.compile(pattern, _I), check, groups)


RULES: list[Rule] = [
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
        ),
        keys=" who ",
    ),
    rule(
        "counterfactual",
        r"\b(?:was|were) (?:supposed|meant|expected) to\b",
        omission,
        keys="supposed|meant|expected",
    ),
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
        lambda s, m: not_negated(s, m) and (s.has_person() or prev_person(s)),
        keys="unaccept|excus|forgiv|baffl|boggl|shame|pathetic|embarrass|believ|ridicul|absurd|laugh|disgrace|appal|formality|plain sight|proper|adequa|serious|profession|assed|lazy",
    ),
    rule(
        "normative",
        r"(?=.)" + EASE.pattern,
        lambda s, m: s.has_person() and not_negated(s, m),
        keys="take|step one|first step|one click|trivial|easiest|literally",
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
        lambda s, m: s.has_person() and not_negated(s, m),
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
    # ---------------- human error as a verdict ----------------
    rule(
        "human-error-conclusion",
        r"\b(?:human|operator|user|clerical|pilot|driver|picker|nurse|nursing|agent|clerk"
        r"|technician|data[- ]entry|keying|typing|staff|personnel|employee|people|rep)(?:'s)?"
        r" errors?\b",
        reported_ok,
        keys="error&human|operator|user|clerical|pilot|driver|picker|nurs|agent|clerk|technician|entry|keying|typing|staff|personnel|employee|people|rep",
    ),
    rule(
        "human-error-conclusion",
        r"\bpebkac\b|\bpebcak\b|\bid-?(?:ten|10)-?t\b|\bpicnic\b(?= (?:error|issue|"
        r"problem|incident))|\blayer[- ]8\b|\bfat[- ]finger(?:ed|ing|s)?\b"
        r"|\bbetween the (?:chair|keyboard) and the (?:keyboard|chair)\b",
        reported_ok,
        keys="pebkac|pebcak|id-ten|id10|idten|id-10|picnic|layer|finger|chair|keyboard",
    ),
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
    # ---------------- named person as the cause ----------------
    rule(
        "named-person",
        r"\b(?:traces?|traced|tracing|leads?|led) (?:back )?to\b|\bcame (?:\w+ )?from\b"
        r"|\bcomes (?:\w+ )?from\b"
        r"|\bcaused by\b|\bbecause of\b|\bdue to\b|\bdown to\b|\bcourtesy of\b|\bthe fault of\b"
        r"|\bblame (?:lies|rests|falls|sits|goes|belongs) (?:with|on|to)\b",
        next_person,
        keys="trac|lead to|leads to|led to|leads back|led back|came|comes|caused by|because of|due to|down to|courtesy|fault of|blame",
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
    # ---------------- punitive ----------------
    rule(
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
        always,
        keys="written up|writ|formal|warning|disciplin|reprimand|sent home|without pay|unpaid|improvement plan|conduct|heads|accountable|consequence|strike|classroom|until|what to do",
    ),
    rule(
        "punitive",
        r"\bwhat to do (?:with|about) (?=[A-Z])|\breport(?:ing|ed|s)? (?:him|her|them|the \w+"
        r"|both \w+|[A-Z]\w+) to (?:the )?(?:board|hr|licensing|regulator|police|authorities"
        r"|college|council|medical board|nursing board|state)\b"
        r"|\b(?:in|into|on|onto) (?:his|her|their|your|[A-Z]\w+'s|[A-Z]\w+\u2019s) (?:permanent )?"
        r"(?:performance review|record|file|appraisal|evaluation|annual review)\b",
        always,
        keys="what to do|performance review|record|file|apprais|evaluation|annual review|board|hr |licensing|regulator|police|authorities|college|council|state",
    ),
    rule(
        "punitive",
        r"\b(?:forfeits?|forfeited|loses?|lost|losing|docked|docks?|withh[eo]ld(?:s|ing)?"
        r"|costs?|costing)\b(?:\W+\w+){0,3}?\W+(?:his|her|their|your|the|a)\s+(?:[\w-]+\s+){0,2}?"
        r"(?:commission|bonus|bonuses|pay|paycheck|salary|overtime|shifts?|raise|promotion"
        r"|privileges|pto|vacation|(?:lead )?role|position|title|territory|accounts|keys)\b(?!\s+(?:budget|pool|plan|structure|policy|rate|data"
        r"|report|file|cap|approval|forecast|line))",
        always,
        keys="forfeit|lose|lost|losing|dock|withh|cost",
    ),
    rule(
        "punitive",
        r"\b(?:his|her|their|your) (?:\w+ )?(?:access|privileges|permissions|badge|rights)"
        r" (?:is|are|was|were|has been|have been|got|gets|will be) (?:gone|revoked|removed|pulled"
        r"|suspended|taken away|cut off)\b|\brevok(?:e|ed|ing) (?:his|her|their|[A-Z]\w+'s)"
        r" (?:\w+ )?access\b",
        always,
        keys="access|privilege|permission|badge|rights",
    ),
    rule(
        "punitive",
        r"\b(?:was|were|is|are|been|be|being|got|get|gets|getting) (?:\w+ )?(?:suspended|fired"
        r"|terminated|let go|demoted|sacked|docked|penali[sz]ed|punished|sanctioned|retrained"
        r"|re-trained|sent (?:back )?(?:to|for) (?:re-?)?training|removed from|taken off"
        r"|pulled off|barred from|banned from|stood down)\b",
        lambda s, m: s.subject_is_person(m.start()) and not_negated(s, m) and specific(s, m),
        keys="suspend|fired|terminat|let go|demot|sack|docked|penali|punish|sanction|retrain|re-train|training|removed from|taken off|pulled off|barred|banned|stood down",
    ),
    rule(
        "punitive",
        r"(?:\b(?:is|are|was|were|be|stays?|remains?)|'s|'re) off (?:the )?(?:\w+ )?(?:approvals|rota"
        r"|roster|rotation|on-call|escalations|schedule|floor|line|ward|cases|accounts|deploys"
        r"|releases)\b",
        subject,
        keys=" off ",
    ),
    rule(
        "punitive",
        r"\b(?:should|must|will|can) (?:not|no longer|never) be (?:allowed|trusted|on|near"
        r"|handling|in charge|given)\b",
        subject,
        keys="never be|not be|longer be",
    ),
]


# Rules added after a second round of fresh test sentences.
RULES += [
    rule(
        "named-person",
        r"\b(?:is|was|'s|are|were) (?:all |entirely |squarely |firmly |100% |completely )?on "
        r"(?=\w)",
        lambda s, m: np_person_then_end(s, m.end()) and not s.subject_is_person(m.start()),
        keys=" on ",
    ),
    rule(
        "normative",
        r"\bplain and simple\b|\bfull stop\b|\bno excuses?\b|\bno two ways about it\b"
        r"|\bhad one job\b|\bthrough sheer \w+|\bthat'?s what (?:you get|happens) (?:for|when)\b"
        r"|\bthis is what (?:you get|happens) (?:for|when)\b",
        lambda s, m: s.has_person() and not_negated(s, m),
        keys="plain and simple|full stop|no excuse|two ways|one job|sheer|what you get|what happens",
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
    rule(
        "normative counterfactual",
        r"\b(?:chose|opted|elected|decided|preferred) (?:instead )?(?:to (?:ignore|skip|bypass"
        r"|disregard|override|overlook|cut)|not to (?:follow|use|check|wait|ask|tell|escalate"
        r"|read|call))\b",
        subject,
        keys="chose|opted|elected|decided|preferred",
    ),
    rule(
        "character",
        r"\b(?:can't|cannot|can no longer|could not|couldn't|not to) be trusted\b"
        r"|\b(?:lied|lies|lying) (?:about|to)\b|\bcovered (?:it |this |that )?up\b",
        lambda s, m: s.has_person() and not_negated(s, m),
        keys="trusted|lied|lies|lying|covered",
    ),
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
    rule(
        "punitive",
        r"\bas (?:a|the) (?:penalty|punishment|sanction|disciplinary (?:measure|step)|lesson)\b"
        r"|\bto teach (?:him|her|them|\w+) a lesson\b",
        lambda s, m: s.has_person() and not_negated(s, m),
        keys="as a|as the|lesson",
    ),
    rule(
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
    rule(
        "counterfactual named-person",
        r"\bmade (?:a|an|the|another|two|several|some|one) (?:\w+ ){0,2}?(?:error|mistake|blunder"
        r"|slip|misjudg?ment|bad call|wrong call)s?\b",
        lambda s, m: s.subject_is_person(m.start()) and not_negated(s, m),
        keys="made ",
    ),
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
    rule(
        "named-person normative",
        r"\b(?:another|yet another|one more)\b[^.;]{0,40}?\bfrom (?=\w)",
        lambda s, m: np_person_then_end(s, m.end()),
        keys="another|one more",
    ),
    rule(
        "named-person",
        r"\b(?:mess|problem|trouble|outage|incident|whole thing|this|it all|everything)"
        r" (?:all )?(?:started|began|kicked off) (?:when|with|because|the moment)\b",
        lambda s, m: s.next_np_person(m.end()),
        keys="started|began|kicked off",
    ),
    rule(
        "counterfactual",
        r"\b(?:overrode|overridden|did nothing|didn't do anything|did not do anything"
        r"|took no action|sat on it)\b",
        omission,
        keys="overrode|overridden|did nothing|do anything|no action|sat on it",
    ),
    rule(
        "normative",
        r"\b(?:was|were|had been) (?:told|warned|reminded)(?: \w+){0,6}? and (?:still|yet|then"
        r" still|did nothing)\b|\b(?:i|we) (?:can't|cannot|couldn't|still can't) believe\b"
        r"|\bi (?:don't|do not|still don't) understand how\b",
        lambda s, m: s.has_person(s.index_at(m.end())) or s.has_person(0, s.index_at(m.start())),
        keys="told|warned|reminded|believe|understand how",
    ),
    rule(
        "why-didnt",
        r"\bwhat (?:kind|sort) of (?:\w+ ){0,2}?\w+\b",
        lambda s, m: "?" in s.text and s.has_person(s.index_at(m.start()), s.index_at(m.end())),
        keys="?&kind of|sort of",
    ),
    rule(
        "counterfactual normative",
        r"\bgave (?:the |a |our |his |her |their )?(?:\w+ ){0,2}?(?:bad|wrong|terrible|poor"
        r"|incorrect|misleading) (?:advice|information|info|instructions|guidance|answers?"
        r"|quotes?|directions)\b",
        subject,
        keys="gave ",
    ),
    rule(
        "punitive",
        r"\bexplain (?:himself|herself|themselves|yourself|yourselves)\b|\banswer for\b"
        r"|\bcalled on the carpet\b|\bhauled (?:in|before|into)\b|\buntil further notice\b"
        r"|\bon (?:a |his |her |their )?(?:final |last )?warning\b|\bon thin ice\b",
        lambda s, m: s.has_person() and not_negated(s, m),
        keys="explain|answer for|carpet|hauled|further notice|warning|thin ice",
    ),
]


# Fourth round (after the untuned fresh check recorded in docs/benchmarks.md).
RULES += [
    rule(
        "normative",
        r"\blet (?:[\w-]+ ){0,3}?(?:slide|slip|lapse|rot|fester|drift|pile up)\b"
        r"|\band (?:then )?(?:went (?:to lunch|home|on (?:vacation|holiday|leave)|to bed|offline"
        r"|dark)|walked away|left for the day|logged off|clocked out)\b",
        lambda s, m: s.subject_is_person(m.start()) or s.has_person(0, s.index_at(m.start())),
        keys="let |went |walked away|left for|logged off|clocked out",
    ),
    rule(
        "punitive",
        r"\blearn(?:ed|t|s)? (?:his|her|their|your|a|my) lesson\b",
        lambda s, m: not_negated(s, m),
        keys="lesson",
    ),
    rule(
        "character",
        r"\bout of (?:his|her|their|your|my) depth\b|\bin over (?:his|her|their|your|my) head\b"
        r"|\bnot up to (?:the job|it|the task)\b|\bunfit (?:for|to)\b",
        lambda s, m: not_negated(s, m),
        keys="depth|over his|over her|over their|over your|over my|up to|unfit",
    ),
]


# Fifth round (after fresh set 1, learnloop/coach/tests/data/fresh1.jsonl): sarcasm frames,
# sanctions and rhetorical questions phrased without the usual vocabulary.
RULES += [
    rule(
        "named-person normative",
        r"\bleave it to (?=\w)",
        lambda s, m: s.next_np_person(m.end()) and not_negated(s, m),
        keys="leave it to",
    ),
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
    rule(
        "punitive",
        r"\b(?:[A-Z][\w-]*(?:'s|\u2019s)|the \w+(?:'s|\u2019s)) (?:[\w-]+ )?(?:access|privileges"
        r"|permissions|badge|rights|login|credentials|keys) (?:is|are|was|were|has been|have been"
        r"|got|gets|will be) (?:gone|revoked|removed|pulled|suspended|taken away|cut off"
        r"|withdrawn)\b",
        lambda s, m: s.person[s.index_at(m.start())] and not_negated(s, m),
        keys="access|privilege|permission|badge|rights|login|credential|keys",
    ),
    rule(
        "punitive",
        r"\b(?:has|have|had) been (?:\w+ )?(?:barred|banned|removed|suspended|stood down"
        r"|taken off|pulled off)\b",
        lambda s, m: (
            s.has_person(0, s.index_at(m.start()))
            and not_negated(s, m)
            and not re.search(
                r"\b(?:feature|flag|service|job|page|step|check)s? (?:has|have)"
                r" been\b",
                s.text,
                _I,
            )
        ),
        keys="been",
    ),
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
]


# Sixth round (after fresh set 2, learnloop/coach/tests/data/fresh2.jsonl).
RULES += [
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
        "character",
        r"\bway out of a (?:paper|wet paper) bag\b|\ballergic to (?:paperwork|work|process"
        r"|documentation|checklists?|testing|details?|rules|feedback)\b"
        r"|\bwouldn't (?:notice|know|recogni[sz]e|spot|see) (?:a |an |the )?[\w -]{1,30}? if\b"
        r"|\bhas a (?:bad |nasty |long )?habit of\b|\bhave a (?:bad |nasty )?habit of\b",
        lambda s, m: s.subject_is_person(m.start()) or s.has_person(0, s.index_at(m.start())),
        keys="paper bag|allergic|wouldn't|habit of",
    ),
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
    rule(
        "normative named-person",
        r"\b(?:as|like) (?:\w+ ){0,2}?(?:always|invariably|usually|typically) (?:does|do|did)\b",
        lambda s, m: s.has_person(s.index_at(m.start()), s.index_at(m.end())),
        keys="always|invariably|usually|typically",
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
    rule(
        "punitive",
        r"\b(?:will no longer|no longer|won't be|will not be|won't ever|will never again)\s+"
        r"(?:be\s+)?(?:allowed|permitted|given|trusted|working|works?|sign(?:s|ing)?(?: off)?"
        r"|approv\w*|lead(?:s|ing)?|handl\w*|run(?:s|ning)?|on (?:call|the rota)|scheduled"
        r"|assigned|covering)\b",
        lambda s, m: (
            specific_subject(s, m)
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
    rule(
        "punitive",
        r"\b(?:will|must|now) (?:now )?need (?:a |an )?(?:second|extra|additional|separate)"
        r" (?:sign-?off|approval|approver|reviewer|pair of eyes)\b",
        lambda s, m: (
            specific_subject(s, m)
            and bool(re.match(r"\W*(?:going forward,? )?[A-Z]", s.text[: m.start()]))
            and not re.match(r"\W*(?:the|our|every|all|each)\b", s.text, _I)
        ),
        keys="need a|need an|need second|need extra|need additional|need separate",
    ),
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
]


# Seventh round (after fresh set 3, learnloop/coach/tests/data/fresh3.jsonl).
RULES += [
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
    rule(
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
RULES += [
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
        "character named-person",
        r"\bwhen(?:ever)? (?:he|she|they|you) (?:gets?|got|get) around to it\b"
        r"|\bwhen(?:ever)? (?:he|she|they|you) (?:feels?|felt|feel) like it\b",
        always,
        keys="around to it|like it",
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
        "punitive named-person",
        r"(?:'s|\u2019s|\b(?:his|her|their)) (?:[\w-]+ ){0,2}?(?:certification|certificate"
        r"|licen[cs]e|access|rights|privileges|badge|credentials|bonus|commission|login"
        r"|permissions|clearance) (?:is|are|was|were|has been|have been|got|gets) "
        r"(?:suspended|revoked|pulled|frozen|withdrawn|docked|cut|cancell?ed|on hold|gone"
        r"|removed|taken away)\b",
        lambda s, m: possessor_named(s, m) or bool(INCIDENT_LINK.search(s.text)),
        keys="suspended|revoked|pulled|frozen|withdrawn|docked|cut|cancel|on hold|gone|removed|taken away",
    ),
    rule(
        "punitive named-person",
        r"^\W*(?:(?:Nurse|Dr|Mr|Ms|Mrs|Prof|Coach)\.? )?[A-Z][a-z]+ (?:is|was|has been|got|will"
        r" be) (?:now )?(?:suspended|benched|grounded|on probation|on (?:a )?final warning"
        r"|on supervised [\w-]+|stood down|under supervision)\b",
        lambda s, m: s.person[0] or s.person[1] if len(s.tokens) > 1 else False,
        keys="suspended|benched|grounded|probation|final warning|supervised|stood down|supervision",
    ),
    rule(
        "punitive named-person",
        r"\bno longer (?:has|have|holds?|gets?) (?:[\w-]+ ){0,2}?(?:rights|access|authority"
        r"|privileges|sign-?off|approval)\b",
        lambda s, m: (
            specific_subject(s, m)
            and not plural_role_subject(s)
            and bool(INCIDENT_LINK.search(s.text, m.end()))
        ),
        keys="no longer",
    ),
    rule(
        "punitive named-person",
        r"\b(?:won't|will not|will never) (?:see|get|receive|be given|be getting|be assigned"
        r"|be offered) (?:a single|any|another|one more)\b",
        lambda s, m: (
            specific_subject(s, m)
            and not plural_role_subject(s)
            and bool(INCIDENT_LINK.search(s.text, m.end()))
        ),
        keys="won't|will not|will never",
    ),
    rule(
        "counterfactual",
        r"\b(?:needed|took|takes|needs|required|requires) (?:only|just|all of|no more than) "
        r"(?:one|a|a single|two|\w+ (?:seconds|minutes))\b[^.?]{0,80}?(?:\b(?:and|but|yet)|;)"
        r"\s*(?:nobody|no one|no-one|not one person|none of (?:us|them))\b",
        lambda s, m: not has_condition(s, m),
        keys="nobody|no one|no-one|not one|none of",
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
]
