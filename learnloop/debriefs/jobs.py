"""Debrief jobs, run by the worker (``tasks.registry``)."""

from __future__ import annotations

import datetime as dt

from learnloop.debriefs.nudges import send_nudges
from learnloop.tasks.registry import job


@job("debriefs.send_nudges", every=dt.timedelta(hours=1))
def send_debrief_nudges() -> None:
    """Remind the people on quiet active deliverables (once per quiet stretch)."""
    send_nudges()
