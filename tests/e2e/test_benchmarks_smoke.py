"""Smoke run of the benchmark suite at a tiny size: it runs and writes complete results (never the speed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ONLY = "parse_text,parse_json,dedupe,e2e_plain_noner,e2e_beam_noner"


@pytest.mark.timeout(1500)  # a dozen child processes; slow only when the shared machine is busy
def test_suite_writes_json_markdown_and_chart(tmp_path):
    out = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "60,120", "--repeat", "1", "--ner-max", "0",
         "--only", ONLY, "--no-kafka", "--out", str(out), "--corpus-root", str(tmp_path / "corpus")],
        cwd=ROOT, capture_output=True, text=True, timeout=1400)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]

    summary = json.loads((out / "latest.json").read_text())
    assert {"generated", "machine", "config", "load1", "corpora", "measurements", "ratios", "scaling",
            "targets"} <= summary.keys()
    assert {"cpu", "cores", "ram_gb", "python", "beam"} <= summary["machine"].keys()
    for size in (60, 120):
        for name in ONLY.split(","):
            m = summary["measurements"][f"{name}@{size}"]
            assert not m["errors"], m["errors"]
            assert m["items"] > 0 and m["peak_rss_mb"] > 0
            assert {"median", "min", "max", "spread_pct"} <= m["wall_s"].keys()
            assert m["rate_wall"] > 0 and m["rate_cpu"] > 0
    e2e = summary["measurements"]["e2e_beam_noner@120"]["extra"]
    assert e2e["records_in"] == 120 == e2e["articles"] + e2e["duplicates"] + e2e["dead_letters"]
    assert summary["measurements"]["e2e_plain_noner@120"]["extra"] == e2e  # same pure functions, same counts
    assert "e2e without NER: Beam in-process / plain loop" in summary["ratios"]
    assert summary["scaling"]["e2e_beam_noner"]["sizes"] == [60, 120]
    assert summary["scaling"]["e2e_beam_noner"]["time_slope"] is not None
    assert any(t["target"].startswith("page-text parse") and t["value"] for t in summary["targets"])

    md = (out / "latest.md").read_text()
    for heading in ("## Targets", "## Same-run ratios", "## End to end", "## Stages", "## Scaling", "## Corpus"):
        assert heading in md
    assert "Machine:" in md and "Load" in md
    assert (out / "latest.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
