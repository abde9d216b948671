"""Kafka over SASL_SSL (SCRAM-SHA-512, TLS on loopback) against the real secured broker
(deploy/local/kafka-secure.sh, certificates made by openssl at its first start)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.io.kafka_login import KafkaAuthError, verify_sasl_login
from tests.fixtures.kafka import article_json, read_jsonl

pytestmark = pytest.mark.kafka
N = 12


def write_articles(directory: Path, tag: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "articles.jsonl").write_bytes(b"\n".join(article_json(i, tag) for i in range(N)) + b"\n")
    return directory


def test_produce_and_bounded_run_over_sasl_ssl(secure_kafka, secure_topic, scram_user, tmp_path, monkeypatch):
    topic = secure_topic()
    inputs = write_articles(tmp_path / "in", topic)
    # produce: the password from a file; run: from the environment variable.
    assert main(["produce", "--topic", topic, "--quiet",
                 *secure_kafka.flags(scram_user.name, scram_user.password_file), str(inputs)]) == 0
    monkeypatch.setenv("NEWSBEAM_KAFKA_PASSWORD", scram_user.password)
    out = tmp_path / "out"
    assert main(["run", "--runner=DirectRunner", f"--source=kafka:///{topic}", f"--output={out}",
                 *secure_kafka.flags(scram_user.name)]) == 0
    articles = read_jsonl(out, "articles")
    assert len(articles) == N and not read_jsonl(out, "dead_letters") and not read_jsonl(out, "duplicates")
    assert {a["source"]["uri"] for a in articles} == {f"kafka://{topic}/0/{offset}" for offset in range(N)}


def test_wrong_password_is_one_line_without_the_password(secure_kafka, secure_topic, scram_user, tmp_path):
    topic = secure_topic()
    wrong = "Wrong-Kafka-Secret-4711"
    env = os.environ | {"NEWSBEAM_KAFKA_PASSWORD": wrong}
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--runner=DirectRunner", f"--source=kafka:///{topic}",
         f"--output={tmp_path / 'out'}", *secure_kafka.flags(scram_user.name)],
        capture_output=True, text=True, timeout=300, env=env, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"newsbeam run: error: Kafka at {secure_kafka.bootstrap} refused the SASL login of user "
        f"'{scram_user.name}' (SCRAM-SHA-512): check the password in $NEWSBEAM_KAFKA_PASSWORD and "
        "--kafka_sasl_username"]
    assert wrong not in proc.stdout + proc.stderr


def test_produce_with_a_wrong_password_file(secure_kafka, secure_topic, scram_user, tmp_path, capsys):
    topic = secure_topic()
    wrong = tmp_path / "wrong.password"
    wrong.write_text("Wrong-Kafka-Secret-0815\n")
    code = main(["produce", "--topic", topic, "--quiet", *secure_kafka.flags(scram_user.name, str(wrong)),
                 str(write_articles(tmp_path / "in", topic))])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Wrong-Kafka-Secret-0815" not in err
    assert f"refused the SASL login of user '{scram_user.name}'" in err and f"in the file {wrong}" in err


def test_tls_and_mechanism_problems_are_named(secure_kafka, scram_user, tmp_path):
    user = _as(scram_user)
    system_cas_only = secure_kafka.connection(**user, ssl_cafile=None)
    with pytest.raises(KafkaAuthError, match=r"TLS to Kafka at .* failed \(self-signed certificate in certificate "
                                             r"chain\): pass the CA .* --kafka_ssl_cafile"):
        verify_sasl_login(system_cas_only)
    with pytest.raises(KafkaAuthError, match=r"does not offer SASL mechanism SCRAM-SHA-256 \(it offers "
                                             r"SCRAM-SHA-512\): change --kafka_sasl_mechanism"):
        verify_sasl_login(secure_kafka.connection(**user, sasl_mechanism="SCRAM-SHA-256"))
    with pytest.raises(KafkaAuthError, match=r"TLS to Kafka at .* failed"):  # a plaintext port is no TLS listener
        verify_sasl_login(secure_kafka.connection(**user, bootstrap_servers=_controller(secure_kafka)))
    verify_sasl_login(secure_kafka.connection(**user))  # and the right settings pass


def _controller(secure_kafka) -> str:
    host, port = secure_kafka.bootstrap.rsplit(":", 1)
    return f"{host}:{int(port) + 1}"  # kafka.sh: the controller listener, PLAINTEXT


def test_kafka_sink_over_sasl_ssl_and_its_refused_login(secure_kafka, secure_topic, scram_user, tmp_path, capsys):
    from tests.integration.test_kafka_produce import consume_all

    topic = secure_topic()
    inputs = write_articles(tmp_path / "in", topic)
    args = ["run", "--runner=DirectRunner", "--input", str(inputs), f"--sink=kafka://{secure_kafka.bootstrap}/{topic}"]
    assert main([*args, f"--output={tmp_path / 'out'}",
                 *secure_kafka.flags(scram_user.name, scram_user.password_file)]) == 0
    assert len(consume_all(secure_kafka.connection(**_as(scram_user)), topic)) == N
    wrong = tmp_path / "wrong.password"
    wrong.write_text("Wrong-Kafka-Secret-2222")
    capsys.readouterr()
    assert main([*args, f"--output={tmp_path / 'out2'}", *secure_kafka.flags(scram_user.name, str(wrong))]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused the SASL login" in err and "Wrong-Kafka-Secret-2222" not in err


def _as(user) -> dict[str, str]:
    return {"sasl_username": user.name, "sasl_password_file": user.password_file}
