"""Job files: a YAML or TOML description of a run (sources, sinks, options, runner profile) that
users commit, validated by pydantic with errors that name the bad key.

    newsbeam config check jobs.yaml
    newsbeam run --config jobs.yaml [--profile NAME] [flags that override the file]

A job file becomes the same pipeline flags a user would type (``JobFile.flags``), so a job file
and a command line can never mean different things; flags given on the command line replace the
file's value of that option (a list option such as --input or --sink is replaced whole).
"""

from __future__ import annotations

import argparse
import difflib
import os
import tomllib
from abc import abstractmethod
from collections.abc import Iterable
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, field_validator

from pipelines.errors import OptionError, all_options_parser
from pipelines.io.kafka_config import KafkaConfigError, parse_kafka_uri
from pipelines.io.sink_spec import SinkSpecError, parse_sink_spec

RUNNERS = {"direct": "DirectRunner", "prism": "PrismRunner", "flink": "FlinkRunner",
           "portable": "PortableRunner", "dataflow": "DataflowRunner"}
# Options a runner cannot start without (Beam fails late, after building the pipeline).
RUNNER_REQUIRES = {"dataflow": ("project", "region", "temp_location"), "portable": ("job_endpoint",)}
# Pipeline options that have their own section in a job file.
SECTION_OF = {"inputs": "sources", "source": "sources", "kafka_topics": "sources", "output": "output",
              "sinks": "sinks", "runner": "runner.kind", "streaming": "runner.streaming"}


class ConfigError(ValueError):
    """Every problem of one job file, each as ``FILE: KEY.PATH: what is wrong``."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = [f"{os.path.basename(path)}: {p}" for p in problems]
        super().__init__("\n".join(self.problems))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FilesSource(_Section):
    kind: Literal["files"]
    paths: list[str] = Field(min_length=1, description="files, directories or globs, as for --input")


class KafkaSource(_Section):
    kind: Literal["kafka"]
    uri: str = Field(description="kafka://HOST:PORT[,HOST:PORT]/TOPIC[,TOPIC]")
    start: str | None = Field(default=None, description="as --kafka_start")
    stop: str | None = Field(default=None, description="as --kafka_stop")
    group_id: str | None = None
    unbounded: bool = False

    @field_validator("uri")
    @classmethod
    def _uri(cls, value: str) -> str:
        try:
            parse_kafka_uri(value)
        except KafkaConfigError as exc:
            raise ValueError(str(exc)) from None
        return value


class _Sink(_Section):
    @abstractmethod
    def spec(self) -> str:
        """This sink as a ``--sink`` spec (pipelines/io/sink_spec.py)."""


class JsonlSink(_Sink):
    kind: Literal["jsonl"]
    path: str

    def spec(self) -> str:
        return f"jsonl:{self.path}"


class ParquetSink(_Sink):
    kind: Literal["parquet"]
    path: str

    def spec(self) -> str:
        return f"parquet:{self.path}"


class PostgresSink(_Sink):
    kind: Literal["postgres"]
    dsn: str = Field(description="libpq DSN; the password comes from PGPASSWORD or PGPASSFILE")

    def spec(self) -> str:
        return f"postgres:{self.dsn}"


class KafkaSink(_Sink):
    kind: Literal["kafka"]
    uri: str = Field(description="kafka://HOST:PORT/TOPIC")

    def spec(self) -> str:
        return self.uri


Source = Annotated[FilesSource | KafkaSource, Field(discriminator="kind")]
Sink = Annotated[JsonlSink | ParquetSink | PostgresSink | KafkaSink, Field(discriminator="kind")]


class RunnerProfile(_Section):
    kind: Literal["direct", "prism", "flink", "portable", "dataflow"] = "direct"
    streaming: bool = False
    options: dict[str, Any] = Field(default_factory=dict, description="runner pipeline options by name")


def _runner_tag(value: Any) -> str:
    """``runner:`` is either a profile (a mapping) or the name of one in ``profiles``."""
    return "name" if isinstance(value, str) else "profile"


class JobFile(_Section):
    version: Literal[1] = 1
    name: str | None = None
    sources: list[Source] = Field(min_length=1)
    output: str | None = Field(default=None, description="the JSON Lines contract folder, as --output")
    sinks: list[Sink] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict, description="newsbeam pipeline options by name")
    runner: Annotated[Annotated[RunnerProfile, Tag("profile")] | Annotated[str, Tag("name")],
                      Discriminator(_runner_tag)] = Field(default_factory=RunnerProfile)
    profiles: dict[str, RunnerProfile] = Field(default_factory=dict)

    def profile(self, name: str | None = None) -> RunnerProfile:
        chosen = name or (self.runner if isinstance(self.runner, str) else None)
        if chosen is None:
            assert isinstance(self.runner, RunnerProfile)
            return self.runner
        return self.profiles[chosen]

    def flags(self, profile: str | None = None) -> list[tuple[str, list[str]]]:
        """(option dest, flags) in a stable order: what this job means on the command line."""
        out: list[tuple[str, list[str]]] = []
        paths = [p for s in self.sources if isinstance(s, FilesSource) for p in s.paths]
        if paths:
            out.append(("inputs", ["--input", *paths]))
        for source in self.sources:
            if isinstance(source, KafkaSource):
                out.append(("source", [f"--source={source.uri}"]))
                for dest, value in (("kafka_start", source.start), ("kafka_stop", source.stop),
                                    ("kafka_group_id", source.group_id)):
                    if value is not None:
                        out.append((dest, [f"--{dest}={value}"]))
                if source.unbounded:
                    out.append(("kafka_unbounded", ["--kafka_unbounded"]))
        if self.output:
            out.append(("output", [f"--output={self.output}"]))
        if self.sinks:
            out.append(("sinks", [f"--sink={s.spec()}" for s in self.sinks]))
        runner = self.profile(profile)
        out.append(("runner", [f"--runner={RUNNERS[runner.kind]}"]))
        if runner.streaming:
            out.append(("streaming", ["--streaming"]))
        parser = all_options_parser()
        for options in (self.options, runner.options):
            for key, value in options.items():
                action = _action(parser, key)
                assert action is not None  # validated
                out.append((action.dest, _option_flags(action, value)))
        return out


def _action(parser: argparse.ArgumentParser, key: str) -> argparse.Action | None:
    action = parser._option_string_actions.get(f"--{key}")
    if action is not None:
        return action
    return next((a for a in parser._actions if a.dest == key and a.option_strings), None)


def _option_flags(action: argparse.Action, value: Any) -> list[str]:
    flag = action.option_strings[0]
    if action.nargs == 0:  # store_true / store_false
        if not isinstance(value, bool):
            raise OptionError(f"expected true or false, got {value!r}")
        wanted = isinstance(action, argparse._StoreTrueAction)
        return [flag] if value is wanted else []
    values = value if isinstance(value, list) else [value]
    if isinstance(value, list) and not (action.nargs in ("+", "*") or isinstance(action, argparse._AppendAction)):
        raise OptionError(f"expected one value, got a list of {len(value)}")
    if isinstance(value, dict):
        raise OptionError("expected a value, got a mapping")
    text = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
    if action.nargs in ("+", "*"):
        return [flag, *text]
    return [f"{flag}={v}" for v in text]


def _options_problems(options: dict[str, Any], where: str) -> list[str]:
    parser = all_options_parser()
    known = sorted({a.dest for a in parser._actions if a.option_strings})
    problems = []
    for key, value in options.items():
        loc = f"{where}.{key}"
        action = _action(parser, key)
        if action is None:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
            hint = f"; did you mean {close[0]}?" if close else " (newsbeam run --help-options lists them)"
            problems.append(f"{loc}: unknown option{hint}")
            continue
        if action.dest in SECTION_OF:
            problems.append(f"{loc}: set this in the job file's `{SECTION_OF[action.dest]}` instead")
            continue
        try:
            parser.parse_known_args(_option_flags(action, value))
        except OptionError as exc:
            problems.append(f"{loc}: {str(exc).split(': ', 1)[-1]}")
    return problems


_UNIONS = {"sources": ("source", ("files", "kafka")), "sinks": ("sink", ("jsonl", "parquet", "postgres", "kafka"))}
_VOCABULARY = sorted({name for model in (JobFile, FilesSource, KafkaSource, JsonlSink, ParquetSink, PostgresSink,
                                         KafkaSink, RunnerProfile) for name in model.model_fields})


def _loc(loc: Iterable[Any]) -> str:
    text, previous, head = "", None, None
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif isinstance(previous, int) and head in _UNIONS and part in _UNIONS[head][1]:
            pass  # pydantic names the union member it tried; the user wrote no such key
        elif previous == "runner" and part in ("profile", "name"):
            pass  # the tag of runner's union (a profile mapping or a profile's name)
        elif previous is not None and str(previous) in ("options", "profiles"):
            text += f".{part}"
        else:
            text += f".{part}" if text else str(part)
        head = head or part
        previous = part
    return text


def _pydantic_problems(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        loc, kind, ctx = err["loc"], err["type"], err.get("ctx") or {}
        where = _loc(loc)
        head = loc[0] if loc else None
        if kind in ("union_tag_invalid", "union_tag_not_found") and head in _UNIONS:
            noun, tags = _UNIONS[head]
            got = f"unknown {noun} {ctx['tag']!r}" if kind == "union_tag_invalid" else f"{noun} has no kind"
            problems.append(f"{where}.kind: {got} (expected one of {', '.join(tags)})")
        elif kind == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), _VOCABULARY, n=1, cutoff=0.6)
            problems.append(f"{where}: unknown key" + (f"; did you mean {close[0]}?" if close else ""))
        elif kind == "missing":
            problems.append(f"{where}: required")
        elif kind == "literal_error" and where.endswith("kind"):
            kinds = ", ".join(RUNNERS) if "runner" in where or "profiles" in where else ctx.get("expected")
            problems.append(f"{where}: unknown runner {err['input']!r} (expected one of {kinds})")
        elif kind == "literal_error":
            problems.append(f"{where}: {err['input']!r} is not one of {ctx.get('expected')}")
        elif where == "runner" and kind == "model_type":
            problems.append("runner: expected a profile (kind, streaming, options) or the name of one in profiles")
        else:
            problems.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return problems


def parse_job(data: Any, path: str, profile: str | None = None) -> JobFile:
    """Validate a loaded job document; ConfigError lists every problem with its key."""
    if not isinstance(data, dict):
        raise ConfigError(path, [f"expected a mapping of sections (sources, sinks, options, runner), "
                                 f"got {type(data).__name__}"])
    try:
        job = JobFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(path, _pydantic_problems(exc)) from None
    problems: list[str] = []
    if sum(isinstance(s, KafkaSource) for s in job.sources) > 1:
        problems.append("sources: at most one kafka source (list several topics in its uri)")
    if any(isinstance(s, KafkaSource) for s in job.sources) and any(isinstance(s, FilesSource) for s in job.sources):
        problems.append("sources: a job reads files or Kafka, not both (run two jobs)")
    if not job.output and not job.sinks:
        problems.append("output: required when no sinks are given (the folder for articles/, duplicates/, "
                        "dead_letters/)")
    for i, sink in enumerate(job.sinks):
        try:
            parse_sink_spec(sink.spec())
        except SinkSpecError as exc:
            problems.append(f"sinks[{i}]: {exc}")
    problems += _options_problems(job.options, "options")
    if isinstance(job.runner, str) and job.runner not in job.profiles:
        problems.append(f"runner: no profile {job.runner!r} in profiles (have: {', '.join(job.profiles) or 'none'})")
    if profile is not None and profile not in job.profiles:
        problems.append(f"--profile {profile}: no such profile in profiles (have: {', '.join(job.profiles) or 'none'})")
    named = [("runner", job.runner)] if isinstance(job.runner, RunnerProfile) else []
    for where, runner in named + [(f"profiles.{k}", v) for k, v in job.profiles.items()]:
        problems += _options_problems(runner.options, f"{where}.options")
        for key in RUNNER_REQUIRES.get(runner.kind, ()):
            if key not in runner.options:
                problems.append(f"{where}.options.{key}: required by the {runner.kind} runner")
    if problems:
        raise ConfigError(path, problems)
    return job


def load_document(path: str) -> Any:
    """YAML (.yaml/.yml) or TOML (.toml); syntax errors become ConfigError with the line."""
    with open(path, "rb") as f:
        raw = f.read()
    if path.lower().endswith(".toml"):
        try:
            return tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(path, [f"not valid TOML: {exc}"]) from None
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(path, [f"{where}not valid YAML: {problem}"]) from None


def load_job(path: str, profile: str | None = None) -> JobFile:
    return parse_job(load_document(path), path, profile)


def merge_flags(job_flags: list[tuple[str, list[str]]], cli_flags: list[str]) -> list[str]:
    """The job's flags, minus every option the command line sets, then the command line."""
    parser = all_options_parser()
    overridden = set()
    for token in cli_flags:
        if token.startswith("--"):
            action = parser._option_string_actions.get(token.split("=", 1)[0])
            if action is not None:
                overridden.add(action.dest)
    if "source" in overridden or "inputs" in overridden:  # a new source replaces the file's, whatever kind
        overridden |= {"source", "inputs"}
    merged = [flag for dest, flags in job_flags if dest not in overridden for flag in flags]
    return merged + list(cli_flags)
