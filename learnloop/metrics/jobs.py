"""Metrics jobs, run by the worker (``tasks.registry``)."""

from __future__ import annotations

import datetime as dt

from learnloop.metrics.repeats import scan_all
from learnloop.tasks.registry import job


@job("metrics.repeat_scan", every=dt.timedelta(days=1))
def repeat_scan() -> None:
    """Compare the incidents reported before today with the earlier ones (repeat incidents)."""
    scan_all()
