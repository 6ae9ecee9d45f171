"""The shipped after-action review template (the U.S. Army's four questions, as game days and
tabletop exercises use them) and the safe-practice message every drill page shows."""

from __future__ import annotations

AFTER_ACTION_TEMPLATE: list[dict[str, str]] = [
    {"key": "expected", "label": "What was supposed to happen?"},
    {"key": "actual", "label": "What actually happened?"},
    {"key": "difference", "label": "Why was there a difference?"},
    {"key": "sustain", "label": "What went well and should stay?"},
    {"key": "improve", "label": "What will we change next time?"},
]
AAR_KEYS = [p["key"] for p in AFTER_ACTION_TEMPLATE]

SAFE_PRACTICE = (
    "A drill is practice. A mistake made in a test is a learning for all of us, not a record "
    "about anyone: results are kept as team counts only, never names. Reporting something "
    "suspicious quickly — even after clicking — is exactly what we hope for, and is thanked."
)
