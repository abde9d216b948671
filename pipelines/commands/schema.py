"""``newsbeam schema export DIR``: write the JSON Schema of every record."""

from __future__ import annotations

import argparse

from schemas.export import export_json_schemas


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="record schemas")
    ssub = p.add_subparsers(dest="schema_command", required=True)
    exp = ssub.add_parser("export", help="write JSON Schema files for every record model")
    exp.add_argument("directory")
    exp.set_defaults(func=_export)


def _export(args: argparse.Namespace, beam_args: list[str]) -> int:
    for path in export_json_schemas(args.directory):
        print(path)
    return 0
