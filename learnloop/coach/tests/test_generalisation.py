"""Generalisation checks for the blame engine on sentences written after the fact.

``data/fresh1.jsonl`` to ``data/fresh5.jsonl`` were each written
(in the style and rules of ``shared/eval/README-blame.md``, across its seven domains, with
templates chosen to differ from the dev set and from ``test_engine.py``) *before* the
engine was scored on them. Each was scored once, the first-pass score was recorded below and
in ``docs/benchmarks.md``, and only then were misses fixed with general patterns. The
first-pass numbers are the honest estimate; the floors asserted here are after-fix
regression guards, not estimates.

``PRECISION_PROBES`` are blameless sentences written to stress the patterns added for the
fresh sets (clefts, "instead of", "no longer", "habit of", "how many ...?", "idea of",
reported accounts): none may be flagged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from learnloop.coach.engine import is_blameful
from learnloop.coach.evaluation import read_jsonl, score_engine

DATA = Path(__file__).parent / "data"
DOMAINS = {
    "software operations",
    "customer success and support",
    "sales",
    "hospital and clinic",
    "manufacturing",
    "finance operations",
    "education",
}

# First-pass scores: learnloop.coach.evaluation.FIRST_PASS (and docs/benchmarks.md). fresh5
# has not been tuned on, so its floor is its first pass, not an after-fix score.
# After-fix floors (regression guards): (min precision, min F1, max hard-blameless FPR).
FLOORS = {
    "fresh1": (0.97, 0.95, 0.05),
    "fresh2": (0.97, 0.90, 0.05),
    "fresh3": (0.97, 0.85, 0.05),
    "fresh4": (0.97, 0.95, 0.05),
    "fresh5": (0.97, 0.60, 0.05),
}

PRECISION_PROBES = [
    "It was Priya who spotted the lag at 02:10 and paged the database team.",
    "Going forward, every deploy will need a second approver.",
    "The nurse used the paper chart instead of the EHR, since the EHR was down.",
    "Agents no longer sign off on refunds over $500; finance does.",
    "The pump has a habit of alarming during transport.",
    "Our idea of a safe rollout changed after this incident.",
    "Funny how the alert only fires at night; the cron job explains it.",
    "The optional fields on the intake form are now required.",
    "The checkboxes for consent were treated as optional by the form validator.",
    "The warehouse team treats damaged pallets as a separate stock location.",
    "Both pages came from the same alert rule.",
    "Errors started the week the new firmware went out.",
    "Latency began climbing when the batch job started.",
    "The nurse's account notes that the scanner had failed twice that night.",
    "Marcus joined the call at 09:20 and shared the logs.",
    "Of course we will share the timeline with the customer.",
    "The forklift driver asked for a horn repair twice, and the ticket is still open.",
    "Dana will no longer be the only approver, because we are adding a backup.",
    "The clerk keyed the hours from the paper timesheets instead of the import, as the import was failing.",
    "Would it help to add the order history to the chat window?",
    "How many alerts does the on-call get in a normal week?",
    "Did anyone on the sales team see the pricing update email?",
    "Status failed to update on the board after the webhook timed out.",
    "Chris stayed on the bridge until 05:00 to help with the restore.",
    "The admissions team handled 900 applications in the final week.",
    "The new rules are for everyone, including managers.",
    "The shift lead left the line running, as the changeover procedure requires for a hot swap.",
    "A glance at the dashboard would have shown the queue growing, and we are adding that view to the on-call home page.",
    "The TA covered the lab while the teacher was at the safety briefing.",
    "The AP clerk paid the invoice twice because the tool matches on invoice number only.",
    # Round 8 (fresh4): rhetorical "who", "apparently", effort counterfactuals, "had ...",
    # "lands squarely on", sanctions, "go figure", "treats ... like".
    "Who approves refunds over $500?",
    "Who gets paged when the queue backs up for a whole hour?",
    "Who tells the customer when a refund is delayed, the agent or billing?",
    "Apparently the vendor changed the API without a changelog entry.",
    "The nurses were too busy to take breaks during the surge.",
    "One test that actually exercised failover would have caught this, so we are writing it.",
    "Ten minutes of extra buffer would have avoided the timeout.",
    "Had the alert fired, the on-call would have known within a minute.",
    "Had the nurse been told about the allergy, she would have switched the antibiotic.",
    "Had the on-call runbook listed the new cluster, the restore would have taken minutes.",
    "Responsibility for the fix rests with the platform team, due Friday.",
    "The ticket went to the legacy queue, and that is where it stalled.",
    "Everyone knows who to call when the freezer alarm goes off.",
    "We all know which alerts are noise, and that is the problem.",
    "Greta's signature is on every purchase order above 5,000, as policy requires.",
    "The committee decided the upgrade could wait because of the holiday freeze.",
    "The request sat on the backlog for a month while the team rebuilt the pipeline.",
    "Reading these logs takes a special kind of patience.",
    "The supplier's ISO certification was suspended in May, so we moved to the backup supplier.",
    "Marco no longer has approval rights on the old billing system, which was retired in June.",
    "Agents won't see a single ticket from the legacy queue after the migration.",
    "Fixing it took only one config change, and no one had to restart the service.",
    "Obviously nobody could have known the vendor had changed the default.",
    "The pump treats a paused infusion like a new one, so the volume counter resets.",
    "The nurse treated the alarm like any other alarm, because both alarms sound the same.",
    "The training was optional for contractors, and most of them skipped it.",
    "Every time the same story: the export job runs out of memory on the first of the month.",
]


def _load(name: str) -> list[dict[str, Any]]:
    return read_jsonl(DATA / f"{name}.jsonl")


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_it_keeps_fresh_set_scores_above_the_after_fix_floors(name: str) -> None:
    m = score_engine(_load(name))
    min_p, min_f1, max_hard = FLOORS[name]
    assert m["precision"] >= min_p, m
    assert m["f1"] >= min_f1, m
    assert m["hard_blameless_fpr"] <= max_hard, m


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_it_has_well_formed_fresh_sets(name: str) -> None:
    rows = _load(name)
    assert len(rows) >= 60
    assert {r["domain"] for r in rows} == DOMAINS
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["label"] in ("blame", "blameless")
        assert bool(r["signals"]) == (r["label"] == "blame")
    share = sum(r["label"] == "blame" for r in rows) / len(rows)
    assert 0.40 <= share <= 0.52


@pytest.mark.parametrize("text", PRECISION_PROBES)
def test_it_does_not_flag_precision_probes(text: str) -> None:
    # The rules never flag one; the learned stage's rate on them is in test_learned.py.
    assert not is_blameful(text, learned=False), text
