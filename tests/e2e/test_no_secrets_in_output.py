"""Secrets are never printed: produce, run and replay over SASL_SSL with a PostgreSQL sink whose DSN
carries the password, each with --debug (every library's DEBUG log, Beam's included), and a wrong
PostgreSQL password; neither password appears in stdout, stderr or any file the commands write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.kafka import article_json, read_jsonl
from tests.fixtures.pg_auth import pg_password, uri_with_password

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]
N = 6


def newsbeam(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True,
                          timeout=600, env=env, cwd=ROOT)


def files_containing(directory: Path, secrets: list[str]) -> list[str]:
    return [str(path) for path in directory.rglob("*") if path.is_file()
            and any(s.encode() in path.read_bytes() for s in secrets)]


def test_passwords_appear_in_no_output_or_log(secure_kafka, secure_topic, scram_user, pg_dsn, tmp_path):
    kafka_secret, pg_secret, wrong_pg_secret = scram_user.password, pg_password(pg_dsn), "Wrong-PG-Secret-9182"
    secrets = [kafka_secret, pg_secret, wrong_pg_secret]
    env = os.environ | {"NEWSBEAM_KAFKA_PASSWORD": kafka_secret}
    env.pop("PGPASSWORD", None)
    flags = secure_kafka.flags(scram_user.name)  # the Kafka password from the environment
    topic = secure_topic()
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.jsonl").write_bytes(b"\n".join(article_json(i, topic) for i in range(N)) + b"\n")
    sink = f"--sink=postgres:{uri_with_password(pg_dsn, pg_secret)}"
    runs = {
        # --create-partitions: kafka-python's admin client logs its whole config (password included) at DEBUG
        "produce": newsbeam("--debug", "produce", "--topic", f"{topic}-p", "--create-partitions", "1", "--quiet",
                            "--timestamp", "2024-05-01T00:00:00Z", *flags, str(inputs), env=env),
        "run": newsbeam("--debug", "run", "--runner=DirectRunner", f"--source=kafka:///{topic}-p",
                        f"--output={tmp_path / 'run'}", sink, *flags, env=env),
        "replay": newsbeam("--debug", "replay", "--topic", f"{topic}-p", "--from", "2024-05-01T00:00:00Z",
                           "--to", "2024-05-02T00:00:00Z", f"--output={tmp_path / 'replay'}", "--runner=DirectRunner",
                           sink, *flags, env=env),
        "wrong-pg": newsbeam("run", "--runner=DirectRunner", "--input", str(inputs), f"--output={tmp_path / 'wrong'}",
                             f"--sink=postgres:{uri_with_password(pg_dsn, wrong_pg_secret)}", env=env),
        "wrong-pg-debug": newsbeam("--debug", "run", "--runner=DirectRunner", "--input", str(inputs),
                                   f"--output={tmp_path / 'wrong-debug'}",
                                   f"--sink=postgres:{uri_with_password(pg_dsn, wrong_pg_secret)}", env=env),
    }
    for name in ("produce", "run", "replay"):
        assert runs[name].returncode == 0, (name, runs[name].stderr[-3000:])
        assert "DEBUG" in runs[name].stderr  # the debug logs were on
    assert "'sasl_plain_password': '***'" in runs["produce"].stderr  # the dump happened, masked
    for name in ("run", "replay"):  # all N articles, also in PostgreSQL (a refused row would be a dead letter)
        assert len(read_jsonl(tmp_path / name, "articles")) == N and not read_jsonl(tmp_path / name, "dead_letters")
    wrong = runs["wrong-pg"]
    assert wrong.returncode == 1 and len(wrong.stderr.strip().splitlines()) == 1, wrong.stderr
    assert "PostgreSQL refused the login of user newsbeam" in wrong.stderr and "(wrong password)" in wrong.stderr
    assert runs["wrong-pg-debug"].returncode == 1 and "Traceback" in runs["wrong-pg-debug"].stderr
    for name, proc in runs.items():
        leaked = [s for s in secrets if s in proc.stdout or s in proc.stderr]
        assert not leaked, f"{name} printed a password"
    outputs = [tmp_path / name for name in ("run", "replay", "wrong", "wrong-debug")]
    assert all(d.is_dir() for d in outputs[:2])
    assert [f for d in outputs if d.exists() for f in files_containing(d, secrets)] == []
