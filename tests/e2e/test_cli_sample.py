"""End-to-end: the CLI on sample_data/ writes the contract's folders and the expected outputs."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pipelines.expected import project, read_expected, read_jsonl_dir

SAMPLE = "sample_data/input"
EXPECTED = "sample_data/expected"
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "out"
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--input", SAMPLE, "--output", str(out)],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc.stdout


def _count(summary: str, label: str) -> int:
    return int(re.search(rf"{label}\s+(\d+)", summary).group(1))


def test_summary_accounting_matches_the_files(sample_run):
    out, stdout = sample_run
    articles = read_jsonl_dir(str(out / "articles"))
    duplicates = read_jsonl_dir(str(out / "duplicates"))
    dead = read_jsonl_dir(str(out / "dead_letters"))
    assert "accounting     OK" in stdout
    assert _count(stdout, "articles out") == len(articles)
    assert _count(stdout, "duplicates") == len(duplicates)
    assert _count(stdout, "dead letters") == len(dead)
    assert _count(stdout, "records in") == len(articles) + len(duplicates) + len(dead)
    assert len(articles) >= 15 and duplicates and dead


def test_article_lines_carry_the_contract_fields(sample_run):
    out, _ = sample_run
    for a in read_jsonl_dir(str(out / "articles")):
        assert a["id"] and a["headline"] and a["body"]
        assert isinstance(a["authors"], list) and isinstance(a["captions"], list)
        assert a["published_at"] is None or ISO_Z.match(a["published_at"])
        assert a["language"] is None or re.fullmatch(r"[a-z]{2}", a["language"])
        for key in ("standfirst", "section", "agency"):
            assert key in a
        for e in a["entities"]:
            assert {"name", "type", "mentions", "salience"} <= e.keys()
        for t in a["topics"]:
            assert t["code"].startswith("medtop:") and t["label"] and 0 <= t["score"] <= 1
        assert set(a["dedupe"]) >= {"cluster_id", "duplicate_of"}
        assert set(a["source"]) >= {"uri", "line"}
        if a["source"]["uri"].endswith((".jsonl", ".jsonl.gz")):
            assert a["source"]["line"] >= 1


def test_duplicates_and_dead_letters_carry_the_contract_fields(sample_run):
    out, _ = sample_run
    ids = {a["id"] for a in read_jsonl_dir(str(out / "articles"))}
    for d in read_jsonl_dir(str(out / "duplicates")):
        assert d["duplicate_of"] in ids and 0 < d["similarity"] <= 1 and d["source"]["uri"]
    for d in read_jsonl_dir(str(out / "dead_letters")):
        assert d["stage"] and d["error"] and d["message"] and d["source"]["uri"]
        assert (d["raw"] is not None) or (d["raw_base64"] is not None)


def test_output_matches_the_expected_files(sample_run):
    out, _ = sample_run
    got, want = project(str(out)), read_expected(EXPECTED)
    for name in ("dead_letters", "duplicates", "articles"):
        assert got[name] == want[name], f"{name} differ from {EXPECTED}; run scripts/update_expected.sh and review"
