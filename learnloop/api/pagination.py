"""One pagination style for every API list: ``?page=N&page_size=M`` → ``{"items", "count"}``."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase


class Pagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=200)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params: Any) -> dict[str, Any]:  # noqa: ANN001
        start = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[start : start + pagination.page_size]),
            "count": queryset.count()
            if hasattr(queryset, "count") and not isinstance(queryset, list)
            else len(queryset),
            "page": pagination.page,
            "page_size": pagination.page_size,
        }
