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

from learnloop.coach.engine.checks.conditions import has_condition
from learnloop.coach.engine.checks.negation import not_negated
from learnloop.coach.engine.checks.people import has_actor, subject
from learnloop.coach.engine.sentence import Sentence

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


def slip_by_an_actor(s: Sentence, m: re.Match[str]) -> bool:
    """Round 10: as :func:`slip_by_a_person`, and the subject is not one of the affected
    ("forty customers received the wrong size")."""
    i = s.index_at(m.start())
    lo = s.clause_start(m.start())
    if lo == i and lo > 0 and s.tokens[lo - 1][0].lower() == "and":
        # Round 12: a verb phrase joined by "and" shares the sentence's subject ("the count
        # clerk bundled the ballots and announced the wrong winner").
        lo = 0
    return slip_by_a_person(s, m) and has_actor(s, lo, i)


_NOT_BEFORE = re.compile(r"\b(?:not|never|no)\b[^.;]{0,12}$|n't\s*$", _I)


def person_and_sarcasm(s: Sentence, m: re.Match[str]) -> bool:
    if _GENUINE_PRAISE.search(s.text[m.end() :]):
        return False  # Round 10: "Hats off to ground ops, who re-planned the stands"
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

# Round 10 (tests/data/implicit_train.jsonl grown to 249 sentences): any past-tense act on
# "the wrong" thing, the same act done twice, mis- verbs and transposed digits.
_SLIP_GENERAL = (
    r"\b(?:[a-z]+ed|sent|put|set|gave|took|ran|let|left|got|read|hit|chose|sold|paid|brought"
    r"|kept|cut|wrote|drew|told|made|fed|led|rang up) (?:\S+ ){0,4}?(?:the|a|an) wrong\b"
    r"|\b(?:keyed|rang up|entered|charged|billed|booked|paid|refunded|posted|processed|applied"
    r"|sent|ran|scanned) (?:\S+ ){0,4}?twice\b"
    r"|\bmis(?:count|judg|key|plac|rout|direct|calculat|enter|dial|sort|match|measur|spell"
    r"|print|assign|quot)\w*ed\b|\btransposed (?:two |the )?(?:digits|numbers|figures)\b"
)
_GENUINE_PRAISE = re.compile(
    r"\bwho (?:re-?\w+|fixed|restored|caught|found|rolled|cleared|stayed|saved|spotted"
    r"|recovered|rebuilt|handled|kept)\b|\bwithin (?:\d+|an?|ten|five|two) \w+"
    r"|\bfor (?:finding|catching|spotting|restoring|fixing|rolling|clearing|staying"
    r"|recovering|keeping)\b",
    _I,
)
_FAILURE_CUE = re.compile(
    r"\b(?:wrong|lost|lose|loses|losing|broke|breaking|debug|twice|no labels?|every (?:parent"
    r"|customer|patient|user)|the same \w+ every|on one|deleted|crashed|missed|forgot|again"
    r"|without|during the (?:launch|release|peak|sale))\b",
    _I,
)


def mock_praise(s: Sentence, m: re.Match[str]) -> bool:
    """Praise of people for a failure ("Top marks to quality control for passing a batch with
    no labels"), not praise for a recovery ("... who rolled back the build")."""
    rest = s.text[m.end() :]
    return has_actor(s) and bool(_FAILURE_CUE.search(rest)) and not _GENUINE_PRAISE.search(rest)


# Round 12 (decision 0226): a person's act done in a wrong manner, told without blame words:
# instead of the right thing, too early or late, too high, with parts missing, on somebody
# else's record ("priced the shelf at last year's price" stays out: no general cue).
_WRONG_MANNER = (
    r"\b(?:ran|keyed|typed|entered|sent|posted|paid(?: out)?|charged|billed|shipped|loaded"
    r"|filled|dispensed|gave|set|printed|deployed|pushed|applied|seated|fitted) (?:[\w'-]+ )"
    r"{0,5}?instead of\b"
    r"|\b(?:[a-z]+ed|sent|put|set|gave|took|ran|let|left|hit|cut|wrote|drew|made|fed|paid|sold"
    r"|shut|brought|kept) (?:[\w'-]+ ){0,5}?(?:(?:a|an|[\w-]+) (?:minutes?|hours?|days?"
    r"|weeks?) (?:late|early|too soon)|(?:\w+ )?too (?:high|low|early|late|hot|cold|fast|soon"
    r"|far|long|short)|with (?:\w+ ){1,2}missing|(?:another|someone else's|somebody else's)"
    r" [\w-]+'s)\b"
)

_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being|get|gets|got)\s+$", _I)


# Early completion is good news; an intent or a plan makes the act a choice, not a slip.
_DONE_EARLY = re.compile(
    r"^(?:finish|complet|deliver|arriv|return|launch|releas|submitt|open|clos|resolv|fix)\w*\b"
    r"[^.;]*\bearly\b",
    _I,
)
_INTENT = re.compile(
    r"\b(?:on purpose|deliberately|intentionally|in order to|so (?:that|the|it|we)|to (?:protect"
    r"|avoid|keep|beat|save|prevent|allow|make sure|give|let)|as (?:planned|agreed|requested"
    r"|asked|instructed)|which is (?:our|the) (?:standard|usual|normal))\b",
    _I,
)


def active_slip(s: Sentence, m: re.Match[str]) -> bool:
    """As :func:`slip_by_an_actor`, in the active voice ("were paid a day late" is what
    happened to people, not what they did), not early completion, and with no intent."""
    before = s.text[max(0, m.start() - 12) : m.start()]
    if _PASSIVE_BEFORE.search(before) or _DONE_EARLY.search(m.group()):
        return False
    return not _INTENT.search(s.text, m.start()) and slip_by_an_actor(s, m)


IMPLICIT: list[Rule] = [
    rule(
        "named-person",
        _WRONG_MANNER,
        active_slip,
        keys="instead of|late|early|too soon|too |missing|another|else's",
    ),
    rule(
        "named-person",
        _SLIP_GENERAL,
        slip_by_an_actor,
        keys="wrong|twice|mis|transposed",
    ),
    rule(
        "normative",
        r"^\W*(?:(?:brilliant|great|nice|fantastic|excellent|stellar) (?:work|job|effort)"
        r" (?:by|from)|(?:well done|top marks|hats off|kudos|bravo|congratulations|congrats)"
        r"(?: to)?|love how|trust (?:the |our )?(?:[\w-]+ )?[\w-]+ to"
        r"|another (?:masterpiece|triumph|classic) from)\b",
        mock_praise,
        keys="brilliant|great|nice|fantastic|excellent|stellar|well done|top marks|hats off"
        "|kudos|bravo|congrat|love how|trust|another",
    ),
    rule(
        "character",
        r"\b(?:is|was|are|were|'s) (?:just )?the (?:type|kind|sort) (?:of \w+ )?(?:who|that)\b"
        r"|\bcan(?:'t|not|\u2019t) be (?:trusted|left alone) with\b|\bhas no business (?:\w+ )?"
        r"(?:near|touching|running|handling)\b|\b(?:is|are) allergic to\b"
        r"|\ba disaster waiting to happen\b|\b(?:is|are|was|were) (?:the|our) weak link\b"
        r"|\b(?:is|are) (?:hopeless|clueless|useless) (?:with|at|about)\b|\b(?:is|are) beneath"
        r" (?:him|her|them)\b|\b(?:thinks?|believes?) (?:the )?rules are for other people\b"
        r"|\bin (?:his|her|their) (?:whole )?life\b",
        lambda s, m: has_actor(s) and not_negated(s, m),
        keys="type|kind|sort|trusted|left alone|business|allergic|disaster|weak link|hopeless"
        "|clueless|useless|beneath|rules are|life",
    ),
    rule(
        "punitive",
        r"\b(?:has|have|had) been (?:let go|demoted|sacked|fired|dismissed|shown the door)\b"
        r"|\bwill (?:not|never) (?:work|drive|fly|teach|serve|run|handle|cover) (?:[\w-]+ ){0,3}?"
        r"again\b|\bno longer (?:runs|handles|covers|works|leads|approves|signs)\b"
        r"|\bis off the [\w-]+(?: [\w-]+)? for good\b|\bpaying for it out of (?:his|her|their)\b"
        r"|\bhad (?:his|her|their) (?:badge|keys?|pass|access|laptop) taken\b",
        # Not not_negated: "who dropped the table has been let go" is no negation.
        lambda s, m: (
            has_actor(s) and not _NOT_BEFORE.search(s.text[max(0, m.start() - 20) : m.start()])
        ),
        keys="let go|demoted|sacked|fired|dismissed|shown the door|will not|will never"
        "|no longer|for good|paying for it|taken",
    ),
    rule(
        "why-didnt",
        r"^\W*what was (?:the|our|that|this) [\w-]+(?: [\w-]+)? thinking\b"
        r"|^\W*does anyone (?:in|on|at) [^?]{1,40}\b(?:actually|even|ever) read\b"
        r"|^\W*how (?:does|did|do) (?:a|an|the|our|one) [\w-]+(?: [\w-]+)? (?:manage|even)\b",
        lambda s, m: s.text.rstrip().endswith("?") and has_actor(s),
        keys="thinking|read|manage|even",
    ),
    rule(
        "named-person",
        r"\bat the heart of (?:this|the|it) (?:\w+ )?(?:is|was) (?:a|an|one|the|our) [\w-]+ who\b"
        r"|^\W*the problem (?:here )?(?:is|was) the [\w-]+, not the\b"
        r"|\b(?:it's|it is) always the same [\w-]+ (?:\w+ing)\b"
        r"|\bnone of this happens if (?:the|our) [^.]{1,30} does (?:his|her|their) job\b"
        r"|\b(?:is|was) (?:entirely|all|squarely) on (?:the|our) [\w-]+\b",
        lambda s, m: has_actor(s),
        keys="heart|problem|always the same|none of this|entirely|all on|squarely",
    ),
    rule(
        "counterfactual",
        r"\bonly needed to\b|\bwas all it (?:needed|took)\b|\bhad (?:one|a single) job\b",
        lambda s, m: has_actor(s) or "all it" in m.group().lower(),
        keys="only needed|all it|one job|single job",
    ),
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
