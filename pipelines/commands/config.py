"""``newsbeam config check FILE``: validate a job file and show the command line it stands for."""

from __future__ import annotations

import argparse
import shlex
import sys

from pipelines.io.files import check_inputs
from pipelines.redaction import redact


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "config", help="job files: check one",
        description="Job files (YAML or TOML) describe a run: sources, sinks, options and runner profiles; "
                    "see deploy/examples/. `newsbeam run --config FILE` runs one, flags override it.")
    actions = p.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="validate FILE; print the equivalent command line",
                               description="Validate FILE and print the `newsbeam run` command it stands for. "
                                           "Exit status 2 and one line per problem when it is not valid.")
    check.add_argument("file", metavar="FILE")
    check.add_argument("--profile", default=None, help="runner profile to resolve (default: the file's runner)")
    check.set_defaults(func=_check, pipeline_options=False)


def print_problems(command: str, problems: list[str]) -> None:
    for problem in problems:
        print(f"newsbeam {command}: error: {problem}", file=sys.stderr)


def _check(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipelines.jobfile import ConfigError, load_job, merge_flags

    try:
        job = load_job(args.file, args.profile)
    except ConfigError as exc:
        print_problems("config", exc.problems)
        return 2
    flags = merge_flags(job.flags(args.profile), [])
    profile = args.profile or (job.runner if isinstance(job.runner, str) else None)
    print(f"{args.file}: OK ({len(job.sources)} source(s), {len(job.sinks)} sink(s)"
          + (f", profile {profile}" if profile else "") + ")")
    print("  newsbeam run " + redact(shlex.join(flags)))  # a DSN's password is not shown
    for source in job.sources:  # a hint, not an error: the files may be made before the run
        for path in getattr(source, "paths", []):
            try:
                check_inputs([path])
            except FileNotFoundError:
                print(f"  warning: sources: {path} matches no file here", file=sys.stderr)
    return 0
