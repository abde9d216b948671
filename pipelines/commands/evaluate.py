"""``newsbeam evaluate KIND``: quality of one stage against its labelled set.

Each KIND is one entry in EVALUATIONS: a function that adds its subparser and sets ``func``.
Heavy imports happen inside the command so ``newsbeam --help`` stays fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from pipelines.commands.evaluate_dedupe import add_dedupe
from pipelines.commands.evaluate_enrich import add_entities, add_topics


def _add_parse(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("parse", help="parsed fields against the labelled parse set",
                       description="Per-field accuracy of parse_record on a labelled set (gold.jsonl + inputs).")
    p.add_argument("--gold", type=Path, default=None,
                   help="labelled set directory (default: tests/data/parse_gold)")
    p.add_argument("--split", default="all",
                   help="score only one split (gold folder: dev, test, holdout, holdout2 ... holdout7)")
    p.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    p.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    p.set_defaults(func=_run_parse)


def _run_parse(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipelines.nlp.parsing.evaluate import DEFAULT_GOLD_DIR, evaluate, format_report

    directory = args.gold or DEFAULT_GOLD_DIR
    report = evaluate(directory, args.split)
    print(format_report(report, directory, args.verbose))
    return 1 if args.check and not report.meets_targets() else 0


EVALUATIONS: dict[str, Callable[[argparse._SubParsersAction], None]] = {
    "parse": _add_parse,
    "entities": add_entities,
    "topics": add_topics,
    "dedupe": add_dedupe,
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="measure a stage against its labelled set")
    kinds = p.add_subparsers(dest="evaluation", required=True, metavar="KIND")
    for add in EVALUATIONS.values():
        add(kinds)
