"""Seeded synthetic news corpus for the benchmarks: the input shapes and duplicates of real feeds.

    .venv/bin/python -m benchmarks.corpus --articles 10000 [--seed 7] [--out DIR]

``--articles`` N input records (RawRecords, as the file source counts them) are written under
DIR/input (DIR defaults to a cache folder keyed by generator version, seed and N, reused when
present; ``newsbeam run --input DIR/input`` reads them all):

- ``txt/``   page-text dumps in six outlet layouts (seed layout, wire site, AP site, British
             broadsheet, German and French sites), 5% of them gzipped: one file per page;
- ``html/``  full HTML pages (head metadata, JSON-LD, inline scripts/styles, navigation, cookie
             banner, related links, footer; tens of kB each): one file per page;
- ``jsonl/`` crawler records (two field-naming schemes, some with HTML bodies), 500 per file;
- ``json/``  NewsAPI-style envelopes ``{"status":"ok","articles":[...]}``, 50 per file.

Duplicates are planted the way feeds produce them, at assumed rates that can be changed:
``--near-rate`` (default 14%) of records republish a recent wire story in another outlet's layout
(new headline, trailing paragraphs trimmed, light copy edits, outlet boilerplate added,
published minutes to hours later), ``--exact-rate`` (4%) re-deliver a recent record byte for byte,
and 0.5% are bad inputs (empty file, binary blob, truncated JSON line). Everything follows from
the seed: the same N and seed give the same bytes. DIR/manifest.json records the planted counts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from benchmarks import corpus_render as render
from benchmarks.corpus_text import Story, english_story, foreign_story, near_copy
from pipelines.io.files import content_type_for, is_supported, iter_lines, split_json_document
from pipelines.options import DEFAULT_MAX_RECORD_BYTES
from schemas.records import RawRecord, SourceRef

GENERATOR_VERSION = 2  # 2: free-grammar sentences (unrelated articles as dissimilar as real news)
DEFAULT_SEED = 7
JSONL_PER_FILE = 500
NEWSAPI_PER_FILE = 50
# Shapes of original stories (weights). Wire stories appear on their agency's site or credited
# in a newspaper; copies of them are republished by newspapers only.
ORIGINAL_SHAPES = {"businesslive": 12, "broadsheet": 10, "wire": 7, "apnews": 6, "de": 4, "fr": 4,
                   "html": 27, "crawler": 22, "newsapi": 8}
COPY_SHAPES = {"businesslive": 20, "broadsheet": 10, "html": 35, "crawler": 25, "newsapi": 10}
WIRE_SHARE = 0.35  # of English originals: wire stories that other outlets may republish
_START = datetime(2025, 1, 6, 6, 0, tzinfo=UTC)
_SPACING_S = 25  # one record every ~25 s: 100k records span about a month of a feed


def default_dir(articles: int, seed: int = DEFAULT_SEED) -> Path:
    cache = Path(os.environ.get("NEWSBEAM_CACHE", Path.home() / ".cache" / "newsbeam"))
    return cache / "bench_corpus" / f"v{GENERATOR_VERSION}-seed{seed}-n{articles}"


@dataclass
class Manifest:
    generator_version: int
    seed: int
    records: int
    near_rate: float
    exact_rate: float
    bad_rate: float
    planted: dict[str, int] = field(default_factory=dict)     # original, wire_original, near_copy, ...
    shapes: dict[str, int] = field(default_factory=dict)      # records per shape
    bytes: dict[str, int] = field(default_factory=dict)       # input bytes per shape (uncompressed)
    files: int = 0


class _Writer:
    """Puts each rendered record in its file, batching JSON shapes; counts bytes per shape."""

    def __init__(self, root: Path, manifest: Manifest) -> None:
        self.root, self.m = root, manifest
        self.jsonl: list[bytes] = []
        self.newsapi: list[bytes] = []
        self.files = 0

    def _file(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".gz"):
            data = gzip.compress(data, mtime=0)
        path.write_bytes(data)
        self.files += 1

    def add(self, i: int, shape: str, payload: bytes, gz: bool = False) -> None:
        self.m.shapes[shape] = self.m.shapes.get(shape, 0) + 1
        self.m.bytes[shape] = self.m.bytes.get(shape, 0) + len(payload)
        bucket = f"{i // 1000:04d}"
        if shape == "crawler":
            self.jsonl.append(payload)
            if len(self.jsonl) >= JSONL_PER_FILE:
                self._flush_jsonl()
        elif shape == "newsapi":
            self.newsapi.append(payload)
            if len(self.newsapi) >= NEWSAPI_PER_FILE:
                self._flush_newsapi()
        elif shape == "html":
            self._file(f"html/{bucket}/{i:07d}.html", payload)
        else:
            self._file(f"txt/{bucket}/{shape}-{i:07d}.txt" + (".gz" if gz else ""), payload)

    def _flush_jsonl(self) -> None:
        if self.jsonl:
            self._file(f"jsonl/crawl-{self.files:07d}.jsonl", b"\n".join(self.jsonl) + b"\n")
            self.jsonl = []

    def _flush_newsapi(self) -> None:
        if self.newsapi:
            body = b",".join(self.newsapi)
            self._file(f"json/newsapi-{self.files:07d}.json",
                       b'{"status":"ok","totalResults":%d,"articles":[%s]}' % (len(self.newsapi), body))
            self.newsapi = []

    def close(self) -> None:
        self._flush_jsonl()
        self._flush_newsapi()


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _render(rng: random.Random, shape: str, story: Story) -> bytes:
    outlet = rng.choice(render.OUTLETS)
    url = f"https://{outlet[1]}/{story.section.lower()}/{story.published:%Y/%m/%d}/{story.key}"
    if shape == "html":
        return render.html_page(rng, story, outlet, url).encode()
    if shape == "crawler":
        return orjson.dumps(render.crawler_item(rng, story, outlet, url))
    if shape == "newsapi":
        return orjson.dumps(render.newsapi_item(rng, story, outlet, url))
    return render.TEXT_STYLES[shape](rng, story).encode()


def _original(rng: random.Random, key: str, published: datetime) -> tuple[str, Story, bool]:
    shape = _pick(rng, ORIGINAL_SHAPES)
    if shape in ("de", "fr"):
        return shape, foreign_story(rng, key, published, shape), False
    wire = shape in ("wire", "apnews") or rng.random() < WIRE_SHARE
    story = english_story(rng, key, published, wire)
    if shape == "apnews":
        story.agency = "AP"
    elif shape == "wire" and story.agency == "AP":
        story.agency = "Reuters"
    return shape, story, wire


def _bad(rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(("empty", "binary", "truncated"))
    if kind == "empty":
        return "businesslive", b""
    if kind == "binary":
        return "broadsheet", rng.randbytes(rng.randint(200, 4000))
    return "crawler", b'{"url": "https://coastherald.example/x", "title": "Truncated rec'


def generate(articles: int, out: Path, seed: int = DEFAULT_SEED, near_rate: float = 0.14,
             exact_rate: float = 0.04, bad_rate: float = 0.005) -> Manifest:
    """Write ``articles`` input records under ``out`` (which must not hold another corpus)."""
    rng = random.Random(f"newsbeam-bench-corpus:{seed}")
    manifest = Manifest(GENERATOR_VERSION, seed, articles, near_rate, exact_rate, bad_rate)
    planted = dict.fromkeys(("original", "wire_original", "near_copy", "exact_redelivery", "bad"), 0)
    writer = _Writer(input_dir(out), manifest)
    wires: deque[Story] = deque(maxlen=300)                 # recent wire stories, republishable
    recent: deque[tuple[str, bytes, bool]] = deque(maxlen=500)  # recent records, re-deliverable
    for i in range(articles):
        published = _START + timedelta(seconds=i * _SPACING_S + rng.randint(0, 600))
        r = rng.random()
        if r < bad_rate:
            shape, payload = _bad(rng)
            planted["bad"] += 1
            writer.add(i, shape, payload)
            continue
        if r < bad_rate + exact_rate and recent:
            shape, payload, gz = rng.choice(recent)
            planted["exact_redelivery"] += 1
            writer.add(i, shape, payload, gz)
            continue
        if r < bad_rate + exact_rate + near_rate and wires:
            source = rng.choice(wires)
            story = near_copy(rng, source, f"{source.key}-r{i}", rng.randint(5, 600))
            shape = _pick(rng, COPY_SHAPES)
            planted["near_copy"] += 1
        else:
            shape, story, wire = _original(rng, f"n{seed}-{i:07d}", published)
            planted["original"] += 1
            if wire:
                planted["wire_original"] += 1
                wires.append(story)
        payload = _render(rng, shape, story)
        gz = shape not in ("html", "crawler", "newsapi") and rng.random() < 0.05
        recent.append((shape, payload, gz))
        writer.add(i, shape, payload, gz)
    writer.close()
    manifest.planted = planted
    manifest.files = writer.files
    (out / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def ensure_corpus(articles: int, seed: int = DEFAULT_SEED, out: Path | None = None) -> Path:
    """The corpus folder for (articles, seed), generated on first use and reused afterwards."""
    out = out or default_dir(articles, seed)
    manifest = out / "manifest.json"
    if manifest.exists():
        m = json.loads(manifest.read_text())
        if m["generator_version"] == GENERATOR_VERSION and m["records"] == articles and m["seed"] == seed:
            return out
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    generate(articles, tmp, seed)
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out


def load_manifest(root: Path) -> dict:
    return json.loads((root / "manifest.json").read_text())


def input_dir(root: Path) -> Path:
    return root / "input"


def input_files(root: Path) -> list[Path]:
    return sorted(p for p in input_dir(root).rglob("*") if p.is_file() and is_supported(str(p)))


def read_records(root: Path, max_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> list[RawRecord]:
    """The RawRecords the pipeline's file source makes of the corpus, read with a plain loop.

    Same splitting rules (one record per page file, per JSON Lines line, per envelope element)
    through the same helpers as ``pipelines.io.files``; the corpus has no oversized inputs.
    """
    records: list[RawRecord] = []
    for path in input_files(root):
        uri, ctype = str(path), content_type_for(str(path))
        data = path.read_bytes()
        if uri.endswith(".gz"):
            data = gzip.decompress(data)
        if uri.endswith(".jsonl"):
            with open(path, "rb") as f:
                records.extend(RawRecord(data=line, source=SourceRef(uri=uri, line=n), content_type=ctype)
                               for n, line, _ in iter_lines(f, max_bytes) if line.strip())
            continue
        elements = split_json_document(data) if ctype == "application/json" else None
        if elements is None:
            records.append(RawRecord(data=data, source=SourceRef(uri=uri), content_type=ctype))
        else:
            records.extend(RawRecord(data=e, source=SourceRef(uri=uri, index=k), content_type=ctype)
                           for k, e in enumerate(elements))
    return records


def shape_of(raw: RawRecord) -> str:
    """'text', 'html' or 'json': the parse stage a record exercises (by its file)."""
    path = raw.source.uri
    if "/html/" in path:
        return "html"
    if "/json/" in path or "/jsonl/" in path:
        return "json"
    return "text"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, help="folder to write (default: the benchmark cache)")
    args = parser.parse_args()
    root = ensure_corpus(args.articles, args.seed, args.out)
    print(root)
    print((root / "manifest.json").read_text())


if __name__ == "__main__":
    main()
