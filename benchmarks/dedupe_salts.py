"""How much dedupe verdicts on the gold groups depend on the draw of the shingle hash function.

    .venv/bin/python benchmarks/dedupe_salts.py [--salts 200] [--config num_perm=256,bands=42,rows=3 ...]

Every shingle hash goes through a salted bijection (``evaluate.salt_hashes``; salts 1..K) before
MinHash, which is a fresh random hash function per draw; the pipeline itself never salts. For each
gold set (the first ten events, the holdout) and each parameter setting (the defaults plus every
``--config``, given as changes to the defaults) this prints the mean and minimum F1 over the K
draws, how many draws keep F1 at 1.000, and the link probability of every pair linked in some
draws but not all, with its exact Jaccard J and containment C. The ``exact`` row is the limit of
ever more permutations: every pair verified on its exact J / C (one result, no draws).
"""

from __future__ import annotations

import argparse
import statistics
import time

from pipelines.nlp.dedupe import DedupeParams
from pipelines.nlp.dedupe.evaluate import (
    DEFAULT_GOLD_DIR,
    HOLDOUT_DIRS,
    GoldArticle,
    exact_clusters,
    exact_similarity,
    format_params,
    gold_labels,
    load_gold,
    pairwise_scores,
    salt_spread,
)
from pipelines.nlp.dedupe.shingles import body_shingles


def parse_config(text: str) -> dict[str, object]:
    """``num_perm=256,bands=42,rows=3`` -> changes to DedupeParams (``none`` for None)."""
    out: dict[str, object] = {}
    for part in filter(None, text.split(",")):
        key, value = part.split("=", 1)
        out[key] = None if value == "none" else float(value) if "." in value else int(value)
    return out


def _pair_line(items: list[GoldArticle], params: DedupeParams, i: int, j: int) -> str:
    a, b = items[i], items[j]
    jac, cont = exact_similarity(set(body_shingles(a.article.body, params.shingle_size).tolist()),
                                 set(body_shingles(b.article.body, params.shingle_size).tolist()))
    kind = "same story" if (a.event, a.story) == (b.event, b.story) else "DIFFERENT"
    return f"{a.article.id} ~ {b.article.id} ({kind}, J {jac:.3f} C {cont:.3f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--salts", type=int, default=200, help="draws of the hash function (K)")
    ap.add_argument("--config", action="append", default=[], help="changes to the defaults, e.g. num_perm=256")
    args = ap.parse_args()
    base = DedupeParams()
    settings = [base] + [base.with_(**parse_config(c)) for c in args.config]
    for name, folder in (("first ten events", DEFAULT_GOLD_DIR), *((d.name, d) for d in HOLDOUT_DIRS)):
        items = load_gold(folder)
        gold = gold_labels(items)
        print(f"\n== {name} ({folder.name}), {args.salts} salts")
        for params in settings:
            t0 = time.perf_counter()
            spread = salt_spread(items, params, range(1, args.salts + 1))
            perfect = sum(f == 1.0 for f in spread.f1)
            print(f"{format_params(params)}\n  F1 mean {statistics.fmean(spread.f1):.3f}  min {min(spread.f1):.3f}  "
                  f"max {max(spread.f1):.3f}  F1 1.000 in {perfect}/{spread.draws} draws  "
                  f"({time.perf_counter() - t0:.1f} s)")
            for i, j in spread.unstable():
                share = spread.links[(i, j)] / spread.draws
                print(f"    linked {share:5.1%}  {_pair_line(items, params, i, j)}")
        exact = pairwise_scores(gold, exact_clusters(items, base))
        print(f"exact J / C verification of every pair (defaults' threshold and containment): F1 {exact.f1:.3f}")


if __name__ == "__main__":
    main()
