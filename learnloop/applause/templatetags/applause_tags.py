"""``{% load applause_tags %}`` then ``{% applause_bar "lesson" lesson %}``: the reaction bar.

On a page with many items, pass the bars computed in one query by
:func:`learnloop.applause.selectors.bars_for` as ``bars`` to avoid a query per item."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from learnloop.accounts.models import User
from learnloop.applause import registry
from learnloop.applause.selectors import bars_for

register = template.Library()


@register.simple_tag(takes_context=True)
def applause_bar(
    context: Any, kind: str, item: Any, bars: dict[int, Any] | None = None
) -> SafeString | str:
    request = context.get("request")
    user = getattr(request, "user", None)
    reactable = registry.get(kind)
    if item is None or reactable is None or not isinstance(user, User):
        return ""
    bar = (bars or {}).get(item.pk) if bars is not None else None
    if bar is None:
        bar = bars_for(user=user, kind=kind, ids=[item.pk])[item.pk]
    return render_to_string(
        "applause/_bar.html",
        {
            "kind": kind,
            "object_id": item.pk,
            "bar": bar,
            "label": reactable.label,
            "next": request.get_full_path() if request is not None else "",
        },
        request=request,
    )
