"""``newsbeam evaluate entities`` and ``newsbeam evaluate topics``: scores on the labelled set.

``add_subcommands(sub)`` is called by the ``evaluate`` dispatcher (pipelines/commands/evaluate.py)
with its subparsers.
"""

from __future__ import annotations

import argparse

from pipelines.nlp.gold import DEFAULT_GOLD_DIR, load_gold


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    for name, helptext, func in (
        ("entities", "entity precision/recall/F1 on canonical names", _entities),
        ("topics", "IPTC Media Topics top-1 accuracy", _topics),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--gold", default=str(DEFAULT_GOLD_DIR),
                       help="folder of labelled articles (*.json, see pipelines/nlp/gold.py)")
        p.add_argument("--split", choices=["all", "dev", "test"], default="all",
                       help="dev: used to tune the rules; test: held out")
        p.add_argument("-v", "--verbose", action="store_true", help="list every error")
        p.set_defaults(func=func)


def _entities(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipelines.nlp.entities.evaluate import evaluate_entities

    for split, report in evaluate_entities(load_gold(args.gold, args.split)).items():
        _print(f"entities [{split}]", report.lines(), report.errors if args.verbose and split != "all" else [])
    return 0


def _topics(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipelines.nlp.topics.evaluate import evaluate_topics

    for split, report in evaluate_topics(load_gold(args.gold, args.split)).items():
        _print(f"topics [{split}]", report.lines(), report.errors if args.verbose and split != "all" else [])
    return 0


def _print(title: str, lines: list[str], errors: list[str]) -> None:
    print(title)
    for line in lines + errors:
        print("  " + line)
