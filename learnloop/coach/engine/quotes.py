"""Masking of quoted words and inline code: a mention of a word is not a use of it."""

from __future__ import annotations

import re

_QUOTED = re.compile(
    r"(?<![\w])\"[^\"\n]{1,120}\"(?![\w])|\u201c[^\u201d\n]{1,120}\u201d"
    r"|(?<![\w])'[^'\n]{1,60}'(?![\w])|\u2018[^\u2019\n]{1,60}\u2019(?![\w])|`[^`\n]{1,200}`"
)


def mask(text: str) -> str:
    """Blank out quoted words and inline code, keeping offsets: mentions are not uses."""
    if not any(q in text for q in ('"', "'", "`", "\u201c", "\u2018")):
        return text
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)
