"""Plain Okapi BM25 baseline for the related-postmortem benchmark, pure Python.

Why here: ../shared/eval/README-related.md gives a reference BM25 figure; re-implementing
it exactly as described (k1 = 1.2, b = 0.75, document = title + summary + keywords + body,
query = title + description, lower-cased alphanumeric tokens, a short stop-word list, no
stemming) lets us check our harness reproduces that number before comparing against it.
"""

from __future__ import annotations

import math
import re
from collections import Counter

_TOKEN_RE = re.compile(r"[a-z0-9]+")

_STOP_TEXT = (
    "a an the and or but if of at by for with about to from in on is are was were be been "
    "being it its this that these those we our i you he she they them his her as not no so "
    "do does did has have had will would can could"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())


def tokenize(text: str) -> list[str]:
    return [t for t in _TOKEN_RE.findall(text.lower()) if t not in STOP_WORDS]


class BM25:
    def __init__(self, docs: dict[str, str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tf = {d: Counter(tokenize(t)) for d, t in docs.items()}
        self.len = {d: sum(c.values()) for d, c in self.tf.items()}
        self.avgdl = sum(self.len.values()) / max(1, len(self.len))
        df: Counter[str] = Counter()
        for c in self.tf.values():
            df.update(c.keys())
        n = len(self.tf)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def score(self, query: str) -> list[tuple[str, float]]:
        q = tokenize(query)
        out = []
        for d, tf in self.tf.items():
            s = 0.0
            norm = self.k1 * (1 - self.b + self.b * self.len[d] / self.avgdl)
            for t in q:
                f = tf.get(t)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + norm)
            if s > 0:
                out.append((d, s))
        out.sort(key=lambda x: (-x[1], x[0]))
        return out
