"""Small statistics shared by several apps (no domain names here)."""

from __future__ import annotations

from collections.abc import Sequence


def gini(values: Sequence[float]) -> float | None:
    """Gini coefficient of ``values`` (0 = evenly spread, towards 1 = concentrated on few);
    None when there is nothing to spread.

    G = sum over all pairs (i, j) of |x_i - x_j|, divided by 2 * n^2 * mean; computed from the
    sorted values as sum((2i - n - 1) * x_(i)) / (n * sum(x)), i = 1..n. Rounded to 3 places."""
    n = len(values)
    total = sum(values)
    if n == 0 or total == 0:
        return None
    ordered = sorted(values)
    weighted = sum((2 * (i + 1) - n - 1) * x for i, x in enumerate(ordered))
    return round(weighted / (n * total), 3)
