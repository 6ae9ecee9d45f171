"""``{% load markdown %}`` then ``{{ text|markdown }}``: sanitised Markdown in templates."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from learnloop.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """Render Markdown with the one sanitising renderer (see learnloop.core.markdown)."""
    return render_markdown(text)
