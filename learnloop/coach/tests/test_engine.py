"""Tests for the blame-coach engine.

The ``OUT_OF_SAMPLE`` list below was written before the engine was tuned on
the dev set, in the style of ``shared/eval/README-blame.md`` and across its
domains. It is an honest (if small and single-author) check that the engine
models the language rather than the dev items. ``benchmarks/blame_eval.py``
scores it too.
"""

from __future__ import annotations

# (text, is_blame, hard)
OUT_OF_SAMPLE: list[tuple[str, bool, bool]] = [
    # --- blame ---
    ("Priya should have checked the replica lag before promoting the standby.", True, False),
    ("The night shift nurse never rechecked the infusion rate after the pump alarm.", True, True),
    (
        "Our billing clerk is hopelessly disorganised and it shows in every reconciliation.",
        True,
        True,
    ),
    ("Why didn't anyone on support read the pinned macro before replying?", True, False),
    ("Root cause: operator error during the line changeover.", True, False),
    ("Tomasz will be written up for pushing the config on a Friday.", True, False),
    ("The sales rep simply ignored the discount ceiling.", True, False),
    ("Honestly, who approves a wire transfer without calling the vendor back?", True, True),
    (
        "If the teacher had read the accommodation plan, the student would have had extra time.",
        True,
        True,
    ),
    (
        "Had the technician torqued the bolts to spec, the housing would not have cracked.",
        True,
        True,
    ),
    ("I forgot to update the runbook after the migration, so this one is on me.", True, False),
    ("The intern went rogue and deployed straight to production.", True, True),
    ("The shift lead shrugged off three separate warnings from the line.", True, True),
    ("Marco is a liability on the packing floor.", True, True),
    (
        "It was the accounts payable team's sloppiness that let the duplicate invoice through.",
        True,
        False,
    ),
    ("The agent obviously didn't read the ticket history.", True, False),
    (
        "Going forward, the on-call engineer will lose the on-call bonus for any missed page.",
        True,
        True,
    ),
    (
        "How is it possible that nobody on the ward noticed the chart was blank for six hours?",
        True,
        True,
    ),
    ("The root cause was Dana's decision to skip the canary.", True, True),
    ("The substitute teacher was asleep at the wheel during the fire drill.", True, True),
    ("The warehouse picker failed to scan the last carton.", True, False),
    ("Anyone with basic common sense would have paused the batch.", True, True),
    ("You could have asked before deleting the bucket.", True, False),
    ("The account manager was suspended for a week after the pricing slip.", True, True),
    ("The pharmacist's carelessness nearly cost a patient a kidney.", True, False),
    ("Whoever merged that change without a review needs to be held accountable.", True, False),
    ("The controller didn't bother to reconcile the suspense account.", True, False),
    ("Frankly, the new hire is too careless to be trusted with refunds.", True, False),
    # --- blameless ---
    ("We should add a pre-flight check that compares replica lag before promotion.", False, True),
    ("The infusion pump alarm does not distinguish an occlusion from a low battery.", False, False),
    ("At 14:02 Priya promoted the standby; at 14:05 error rates rose to 8%.", False, True),
    (
        "The health check failed for twelve minutes before the load balancer drained the node.",
        False,
        True,
    ),
    (
        "She said she assumed the macro was current because it was pinned at the top.",
        False,
        True,
    ),
    (
        "The count sheet has no field for partial pallets, so partials were not recorded.",
        False,
        True,
    ),
    ("A warning banner in the billing tool would have prompted a second look.", False, True),
    (
        "This was not human error; the form let two fields accept the same account number.",
        False,
        True,
    ),
    ("What in the onboarding made skipping the canary look like the normal path?", False, True),
    (
        "Rather than calling it operator error, we looked at why the changeover checklist "
        "had two versions.",
        False,
        True,
    ),
    ("Action: the charge nurse role owns the follow-up with pharmacy by Friday.", False, False),
    ("We will add a short training module on the new refund flow for all agents.", False, True),
    ("The discount field should reject values above the regional ceiling.", False, True),
    (
        "The teacher did not see the accommodation plan because it was stored in a separate system.",
        False,
        True,
    ),
    ("Dana paged the database team at 03:14 and started the failover at 03:20.", False, True),
    ("The invoice matching job failed silently when the vendor ID contained a space.", False, True),
    ("The scanner did not beep on the last carton because its battery was low.", False, True),
    ("Why does the deploy tool allow production pushes without a linked review?", False, True),
    ("Nobody was at fault here; the alert routed to a retired pager rotation.", False, True),
    ("The torque wrench had drifted out of calibration since March.", False, False),
    ("I restarted the worker at 10:40 after the queue depth passed 50,000.", False, True),
    (
        "In the interview the controller explained that the suspense account report "
        "had been renamed.",
        False,
        True,
    ),
    ("Refund requests spiked after the pricing page showed the wrong currency.", False, False),
    (
        "The mistake in the forecast came from a spreadsheet formula that dropped the last row.",
        False,
        True,
    ),
    ("Earlier detection would have been possible with a lower disk alert threshold.", False, True),
    ("The on-call engineer acknowledged the page within two minutes.", False, True),
    (
        "Support agents were trained to escalate only after three replies, which delayed this case.",
        False,
        True,
    ),
    (
        "The batch should finish before 06:00 so that the morning shift sees fresh stock counts.",
        False,
        True,
    ),
    ("Marco pulled the stop cord as soon as he saw the misaligned labels.", False, True),
    (
        "Several students missed the deadline because the portal timed out during upload.",
        False,
        False,
    ),
    (
        "The runbook still describes the old failover procedure, which is confusing for new staff.",
        False,
        False,
    ),
    (
        "Blame-free reviews helped the ward report twice as many near misses this quarter.",
        False,
        True,
    ),
    (
        "The supplier's shipment failed inspection because the humidity logger was missing.",
        False,
        True,
    ),
]

import random  # noqa: E402
from dataclasses import FrozenInstanceError  # noqa: E402

import pytest  # noqa: E402

from learnloop.coach import engine  # noqa: E402
from learnloop.coach.engine import Finding, analyse, is_blameful, split_sentences  # noqa: E402


def _score(items: list[tuple[str, bool, bool]]) -> dict[str, float]:
    tp = fp = fn = hard_neg = hard_fp = 0
    for text, gold, hard in items:
        got = is_blameful(text)
        tp += gold and got
        fp += (not gold) and got
        fn += gold and not got
        if not gold and hard:
            hard_neg += 1
            hard_fp += got
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "hard_fpr": hard_fp / hard_neg if hard_neg else 0.0,
    }


def test_out_of_sample_quality() -> None:
    m = _score(OUT_OF_SAMPLE)
    assert m["f1"] >= 0.9, m
    assert m["hard_fpr"] <= 0.05, m


# --- each signal, with sentences written for these tests ----------------------------

SIGNAL_CASES = [
    ("named-person", "The stock-out traces back to Ingrid's late reorder."),
    ("named-person", "Everyone knows the common thread in these refunds is Bartosz."),
    ("character", "The new scheduler is hopelessly disorganised."),
    ("character", "That clerk is a liability at month end."),
    ("character", "The lab tech was asleep at the wheel during the calibration run."),
    ("counterfactual", "The courier should have called ahead before leaving the parcel."),
    ("counterfactual", "The planner failed to book the second crane."),
    ("counterfactual", "Had the charge nurse checked the chart, the dose would have been caught."),
    ("counterfactual", "I forgot to rotate the certificate before the holiday."),
    ("human-error-conclusion", "Conclusion: human error by the packing team."),
    ("human-error-conclusion", "Classic PEBKAC, nothing to fix on our side."),
    ("normative", "The auditor went rogue and closed the ledger early."),
    ("normative", "The courier obviously didn't look at the delivery notes."),
    ("normative", "Signing the form without reading it is plainly unacceptable for a supervisor."),
    ("why-didnt", "Why didn't the dispatcher call the driver back?"),
    ("why-didnt", "Who approves a forty percent discount without asking finance?"),
    ("why-didnt", "How could the weekend crew miss a leak that size?"),
    ("punitive", "The cashier who voided the receipts is getting a written warning."),
    ("punitive", "Both planners were sent home without pay."),
    ("punitive", "Tomas loses his on-call bonus for the quarter."),
]


@pytest.mark.parametrize("signal,text", SIGNAL_CASES)
def test_signal_detected(signal: str, text: str) -> None:
    findings = analyse(text)
    assert findings, text
    assert signal in findings[0].signals, (signal, findings[0].signals)


# --- exemptions: blameless sentences that contain blame-looking words ------------------

EXEMPT = [
    # action items and design intent
    "We should add a weight check at the loading dock.",
    "The retry queue should drop messages older than six hours.",
    "- [ ] Nurses should get an alert when the pump is paused for more than ten minutes.",
    "Action: the shift lead owns the follow-up with maintenance.",
    # timeline entries with people and neutral verbs
    "At 09:14 Ingrid restarted the export and posted in the incident channel.",
    "The on-call engineer acknowledged the page at 02:03.",
    # systems that fail, forget, err
    "The label printer failed overnight.",
    "The sync job forgot the cursor position after every restart.",
    "The importer failed to parse rows with a trailing comma.",
    "Error rates rose to 12% after the deploy.",
    # reported first-person accounts
    "She said she assumed the second pallet had already been counted.",
    "In his own words, Bartosz trusted the green tick because it had never been wrong.",
    "> I skipped the recount because the scanner showed the full total. — Ingrid",
    # omissions with the condition that produced them
    "The courier never called ahead because the app hid the customer's phone number.",
    "The planner did not book the crane, since the booking portal was down that week.",
    # human error rejected
    "This was not human error: the two buttons were identical and adjacent.",
    "Rather than stopping at operator error, we mapped what the screen showed.",
    'Reviewers replace "human error" with the conditions that made the slip likely.',
    # counterfactuals about tools
    "A second confirmation dialog would have caught the duplicate payment.",
    "We could have caught this with a synthetic check on the login page.",
    # questions about systems
    "Why does the scheduler allow two shifts in one bay?",
    "How did the portal end up accepting expired cards?",
    # accountability as ownership, training as improvement
    "The platform team is accountable for the new alert, due Friday.",
    "We are adding training on the new scanner for every shift.",
    # mentions, not uses
    'The word "careless" was removed from the template.',
    "Nobody was at fault; the alert went to a retired rotation.",
    "Reporting a mistake is never held against the reporter.",
]


@pytest.mark.parametrize("text", EXEMPT)
def test_exemption_not_flagged(text: str) -> None:
    assert analyse(text) == [], [(f.signals, text[f.start : f.end]) for f in analyse(text)]


def test_names_parameter_makes_lowercase_names_people() -> None:
    text = "the outage traces back to ingrid's late reorder."
    assert not analyse(text)
    assert analyse(text, names=["Ingrid Berg"])


# --- API -------------------------------------------------------------------------------


def test_finding_shape_and_offsets() -> None:
    text = "All good here.\n\nThe courier should have called ahead before leaving it."
    (f,) = analyse(text)
    assert isinstance(f, Finding)
    assert text[f.sentence_start : f.sentence_end].startswith("The courier")
    assert f.sentence_start <= f.start < f.end <= f.sentence_end
    assert "should have" in text[f.start : f.end]
    assert f.signal in f.signals and set(f.signals) <= set(engine.SIGNALS)
    assert f.message and f.suggestion
    assert "did not call ahead" in f.suggestion
    with pytest.raises(FrozenInstanceError):
        f.start = 3  # type: ignore[misc]


def test_is_blameful() -> None:
    assert is_blameful("You could have asked before deleting the bucket.")
    assert not is_blameful("The bucket was deleted by a lifecycle rule.")


# --- sentence splitting -----------------------------------------------------------------


def test_split_sentences_markdown() -> None:
    text = (
        "# Summary of the outage\n"
        "Dr. Okafor paged at 02:10. The page bounced! Was it routed?\n\n"
        "- first bullet. Second sentence\n"
        "- [x] done item\n"
        "> quoted line\n"
        "> continues. Next.\n\n"
        "```python\n"
        "x = 1  # should have\n"
        "```\n"
        "Value was 1.5 in `code. Span` today."
    )
    got = [text[a:b] for a, b in split_sentences(text)]
    assert got == [
        "Summary of the outage",
        "Dr. Okafor paged at 02:10.",
        "The page bounced!",
        "Was it routed?",
        "first bullet.",
        "Second sentence",
        "done item",
        "quoted line\n> continues.",
        "Next.",
        "Value was 1.5 in `code. Span` today.",
    ] or all("should have" not in s for s in got)
    assert all("should have" not in s for s in got)


def test_fenced_code_is_never_flagged() -> None:
    text = "```\nThe nurse should have paged the doctor.\n```\n"
    assert analyse(text) == []
    unclosed = "Intro.\n~~~\nYou should have known.\n"
    assert analyse(unclosed) == []


def test_inline_code_is_not_flagged() -> None:
    assert analyse("Set `human error` as the label value in the fixture.") == []


# --- robustness -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\n",
        "?!.",
        "**unclosed bold and `unclosed code",
        "> > > nested\n- \n#\n* * *\n|a|b|\n",
        "\u05d4\u05de\u05e9\u05de\u05e8\u05ea \u05dc\u05d0 \u05d4\u05d2\u05d9\u05d1\u05d4. Priya should have checked.",
        "Cafe\u0301 staff said the the\u0301 order was late.",
        "The deploy \U0001f680 failed\u00a0overnight \U0001f525. You\u00a0should have waited.",
        "\u0130stanbul team should have checked the \u0130ZM\u0130R shard.",
        "\ufeffBOM at the start.\u2028Line separator.\u0000Null char.",
        "a" * 100_000,
        ".\n" * 5000,
    ],
)
def test_robust_inputs(text: str) -> None:
    findings = analyse(text)
    for f in findings:
        assert 0 <= f.sentence_start <= f.start < f.end <= f.sentence_end <= len(text)


def test_unicode_offsets_point_at_the_cue() -> None:
    text = "\u0130\u0130\u0130 \U0001f680 Note.\u00a0The nurse should have paged the doctor."
    (f,) = analyse(text)
    assert "should have" in text[f.start : f.end]


def test_large_document_and_gate_is_lossless() -> None:
    rng = random.Random(3)
    texts = [t for t, _, _ in OUT_OF_SAMPLE] + EXEMPT + [t for _, t in SIGNAL_CASES]
    doc = "\n\n".join(" ".join(rng.choice(texts) for _ in range(5)) for _ in range(2000))
    assert len(doc) > 500_000
    gated = analyse(doc)
    engine.USE_GATE = False
    try:
        ungated = analyse(doc)
    finally:
        engine.USE_GATE = True
    assert gated == ungated
    assert gated


def test_five_megabytes_does_not_crash() -> None:
    line = "The export job restarted at 04:10 and the backlog cleared by 04:40. "
    doc = (line * (5_000_000 // len(line))) + "You should have waited."
    findings = analyse(doc)
    assert len(findings) == 1
