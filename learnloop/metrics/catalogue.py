"""Every metric by key, in the order the leaders' page shows them, and the one function that
computes them for a scope — shared by the page, the exports and the API, so they agree.

Computed figures are kept ``CACHE_SECONDS`` in the per-process ``local`` cache (never the shared
one: counts that do or do not include a day's anonymous report, written to a file at a known
time, would date it; decision 0010), keyed by everything the viewer's visibility decides
(``Scope.cache_key``) and by the organisation's data version (decision 0076), so any write in
the organisation makes them out of date at once: everyone sees a write on their next view
(decision 0078). The first worker process of the server to need them computes them and leaves
them in the server's anonymous shared memory for the others (``core.shared_memory``, decision
0174). Figures past ``CACHE_SECONDS`` of the same data version and day are still shown for
``shared.STALE_SECONDS`` while one thread of the server computes them again (decision 0246): only the
clock has moved, never the data. The page shows when they were computed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.cache import caches
from django.utils import timezone

from learnloop.core import shared_memory as shared
from learnloop.metrics import culture, flow, learning, repeats
from learnloop.metrics.results import Metric
from learnloop.metrics.scope import Scope
from learnloop.web.data_version import data_version

CACHE_SECONDS = 300

CATALOGUE: dict[str, Callable[[Scope], Metric]] = {
    "time-to-detect": partial(flow.incident_time, measure="detect"),
    "time-to-acknowledge": partial(flow.incident_time, measure="acknowledge"),
    "time-to-resolve": partial(flow.incident_time, measure="resolve"),
    "resolution-to-review": flow.review_lag,
    "reviews-published": flow.reviews_published,
    "action-follow-through": flow.follow_through,
    "action-age": flow.action_age,
    "learning-yield": learning.learning_yield,
    "experiment-learning-cards": learning.experiment_learning,
    "lesson-reuse": learning.lesson_reuse,
    "repeat-incidents": repeats.repeat_incidents,
    "near-miss-share": learning.near_miss_share,
    "coach-flags": learning.coach_flags,
    "approval-lead-time": culture.approval_lead_time,
    "exploration-share": culture.exploration_share,
    "recognition-spread": culture.recognition_spread,
    "psychological-safety": culture.safety_score,
    "turn-taking": culture.turn_taking,
    "drill-reports": culture.drill_reports,
}
KEYS = list(CATALOGUE)


@dataclass
class Board:
    """Every metric of a scope, and when they were computed."""

    metrics: list[Metric]
    computed_at: dt.datetime

    def get(self, key: str) -> Metric:
        return next(m for m in self.metrics if m.key == key)

    def as_json(self) -> dict[str, Any]:
        return {
            "computed_at": self.computed_at.isoformat(),
            "metrics": [m.as_json() for m in self.metrics],
        }


def compute(scope: Scope) -> Board:
    """Every metric, computed now (no cache)."""
    return Board([CATALOGUE[key](scope) for key in KEYS], timezone.now())


def board(scope: Scope) -> Board:
    """Every metric for ``scope``, from the per-process cache when computed in the last
    ``CACHE_SECONDS`` for the same visibility and no write has been made in the organisation
    since (its data version, one indexed query); else from the server's shared memory, where
    the first worker to need them keeps them for the others (``core.shared_memory``, decision
    0174), where figures only aged by the clock are served while they are refreshed (decision
    0246); else computed now."""
    cache = caches["local"]
    key = f"{scope.cache_key()}:{data_version(scope.organisation.pk)}"
    found = cache.get(key)
    if isinstance(found, Board):
        return found
    result = shared.get_or_compute(
        key, lambda: compute(scope), max_age=CACHE_SECONDS, stale_for=shared.STALE_SECONDS
    )
    age = (timezone.now() - result.computed_at).total_seconds()
    cache.set(key, result, max(1, round(CACHE_SECONDS - age)))
    return result
