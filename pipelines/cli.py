"""The ``newsbeam`` command line: one subcommand per module in ``pipelines/commands``.

Each command module exposes ``register(subparsers)`` that adds its parser and sets
``func(args, beam_args) -> int``. Unknown flags are passed through to Beam as pipeline options.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import traceback
from typing import NoReturn

from pipelines.errors import check_pipeline_flags, explain
from pipelines.redaction import install_log_redaction, redact

COMMAND_MODULES = [
    "pipelines.commands.run",
    "pipelines.commands.schema",
    "pipelines.commands.db",
    "pipelines.commands.produce", "pipelines.commands.replay", "pipelines.commands.archive",
    "pipelines.commands.evaluate",
    "pipelines.commands.report",
    "pipelines.commands.config",
    "pipelines.commands.inspect",
]


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line with where to look, not the whole usage text."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    install_log_redaction()  # no password in any log line, --debug included
    if not args.debug:  # kafka-python logs every reconnect; the command reports the failure in one line
        logging.getLogger("kafka").setLevel(logging.CRITICAL)
    try:
        if beam_args and not getattr(args, "pipeline_options", True):
            parser.error(f"unrecognized arguments: {' '.join(beam_args)}")
        for warning in check_pipeline_flags(beam_args):  # Beam would drop unknown flags silently
            print(f"newsbeam {args.command}: warning: {warning}", file=sys.stderr)
        return int(args.func(args, beam_args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one clear line for humans; the trace with --debug
        if args.debug:  # the trace, as Python prints it, without secrets
            print(redact(traceback.format_exc()), file=sys.stderr, end="")
            return 1
        print(f"newsbeam {args.command}: error: {redact(explain(exc))}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
