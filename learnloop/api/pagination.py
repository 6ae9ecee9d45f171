"""One pagination style for every API list: ``?page=N&page_size=M`` →
``{"items", "count", "count_capped", "page", "page_size"}``.

``count`` is exact up to 1,000 rows (or up to the rows before the requested page, when that is
more); beyond that it is the number counted and ``count_capped`` is true: counting every
visible row at a million rows costs more than the page itself (docs/decisions/0072-*.md).
Use the presence of a full page of ``items`` (or ``count_capped``) to decide whether to ask
for the next page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from learnloop.api.types import Page
from learnloop.core.pagination import capped_count, count_limit


class Pagination(PaginationBase):
    class Input(Schema):
        page: Page = 1
        page_size: int = Field(50, ge=1, le=200)

    class Output(Schema):
        items: list[Any]
        count: int
        count_capped: bool = False
        page: int
        page_size: int

    items_attribute = "items"

    @staticmethod
    def bounds(pagination: Input) -> tuple[int, int]:
        """The page's first row (0-based) and the most rows worth counting for it."""
        start = (pagination.page - 1) * pagination.page_size
        return start, count_limit(page=pagination.page, page_size=pagination.page_size)

    @staticmethod
    def answer(pagination: Input, items: list[Any], count: int, capped: bool) -> dict[str, Any]:
        """The page in ``Output``'s fields and order."""
        return {
            "items": items,
            "count": count,
            "count_capped": capped,
            "page": pagination.page,
            "page_size": pagination.page_size,
        }

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, **params: Any
    ) -> dict[str, Any]:
        start, limit = self.bounds(pagination)
        count, capped = capped_count(queryset, limit)
        items = list(queryset[start : start + pagination.page_size])
        return self.answer(pagination, items, count, capped)
