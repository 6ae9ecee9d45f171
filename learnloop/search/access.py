"""The visibility rule as an SQL condition on the index (no Django imports, so benchmarks use it).

Mirrors ``learnloop.accounts.visibility.visible_q``: same organisation, and either one of the
user's teams or organisation-visible. ``d`` is the ``search_document`` alias used by the core.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from learnloop.search.index import placeholder

ORGANISATION = "organisation"  # learnloop.core.models.Visibility.ORGANISATION


def visibility_sql(
    vendor: str, organisation_id: int | None, team_ids: Sequence[int]
) -> tuple[str, list[Any]]:
    if organisation_id is None:
        return "1 = 0", []
    p = placeholder(vendor)
    same_org = f"d.team_id IN (SELECT t.id FROM accounts_team t WHERE t.organisation_id = {p})"
    params: list[Any] = [int(organisation_id), ORGANISATION]
    allowed = f"d.visibility = {p}"
    mine = [int(t) for t in team_ids]
    if mine:
        allowed = f"({allowed} OR d.team_id IN ({', '.join([p] * len(mine))}))"
        params.extend(mine)
    return f"{same_org} AND {allowed}", params
