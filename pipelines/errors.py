"""Errors for humans: one line that says what went wrong and how to fix it (the trace with --debug).

``explain(exc)`` maps the failures operators meet first (no Kafka broker, a PostgreSQL DSN that
does not connect, a path that matches nothing or cannot be read, a bad option value) to a line
with the fix; anything else becomes its own first line. Errors raised inside a running pipeline
reach us as Beam's RuntimeError holding the worker's traceback as text, so they are matched by
the exception's name on the traceback's last line.

``check_pipeline_flags`` parses the flags a command hands to Beam with every PipelineOptions
class, the way Beam does, but fails on a bad value with one line and reports flags that no class
declares (Beam drops those silently), with the closest known flag.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterator

from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.options.pipeline_options import _BeamArgumentParser as _ArgumentParser

import pipelines.options  # noqa: F401 - declares newsbeam's PipelineOptions subclasses

KAFKA_FIX = ("start the local broker with `bash deploy/local/kafka.sh start`, or point --bootstrap / "
             "--kafka_bootstrap_servers (or the kafka://HOST:PORT/TOPIC URI) at a running broker")
POSTGRES_FIX = ("check the DSN of --sink postgres:DSN (host, port, dbname, user; the password comes from "
                "PGPASSWORD or PGPASSFILE), or start the local server with `bash deploy/local/postgres.sh start`")
POSTGRES_PASSWORD_FIX = ("put the role's password in PGPASSWORD or in a PGPASSFILE (or passfile= in the DSN) rather "
                         "than in the DSN; for the local server `bash deploy/local/postgres.sh dsn` prints a DSN "
                         "with its passfile")
# The last "pkg.SomeError: message" line of a traceback carried as text.
_TRACE_LINE = re.compile(r"^(?:[\w.]+\.)?(?P<name>\w+(?:Error|Exception|Exit|Available|Timeout))(?::\s*(?P<msg>.*))?$")
_WHILE = re.compile(r"\[while running '([^']+)'\]")


class OptionError(ValueError):
    """A pipeline option with a value its declaration refuses."""


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]


def _remote(exc: BaseException) -> tuple[str, str, str | None] | None:
    """(exception name, message, step) of an error a Beam worker raised, from its traceback text."""
    text = str(exc)
    if "Traceback (most recent call last)" not in text:
        return None
    step = _WHILE.search(text)
    for line in reversed(text.splitlines()):
        match = _TRACE_LINE.match(line.strip())
        if match:
            msg = _WHILE.sub("", match.group("msg") or "").strip()
            return match.group("name"), msg, step.group(1) if step else None
    return None


def _kafka(name: str, msg: str) -> str | None:
    # kafka-python 3 says KafkaTimeoutError "Unable to bootstrap"; older releases NoBrokersAvailable.
    if name in ("KafkaUnreachableError", "NoBrokersAvailable", "MetadataEmptyBrokerList") or (
            name in ("KafkaTimeoutError", "KafkaConnectionError")
            and ("bootstrap" in msg.lower() or "ECONNREFUSED" in msg)):
        detail = f" ({msg})" if msg else ""
        return f"cannot reach a Kafka broker{detail}: {KAFKA_FIX}"
    return None


def _postgres(name: str, msg: str) -> str | None:
    if name == "OperationalError" and ("password authentication failed" in msg or "no password supplied" in msg):
        user = re.search(r'for user "([^"]*)"', msg)
        where = re.search(r'server at "([^"]*)", port (\d+)', msg)
        who = f" of user {user.group(1)}" if user else ""
        at = f" at {where.group(1)}:{where.group(2)}" if where else ""
        missing = "no password given" if "no password supplied" in msg else "wrong password"
        return f"PostgreSQL refused the login{who}{at} ({missing}): {POSTGRES_PASSWORD_FIX}"
    if name == "OperationalError" and ("connection" in msg or "authentication" in msg or "database" in msg):
        return f"cannot connect to PostgreSQL ({first_line(msg)}): {POSTGRES_FIX}"
    return None


def _files(exc: BaseException) -> str | None:
    if isinstance(exc, PermissionError):
        return (f"cannot read {exc.filename or 'a file'}: permission denied; give the user running newsbeam "
                "read access, or copy the file somewhere readable")
    if isinstance(exc, IsADirectoryError):
        return f"{exc.filename} is a directory: pass a file (or use `newsbeam run --input DIR` for a folder)"
    if isinstance(exc, FileNotFoundError):
        what = str(exc) if exc.filename is None else f"no such file: {exc.filename}"
        return (f"{what}: check the path (relative paths start at {os.getcwd()}); directories are read "
                "recursively and globs need quotes")
    return None


_BY_NAME: list[Callable[[str, str], str | None]] = [_kafka, _postgres]


def explain(exc: BaseException) -> str:
    """One line for a human: what failed and, for the failures we know, the fix."""
    for e in _chain(exc):
        if isinstance(e, OptionError):
            return f"{e} (newsbeam run --help-options lists newsbeam's options)"
        found = _files(e)
        if found:
            return found
        for rule in _BY_NAME:
            found = rule(type(e).__name__, str(e))
            if found:
                return found
    remote = _remote(exc)
    if remote is not None:
        name, msg, step = remote
        for rule in _BY_NAME:
            found = rule(name, msg)
            if found:
                return found
        where = f" in step {step}" if step else ""
        return f"{name}{where}: {first_line(msg)} (rerun with --debug for the trace)"
    text = first_line(str(exc))
    if not text:
        return type(exc).__name__
    # Our own errors carry their fix in the message; others keep their type for a search.
    return text if exc.__class__.__module__.startswith(("pipelines", "builtins")) else f"{type(exc).__name__}: {text}"


class _StrictParser(_ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        if message.startswith("ambiguous option: "):  # as Beam: no prefix matching
            return
        raise OptionError(message.replace("argument ", "option ", 1))


def all_options_parser() -> _StrictParser:
    """Every declared pipeline option, as Beam collects them, failing with OptionError."""
    parser = _StrictParser(allow_abbrev=False, add_help=False)
    subset: dict[str, type[PipelineOptions]] = {}
    for cls in PipelineOptions.__subclasses__():
        subset.setdefault(str(cls), cls)
    for cls in subset.values():
        cls._add_argparse_args(parser)
    return parser


def check_pipeline_flags(flags: list[str]) -> list[str]:
    """Warnings for flags no PipelineOptions class declares; OptionError for a bad value."""
    parser = all_options_parser()
    _, unknown = parser.parse_known_args(flags)
    known = [opt for action in parser._actions for opt in action.option_strings]
    warnings = []
    for arg in unknown:
        if not arg.startswith("-"):
            continue  # the value of the unknown flag before it
        name = arg.split("=", 1)[0]
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]}?" if close else ""
        warnings.append(f"unknown option {name} is ignored{hint}")
    return warnings
