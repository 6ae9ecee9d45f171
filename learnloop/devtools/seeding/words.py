"""Word lists and weights the seed draws its text and mix from (no corpus text)."""

from __future__ import annotations

FIRST_NAMES = [
    "Amara", "Ben", "Chidi", "Dana", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemi",
    "Lars", "Maya", "Nikhil", "Olga", "Priya", "Quentin", "Rosa", "Sami", "Tariq", "Uma",
    "Viktor", "Wen", "Ximena", "Yusuf", "Zofia", "Aleksander", "Bea", "Carlos", "Dilnoza",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Schmidt", "Tanaka", "Moreau", "Kowalski", "Haddad", "Lindqvist", "Mensah",
    "Novak", "Pereira", "Quist", "Rahman", "Silva", "Takahashi", "Usman", "Varga", "Weber",
    "Yilmaz", "Zhou", "Andersen", "Barros", "Costa", "Dubois", "Eriksen", "Fischer",
]  # fmt: skip
TEAM_AREAS = [
    "Payments", "Checkout", "Search", "Identity", "Platform", "Data", "Mobile", "Web", "Billing",
    "Logistics", "Warehouse", "Support", "Security", "Growth", "Catalogue", "Messaging",
    "Observability", "Networking", "Storage", "Release", "Partners", "Finance", "People",
    "Pricing", "Recommendations", "Onboarding", "Fraud", "Reporting", "Kitchen", "Delivery",
]  # fmt: skip
TEAM_SUFFIXES = ["", " Core", " Infra", " Apps", " Ops"]
COMPONENTS = [
    "payment gateway", "checkout service", "search cluster", "login service", "job queue",
    "primary database", "read replica", "cache layer", "load balancer", "DNS zone",
    "certificate store", "build pipeline", "deploy tool", "feature flag service", "CDN edge",
    "message broker", "billing export", "mobile API", "warehouse scanner app", "route planner",
    "email sender", "SMS provider", "object storage", "metrics pipeline", "alerting rules",
    "VPN gateway", "config repository", "backup job", "data warehouse", "order service",
]  # fmt: skip
FAILURES = [
    ("expired", "an expired certificate"),
    ("filled up", "a full disk"),
    ("timed out", "timeouts under load"),
    ("ran out of connections", "connection pool exhaustion"),
    ("served stale data", "a stale cache"),
    ("dropped messages", "a retry storm"),
    ("rejected requests", "a rate limit set too low"),
    ("deployed a bad config", "configuration drift between environments"),
    ("lost its leader", "a failed leader election"),
    ("slowed down", "a missing index on a growing table"),
    ("double-charged customers", "a non-idempotent retry"),
    ("stopped sending alerts", "an alert routed to an unused channel"),
    ("failed over too late", "a health check that never failed"),
    ("ran a migration that locked a table", "a long-running migration"),
    ("exposed a debug page", "a default setting left on"),
]  # fmt: skip
CONDITIONS = [
    "during the Friday peak", "after the weekly release", "while on-call was handing over",
    "during a planned maintenance", "after a dependency upgrade", "at the start of the month",
    "during a traffic spike from a campaign", "overnight", "while a migration was running",
    "right after a region failover",
]  # fmt: skip
DETECTIONS = [
    "A customer reported it through support.", "An alert fired on error rate.",
    "A colleague noticed it on the dashboard.", "A synthetic check failed.",
    "The nightly report showed the gap.", "A partner called the hotline.",
]  # fmt: skip
IMPACTS = [
    "About {n} customers could not complete their orders for {m} minutes.",
    "{n} requests failed over {m} minutes; no data was lost.",
    "Reports were late by {m} minutes for {n} teams.",
    "{n} orders were delayed; the team contacted every affected customer.",
]  # fmt: skip
HELPED = [
    "The runbook for the {c} was up to date.", "Rollback took one command.",
    "Several people joined the call within minutes.", "The dashboard showed the spike clearly.",
    "Support had a ready-made message for customers.",
]  # fmt: skip
DIFFICULT = [
    "The alert did not say which {c} was affected.", "Logs for the {c} were sampled too much.",
    "Two changes went out at the same time.", "Nobody knew who owned the {c}.",
    "The status page needed manual updates.",
]  # fmt: skip
LEARNINGS = [
    "Alerts on the {c} should name the affected dependency, not just the symptom.",
    "{f} gives no warning until it fails, so we need a check ahead of time.",
    "Rolling out to one region first would have limited the impact to a fraction of users.",
    "Our runbooks assumed the {c} fails loudly; it can fail quietly.",
    "Handovers are when context gets lost; a short written note helps.",
    "Load tests of the {c} did not include the retry traffic we saw.",
    "Ownership of the {c} was unclear, so fixes waited.",
    "Timeouts should be shorter than the caller's timeout, or retries pile up.",
]  # fmt: skip
ACTION_VERBS = [
    "Add an alert for", "Document the failover of", "Automate the renewal for",
    "Add a load test for", "Set an owner for", "Add a dashboard panel for",
    "Shorten the timeouts of", "Add a canary stage for", "Write a runbook for",
    "Remove the manual step from",
]  # fmt: skip
COMMENTS = [
    "Thanks for writing this up so quickly.", "I added the graph from the dashboard.",
    "Should we invite the {c} owners to the review?", "The timeline matches what I saw.",
    "Good catch on the handover; that happened to us last month too.",
    "I can take the action about the {c}.",
]  # fmt: skip
TAGS = [
    "customer-facing", "data", "security", "release", "on-call", "capacity", "dependency",
    "config", "monitoring", "database", "network", "third-party", "mobile", "payments",
    "compliance", "cost", "migration", "performance", "availability", "process",
]  # fmt: skip
TIMELINE_STEPS = [
    "Alert fired for the {c}.", "On-call acknowledged and opened a channel.",
    "Rolled back the last change to the {c}.", "Error rate returned to normal.",
    "Identified {f} as the trigger.", "Posted an update on the status page.",
    "Customer support informed.", "Scaled the {c} up.",
]  # fmt: skip
FACTOR_TEXT = {
    "technology": "The {c} had no protection against {f}.",
    "process": "The release checklist did not cover the {c}.",
    "communication": "The alert went to a channel nobody watched at that hour.",
    "knowledge": "Only one person knew how the {c} fails over.",
    "environment": "The team was handling three other pages at the time.",
    "organisation": "Work on the {c} was deprioritised twice this quarter.",
    "external": "The provider behind the {c} changed a default without notice.",
}
KIND_WEIGHTS = [
    ("service_incident", 55), ("mistake", 12), ("near_miss", 14), ("setback", 8),
    ("security_event", 6), ("drill", 5),
]  # fmt: skip
SEVERITY_WEIGHTS = [("sev1", 4), ("sev2", 16), ("sev3", 45), ("sev4", 30), ("", 5)]
