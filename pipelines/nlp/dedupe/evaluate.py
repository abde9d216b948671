"""Pairwise precision / recall / F1 of dedupe clusters on labelled groups, and parameter sweeps.

Two articles form a *true pair* when their gold ``story`` is the same, a *predicted pair* when
dedupe puts them in one cluster. Every pair of articles in the set counts, across files too.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations, pairwise, product
from pathlib import Path

import numpy as np

from pipelines.nlp.dedupe.fingerprint import Fingerprint, fingerprints
from pipelines.nlp.dedupe.graph import dedupe_fingerprints, similarity_from_counts
from pipelines.nlp.dedupe.minhash import batch_signatures
from pipelines.nlp.dedupe.outputs import dedupe_articles, exact_recheck, verdict_for
from pipelines.nlp.dedupe.params import DedupeParams
from pipelines.nlp.dedupe.shingles import batch_shingle_hashes, body_shingles, fold_bytes, splitmix64
from pipelines.nlp.dedupe.unionfind import UnionFind
from pipelines.nlp.normalize import body_hash, word_count
from schemas.records import Article, SourceRef

DEFAULT_GOLD_DIR = Path(__file__).resolve().parents[3] / "tests" / "data" / "dedupe_gold"
# Written by other authors after the defaults were chosen, never tuned on; scored next to the
# tuned folder (subfolders are not part of it).
HOLDOUT_DIR = DEFAULT_GOLD_DIR / "holdout"
HOLDOUT_DIRS = (HOLDOUT_DIR, DEFAULT_GOLD_DIR / "holdout2")
TARGET_F1 = 0.95


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    def line(self) -> str:
        return (f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
                f"(pairs: {self.correct_pairs} correct of {self.predicted_pairs} predicted, "
                f"{self.true_pairs} true)")


@dataclass(frozen=True)
class GoldArticle:
    article: Article
    story: str
    event: str


def _pairs(labels: Sequence[str]) -> Counter:
    return Counter(labels)


def pairwise_scores(gold: Sequence[str], predicted: Sequence[str]) -> Scores:
    """Pairwise scores of a clustering against gold labels (one label per item, same order)."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted labels must have the same length")

    def n_pairs(counts: Iterable[int]) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    true = n_pairs(Counter(gold).values())
    pred = n_pairs(Counter(predicted).values())
    both = n_pairs(Counter(zip(gold, predicted, strict=True)).values())
    precision = both / pred if pred else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, true, pred, both)


def _materialise(raw: dict, by_id: dict[str, dict]) -> dict:
    if "from" not in raw:
        return raw
    src = by_id[raw["from"]]
    paras = [src["body"][i] for i in raw.get("keep", range(len(src["body"])))]
    index = {i: k for k, i in enumerate(raw.get("keep", range(len(src["body"]))))}
    for para, old, new in raw.get("edits", []):
        k = index[para]
        if old not in paras[k]:
            raise ValueError(f"gold copy {raw['id']}: {old!r} not in paragraph {para} of {raw['from']}")
        paras[k] = paras[k].replace(old, new)
    body = raw.get("prepend", []) + paras + raw.get("append", [])
    out = {k: v for k, v in src.items() if k in ("story", "outlet", "url", "headline", "published_at")}
    out.update({k: v for k, v in raw.items() if k not in ("from", "keep", "edits", "prepend", "append")})
    out["body"] = body
    return out


def load_gold(directory: Path = DEFAULT_GOLD_DIR) -> list[GoldArticle]:
    """Every labelled article in ``directory`` (``*.json``, see its README), in file order.

    Subfolders are not read: the default folder's ``holdout/`` is scored only when asked for.
    """
    out: list[GoldArticle] = []
    # Resolved: a file URI needs an absolute path (``--gold tests/...`` from the shell).
    files = sorted(Path(directory).resolve().glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no labelled dedupe groups (*.json) in {directory}")
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        by_id: dict[str, dict] = {}
        for n, raw in enumerate(data["articles"]):
            item = _materialise(raw, by_id)
            by_id.setdefault(item["id"], item)
            body = "\n\n".join(item["body"])
            article = Article(
                id=item["id"], url=item.get("url"), outlet=item.get("outlet"), headline=item["headline"],
                body=body, body_hash=body_hash(body), word_count=word_count(body),
                published_at=datetime.fromisoformat(item["published_at"].replace("Z", "+00:00")),
                source=SourceRef(uri=path.as_uri(), index=n))
            out.append(GoldArticle(article, item["story"], path.stem))
    return out


def gold_labels(items: Sequence[GoldArticle]) -> list[str]:
    """One label per article: its event and story (two articles are a true pair when equal)."""
    return [f"{g.event}/{g.story}" for g in items]


def evaluate(items: Sequence[GoldArticle], params: DedupeParams) -> Scores:
    kept, _ = dedupe_articles([g.article for g in items], params, keep_duplicates=True)
    predicted = [a.dedupe.cluster_id for a in kept if a.dedupe is not None]
    return pairwise_scores(gold_labels(items), predicted)


SWEEP_GRID = {
    "shingle_size": (2, 3, 4, 5),
    "threshold": (0.3, 0.4, 0.5, 0.6, 0.7),
    "containment": (None, 0.7, 0.8, 0.9),
    "num_perm": (64, 128, 256),
}


def sweep(items: Sequence[GoldArticle], base: DedupeParams,
          grid: dict[str, Sequence] | None = None) -> list[tuple[dict, Scores]]:
    grid = grid or SWEEP_GRID
    keys = list(grid)
    results = []
    for values in product(*(grid[k] for k in keys)):
        changes = dict(zip(keys, values, strict=True))
        results.append((changes, evaluate(items, base.with_(**changes))))
    return results


def cross_validate(items: Sequence[GoldArticle], base: DedupeParams,
                   grid: dict[str, Sequence] | None = None) -> list[tuple[str, dict, Scores, Scores]]:
    """Two folds by event: choose parameters on one half, score them on the other."""
    events = sorted({g.event for g in items})
    folds = [set(events[0::2]), set(events[1::2])]
    out = []
    for k, train in enumerate(folds):
        train_items = [g for g in items if g.event in train]
        test_items = [g for g in items if g.event not in train]
        results = sweep(train_items, base, grid)
        ranked = sorted(results, key=lambda r: (-r[1].f1, -_plateau(r[0], results), _simplicity(r[0])))
        best, train_scores = ranked[0]
        out.append((f"fold {k + 1}", best, train_scores, evaluate(test_items, base.with_(**best))))
    return out


def _plateau(changes: dict, results: list[tuple[dict, Scores]]) -> float:
    """Mean F1 of this threshold and the two next to it (other parameters equal; 0 for a neighbour
    outside the grid): ties go to the middle of a plateau, which moves least on unseen data."""
    near = [s.f1 for c, s in results
            if abs(c["threshold"] - changes["threshold"]) <= 0.1 + 1e-9
            and all(c[k] == v for k, v in changes.items() if k != "threshold")]
    return sum(near) / 3


def _simplicity(changes: dict) -> tuple:
    # Ties go to the cheaper, less specific setting: fewer permutations, no containment rule.
    return (changes.get("num_perm", 0), changes.get("containment") is not None)


def format_params(p: DedupeParams) -> str:
    return (f"shingle_size={p.shingle_size} num_perm={p.num_perm} threshold={p.threshold} "
            f"containment={p.containment} bands={p.bands} rows={p.rows} min_shingles={p.min_shingles} "
            f"recheck_sigmas={p.recheck_sigmas}")


def errors(items: Sequence[GoldArticle], params: DedupeParams) -> list[str]:
    """Human-readable list of false and missed pairs."""
    kept, _ = dedupe_articles([g.article for g in items], params, keep_duplicates=True)
    lines = []
    for i, j in combinations(range(len(items)), 2):
        a, b = items[i], items[j]
        same_gold = (a.event, a.story) == (b.event, b.story)
        same_pred = kept[i].dedupe.cluster_id == kept[j].dedupe.cluster_id
        if same_gold != same_pred:
            kind = "missed" if same_gold else "false "
            lines.append(f"{kind} {a.event}: {a.article.id} ({a.story}) ~ {b.article.id} ({b.story})")
    return lines


def format_sweep(items: Sequence[GoldArticle], base: DedupeParams) -> str:
    out = ["", "parameter sweep (all events):",
           "  shingle  threshold  containment  num_perm  bands x rows   precision  recall  F1"]
    for changes, s in sweep(items, base):
        p = base.with_(**changes)
        out.append(f"  {p.shingle_size:>7}  {p.threshold:>9}  {p.containment!s:>11}  {p.num_perm:>8}  "
                   f"{p.bands:>5} x {p.rows:<4}  {s.precision:>9.3f}  {s.recall:>6.3f}  {s.f1:.3f}")
    out += ["", "two-fold cross-validation by event (choose on one half, score on the other):"]
    for name, best, train, test in cross_validate(items, base):
        out.append(f"  {name}: chose {best}  train F1 {train.f1:.3f}  held-out F1 {test.f1:.3f} "
                   f"(P {test.precision:.3f} R {test.recall:.3f})")
    return "\n".join(out)


# --- Estimation noise: the same gold set under many draws of the shingle hash function. ---

def salt_hashes(hashes: np.ndarray, offsets: np.ndarray, salt: int) -> np.ndarray:
    """Shingle hashes of ``batch_shingle_hashes`` passed through a salted bijection, each text's
    run sorted again: a fresh draw of the hash function (salt 0: the hashes unchanged).

    Measurement only. The MinHash ``seed`` cannot stand in for this: one-permutation MinHash takes
    each bin's minimum of the hashes themselves and the seed only drives densification of empty
    bins, so signatures of bodies with a few hundred shingles do not change with it.
    """
    if not salt:
        return hashes
    key = splitmix64(np.array([salt], dtype=np.uint64))[0]
    out = splitmix64(hashes ^ key)
    for a, b in pairwise(offsets.tolist()):
        out[a:b].sort()
    return out


def salted_fingerprints(articles: Sequence[Article], params: DedupeParams, salt: int) -> list[Fingerprint]:
    """``fingerprints`` with the signatures of ``salt_hashes`` (sizes are unchanged: a bijection)."""
    fps = fingerprints(articles, params)
    hashes, offsets = batch_shingle_hashes([fold_bytes(a.body) for a in articles], params.shingle_size)
    sigs = batch_signatures(salt_hashes(hashes, offsets, salt), offsets, params.num_perm, params.seed)
    return [fp._replace(sig=sigs[i].tobytes() if fp.sig else b"") for i, fp in enumerate(fps)]


def salted_clusters(items: Sequence[GoldArticle], params: DedupeParams, salt: int) -> list[str]:
    """Cluster id of every gold article under one draw of the hash function."""
    articles = [g.article for g in items]
    fps = salted_fingerprints(articles, params, salt)
    verdicts = dedupe_fingerprints(fps, params, exact_recheck(articles, fps, params))
    return [verdict_for(a, verdicts, fp.uid).cluster_id for a, fp in zip(articles, fps, strict=True)]


def exact_clusters(items: Sequence[GoldArticle], params: DedupeParams) -> list[str]:
    """Clusters if every pair were verified on its exact Jaccard / containment (no estimate, no
    LSH): what the estimates converge to with ever more permutations. Exact copies and URLs are
    left to the normal graph (they do not depend on the hash draw)."""
    articles = [g.article for g in items]
    fps = fingerprints(articles, params)
    sets = [set(body_shingles(a.body, params.shingle_size).tolist()) for a in articles]
    uf = UnionFind(range(len(items)))
    for i, j in combinations(range(len(items)), 2):
        same_key = any(x is not None and x == y for x, y in ((fps[i].body_key, fps[j].body_key),
                                                               (fps[i].url_key, fps[j].url_key)))
        if same_key or (fps[i].near(params) and fps[j].near(params)
                        and params.is_copy(*exact_similarity(sets[i], sets[j]))):
            uf.union(i, j)
    return [str(uf.find(i)) for i in range(len(items))]


def exact_similarity(a: set[int], b: set[int]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set) of two shingle sets."""
    return similarity_from_counts(len(a & b), len(a), len(b))


@dataclass(frozen=True)
class SaltSpread:
    """Scores and pair links of one gold set over ``draws`` salted hash functions."""

    f1: tuple[float, ...]            # per draw
    links: dict[tuple[int, int], int]  # article index pair -> draws in which they share a cluster

    @property
    def draws(self) -> int:
        return len(self.f1)

    def unstable(self) -> list[tuple[int, int]]:
        """Pairs linked in some draws but not all."""
        return sorted(p for p, n in self.links.items() if 0 < n < self.draws)


def salt_spread(items: Sequence[GoldArticle], params: DedupeParams, salts: Iterable[int]) -> SaltSpread:
    gold = gold_labels(items)
    f1s: list[float] = []
    links: Counter = Counter()
    for salt in salts:
        clusters = salted_clusters(items, params, salt)
        f1s.append(pairwise_scores(gold, clusters).f1)
        by_cluster: dict[str, list[int]] = {}
        for k, c in enumerate(clusters):
            by_cluster.setdefault(c, []).append(k)
        for members in by_cluster.values():
            links.update(combinations(members, 2))
    return SaltSpread(tuple(f1s), dict(links))
