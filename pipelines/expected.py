"""Project a run's output onto the fields the end-to-end test pins (sample_data/expected/).

Volatile fields (timestamps of the run, paths of temporary dirs) are left out, and lines are
sorted, so the projection is the same on any runner and any parallelism.
"""

from __future__ import annotations

import glob
import os
from typing import Any

import orjson

ARTICLE_FIELDS = ("id", "headline", "standfirst", "authors", "published_at", "section", "agency",
                  "language", "dateline", "captions", "word_count")


def read_jsonl_dir(directory: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(glob.glob(os.path.join(directory, "*.jsonl"))):
        with open(path, "rb") as f:
            rows.extend(orjson.loads(line) for line in f if line.strip())
    return rows


def _rel(uri: str, root: str) -> str:
    uri = uri.replace("\\", "/")
    marker = root.rstrip("/") + "/"
    return uri.split(marker, 1)[-1] if marker in uri else os.path.basename(uri)


def project(output_dir: str, input_root: str = "sample_data/input") -> dict[str, list[dict[str, Any]]]:
    articles = []
    for a in read_jsonl_dir(os.path.join(output_dir, "articles")):
        row = {k: a.get(k) for k in ARTICLE_FIELDS}
        row["source"] = {"uri": _rel(a["source"]["uri"], input_root), "line": a["source"].get("line")}
        row["dedupe"] = {"duplicate_of": a["dedupe"]["duplicate_of"],
                         "cluster_size": a["dedupe"].get("cluster_size")}
        row["entities"] = sorted(f"{e['type']}:{e['name']}" for e in a.get("entities", []))
        row["topics"] = sorted(t["code"] for t in a.get("topics", []))
        articles.append(row)
    duplicates = [{"id": d["id"], "duplicate_of": d["duplicate_of"], "method": d.get("method"),
                   "source": _rel(d["source"]["uri"], input_root)}
                  for d in read_jsonl_dir(os.path.join(output_dir, "duplicates"))]
    dead = [{"stage": d["stage"], "error": d["error"],
             "source": {"uri": _rel(d["source"]["uri"], input_root), "line": d["source"].get("line")}}
            for d in read_jsonl_dir(os.path.join(output_dir, "dead_letters"))]
    key = lambda r: orjson.dumps(r, option=orjson.OPT_SORT_KEYS)  # noqa: E731
    return {"articles": sorted(articles, key=key), "duplicates": sorted(duplicates, key=key),
            "dead_letters": sorted(dead, key=key)}


def write_expected(output_dir: str, expected_dir: str, input_root: str = "sample_data/input") -> None:
    os.makedirs(expected_dir, exist_ok=True)
    for name, rows in project(output_dir, input_root).items():
        with open(os.path.join(expected_dir, f"{name}.jsonl"), "wb") as f:
            for row in rows:
                f.write(orjson.dumps(row, option=orjson.OPT_SORT_KEYS) + b"\n")


def read_expected(expected_dir: str) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for name in ("articles", "duplicates", "dead_letters"):
        with open(os.path.join(expected_dir, f"{name}.jsonl"), "rb") as f:
            out[name] = [orjson.loads(line) for line in f if line.strip()]
    return out
