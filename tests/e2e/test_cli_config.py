"""newsbeam run --config and newsbeam config check, through the real CLI."""

from __future__ import annotations

import subprocess
import sys

from pipelines.expected import read_jsonl_dir

JOB = """\
version: 1
sources:
  - kind: files
    paths: [sample_data/input/txt, sample_data/input/bad]
output: {never}
options:
  enrich: none
  num_shards: 1
runner:
  kind: direct
"""


def newsbeam(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True,
                          timeout=600)


def test_run_from_a_job_file_with_the_output_overridden(tmp_path):
    job = tmp_path / "job.yaml"
    job.write_text(JOB.format(never=tmp_path / "not-this-one"))
    out = tmp_path / "out"
    proc = newsbeam("run", "--config", str(job), "--output", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "accounting     OK" in proc.stdout
    assert not (tmp_path / "not-this-one").exists()
    articles = read_jsonl_dir(str(out / "articles"))
    assert articles and all(a["entities"] == [] for a in articles)  # options.enrich: none applied
    assert len(read_jsonl_dir(str(out / "dead_letters"))) == 2  # the bad/ folder came from the file


def test_config_check(tmp_path):
    good = newsbeam("config", "check", "deploy/examples/sample.yaml")
    assert good.returncode == 0 and "deploy/examples/sample.yaml: OK" in good.stdout
    assert "newsbeam run --input sample_data/input --output=out/sample" in good.stdout
    bad = tmp_path / "jobs.yaml"
    bad.write_text("sources:\n  - kind: files\n    paths: [x]\noutput: o\nsinks:\n  - kind: jsonl\n    path: j\n"
                   "  - kind: parqet\n    path: p\n")
    proc = newsbeam("config", "check", str(bad))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == ("newsbeam config: error: jobs.yaml: sinks[1].kind: unknown sink 'parqet' "
                                   "(expected one of jsonl, parquet, postgres, kafka)")
    run = newsbeam("run", "--config", str(bad))
    assert run.returncode == 2 and "newsbeam run: error: jobs.yaml: sinks[1].kind: unknown sink" in run.stderr
