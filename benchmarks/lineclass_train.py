"""Train the body-line furniture model (pipelines/nlp/parsing/lineclass.py) and backtest it.

    .venv/bin/python -m benchmarks.lineclass_train train [--dump DUMP.jsonl] [--out MODEL.json]
    .venv/bin/python -m benchmarks.lineclass_train backtest FOLD=DUMP.jsonl ... [--reference DUMP.jsonl]

A dump is what one parser version's rules made of the labelled set (benchmarks/lineclass_dump.py);
``train`` without ``--dump`` dumps this tree's parser on TRAIN_SPLITS and writes the shipped model.
Labels: a page line the rules put in the body is body, any other line (head, captions, credits,
footer) is furniture; a line holding a gold boilerplate snippet is furniture and one holding a gold
body snippet is body whatever the rules did. Every page line is an example: the model scores only
lines that are not sentences, but the sentences teach it what the body looks like (without them a
short last line of an article looked like a footer teaser). Head lines stay in: at first look,
unread head lines were a fifth of the leaks. The furniture lexicon is learned from the training
pages (words of short furniture lines in LEXICON_PAGES pages of LEXICON_SPLITS splits, rare in body text); each split's
lexicon feature comes from the other splits' lexicon, so the model does not learn to trust a
lexicon that saw its own lines. Threshold: pick_threshold.

The backtest (``holdoutN=DUMP``, the dump of the parser as it was before holdoutN's fixes) trains
on the splits written before holdoutN and scores holdoutN with that old parser's body, without and
with the model: boilerplate leakage, body-snippet recall, and with ``--reference`` (a dump of the
current parser, fixed for every split) how many dropped lines the current parser keeps as body.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.lineclass_dump import dump_rows
from pipelines.nlp.normalize import fold_for_hash
from pipelines.nlp.parsing.evaluate import DEFAULT_GOLD_DIR
from pipelines.nlp.parsing.lineclass import (
    FEATURES,
    MODEL_PATH,
    LineModel,
    PageView,
    drop_furniture,
    features,
    locate,
    paragraph_scores,
    words_of,
)

SPLIT_ORDER = ("dev", "test", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7")
# The shipped model's splits: holdout6 is for an untuned first look.
TRAIN_SPLITS = SPLIT_ORDER[:7]
LEXICON_PAGES = 3
# ... of at least two splits (one split's pages share their invented people and stories) and at
# least this pure; words of long furniture lines (headlines, bylines, captions) do not count: they
# taught it 'says', 'no', 'economy' and reporters' first names.
LEXICON_SPLITS = 2
LEXICON_PURITY = 0.85
LEXICON_LINE_WORDS = 5
L2 = 1.0
BODY_WEIGHT = 5.0
# The brief's "high threshold": the model only drops lines it is nearly sure of.
MIN_THRESHOLD = 0.9
MAX_SNIPPET_LOSS = 0.01

Row = dict[str, Any]


def load_dump(path: Path) -> list[Row]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def body_indexes(paragraphs: list[str], page: PageView) -> set[int]:
    """Page lines that made it into the body (a joined paragraph covers the lines it joined)."""
    taken: set[int] = set()
    for para, k in zip(paragraphs, locate(paragraphs, page), strict=True):
        if k < 0:
            continue
        text = page.lines[k]
        taken.add(k)
        while len(text) < len(para) and k + 1 < len(page.lines) and para.startswith(text + " " + page.lines[k + 1]):
            k += 1
            text += " " + page.lines[k]
            taken.add(k)
    return taken


def labelled_lines(row: Row) -> list[tuple[int, str, int]]:
    """(index, line, 1 if furniture) for the page's non-empty lines."""
    page = PageView.of(row["lines"])
    body = body_indexes(row["paragraphs"], page)
    junk = [fold_for_hash(j) for j in row["boilerplate"]]
    keep = [fold_for_hash(s) for s in row["body_snippets"]]
    out = []
    for i, line in enumerate(page.lines):
        folded = fold_for_hash(line)
        label = int(i not in body)
        if any(j and j in folded for j in junk):
            label = 1
        elif any(s and s in folded for s in keep):
            label = 0
        out.append((i, line, label))
    return out


def learn_lexicon(rows: Iterable[Row]) -> frozenset[str]:
    """Words of short furniture lines (at most LEXICON_LINE_WORDS words) in at least LEXICON_PAGES
    pages of LEXICON_SPLITS splits that are rare in body text (counted over every body paragraph,
    so topical words of teasers drop out)."""
    furn_pages: dict[str, int] = defaultdict(int)
    furn_splits: dict[str, set[str]] = defaultdict(set)
    furn: dict[str, int] = defaultdict(int)
    body: dict[str, int] = defaultdict(int)
    for row in rows:
        seen: set[str] = set()
        for _, line, label in labelled_lines(row):
            if label and len(line.split()) <= LEXICON_LINE_WORDS:
                for w in set(words_of(line)):
                    furn[w] += 1
                    seen.add(w)
        for para in row["paragraphs"]:
            for w in set(words_of(para)):
                body[w] += 1
        for w in seen:
            furn_pages[w] += 1
            furn_splits[w].add(row["split"])
    return frozenset(w for w, n in furn_pages.items()
                     if n >= LEXICON_PAGES and len(furn_splits[w]) >= LEXICON_SPLITS
                     and (furn[w] + 0.5) / (furn[w] + body[w] + 1) >= LEXICON_PURITY)


def examples(rows: Iterable[Row], lexicon: frozenset[str]) -> tuple[list[list[float]], list[int]]:
    x: list[list[float]] = []
    y: list[int] = []
    for row in rows:
        page = PageView.of(row["lines"])
        for i, line, label in labelled_lines(row):
            x.append(features(line, page, i, lexicon))
            y.append(label)
    return x, y


def fit(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """L2-regularised logistic regression on standardised features (Newton steps; deterministic).
    A body line weighs BODY_WEIGHT furniture lines: dropping one costs more than leaking furniture."""
    weight = np.where(y > 0, 1.0, BODY_WEIGHT)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], L2)
    reg[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (weight * (p - y)) + reg * w
        hess = (z * (weight * p * (1 - p))[:, None]).T @ z + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {"features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": [0.0, *w[1:].tolist()], "intercept": float(w[0])}


def _splits(rows: list[Row]) -> list[str]:
    return sorted({r["split"] for r in rows}, key=SPLIT_ORDER.index)


def _fit_rows(rows: list[Row]) -> dict[str, Any]:
    """Weights and lexicon from page-text rows (lexicon feature of each split from the others)."""
    xs: list[list[float]] = []
    ys: list[int] = []
    for split in _splits(rows):
        x, y = examples((r for r in rows if r["split"] == split), learn_lexicon(r for r in rows if r["split"] != split))
        xs += x
        ys += y
    fitted = fit(np.asarray(xs), np.asarray(ys, dtype=float))
    fitted["lexicon"] = sorted(learn_lexicon(rows))
    fitted["trained_on"] = {"splits": _splits(rows), "lines": len(ys), "furniture": int(sum(ys))}
    return fitted


def train(rows: list[Row]) -> dict[str, Any]:
    """The model, as its JSON dict, from the page-text rows of a dump."""
    rows = [r for r in rows if r["pagetext"]]
    fitted = _fit_rows(rows)
    fitted["threshold"] = pick_threshold(rows)
    return fitted


def pick_threshold(rows: list[Row]) -> float:
    """MIN_THRESHOLD, or higher if out-of-split scores (each split scored by a model of the others)
    would lose more than MAX_SNIPPET_LOSS of the gold body snippets there."""
    snippet_scores: list[float] = []
    for held in _splits(rows):
        rest = [r for r in rows if r["split"] != held]
        if not rest:
            continue
        model = LineModel.from_dict({**_fit_rows(rest), "threshold": 1.0})
        for row in rows:
            if row["split"] == held:
                scores = paragraph_scores(row["paragraphs"], row["lines"], model)
                folded = [fold_for_hash(p) for p in row["paragraphs"]]
                for snippet in map(fold_for_hash, row["body_snippets"]):
                    snippet_scores.append(max((s for f, s in zip(folded, scores, strict=True) if snippet in f),
                                              default=0.0))
    if not snippet_scores:
        return MIN_THRESHOLD
    quantile = float(np.quantile(np.asarray(snippet_scores), 1 - MAX_SNIPPET_LOSS))
    return round(max(MIN_THRESHOLD, min(quantile + 1e-4, 0.99)), 4)


def score(rows: list[Row], model: LineModel | None) -> dict[str, tuple[int, int]]:
    """Leakage and snippet recall over ``rows`` with the model applied to page-text bodies."""
    leaked = total = hits = snippets = 0
    for row in rows:
        paras = row["paragraphs"]
        if model is not None and row["pagetext"]:
            paras = drop_furniture(paras, row["lines"], model)
        body = fold_for_hash("\n\n".join(paras))
        for junk in row["boilerplate"]:
            total += 1
            leaked += bool(body) and fold_for_hash(junk) in body
        for snippet in row["body_snippets"]:
            snippets += 1
            hits += fold_for_hash(snippet) in body
    return {"leaked": (leaked, total), "snippets": (hits, snippets)}


def dropped_lines(rows: list[Row], model: LineModel) -> list[tuple[str, str]]:
    out = []
    for row in rows:
        if row["pagetext"]:
            kept = set(drop_furniture(row["paragraphs"], row["lines"], model))
            out += [(row["input"], p) for p in row["paragraphs"] if p not in kept]
    return out


def backtest(fold: str, rows: list[Row], show: bool = False, threshold: float | None = None,
             reference: list[Row] | None = None) -> str:
    fitted = train([r for r in rows if r["split"] in SPLIT_ORDER[:SPLIT_ORDER.index(fold)]])
    if threshold is not None:
        fitted["threshold"] = threshold
    model = LineModel.from_dict(fitted)
    held = [r for r in rows if r["split"] == fold]
    without, with_ = score(held, None), score(held, model)

    def cell(pair: tuple[int, int]) -> str:
        return f"{pair[0] / pair[1]:6.1%} {pair[0]:>3}/{pair[1]:<3}"

    out = (f"{fold:<9} trained on {len(fitted['trained_on']['splits'])} splits, threshold {fitted['threshold']:.3f}: "
           f"leakage {cell(without['leaked'])} -> {cell(with_['leaked'])}, "
           f"snippets {cell(without['snippets'])} -> {cell(with_['snippets'])}")
    drops = dropped_lines(held, model)
    out += f", dropped {len(drops)}"
    if reference is not None:
        ref = {r["input"]: {fold_for_hash(p) for p in r["paragraphs"]} for r in reference}
        out += f" (current parser's body: {sum(fold_for_hash(t) in ref.get(w, set()) for w, t in drops)})"
    if show:
        out += "".join(f"\n    dropped {where}: {text[:100]}" for where, text in drops)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--dump", type=Path, help="a dump to train on (default: this tree's rules on TRAIN_SPLITS)")
    t.add_argument("--out", type=Path, default=MODEL_PATH)
    b = sub.add_parser("backtest")
    b.add_argument("folds", nargs="+", help="FOLD=DUMP, e.g. holdout5=/tmp/lc/h5.jsonl")
    b.add_argument("--show", action="store_true", help="print the lines the model drops")
    b.add_argument("--threshold", type=float, help="instead of the trained threshold")
    b.add_argument("--reference", type=Path, help="dump of the current parser: counts body lines dropped")
    args = ap.parse_args()
    if args.cmd == "train":
        rows = load_dump(args.dump) if args.dump else dump_rows(DEFAULT_GOLD_DIR, set(TRAIN_SPLITS))
        fitted = train(rows)
        args.out.write_text(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{args.out}: {fitted['trained_on']}, threshold {fitted['threshold']}, "
              f"lexicon {len(fitted['lexicon'])} words")
    else:
        reference = load_dump(args.reference) if args.reference else None
        for spec in args.folds:
            fold, path = spec.split("=", 1)
            print(backtest(fold, load_dump(Path(path)), args.show, args.threshold, reference))


if __name__ == "__main__":
    main()
