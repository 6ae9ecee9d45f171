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
    ("Our billing clerk is hopelessly disorganised and it shows in every reconciliation.", True, True),
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
    ("Had the technician torqued the bolts to spec, the housing would not have cracked.", True, True),
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
    ("Going forward, the on-call engineer will lose the on-call bonus for any missed page.", True, True),
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
    ("Several students missed the deadline because the portal timed out during upload.", False, False),
    (
        "The runbook still describes the old failover procedure, which is confusing for new staff.",
        False,
        False,
    ),
    ("Blame-free reviews helped the ward report twice as many near misses this quarter.", False, True),
    (
        "The supplier's shipment failed inspection because the humidity logger was missing.",
        False,
        True,
    ),
]
