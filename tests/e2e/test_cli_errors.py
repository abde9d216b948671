"""The CLI's failures for humans: one line on stderr with the fix, no stack trace (unless --debug)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def newsbeam(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True,
                          timeout=300)


def _one_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.mark.parametrize(("args", "expected"), [
    (["run", "--input", "no/such/dir", "--output", "{tmp}"], "no input files match: no/such/dir: check the path"),
    (["run", "--input", "sample_data/input/txt", "--output", "{tmp}", "--num_shards", "many"],
     "option --num_shards: invalid int value: 'many'"),
    (["run", "--input", "sample_data/input/txt", "--output", "{tmp}",
      "--sink", "postgres:postgresql://newsbeam@127.0.0.1:1/newsbeam"],
     "cannot connect to PostgreSQL (connection failed"),
    # a port nobody listens on: answered within ~10 s, not after kafka-python's 30 s bootstrap timeout
    (["run", "--source", "kafka://127.0.0.1:1/news", "--output", "{tmp}", "--runner", "DirectRunner"],
     "cannot reach a Kafka broker (no broker accepted a connection at 127.0.0.1:1 within 10 s)"),
    (["replay", "--topic", "news"], "the following arguments are required: --from, --to, --output"),
    (["inspect", "no/such/file.txt"], "no such file: no/such/file.txt"),
    (["report", "{tmp}/missing"], "no run output in"),
], ids=["path", "option-value", "dsn", "no-broker", "usage", "inspect-path", "report-dir"])
def test_failures_are_one_line_with_the_fix(tmp_path, args, expected):
    line = _one_line(newsbeam(*[a.format(tmp=tmp_path) for a in args]))
    assert line.startswith(f"newsbeam {args[0]}: error: ") and expected in line


def test_unknown_flags_are_named_with_a_suggestion(tmp_path):
    proc = newsbeam("run", "--input", "no/such/dir", "--ouptut", str(tmp_path))
    assert "warning: unknown option --ouptut is ignored; did you mean --output?" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_debug_shows_the_trace(tmp_path):
    proc = newsbeam("--debug", "run", "--input", "no/such/dir", "--output", str(tmp_path))
    assert proc.returncode != 0 and "Traceback" in proc.stderr and "FileNotFoundError" in proc.stderr
