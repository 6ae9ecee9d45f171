"""The events an endpoint can subscribe to, with what each says (docs/integrations.md lists
their payloads). Names are ``<thing>.<what happened>``; the ``data`` of every message is the
payload its app builds (``<app>/events.py``)."""

from __future__ import annotations

# Emitted today.
EVENTS: dict[str, str] = {
    "incident.reported": "An incident is reported (anonymous reports: the next day, in a batch)",
    "review.published": "A review is published",
    "action.assigned": "An action gets an owner",
    "action.overdue": "An action is overdue (once, the day after its due date)",
    "action.done": "An action is done",
    "lesson.created": "A lesson is added",
    "deliverable.closed": "A deliverable is closed (its debrief is done)",
    "experiment.decided": "An experiment is decided (its learning card says stop, pivot or scale)",
    "retro.closed": "A retrospective is closed",
    "survey.round_closed": "A survey round is closed (no answers, counts or scores in it)",
}

# Named and documented for the apps being built now; each app emits its event with
# ``core.events.emit`` once it lands (docs/integrations.md gives the line).
PLANNED: dict[str, str] = {}

# Sent only by "Send a test message".
TEST_EVENT = "webhook.test"


def choices() -> list[tuple[str, str]]:
    return [(name, f"{name}: {label}") for name, label in {**EVENTS, **PLANNED}.items()]
