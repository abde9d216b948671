"""Parsing throughput on one core: page text, HTML (against trafilatura alone) and JSON records.

    .venv/bin/python benchmarks/bench_parse.py [--records 3000] [--repeat 3] [--corpus 10000]

Inputs are the labelled parse set (tests/data/parse_gold, our own articles) and the sample job's
inputs, cut into records exactly as the file source does, repeated up to ``--records`` per shape.
Every timing covers parse_record end to end (decode, sniff, parse, normalise, language, hashes,
the Article model). The HTML baseline is ``trafilatura.extract`` on the same page strings with
its defaults, i.e. what calling the library directly costs: body text only, no metadata, no
captions, no cleanup of ours. One process, one thread; each figure is the best of ``--repeat``
interleaved rounds, as CPU time of this process (the one-core cost, also on a busy machine) and
as wall-clock time. Model loading (lingua) happens once before any timing. ``--corpus N`` adds the
page-text records of the seeded N-record benchmark corpus (benchmarks/corpus.py: six outlet
layouts, longer pages than ours, 1% bad inputs whose ParseError is part of the cost), each parsed
once per round, in the same interleaved rounds.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import gzip
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

if __package__ in (None, ""):  # run as `python benchmarks/bench_parse.py`: the repo root holds `benchmarks`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import ensure_corpus, read_records, shape_of
from pipelines.io.files import content_type_for, split_json_document
from pipelines.nlp.parsing import ParseError, parse_record
from pipelines.nlp.parsing.evaluate import DEFAULT_GOLD_DIR, load_gold, read_raw
from pipelines.nlp.parsing.language import detector
from schemas.records import RawRecord, SourceRef

ROOT = Path(__file__).resolve().parents[1]


def sample_records() -> list[RawRecord]:
    """The sample job's inputs (sample_data/input), cut into records as the file source does."""
    raws: list[RawRecord] = []
    for path in sorted(glob.glob(str(ROOT / "sample_data" / "input" / "**" / "*"), recursive=True)):
        if not os.path.isfile(path):
            continue
        data = Path(path).read_bytes()
        data = gzip.decompress(data) if path.endswith(".gz") else data
        ctype = content_type_for(path)
        if ".jsonl" in path:
            raws += [RawRecord(data=line, content_type=ctype, source=SourceRef(uri=path, line=i))
                     for i, line in enumerate(data.splitlines(), 1) if line.strip()]
        elif ctype == "application/json" and (items := split_json_document(data)):
            raws += [RawRecord(data=item, content_type=ctype, source=SourceRef(uri=path, index=i))
                     for i, item in enumerate(items)]
        else:
            raws.append(RawRecord(data=data, content_type=ctype, source=SourceRef(uri=path)))
    return raws


def collect() -> dict[str, list[RawRecord]]:
    """Every good record of the gold set and the sample inputs, by shape."""
    raws = [read_raw(DEFAULT_GOLD_DIR, g) for g in load_gold(DEFAULT_GOLD_DIR) if "error" not in g]
    raws += sample_records()
    shapes: dict[str, list[RawRecord]] = {"text": [], "html": [], "json": []}
    for raw in raws:
        try:
            article = parse_record(raw)
        except ParseError:
            continue  # bad inputs are measured by the tests, not here
        shapes[article.parser.split(":")[0].replace("pagetext", "text")].append(raw)
    return shapes


def repeat_to(records: list[RawRecord], n: int) -> list[RawRecord]:
    return [records[i % len(records)] for i in range(n)]


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): on a shared machine the CPU time is what one
    core spends, the wall time also counts waiting for a core."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def parse_all(records: list[RawRecord]) -> None:
    for raw in records:
        parse_record(raw)


def parse_or_reject(records: list[RawRecord]) -> None:
    """parse_record on records that may be bad inputs (a ParseError is their result)."""
    for raw in records:
        with contextlib.suppress(ParseError):
            parse_record(raw)


def trafilatura_all(pages: list[str]) -> None:
    for page in pages:
        trafilatura.extract(page)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=3000, help="records per shape (page text; HTML gets a third)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", type=int, default=0, metavar="N",
                    help="also time the page-text records of the N-record benchmark corpus")
    args = ap.parse_args()
    detector()
    shapes = collect()
    print(f"python {platform.python_version()}, {platform.machine()}, one process, one thread; "
          f"distinct records: text {len(shapes['text'])}, html {len(shapes['html'])}, json {len(shapes['json'])}")
    text = repeat_to(shapes["text"], args.records)
    json_records = repeat_to(shapes["json"], args.records)
    html = repeat_to(shapes["html"], max(1, args.records // 3))
    pages = [raw.data.decode("utf-8", "replace") for raw in html]
    corpus = [r for r in read_records(ensure_corpus(args.corpus)) if shape_of(r) == "text"] if args.corpus else []
    parse_all(text[:50] + html[:5] + json_records[:50])  # warm caches, imports and regexes
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    paths = (("text", lambda: parse_all(text)), ("json", lambda: parse_all(json_records)),
             ("html", lambda: parse_all(html)), ("trafilatura", lambda: trafilatura_all(pages)))
    if corpus:
        paths += (("corpus", lambda: parse_or_reject(corpus)),)
    for _ in range(args.repeat):  # interleaved rounds, so drift hits every path alike
        for name, fn in paths:
            w, c = timed(fn)
            wall[name], cpu[name] = min(wall.get(name, w), w), min(cpu.get(name, c), c)
    n = {"text": len(text), "json": len(json_records), "html": len(html), "trafilatura": len(pages),
         "corpus": len(corpus)}
    kb = {k: sum(len(r.data) for r in v) / len(v) / 1024 for k, v in {**shapes, "corpus": corpus}.items() if v}
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; rates from CPU time "
          "(wall-clock rate in brackets)")
    rows = (("page text  parse_record", "text", "articles/s", "   target >= 2,000/s"),
            ("JSON       parse_record", "json", "records/s ", ""),
            ("HTML       parse_record", "html", "pages/s   ", ""),
            ("HTML       trafilatura.extract", "trafilatura", "pages/s   ", ""))
    if corpus:
        rows += ((f"page text  corpus n={args.corpus}", "corpus", "articles/s", "   target >= 2,000/s"),)
    for label, key, unit, note in rows:
        print(f"{label:<31}{n[key] / cpu[key]:>9,.0f} {unit} ({n[key] / wall[key]:>7,.0f})  "
              f"{cpu[key] / n[key] * 1e3:.3f} ms each{f', {kb[key]:.1f} KiB avg' if key in kb else ''}{note}")
    ratio = (n["html"] / cpu["html"]) / (n["trafilatura"] / cpu["trafilatura"])
    print(f"HTML ratio parse_record / trafilatura.extract throughput: {ratio:.2f}x "
          "(ours also reads JSON-LD/OpenGraph metadata, captions, credits, language)")


if __name__ == "__main__":
    main()
