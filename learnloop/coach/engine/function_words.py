"""Closed word classes the engine reads a sentence by: determiners, prepositions, adverbs,
conjunctions and auxiliaries.
"""

from __future__ import annotations

from learnloop.coach.lexicon import words as _words

DETS = _words(
    "the a an our their his her its my your this that these those one two three both some any "
    "every each all whole new newest other same"
)


PREPS = _words(
    "for to of from with by on in at about into onto over under via through behind per "
    "against toward towards than like"
)


ADVERBS = _words(
    "just simply also never even obviously clearly then again really actually completely "
    "totally still already apparently somehow basically literally ever always once twice "
    "probably certainly merely plainly evidently conveniently honestly frankly"
)


_CONJ = _words(
    "and but because so while when although though since unless if whereas then after before "
    "until or nor yet"
)


AUX = _words(
    "has had have is was are were will would should could can did does do must may might "
    "shall isn't wasn't hasn't hadn't didn't doesn't won't wouldn't"
)
