"""newsbeam inspect through the CLI: the parsed and enriched record with why, or the dead letter."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def inspect(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "inspect", *args], capture_output=True,
                          text=True, timeout=600, env={**os.environ, "COLUMNS": "160"})


def test_page_text_parsed_and_enriched_with_reasons():
    proc = inspect("sample_data/input/txt/reuters_kenya_cabinet.txt")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for text in ("sniffed as  page text", "parser      pagetext:wire", "why         style 'wire'", " (Reuters) - ",
                 "found in the input", "Dedupe keys", "body hash", "Entities (", "Topics (", "medtop:"):
        assert text in out, f"{text!r} missing from:\n{out}"
    assert "line 2: " in out  # the headline's line


def test_json_output_and_a_dead_letter():
    proc = inspect("sample_data/input/jsonl/crawler_2025-03-05.jsonl", "--line", "3", "--json", "--no-enrich")
    assert proc.returncode == 1  # the record would be a dead letter
    doc = json.loads(proc.stdout)
    assert doc["dead_letter"]["stage"] == "parse" and doc["dead_letter"]["error"] == "bad_json"
    assert doc["source"]["line"] == 3 and doc["records_in_file"] == 5
    good = json.loads(inspect("sample_data/input/html/continental_kenya_cabinet.html", "--json", "--no-enrich").stdout)
    assert good["parser"] == "html:trafilatura" and good["article"]["headline"].startswith("Kenya: Ruto")
    assert {"field": "outlet", "where": "<meta property=og:site_name>", "excerpt": "The Continental Times"} in \
        good["found_in"]
