"""``newsbeam evaluate entities`` and ``newsbeam evaluate topics``: scores on the labelled set.

``add_entities`` and ``add_topics`` are entries of the ``evaluate`` dispatcher's EVALUATIONS
(pipelines/commands/evaluate.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from pipelines.nlp.gold import DEFAULT_GOLD_DIR, load_gold

# Targets from issue 5; --check turns a miss into exit status 1.
ENTITY_F1_TARGET = 0.85
TOPIC_TOP1_TARGET = 0.90


def add_entities(sub: argparse._SubParsersAction) -> None:
    _add(sub, "entities", "entity precision/recall/F1 on canonical names", _entities)


def add_topics(sub: argparse._SubParsersAction) -> None:
    _add(sub, "topics", "IPTC Media Topics top-1 accuracy", _topics)


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    add_entities(sub)
    add_topics(sub)


def _add(sub: argparse._SubParsersAction, name: str, helptext: str, func: Callable) -> None:
    p = sub.add_parser(name, help=helptext, description=helptext + " on the labelled enrichment set.")
    p.add_argument("--gold", default=str(DEFAULT_GOLD_DIR),
                   help="folder of labelled articles (*.json, see pipelines/nlp/gold.py)")
    p.add_argument("--split", choices=["all", "dev", "test"], default="all",
                   help="dev: used to tune the rules; test: held out")
    p.add_argument("-v", "--verbose", action="store_true", help="list every error")
    p.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    p.set_defaults(func=func)


def _entities(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipelines.nlp.entities.evaluate import evaluate_entities

    reports = evaluate_entities(load_gold(args.gold, args.split))
    for split, report in reports.items():
        _print(f"entities [{split}]", report.lines(), report.errors if args.verbose and split != "all" else [])
    f1 = reports[args.split if args.split in reports else "all"].names.f1
    print(f"target: canonical-name F1 >= {ENTITY_F1_TARGET}: {'met' if f1 >= ENTITY_F1_TARGET else 'MISSED'}")
    return 1 if args.check and f1 < ENTITY_F1_TARGET else 0


def _topics(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipelines.nlp.topics.evaluate import evaluate_topics

    reports = evaluate_topics(load_gold(args.gold, args.split))
    for split, report in reports.items():
        _print(f"topics [{split}]", report.lines(), report.errors if args.verbose and split != "all" else [])
    final = reports[args.split if args.split in reports else "all"]
    top1 = final.top1 / (final.articles or 1)
    print(f"target: top-1 accuracy >= {TOPIC_TOP1_TARGET:.0%}: {'met' if top1 >= TOPIC_TOP1_TARGET else 'MISSED'}")
    return 1 if args.check and top1 < TOPIC_TOP1_TARGET else 0


def _print(title: str, lines: list[str], errors: list[str]) -> None:
    print(title)
    for line in lines + errors:
        print("  " + line)
