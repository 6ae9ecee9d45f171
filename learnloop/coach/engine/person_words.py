"""Which single words refer to a person: an unknown capitalised word by its shape and use
(``name_in_context``), role nouns singular or plural (``is_role``), possessives
(``strip_poss``), titles and group heads, and the verbs people do.
"""

from __future__ import annotations

import re

from learnloop.coach.lexicon import INDEFINITE, PRONOUNS, ROLES
from learnloop.coach.lexicon import words as _words
from learnloop.coach.occupations import (
    new_role,
)

from .function_words import ADVERBS, AUX, DETS

GROUP_HEADS = _words("crew team shift staff department desk unit squad group")


TITLES = _words("mr mrs ms dr prof professor nurse sister coach")


# An unknown capitalised word is a person only when it is shaped like a name and used like
# one (issue 18: "Amazon EBS", "Consul server", "Riak write timeouts", "CircleCI's systems"
# are products and components, not people). Known member names (``names``) skip this.
_PRODUCT_SHAPE = re.compile(r"[a-z][A-Z]|\d|[A-Z]{2,}-|-[A-Z]{2,}|^[A-Z]{2,}s$")


# Words before a capitalised word that make it a thing or a place, not a person.
_THING_BEFORE = _words(
    "the a an this that these those its each every any some our their your my his her for "
    "within inside across throughout into onto via using upgrade upgraded version"
)


# A lowercase word right after an unknown capitalised word that lets it be a person: an
# auxiliary, an adverb, a conjunction, a relative, or a verb people do (else "Riak write
# timeouts", "Consul server": a capitalised modifier of a thing).
PERSON_VERBS = _words("""
    said says wrote writes told tells asked asks decided decides forgot forgets skipped skips
    ignored ignores approved approves signed signs assumed assumes thought thinks knew knows
    missed misses pushed pushes merged merges typed types clicked clicks pressed presses
    deleted deletes dropped drops ran runs re-ran took takes made makes sent sends went goes
    left leaves refused refuses chose chooses promised promises tried tries wanted wants
    kept keeps let lets got gets gave gives put puts set sets saw sees read reads shipped
    ships deployed deploys rushed rushes closed closes opened opens checked checks changed
    changes booked books logged logs entered enters picked picks priced prices counted counts
    handled handles owns owned leads led broke breaks botched botches messed mixed mixes
    again alone himself herself themselves personally overrode wrote drove broke spoke stole
    threw drew blew hid fell held built spent lost paid sold found stood understood brought
    bought caught taught sought won stuck quit shut hit cut upset winged
    """)


# Round 16 (decision 0237): irregular past tenses of acts on things. After an unknown
# capitalised word they make it the doer only with an object after them ("Ivo hung the
# silks", "Tomasz split the strongest colony"), never alone ("Consul hung").
IRREGULAR_ACTS = _words("""
    hung split reset shut spread swung dug bent shook tore wore slid struck swept led fed
    threw drew blew stuck tipped sank rode wound cast spilt spilled bled ground shot
    """)


_AFTER_NAME_OK = _words(
    "who whose and or but on with also never just simply no not from next sat sits won't "
    "didn't doesn't isn't wasn't hasn't hadn't can't couldn't cannot shouldn't wouldn't aren't"
)


def name_in_context(text: str, toks: list[tuple[str, int, int]], i: int) -> bool:
    """Can the unknown capitalised token ``i`` be a person's name, by shape and use?"""
    word = toks[i][0]
    bare, poss = strip_poss(word)
    raw = word[: len(bare)]
    if _PRODUCT_SHAPE.search(raw) or (i > 0 and _BAD_NAME_END.search(bare)):
        return False  # CamelCase, digits, acronym parts, noun endings: "LaunchDarkly"
    if i > 0:
        prev = toks[i - 1][0]
        gap = text[toks[i - 1][2] : toks[i][1]]
        if not gap.strip() and prev.lower() in _THING_BEFORE:
            return False
        if not gap.strip() and len(prev) > 1 and prev.isupper():
            return False  # "GKE Dataplane"
    if i + 1 >= len(toks):
        return True
    nxt = toks[i + 1][0]
    gap = text[toks[i][2] : toks[i + 1][1]]
    if gap.strip():
        return True  # punctuation after it: "traces back to Horatio.", "Kofi, the on-call"
    if nxt[:1].isupper():
        if poss or nxt.isupper() or _PRODUCT_SHAPE.search(nxt):
            return False  # "Amazon EBS", "Slack's API"
        # A first name and a surname: decided by what follows the pair.
        return name_in_context(text, toks, i + 1) if i + 2 < len(toks) else True
    low = nxt.lower()
    if low == "to":
        return i > 0  # "leave it to Brenda to promise ...", but not "Due to ..."
    if poss:
        return low not in _ORG_NOUNS
    return (
        low in AUX
        or low in ADVERBS
        or low in PERSON_VERBS
        or low in _AFTER_NAME_OK
        or (low.endswith("ed") and len(low) > 3)
        or (low in IRREGULAR_ACTS and _object_follows(toks, i + 2))
        # "Dmitri treats every review as ...": a present-tense verb before its object.
        or (low.endswith("s") and i + 2 < len(toks) and toks[i + 2][0].lower() in DETS)
    )


def _object_follows(toks: list[tuple[str, int, int]], j: int) -> bool:
    """Token ``j`` opens an object: a determiner or a possessive ("the", "a", "Rosa's")."""
    if j >= len(toks):
        return False
    w = toks[j][0].lower()
    return w in DETS or w in ("his", "her", "their") or strip_poss(w)[1]


# After a role word these make it a modifier: "customer impact", "user community".
THING_NOUNS = _words("""
    impact community campaign tier firmware experience base data count growth requests
    sessions interface settings setting behavior behaviour input validation traffic errors
    error-rate facing side agent agents software library portal accounts connection
    connections reconnection notifications notification load quota quotas limit limits
    """)


MACHINE_CONTEXT = re.compile(
    r"\b(?:switch(?:es)?|hosts?|servers?|nodes?|daemons?|process(?:es)?|threads?|kernel"
    r"|firmware|packets?|sockets?|containers?|pods?|instances?|clusters?|VMs?|GPS|GLONASS"
    r"|ephemeri\w*|queues?|jobs?|binary|binaries)\b"
)


_BAD_NAME_END = re.compile(
    r"(?:tion|sion|ment|ness|ity|ism|ics|ing|ware|ers|ors|ies|able|ible|ology|ance|ence)$"
)


# After a capitalised possessor these make it an organisation or a product.
_ORG_NOUNS = _words("""
    customers users clients platform infrastructure network region regions cluster clusters
    engineers engineering team teams staff employees feature features traffic instances nodes
    storage data datacenter datacenters systems software product products website site
    web application applications backend frontend fleet hardware firmware kernel library
    libraries code repository repositories install installer default defaults stack
    service services server servers api apis database databases app apps
    """)


def strip_poss(word: str) -> tuple[str, bool]:
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        return w[:-2], True
    if w.endswith("s'"):
        return w[:-1], True
    return w, False


def _listed_role(w: str) -> bool:
    if w in ROLES:
        return True
    if w.endswith("es") and w[:-2] in ROLES:
        return True
    return w.endswith("s") and w[:-1] in ROLES


def is_role(w: str) -> bool:
    """A role or occupation noun, singular or plural ("nurse", "farmhands", "aquarist")."""
    return _listed_role(w) or new_role(w) == 1


_LEXICAL_PERSON: dict[str, tuple[str, bool, int]] = {}


def _lexical(word: str) -> tuple[str, bool, int]:
    """(lower-case word, a listed person word?, ``new_role`` kind), cached per spelling."""
    w = strip_poss(word)[0]
    lexical = w in PRONOUNS or w in INDEFINITE or _listed_role(w)
    # A new role (occupation list, form, or an -er word used as a doer) counts only in lower
    # case or as a sentence's first word: "Fisher", "Zookeeper" are names.
    kind = 0 if lexical or not word[1:].islower() else new_role(w)
    if lexical and word.isupper() and len(word) > 1:
        # "US East", "11:48 PM", "GPS": an acronym is a role only as listed.
        lexical = w in ROLES and w not in ("us", "am", "pm")
    cached = (w, lexical, kind)
    if len(_LEXICAL_PERSON) < 50_000:
        _LEXICAL_PERSON[word] = cached
    return cached
