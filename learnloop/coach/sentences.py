"""Markdown-aware sentence splitting with offsets into the original text.

The coach reports findings as character offsets so that an editor can
underline the exact words. Splitting therefore never rewrites the text: it
walks the lines, recognises Markdown block markers (headings, bullets,
numbered items, checkboxes, blockquotes, table rows) so that the marker is
not part of the sentence, skips fenced code blocks entirely (code is not
prose and must never be flagged), and splits each block at sentence-final
punctuation, except after common abbreviations ("Dr.", "e.g.") and initials.
Everything is linear-time regex work so that multi-megabyte documents stay
fast.
"""

from __future__ import annotations

import re

from .lexicon import words as _words

_LINE = re.compile(r"[^\n]*\n?")
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")
_BLANK = re.compile(r"[ \t\r\f\v\u00a0]*\n?$")
# Block markers: heading, blockquote(s), bullet / numbered item, checkbox, table pipe.
_PREFIX = re.compile(
    r"[ \t]*(?:#{1,6}[ \t]+|(?:>[ \t]?)+|(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?|\|[ \t]*)?"
)
_NEW_BLOCK = re.compile(r"[ \t]*(?:#{1,6}[ \t]|(?:[-*+]|\d{1,9}[.)])[ \t]|\|)")
_QUOTE_START = re.compile(r"[ \t]*>")
_RULE = re.compile(r"[ \t]*(?:[-*_][ \t]*){3,}\s*$")
# Candidate boundary: terminal punctuation, optional closing quotes/brackets/emphasis,
# whitespace, then something that can open a sentence.
_BOUNDARY = re.compile(
    r"[.!?\u2026]+[\"'\u201d\u2019)\]*_]*(\s+)(?=[\"'\u201c\u2018(\[*_`>\-]?[^\s\w]?[A-Z0-9\u00c0-\u024f])"
)
_ABBREV = _words(
    "mr mrs ms dr prof st vs etc e.g i.e eg ie inc ltd co jr sr no fig approx ca cf al dept est "
    "min max sec mt ft mgr sgt capt lt col gen rev hon"
)
_WORD_BEFORE = re.compile(r"([\w.]+)[.]$")


def _split_block(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Split text[start:end] (one Markdown block) into trimmed sentences."""
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        cut = m.start(1)
        punct_at = m.start()
        if text[punct_at] == ".":
            w = _WORD_BEFORE.search(text, max(start, punct_at - 12), punct_at + 1)
            if w:
                word = w.group(1).lower().rstrip(".")
                if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                    continue
        _emit(text, pos, cut, out)
        pos = m.end(1)
    _emit(text, pos, end, out)


# Longer "sentences" (run-on text without punctuation, generated data) are cut at whitespace
# so that per-sentence work stays bounded and a pathological input stays linear-time.
MAX_SENTENCE_CHARS = 1000


def _emit(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        _emit(text, start, cut, out)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        out.append((start, end))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of plain or Markdown text.

    Offsets index into ``text`` itself, so ``text[start:end]`` is the sentence.
    Fenced code blocks are skipped; block markers are excluded from the span.
    """
    out: list[tuple[int, int]] = []
    if not text:
        return out
    fence: str | None = None
    block_start = -1
    block_end = -1
    in_quote = False
    pos = 0
    n = len(text)
    while pos < n:
        m = _LINE.match(text, pos)
        line_end = m.end()
        if line_end == pos:  # pragma: no cover - defensive, _LINE always advances
            break
        content_end = line_end - 1 if text[line_end - 1] == "\n" else line_end
        f = _FENCE.match(text, pos, content_end)
        if fence is not None:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = None
            pos = line_end
            continue
        if f:
            if block_start >= 0:
                _split_block(text, block_start, block_end, out)
                block_start = -1
            fence = f.group(1)
            pos = line_end
            continue
        if _BLANK.match(text, pos, line_end) or _RULE.match(text, pos, content_end):
            if block_start >= 0:
                _split_block(text, block_start, block_end, out)
                block_start = -1
            in_quote = False
            pos = line_end
            continue
        is_quote = bool(_QUOTE_START.match(text, pos, content_end))
        new_block = bool(_NEW_BLOCK.match(text, pos, content_end)) or is_quote != in_quote
        p = _PREFIX.match(text, pos, content_end)
        cstart = p.end() if p else pos
        if new_block or block_start < 0:
            if block_start >= 0:
                _split_block(text, block_start, block_end, out)
            block_start = cstart
        in_quote = is_quote
        block_end = content_end
        # Headings and table rows are single-line blocks.
        if text[pos:cstart].lstrip().startswith(("#", "|")):
            _split_block(text, block_start, block_end, out)
            block_start = -1
        pos = line_end
    if block_start >= 0:
        _split_block(text, block_start, block_end, out)
    return out
