"""Capped pagination counts, shared by the web lists and the API (docs/decisions/0072-*.md).

A ``COUNT(*)`` over every visible row grows with the data (25–70 ms per list request at a
million rows) although nobody reads past a few pages. So lists count at most ``limit + 1``
rows through a sliced subquery (``SELECT COUNT(*) FROM (SELECT id ... LIMIT n)``) and say
"1,000+" when there are more. The limit is ``COUNT_CAP`` or, for a deep page, the rows up to
that page, so "Next" keeps working past the cap. Below the cap the count is exact.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from learnloop.core.validation import MAX_PAGE, parse_page

#: Count exactly up to this many rows; beyond it, show "1,000+".
COUNT_CAP = 1000


def count_limit(*, page: int, page_size: int, cap: int | None = None) -> int:
    """The most rows worth counting for ``page``: the cap, or every row up to that page."""
    return max(COUNT_CAP if cap is None else cap, min(max(page, 1), MAX_PAGE) * page_size)


def capped_count(object_list: Any, limit: int) -> tuple[int, bool]:
    """``(count, capped)``: the exact count when at most ``limit``, else ``(limit, True)``.

    Querysets count ``limit + 1`` primary keys in a sliced subquery (ordering dropped: it
    cannot change a count); other objects with a ``count()`` keep their own exact count; lists
    use ``len``."""
    if isinstance(object_list, QuerySet):
        n = object_list.order_by().values("pk")[: limit + 1].count()
    elif callable(getattr(object_list, "count", None)) and not isinstance(
        object_list, list | tuple
    ):
        return object_list.count(), False  # a custom sliceable: its own (exact) count
    else:
        n = len(object_list)
    return (limit, True) if n > limit else (n, False)


class CappedPaginator(Paginator):
    """Django's Paginator with a capped count. ``count_capped`` says the count is a floor;
    ``count_label`` ("1,000+") and ``num_pages_label`` ("40+") are for templates. When
    capped, one more page than the counted rows fill is allowed, so "Next" stays available."""

    def __init__(
        self, object_list: Any, per_page: int, *, cap: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self._limit = self.cap
        self.count_capped = False

    def get_page(self, number: Any) -> Page:
        wanted = parse_page(number)
        self._limit = count_limit(page=wanted, page_size=self.per_page, cap=self.cap)
        return super().get_page(wanted if number not in (None, "") else number)

    @cached_property
    def count(self) -> int:
        n, self.count_capped = capped_count(self.object_list, self._limit)
        # One row past the limit when capped: num_pages then includes a page after the counted
        # rows, so has_next() is true on the last counted page.
        return n + 1 if self.count_capped else n

    @property
    def count_label(self) -> str:
        if self.count_capped:
            return f"{self.count - 1:,}+"
        return f"{self.count:,}"

    @property
    def num_pages_label(self) -> str:
        if self.count_capped:
            return f"{max(self.num_pages - 1, 1):,}+"
        return f"{self.num_pages:,}"
