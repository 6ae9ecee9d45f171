"""Demo incidents for Crumb & Co: a year of reports from four teams, every kind, with the times
people typed (written for the demo). Reported dates follow the incident's own times, so the
list and the dashboard's months agree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from learnloop.core.anonymity import start_of_day
from learnloop.core.demo import DemoContext, step
from learnloop.core.models import Visibility
from learnloop.incidents.models import Incident, Kind
from learnloop.incidents.services import incident_create

ORG, TEAM = Visibility.ORGANISATION, Visibility.TEAM
SI, MI, NM, SE, SEC, DR = (
    Kind.SERVICE_INCIDENT,
    Kind.MISTAKE,
    Kind.NEAR_MISS,
    Kind.SETBACK,
    Kind.SECURITY_EVENT,
    Kind.DRILL,
)

# key, team, reporter, kind, severity, days ago, start "HH:MM" (UTC),
# minutes from start to detected / acknowledged / resolved (None: not known or not yet),
# title, what happened, tags, visibility.
# fmt: off
INCIDENTS: list[tuple[Any, ...]] = [
    ("oven_probe", "bakery", "malik", SI, "sev3", 326, "02:10", 25, 30, 140,
     "Deck oven 2 ran 20 °C cold for a whole bake",
     "The temperature probe drifted; the display looked right while the loaves came out pale. "
     "We noticed at the first cut and rebaked 60 sourdoughs.",
     ["ovens", "sensors"], ORG),
    ("menu_price", "platform", "ines", MI, "sev4", 318, "15:40", 90, 95, 120,
     "Seasonal menu went live with last year's prices",
     "The price sheet imported for the autumn menu was the previous year's file with the same "
     "name. Cafés saw the old prices for two hours.",
     ["menu", "imports"], ORG),
    ("cert_expiry", "platform", "jonas", SI, "sev2", 321, "06:02", 8, 12, 55,
     "Ordering site certificate expired at 6 a.m.",
     "Browsers refused the ordering site for 55 minutes. The renewal reminder went to the "
     "mailbox of a colleague who had moved to another team.",
     ["certificates", "expiry", "ownership"], ORG),
    ("van_battery", "delivery", "oskar", SE, "sev3", 305, "04:45", 5, 10, 80,
     "Electric van would not start on the coldest morning",
     "Van 3 had been left unplugged overnight at −6 °C. Its round went out 80 minutes late "
     "in a borrowed car with half the crates.",
     ["vans", "charging", "cold weather"], ORG),
    ("phishing", "support", "hana", SEC, "sev3", 290, "10:20", 15, 20, 75,
     "Fake supplier invoice asked Customer Care to change bank details",
     "An email that looked like our flour mill's asked us to pay to a new account. Hana "
     "phoned the mill on the number we already had; nothing was paid.",
     ["phishing", "payments"], ORG),
    ("fire_drill", "bakery", "sofia", DR, "", 276, "03:00", 0, 2, 14,
     "Night-shift evacuation drill with the ovens running",
     "We practised leaving the floor at 3 a.m. Everyone was out in 6 minutes; nobody knew "
     "who turns off the gas main.",
     ["safety", "drill"], ORG),
    ("route_marathon", "delivery", "tomas", SE, "sev3", 262, "05:30", 25, 30, 95,
     "Morning round reached three cafés after opening",
     "A road closure for the city marathon was not in the route plan; the van turned back "
     "twice before finding a way round.",
     ["routes", "planning"], ORG),
    ("refund_twice", "support", "lena", MI, "sev4", 247, "13:05", 1440, 1445, 1500,
     "Refund sent twice to one customer",
     "The refund button gave no sign that it had worked, so it was pressed again a minute "
     "later. Found the next day at reconciliation.",
     ["refunds"], ORG),
    ("checkout", "platform", "priya", SI, "sev2", 233, "09:10", 6, 9, 40,
     "Checkout timed out for 40 minutes during the morning rush",
     "Online orders failed with timeouts from 09:10. The payment provider was slow, and every "
     "checkout retried five times at once, so our own servers saturated.",
     ["payments", "retries"], ORG),
    ("cold_room", "bakery", "ben", NM, "sev3", 219, "23:40", 20, 25, 45,
     "Cold-room door left ajar overnight, caught by the new alarm",
     "The door did not latch after the last trolley went in. The alarm fitted last month "
     "woke the night lead after 20 minutes; the dough was still below 5 °C.",
     ["cold room", "alarms"], ORG),
    ("status_silence", "support", "keiko", SE, "sev3", 204, "08:00", 10, 15, 120,
     "Cafés phoned one by one during the app outage",
     "For two hours every café rang Customer Care to ask whether the app was down. We had "
     "no status note, so each call took five minutes.",
     ["communication", "status page"], ORG),
    ("label_printer", "delivery", "keiko", MI, "sev3", 190, "04:10", 35, 40, 70,
     "Crate labels printed with the previous day's date",
     "The label printer's date was set by hand after a power cut and was one day behind.",
     ["labels", "printing"], TEAM),
    ("db_disk", "platform", "jonas", SI, "sev2", 176, "01:15", 3, 7, 65,
     "Order database disk filled with old logs",
     "Log rotation had been switched off during a migration and never switched back on. "
     "New orders could not be saved for an hour in the night.",
     ["database", "disk", "logging"], ORG),
    ("allergen_tray", "delivery", "keiko", NM, "sev2", 161, "05:05", 2, 4, 12,
     "Nut-free tray loaded next to the walnut loaves",
     "Spotted at loading; the trays look alike and the shelf labels had faded.",
     ["allergens", "labels"], ORG),
    ("laptop_lost", "support", "hana", SEC, "sev3", 147, "18:30", 60, 70, 180,
     "Laptop left on a train",
     "The disk was encrypted and the laptop was locked remotely within three hours. The "
     "checklist for lost devices was out of date.",
     ["devices", "security"], ORG),
    ("flour_order", "bakery", "malik", MI, "sev3", 133, "14:00", 900, 905, 1300,
     "Rye flour ordered in kilos instead of sacks",
     "The new supplier form counted in kilos; we received 25 kg instead of 25 sacks and "
     "baked half the rye loaves for two days.",
     ["ordering", "suppliers"], ORG),
    ("restore_drill", "platform", "ines", DR, "", 119, "10:00", 0, 5, 95,
     "Restore drill: the order database from last night's backup",
     "We restored the backup to a spare server. It worked, but took 95 minutes against the "
     "30 we had promised the cafés.",
     ["backups", "drill", "database"], ORG),
    ("sms_delay", "platform", "priya", SI, "sev3", 104, "06:20", 30, 35, 150,
     "Delivery text messages arrived hours late",
     "The text-message provider queued our messages during their maintenance window; cafés "
     "did not know the van was at the door.",
     ["notifications", "providers"], ORG),
    ("proving", "bakery", "sofia", SE, "sev3", 90, "01:30", 45, 50, 240,
     "Croissant dough over-proved after the new proofer schedule",
     "The proofer's new timer kept the evening schedule after the clocks changed. Two racks "
     "were too soft to laminate.",
     ["proving", "schedules", "time zones"], ORG),
    ("van_keys", "delivery", "oskar", NM, "sev4", 76, "04:30", None, None, None,
     "Van keys left in the ignition in the yard",
     "Noticed by the next driver; nothing happened. The key box is on the other side of the "
     "yard from the charging points.",
     ["vans", "yard"], TEAM),
    ("password_reuse", "platform", "amara", SEC, "sev2", 62, "11:00", 30, 40, 200,
     "Supplier portal account used a password found in a leak",
     "A leak-monitoring alert matched the supplier portal's shared account. We changed it, "
     "turned on two-step sign-in and found no unusual orders.",
     ["passwords", "accounts"], ORG),
    ("outage_drill", "support", "lena", DR, "", 48, "14:00", 0, 3, 45,
     "Drill: tell every café about an outage within ten minutes",
     "We rehearsed the status note and the café call list. The note went out in 7 minutes; "
     "the call list had four wrong numbers.",
     ["communication", "drill"], ORG),
    ("checkout_again", "platform", "ines", SI, "sev3", 34, "09:40", 4, 6, 18,
     "Payment provider slowdown, contained by the retry budget",
     "The provider slowed down again at a busy hour. The retry budget held, checkout slowed "
     "but never failed, and the status panel showed the cause at once.",
     ["payments", "retries"], ORG),
    ("route_roadworks", "delivery", "tomas", SE, "sev4", 27, "05:15", 10, 15, 35,
     "Bridge roadworks delayed the river-side round",
     "The evening check caught the closure, but the detour was longer than planned.",
     ["routes", "planning"], ORG),
    ("double_charge", "platform", "priya", SI, "sev2", 20, "12:05", 25, 30, 130,
     "Some customers were charged twice for one order",
     "A timeout between us and the payment provider made the app submit again. 43 customers "
     "were charged twice; all were refunded the same day.",
     ["payments", "retries", "refunds"], ORG),
    ("mixer_guard", "bakery", "ben", NM, "sev2", 13, "02:40", 1, 2, 10,
     "Spiral mixer started with the guard half open",
     "The interlock switch was worn and let the mixer run with the guard up. Nobody was hurt; "
     "the mixer is out of use until the switch is replaced.",
     ["machines", "safety"], ORG),
    ("chat_widget", "support", "hana", MI, "sev4", 8, "16:10", 20, 25, 40,
     "Chat widget showed the Christmas opening hours in spring",
     "An old message in the chat widget's saved replies was still scheduled.",
     ["chat", "content"], TEAM),
    ("cake_order", "support", "keiko", SE, "sev3", 3, "09:00", 60, 70, 300,
     "Wedding cake order missed its bake",
     "The order came in by email while the shared inbox rule was broken and reached the "
     "bakery a day late; the couple got their cake two hours before the wedding.",
     ["orders", "email"], ORG),
    ("tablet_sync", "delivery", "oskar", SI, "sev3", 1, "04:20", 15, 20, None,
     "Drivers' tablets stopped syncing the morning round",
     "From 04:20 the tablets showed yesterday's stops. Drivers used the paper list; the sync "
     "is still being looked at.",
     ["tablets", "sync"], ORG),
]
# fmt: on

# Filed anonymously through the product's own path (incident_create(anonymous=True)).
ANONYMOUS = (
    "bakery",
    "ben",
    NM,
    "sev3",
    41,
    "Flour dust from the sieving station is not extracted on the night shift",
    "The extraction fan is switched off at night to save noise for the neighbours. By 4 a.m. "
    "there is a haze over the sieving station and people's eyes water. I did not want to "
    "raise it by name.",
    ["safety", "air"],
)


def _hhmm(value: str) -> tuple[int, int]:
    hour, minute = value.split(":")
    return int(hour), int(minute)


def _after(start: dt.datetime | None, minutes: int | None) -> dt.datetime | None:
    return None if start is None or minutes is None else start + dt.timedelta(minutes=minutes)


@step(20)
def incidents(ctx: DemoContext) -> None:
    created: dict[str, Incident] = {}
    for row in INCIDENTS:
        key, team, who, kind, sev, days, start, det, ack, res, title, text, tags, vis = row
        hour, minute = _hhmm(start)
        started = ctx.at(days, hour, minute) if det is not None else None
        incident = incident_create(
            actor=ctx.users[who],
            team=ctx.teams[team],
            title=title,
            description=text,
            kind=kind,
            severity=sev,
            tags=tags,
            started_at=started,
            detected_at=_after(started, det),
            acknowledged_at=_after(started, ack),
            resolved_at=_after(started, res),
            visibility=vis,
        )
        # Reported when the response settled down: after resolution, or soon after detection.
        reported = _after(started, (res if res is not None else det) + 25) if started else None
        reported = reported or ctx.at(days, hour, minute + 15)
        Incident.objects.filter(pk=incident.pk).update(created_at=reported, updated_at=reported)
        incident.created_at = incident.updated_at = reported
        created[key] = incident
    team, who, kind, sev, days, title, text, tags = ANONYMOUS
    anonymous = incident_create(
        actor=ctx.users[who],
        team=ctx.teams[team],
        title=title,
        description=text,
        kind=kind,
        severity=sev,
        tags=tags,
        visibility=ORG,
        anonymous=True,
    )
    # Move it into the past as the product stores it: a date only (midnight UTC), no reporter.
    day = start_of_day(ctx.at(days, 12))
    Incident.objects.filter(pk=anonymous.pk).update(created_at=day, updated_at=day)
    created["anonymous"] = anonymous
    ctx.extra["incidents"] = created
