"""Rules led by the human-error-conclusion signal: "human error" (and its cousins) given as
the conclusion.
"""

from __future__ import annotations

from learnloop.coach.engine.checks.negation import reported_ok
from learnloop.coach.engine.checks.people import role_error

from .base import Rule, rule

HUMAN_ERROR: list[Rule] = [
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
    # Round 18 (decision 0249): any person noun before "error", by the role list or its form
    # ("fitter error", "groomer error", "forecaster error", "cellar hand error"), with the same
    # negation and set-aside checks as the listed ones.
    rule(
        "human-error-conclusion",
        r"\b(?P<who>[a-z][\w-]*)(?:'s|\u2019s)? errors?\b",
        role_error,
        keys="error",
    ),
]
