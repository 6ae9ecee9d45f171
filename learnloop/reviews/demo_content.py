"""What the demo's reviews say (written for the demo; see reviews/demo.py for how they are made).

Each review: the incident it is about, who leads it, its template and state, when it was
started and published (days after the incident was reported), participants, its content by
section key, next steps as ``(title, owner, kind, due: days after publishing, outcome)``, and
which learnings became lessons. Outcomes: ``on_time`` / ``late`` (done before / after the due
date), ``overdue`` (not done, due date passed), ``open`` / ``in_progress`` (due later).
"""

from __future__ import annotations

from typing import Any


def factors(*rows: tuple[str, str]) -> list[dict[str, str]]:
    return [{"category": c, "description": d} for c, d in rows]


def items(*texts: str) -> list[dict[str, str]]:
    return [{"text": t} for t in texts]


PUBLISHED: list[dict[str, Any]] = [
    {
        "incident": "cert_expiry",
        "lead": "jonas",
        "with": ["amara", "ines"],
        "started": 1,
        "published": 4,
        "content": {
            "summary": "The ordering site's certificate expired at 06:00; browsers refused "
            "the site until a new one was issued 55 minutes later.",
            "impact": "No online orders for 55 minutes on a weekday morning; cafés phoned in "
            "31 orders.",
            "contributing_factors": factors(
                ("process", "Renewal reminders went to one named mailbox."),
                (
                    "organisation",
                    "The mailbox's owner had moved team; nobody took over the renewals.",
                ),
                ("technology", "Nothing checked the certificate's expiry date from outside."),
            ),
            "went_well": items("The on-call had a runbook for issuing a certificate by hand."),
            "difficult": items("The error page browsers showed told cafés nothing useful."),
            "lucky": items("It expired at 06:00, before the busiest ordering hour."),
            "learnings": items(
                "Reminders for renewals reach whoever is on the rota only if they go to a "
                "shared calendar, not to one person's inbox.",
                "An expiry date we can read from outside is one we can alert on a month ahead.",
            ),
        },
        "steps": [
            ("Move all renewal reminders to the team calendar", "jonas", "process", 14, "on_time"),
            ("Alert 30 days before any certificate expires", "ines", "detect", 21, "on_time"),
        ],
        "lessons": [0, 1],
    },
    {
        "incident": "van_battery",
        "lead": "tomas",
        "with": ["oskar", "sofia"],
        "started": 2,
        "published": 6,
        "content": {
            "summary": "Van 3 would not start at 04:45 after a night unplugged at −6 °C.",
            "impact": "The north round left 80 minutes late with half its crates; four cafés "
            "opened without bread.",
            "contributing_factors": factors(
                ("environment", "The coldest night of the winter drains a battery twice as fast."),
                ("technology", "The charger gives no sign that a cable is not seated."),
                ("process", "The evening checklist did not mention charging."),
            ),
            "went_well": items("A driver offered his own car within ten minutes."),
            "difficult": items("Nobody knew which cafés could wait and which could not."),
            "lucky": items("It happened on the quietest morning of the week."),
            "learnings": items(
                "A charging cable that can look plugged in needs a check someone can see "
                "from the yard door.",
                "Knowing which cafés open first lets a late round choose its order.",
            ),
        },
        "steps": [
            ("Add a charge check to the evening yard checklist", "oskar", "process", 7, "late"),
            ("Fit charge lights visible from the yard door", "tomas", "prevent", 30, "late"),
        ],
        "lessons": [0],
    },
    {
        "incident": "checkout",
        "lead": "amara",
        "with": ["priya", "jonas"],
        "started": 1,
        "published": 3,
        "content": {
            "summary": "Payment provider latency plus unbounded retries saturated checkout "
            "for 40 minutes.",
            "impact": "About 320 orders failed or were delayed; cafés phoned in 45 orders by hand.",
            "contributing_factors": factors(
                ("technology", "Retries had no budget and no jitter."),
                ("knowledge", "The provider's status page was not on our dashboard."),
                ("environment", "Morning rush: three times normal traffic."),
            ),
            "went_well": items("Cafés switched to phone orders within ten minutes."),
            "difficult": items("Timeouts looked like our bug, not the provider's slowness."),
            "lucky": items("It happened after the 7 a.m. delivery cut-off."),
            "learnings": items(
                "A retry without a budget turns a slow dependency into our own outage.",
                "Dependency status belongs on the same screen as our own alerts.",
            ),
        },
        "steps": [
            (
                "Add a retry budget with jitter to the payment client",
                "priya",
                "prevent",
                10,
                "on_time",
            ),
            (
                "Show the payment provider's status on the on-call dashboard",
                "amara",
                "detect",
                14,
                "late",
            ),
        ],
        "lessons": [0, 1],
    },
    {
        "incident": "status_silence",
        "lead": "lena",
        "with": ["keiko", "hana"],
        "started": 1,
        "published": 5,
        "content": {
            "summary": "During a two-hour app outage every café phoned Customer Care to ask "
            "what was going on.",
            "impact": "About 90 calls in two hours; urgent calls waited up to 20 minutes.",
            "contributing_factors": factors(
                ("communication", "We had no agreed place to post a status note."),
                ("process", "Nobody was named to write one during an outage."),
            ),
            "went_well": items("Keiko started a shared note of what each café had been told."),
            "difficult": items("We could not tell cafés when the app would be back."),
            "lucky": items("The outage ended before the afternoon orders."),
            "learnings": items(
                "A status note within ten minutes answers most calls before they are made, "
                "even if it only says we are looking.",
                "Whoever takes the first outage call writes the note; naming the role ahead "
                "saves the first ten minutes.",
            ),
        },
        "steps": [
            ("Set up a status page linked from the café app", "lena", "mitigate", 21, "on_time"),
            ("Write the first-call checklist for outages", "hana", "process", 14, "on_time"),
        ],
        "lessons": [0],
    },
    {
        "incident": "db_disk",
        "lead": "jonas",
        "with": ["priya"],
        "started": 1,
        "published": 4,
        "content": {
            "summary": "The order database's disk filled with logs at 01:15; new orders failed "
            "for an hour.",
            "impact": "Night orders from 38 cafés failed and had to be re-entered at 06:00.",
            "contributing_factors": factors(
                (
                    "process",
                    "Log rotation was switched off for a migration with no reminder to "
                    "switch it back.",
                ),
                ("technology", "The disk alert fired at 95%, minutes before it was full."),
            ),
            "went_well": items("The on-call freed space in 20 minutes once paged."),
            "difficult": items("The error cafés saw said 'try again later' for an hour."),
            "lucky": items("Night orders are few; a daytime failure would have been far worse."),
            "learnings": items(
                "A setting switched off for a migration needs a dated task to switch it back.",
                "Alert on how fast a disk fills, not only on how full it is.",
            ),
        },
        "steps": [
            ("Alert on disk growth rate for the order database", "priya", "detect", 14, "on_time"),
            (
                "Add 'restore temporary settings' to the migration checklist",
                "jonas",
                "process",
                30,
                "overdue",
            ),
        ],
        "lessons": [1],
    },
    {
        "incident": "allergen_tray",
        "template": "24-hour-learning-review",
        "lead": "sofia",
        "with": ["keiko", "tomas"],
        "started": 1,
        "published": 3,
        "content": {
            "what_happened": "At loading, Keiko noticed the nut-free tray on the rack next to "
            "the walnut loaves. The two trays are the same colour and the shelf labels had "
            "faded; nothing had left the bakery.",
            "learnings": items(
                "Trays that must never be confused should differ by colour, not only by label.",
                "Faded shelf labels are a hazard on the allergen racks and need a replacement date.",
                "A check at loading catches what the rack layout lets through; it is our last "
                "safeguard, not our first.",
            ),
        },
        "steps": [
            ("Buy green trays for every allergen-free product", "tomas", "prevent", 14, "on_time"),
            (
                "Replace shelf labels on the allergen racks every quarter",
                "keiko",
                "process",
                90,
                "overdue",
            ),
        ],
        "lessons": [0],
    },
    {
        "incident": "restore_drill",
        "template": "after-action-review",
        "lead": "ines",
        "with": ["jonas", "amara"],
        "started": 0,
        "published": 2,
        "content": {
            "intended": "Restore last night's order database backup to a spare server within "
            "30 minutes, as promised to the cafés.",
            "actual": "The restore worked but took 95 minutes: 60 of them copying the backup "
            "across regions.",
            "difference": "The backups are kept in another region for safety, and nobody had "
            "timed the copy since the database tripled in size.",
            "keep": items("The written restore steps were correct and easy to follow."),
            "change": items("Time the restore every quarter, not once a year."),
            "learnings": items(
                "A restore time we have not measured this quarter is a guess.",
                "Where a backup lives decides how fast it comes back.",
            ),
        },
        "steps": [
            (
                "Keep a recent copy of the backup in the main region",
                "jonas",
                "mitigate",
                30,
                "on_time",
            ),
            ("Run the restore drill every quarter", "ines", "process", 120, "in_progress"),
        ],
        "lessons": [0],
    },
    {
        "incident": "proving",
        "lead": "malik",
        "with": ["sofia", "ben"],
        "started": 1,
        "published": 4,
        "content": {
            "summary": "After the clocks changed, the proofer kept the old schedule and two "
            "racks of croissant dough over-proved.",
            "impact": "Two racks (about 300 croissants) could not be laminated; cafés received "
            "pains au chocolat instead.",
            "contributing_factors": factors(
                (
                    "technology",
                    "The proofer's timer runs on its own clock with no daylight saving.",
                ),
                ("knowledge", "Nobody on the night shift knew the timer had its own clock."),
            ),
            "went_well": items("Sofia offered cafés a substitute before their first customer."),
            "difficult": items("The dough looked fine until it was rolled."),
            "lucky": items("The third rack went in late and was saved."),
            "learnings": items(
                "Machines with their own clocks need a check on the morning after the clocks change.",
            ),
        },
        "steps": [
            (
                "Add clock checks for all timers to the daylight-saving checklist",
                "malik",
                "process",
                14,
                "on_time",
            ),
        ],
        "lessons": [0],
    },
    {
        "incident": "password_reuse",
        "lead": "amara",
        "with": ["jonas"],
        "started": 1,
        "published": 3,
        "content": {
            "summary": "A leak-monitoring alert matched the supplier portal's shared password.",
            "impact": "No unusual orders were found; the portal was unavailable to us for 3 hours "
            "while we changed the account.",
            "contributing_factors": factors(
                (
                    "process",
                    "One shared account for five people made changing its password a chore.",
                ),
                ("external", "The portal only recently offered two-step sign-in."),
            ),
            "went_well": items("The alert came in during office hours and named the service."),
            "difficult": items("We had to phone the supplier to find out who had access."),
            "lucky": items("The leaked password was not used before we changed it."),
            "learnings": items(
                "A shared account is a password nobody feels able to change.",
            ),
        },
        "steps": [
            (
                "Give each buyer their own supplier portal account",
                "amara",
                "prevent",
                21,
                "on_time",
            ),
            ("List every shared account and its owner", "jonas", "process", 30, "late"),
        ],
        "lessons": [0],
    },
    {
        "incident": "double_charge",
        "lead": "priya",
        "with": ["amara", "ines"],
        "started": 1,
        "published": 4,
        "content": {
            "summary": "A timeout between us and the payment provider made the app resubmit "
            "43 payments; those customers were charged twice.",
            "impact": "43 customers charged twice for a few hours; all refunded the same day.",
            "contributing_factors": factors(
                (
                    "technology",
                    "Payment requests carried no idempotency key, so a repeat looked new.",
                ),
                ("external", "The provider answered slowly but did take the first payment."),
            ),
            "went_well": items("Customer Care had the refund list within an hour."),
            "difficult": items(
                "The provider's report listed the charges without our order numbers."
            ),
            "lucky": items("The retry budget stopped it at 43 rather than hundreds."),
            "learnings": items(
                "A repeat of a payment request must carry the same key as the first, or the "
                "provider cannot tell it is a repeat.",
            ),
        },
        "steps": [
            (
                "Send an idempotency key with every payment request",
                "priya",
                "prevent",
                10,
                "in_progress",
            ),
            ("Add our order number to every payment", "ines", "detect", 20, "open"),
        ],
        "lessons": [0],
    },
]

IN_REVIEW: dict[str, Any] = {
    "incident": "mixer_guard",
    "lead": "sofia",
    "with": ["malik", "ben"],
    "started": 1,
    "content": {
        "summary": "The spiral mixer ran with its guard half open because the interlock switch "
        "was worn.",
        "impact": "Nobody was hurt. The mixer is out of use; we mix on the small one until the "
        "switch is replaced.",
        "contributing_factors": factors(
            ("technology", "The interlock switch had no service interval."),
            ("environment", "Flour dust wears the switch faster than the maker expected."),
        ),
        "went_well": items("Ben stopped the mixer and told the shift lead at once."),
        "learnings": items(
            "Safety switches in floury air need the same service dates as the motors.",
        ),
    },
    "steps": [
        ("Replace the interlock switch on both mixers", "malik", "prevent", 7, "open"),
    ],
}

# Draft with blameful sentences the coach marks (the hints stay open for the demo).
WITH_HINTS: dict[str, Any] = {
    "incident": "cake_order",
    "lead": "lena",
    "with": ["keiko", "hana"],
    "started": 1,
    "content": {
        "summary": "A wedding cake order sent by email reached the bakery a day late because "
        "the shared inbox rule was broken. Keiko should have checked the inbox rule before "
        "going home.",
        "impact": "The cake was baked the next morning and delivered two hours before the wedding.",
        "contributing_factors": factors(
            ("technology", "The inbox rule broke when the mail provider renamed a folder."),
            ("process", "Why didn't anyone notice the folder was empty for a day?"),
        ),
    },
}

# Started today for yesterday's incident with the 24-hour template: cooling off.
COOLING_OFF: dict[str, Any] = {"incident": "tablet_sync", "lead": "tomas", "with": ["oskar"]}

# Draft, nothing written yet beyond the summary.
DRAFT: dict[str, Any] = {
    "incident": "chat_widget",
    "lead": "hana",
    "with": ["lena"],
    "started": 1,
    "content": {"summary": "An old seasonal reply in the chat widget was still scheduled."},
}
