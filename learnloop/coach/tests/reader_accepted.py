"""Blameless probes the coach's reader flags, accepted by decisions 0251 and 0256 (issue 18,
rounds 19 and 20).

The rules flag none of them. Until round 18 the learned stage (a logistic head behind a narrow
gate) flagged at most 2 of the 71 precision probes. Round 19's reader reads far more sentences
and catches far more implicit blame (held-out blind sets: F1 0.90 with the rules, against 0.79
for round 18's head retrained on the same files), and flags these blameless sentences with a
person in them. Decision 0251 accepted 14, listed so that each test still fails the moment the
product flags any other blameless probe, and so that a later round can see what to win back.
Round 20's reader (decision 0256: more blameless material with a person acting, threshold 0.98)
won back five; these nine are left.
"""

from __future__ import annotations

ACCEPTED = frozenset(
    {
        # test_generalisation.PRECISION_PROBES and test_real_prose.QUIET_PROBES (4 of 71)
        "The nurses were too busy to take breaks during the surge.",
        "Marco no longer has approval rights on the old billing system, which was retired in June.",
        "The restart happened because the operator followed the runbook.",
        "The new hire makes a point of reading every runbook.",
        # test_real_prose.NOT_PEOPLE
        "Findings: ACME's incident response was repeatedly inadequate (technicians could not"
        " reproduce the fault).",
        # test_engine.REGRESSION_BLAMELESS
        "Human error is where our investigations begin, not where they end.",
        # test_person_nouns
        "The technician set the thermostat too low on purpose to protect the samples.",
        # test_real_prose (round 10's quiet shapes)
        "The engineer has not been let go.",
        # test_round18 (a gate probe until round 19)
        "After the delivery, Ola unloaded the pallets by the door.",
    }
)


def flagged(text: str) -> bool:
    """The product's coach flags ``text``, except an accepted reader flag (the rules must never
    flag one of those)."""
    from learnloop.coach.engine import analyse

    if text in ACCEPTED:
        return bool(analyse(text, learned=False))
    return bool(analyse(text))
