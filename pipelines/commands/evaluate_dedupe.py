"""``newsbeam evaluate dedupe [--gold DIR] [--sweep]``: pairwise P/R/F1 of dedupe clusters.

``add_dedupe`` is an entry of the ``evaluate`` dispatcher's EVALUATIONS (commands/evaluate.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.nlp.dedupe.evaluate import Scores
    from pipelines.nlp.dedupe.params import DedupeParams


def add_dedupe(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "dedupe", help="pairwise precision/recall/F1 of duplicate clusters",
        description="Cluster the labelled groups with the given dedupe options and print pairwise "
                    "precision, recall and F1 (two articles pair up when they tell the same story). "
                    "Dedupe flags (--dedupe_threshold, --dedupe_shingle_size, ...) apply.")
    p.add_argument("--gold", type=Path, default=None,
                   help="folder of labelled groups (default: tests/data/dedupe_gold)")
    p.add_argument("--sweep", action="store_true",
                   help="also score a grid of shingle sizes, thresholds, containment and num_perm, and "
                        "choose parameters on one half of the events while scoring them on the other")
    p.add_argument("-v", "--verbose", action="store_true", help="list wrongly paired and missed articles")
    p.add_argument("--check", action="store_true",
                   help="exit 1 when F1 is below the target (default folder: its groups and the holdouts together)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, beam_args: list[str]) -> int:
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.nlp.dedupe import evaluate as ev
    from pipelines.options import DedupeOptions

    params = PipelineOptions(beam_args).view_as(DedupeOptions).params()
    directory = args.gold or ev.DEFAULT_GOLD_DIR
    items = ev.load_gold(directory)
    print(f"  parameters  {ev.format_params(params)}")
    scores = _report(ev, items, params, directory, args.verbose)
    holdouts = [d for d in ev.HOLDOUT_DIRS if d.is_dir()] if args.gold is None else []
    if holdouts:
        # The default run also shows each holdout (never tuned on), and the target is checked on
        # every labelled group together, so the honest figures are printed next to the tuned one.
        for folder in holdouts:
            holdout = ev.load_gold(folder)
            _report(ev, holdout, params, folder, args.verbose)
            items = items + holdout
        scores = ev.evaluate(items, params)
        print(f"all labelled groups ({len(items)} articles): {scores.line()}")
    print(f"  target      F1 >= {ev.TARGET_F1}: {'met' if scores.f1 >= ev.TARGET_F1 else 'MISSED'}")
    if args.sweep:
        print(ev.format_sweep(items, params))
    return 1 if args.check and scores.f1 < ev.TARGET_F1 else 0


def _report(ev: ModuleType, items: list, params: DedupeParams, directory: Path, verbose: bool) -> Scores:
    """Print one folder's pairwise scores (and its misses with ``verbose``); return the scores."""
    scores = ev.evaluate(items, params)
    stories = len({(g.event, g.story) for g in items})
    print(f"newsbeam evaluate dedupe: {len(items)} articles, {stories} stories, "
          f"{len({g.event for g in items})} events in {directory}")
    print(f"  pairwise    {scores.line()}")
    if verbose:
        for line in ev.errors(items, params):
            print("  " + line)
    return scores
