"""Digest of parse_record's output on fixed inputs: proof that a parser speed-up changed nothing.

    .venv/bin/python -m benchmarks.parse_digest [--articles 10000] [--dump FILE]

Parses every record of the labelled set (the splits listed in GOLD_SPLITS, so a split being
written meanwhile does not move the digest), the sample job's inputs and the seeded benchmark
corpus, and prints one sha256 per group over each record's Article JSON (or its ParseError kind
and message). ``--dump`` writes the per-record lines, to diff two runs when a digest moves.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterable
from pathlib import Path

from benchmarks.bench_parse import sample_records
from benchmarks.corpus import ensure_corpus, read_records
from pipelines.nlp.parsing import ParseError, parse_record
from pipelines.nlp.parsing.evaluate import DEFAULT_GOLD_DIR, load_gold, read_raw
from schemas.records import RawRecord

GOLD_SPLITS = ("dev", "test", "holdout", "holdout2", "holdout3", "holdout4", "holdout5")


def record_line(raw: RawRecord) -> bytes:
    """The Article as JSON, both as the model serialises it and as the Beam coder's field values."""
    try:
        article = parse_record(raw)
    except ParseError as exc:
        return f"error {exc.kind} {exc}".encode()
    return article.model_dump_json().encode() + b"\t" + repr(article.model_dump()).encode()


def digest(raws: Iterable[RawRecord], dump: list[bytes] | None = None) -> tuple[int, str]:
    h, n = hashlib.sha256(), 0
    for raw in raws:
        line = record_line(raw)
        h.update(line + b"\n")
        n += 1
        if dump is not None:
            dump.append(line)
    return n, h.hexdigest()[:8]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10000, help="benchmark corpus size")
    ap.add_argument("--dump", type=Path, help="write every record's line to this file")
    args = ap.parse_args()
    groups = {
        "gold": [read_raw(DEFAULT_GOLD_DIR, g) for g in load_gold(DEFAULT_GOLD_DIR)
                 if g["input"].split("/", 1)[0] in GOLD_SPLITS],
        "sample": sample_records(),
        "corpus": read_records(ensure_corpus(args.articles)),
    }
    dump: list[bytes] | None = [] if args.dump else None
    for name, raws in groups.items():
        n, hexdigest = digest(raws, dump)
        print(f"{name:<7}{n:>7,} records  {hexdigest}")
    if args.dump and dump is not None:
        args.dump.write_bytes(b"\n".join(dump) + b"\n")


if __name__ == "__main__":
    main()
