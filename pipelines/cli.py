"""The ``newsbeam`` command line: one subcommand per module in ``pipelines/commands``.

Each command module exposes ``register(subparsers)`` that adds its parser and sets
``func(args, beam_args) -> int``. Unknown flags are passed through to Beam as pipeline options.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

COMMAND_MODULES = [
    "pipelines.commands.run",
    "pipelines.commands.schema",
    "pipelines.commands.db",
    "pipelines.commands.produce", "pipelines.commands.replay", "pipelines.commands.archive",
    "pipelines.commands.evaluate",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbeam",
        description="Streaming news processing on Apache Beam: parse, deduplicate, enrich, sink.")
    parser.add_argument("--debug", action="store_true", help="show stack traces and debug logs")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, beam_args = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, force=True,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args, beam_args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one clear line for humans; the trace with --debug
        if args.debug:
            raise
        print(f"newsbeam {args.command}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
