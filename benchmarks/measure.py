"""One measurement, run in a child process of benchmarks.run (so its peak RSS is its own).

    .venv/bin/python -m benchmarks.measure KIND --corpus DIR [--ner/--no-ner]

Prints one line ``BENCH_RESULT {json}``: items and input bytes processed, wall and CPU seconds
of the timed part (CPU includes reaped child processes: Beam's multi-process workers), and
extra facts (counts, sub-timings). Model loading and input loading are outside the timing,
except in the end-to-end kinds, where both the plain loop and the Beam job load their models
inside the timing, as a real job does.
"""

from __future__ import annotations

import argparse
import logging
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from benchmarks.corpus import input_dir, read_records, shape_of
from schemas.records import Article

PARSED = "parsed.jsonl"  # parsed articles of a corpus, written once by the "prepare" kind


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds) of fn()."""
    c0, t0 = _cpu(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0, _cpu() - c0


def load_articles(root: Path, limit: int | None = None) -> list[Article]:
    """The corpus's parsed articles (the first ``limit`` of them, in corpus order)."""
    out: list[Article] = []
    with open(root / PARSED, "rb") as f:
        for line in f:
            if limit is not None and len(out) >= limit:
                break
            out.append(Article.model_validate_json(line))
    return out


def text_bytes(articles: list[Article]) -> int:
    return sum(len(a.headline.encode()) + len((a.standfirst or "").encode()) + len(a.body.encode())
               for a in articles)


# --- kinds ------------------------------------------------------------------------------------------


def prepare(root: Path, _: argparse.Namespace) -> dict:
    from benchmarks.plain import parse_all

    records = read_records(root)
    (articles, dead), wall, cpu = timed(lambda: parse_all(records))
    with open(root / PARSED, "wb") as f:
        for a in articles:
            f.write(a.model_dump_json().encode() + b"\n")
    return dict(items=len(records), bytes=sum(len(r.data) for r in records), wall_s=wall, cpu_s=cpu,
                extra={"articles": len(articles), "dead_letters": len(dead)})


def parse_shape(shape: str) -> Callable[[Path, argparse.Namespace], dict]:
    def run(root: Path, _: argparse.Namespace) -> dict:
        from benchmarks.plain import parse_all

        records = [r for r in read_records(root) if shape_of(r) == shape]
        (articles, dead), wall, cpu = timed(lambda: parse_all(records))
        return dict(items=len(records), bytes=sum(len(r.data) for r in records), wall_s=wall, cpu_s=cpu,
                    extra={"articles": len(articles), "dead_letters": len(dead)})
    return run


def dedupe(root: Path, _: argparse.Namespace) -> dict:
    from pipelines.nlp.dedupe import DedupeParams, dedupe_articles

    articles, load_s, _c = timed(lambda: load_articles(root))
    (kept, dups), wall, cpu = timed(lambda: dedupe_articles(articles, DedupeParams()))
    methods: dict[str, int] = {}
    for d in dups:
        methods[d.method] = methods.get(d.method, 0) + 1
    return dict(items=len(articles), bytes=text_bytes(articles), wall_s=wall, cpu_s=cpu,
                extra={"kept": len(kept), "duplicates": len(dups), "by_method": methods, "load_s": load_s})


def dedupe_beam(root: Path, args: argparse.Namespace) -> dict:
    """The production Dedupe transform on the DirectRunner, reading the parsed articles from JSON Lines.

    Read with the project's file source (as ``newsbeam run``), not ``ReadFromText``, which lost
    records on the 2-process FnApiRunner (README "Deduplication").
    """
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.io.files import ReadInputFiles
    from pipelines.runners import resolve_runner
    from pipelines.transforms.dedupe import Dedupe

    with open(root / PARSED, "rb") as f:
        n = sum(1 for _ in f)
    flags = ["--runner=DirectRunner", f"--direct_num_workers={args.workers}"]
    if args.workers > 1:
        flags.append("--direct_running_mode=multi_processing")
    options = PipelineOptions(flags)

    def run() -> None:
        with beam.Pipeline(runner=resolve_runner(options), options=options) as p:
            out = ((p | ReadInputFiles([str(root / PARSED)], 1 << 24)).records
                   | beam.Map(lambda record: Article.model_validate_json(record.data)).with_output_types(Article)
                   | Dedupe())
            _ = out.duplicates | "CountDuplicates" >> beam.combiners.Count.Globally()

    _, wall, cpu = timed(run)
    return dict(items=n, bytes=0, wall_s=wall, cpu_s=cpu, extra={"workers": args.workers})


def _english(articles: list[Article], max_chars: int) -> list[str]:
    """The texts EntityExtractor.extract sends to nlp.pipe: English articles, zoned and cut."""
    from pipelines.nlp.entities.language import article_language
    from pipelines.nlp.entities.ner import NER_LANGUAGE
    from pipelines.nlp.entities.zones import article_text

    texts = [article_text(a, max_chars).text for a in articles]
    return [t for a, t in zip(articles, texts, strict=True) if t and article_language(a, t) == NER_LANGUAGE]


def ner(root: Path, args: argparse.Namespace) -> dict:
    """EntityExtractor.extract in batches: NER plus canonical names and ids, outside Beam."""
    from benchmarks.plain import batches
    from pipelines.nlp.entities.ner import EntityExtractor

    articles = load_articles(root, args.limit)
    extractor = EntityExtractor(batch_size=args.batch_size)
    _, wall, cpu = timed(lambda: [extractor.extract(b) for b in batches(articles, args.batch_size)])
    return dict(items=len(articles), bytes=text_bytes(articles), wall_s=wall, cpu_s=cpu,
                extra={"english": len(_english(articles, extractor.max_chars))})


def ner_pipe(root: Path, args: argparse.Namespace) -> dict:
    """The baseline: spaCy's nlp.pipe alone over the same texts (NER component only)."""
    from pipelines.nlp.entities.ner import load_ner
    from pipelines.nlp.entities.zones import DEFAULT_MAX_CHARS

    articles = load_articles(root, args.limit)
    texts = _english(articles, DEFAULT_MAX_CHARS)
    nlp = load_ner()
    _, wall, cpu = timed(lambda: [d.ents for d in nlp.pipe(texts, batch_size=args.batch_size)])
    return dict(items=len(articles), bytes=text_bytes(articles), wall_s=wall, cpu_s=cpu,
                extra={"english": len(texts)})


def ner_beam(root: Path, args: argparse.Namespace) -> dict:
    """The NER step in Beam, as benchmarks/bench_enrich.py runs it (EnrichBatchesFn, topics off)."""
    from apache_beam.utils.shared import Shared

    from benchmarks.bench_enrich import run_beam
    from pipelines.transforms.enrich import EnrichConfig, _Models

    articles = load_articles(root, args.limit)
    config = EnrichConfig(batch_size=args.batch_size, topic_method="none")
    shared = Shared()
    models = shared.acquire(lambda: _Models(config), tag=repr(config))  # loaded once, outside the timing
    run_beam(articles[:8], config, shared)  # warm-up: runner start-up paths
    _, wall, cpu = timed(lambda: run_beam(articles, config, shared))
    del models
    return dict(items=len(articles), bytes=text_bytes(articles), wall_s=wall, cpu_s=cpu, extra={})


def parse_trafilatura(root: Path, _: argparse.Namespace) -> dict:
    """Baseline for HTML: trafilatura.extract alone on the same pages (bench_parse.py's baseline)."""
    from benchmarks.bench_parse import trafilatura_all

    pages = [r.data.decode("utf-8", "replace") for r in read_records(root) if shape_of(r) == "html"]
    _, wall, cpu = timed(lambda: trafilatura_all(pages))
    return dict(items=len(pages), bytes=sum(len(p.encode()) for p in pages), wall_s=wall, cpu_s=cpu, extra={})


def topics(root: Path, _: argparse.Namespace) -> dict:
    from pipelines.nlp.entities.zones import article_text
    from pipelines.nlp.topics.tagger import TopicTagger

    articles = load_articles(root)
    tagger = TopicTagger()
    prepared = [(article_text(a), a.section, a.language) for a in articles]
    _, wall, cpu = timed(lambda: [tagger.tag(t, s, lang) for t, s, lang in prepared])
    return dict(items=len(articles), bytes=text_bytes(articles), wall_s=wall, cpu_s=cpu, extra={})


def _e2e(mode: str) -> Callable[[Path, argparse.Namespace], dict]:
    def run(root: Path, args: argparse.Namespace) -> dict:
        # Both paths import the same modules before the clock starts: imports are start-up, not work.
        import benchmarks.plain  # noqa: F401
        import pipelines.commands.run  # noqa: F401

        out = Path(tempfile.mkdtemp(prefix=f"bench_e2e_{mode}_"))
        try:
            if mode == "plain":
                from benchmarks.plain import run_plain

                counts, wall, cpu = timed(lambda: run_plain(root, out, ner=args.ner))
                extra = {"records_in": counts.records_in, "articles": counts.articles,
                         "duplicates": counts.duplicates, "dead_letters": counts.dead_letters}
            else:
                extra, wall, cpu = timed(lambda: _beam_job(input_dir(root), out, args.ner, mode == "beam_mp"))
        finally:
            shutil.rmtree(out, ignore_errors=True)
        size = sum(p.stat().st_size for p in input_dir(root).rglob("*") if p.is_file())
        return dict(items=extra["records_in"], bytes=size, wall_s=wall, cpu_s=cpu, extra=extra)
    return run


def _beam_job(inputs: Path, out: Path, ner_on: bool, multi: bool) -> dict:
    from pipelines import metrics
    from pipelines.commands.run import pipeline_options, run_pipeline

    flags = ["--input", str(inputs), "--output", str(out), "--runner", "DirectRunner"]
    if multi:
        flags += ["--direct_num_workers=2", "--direct_running_mode=multi_processing"]
    if not ner_on:
        flags += ["--enrich", "none"]
    summary = run_pipeline(pipeline_options(flags))
    if not summary.balanced:
        raise RuntimeError(f"accounting failed: {summary.counters}")
    return {"records_in": summary.records_in, "articles": summary.get(metrics.ARTICLES_OUT),
            "duplicates": summary.get(metrics.DUPLICATES), "dead_letters": summary.get(metrics.DEAD_LETTERS)}


def sinks(root: Path, _: argparse.Namespace) -> dict:
    """JSON Lines and Parquet sinks with bench_sinks.py's writers and synthetic EnrichedArticles.

    Core writers are timed alone; a sink in Beam is timed as bench_sinks does it, against the same
    pipeline without a sink (articles made inside the job), and reported by the difference.
    """
    from benchmarks import bench_sinks as bs
    from pipelines.io.jsonl import WriteJsonLines
    from pipelines.io.parquet import WriteParquet, published_date_partition
    from schemas.records import EnrichedArticle

    with open(root / PARSED, "rb") as f:
        n = sum(1 for _ in f)
    rows = bs.synthetic_articles(n)
    tmp = Path(tempfile.mkdtemp(prefix="bench_sinks_"))
    sub: dict[str, dict] = {}
    try:
        paths: dict[str, Callable[[], object]] = {
            "jsonl_core": lambda: bs.core_jsonl(rows, tmp / "a.jsonl"),
            "parquet_core": lambda: bs.core_parquet(rows, tmp / "a.parquet"),
            "beam_no_sink": lambda: bs.run_beam(n, None),
            "jsonl_beam": lambda: bs.run_beam(n, lambda: WriteJsonLines(str(tmp / "bj"), "articles")),
            "parquet_beam": lambda: bs.run_beam(n, lambda: WriteParquet(
                str(tmp / "bp"), EnrichedArticle, name="articles", partition=published_date_partition)),
        }
        for name, fn in paths.items():
            _, wall, cpu = timed(fn)
            sub[name] = {"items": n, "wall_s": wall, "cpu_s": cpu}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base = sub.pop("beam_no_sink")
    for name in ("jsonl_beam", "parquet_beam"):  # the sink's own share of the job
        sub[name] = {"items": n, "wall_s": max(1e-3, sub[name]["wall_s"] - base["wall_s"]),
                     "cpu_s": max(1e-3, sub[name]["cpu_s"] - base["cpu_s"])}
    return dict(items=n, bytes=0, wall_s=sum(s["wall_s"] for s in sub.values()) + base["wall_s"],
                cpu_s=sum(s["cpu_s"] for s in sub.values()) + base["cpu_s"], extra={"sub": sub, "beam_no_sink": base})


def kafka(_: Path, args: argparse.Namespace) -> dict:
    """bench_kafka.py's two paths on one fresh topic: ReadFromKafka against a plain kafka-python loop."""
    from benchmarks import bench_kafka as bk
    from pipelines.io.kafka_config import KafkaConnection

    n = args.limit or 20_000
    conn = KafkaConnection(bootstrap_servers="127.0.0.1:19092", client_id="newsbeam-bench")
    topic = bk.make_topic(conn, 3, n, "suite")
    sub: dict[str, dict] = {}
    try:
        for name, fn in (("kafka_plain_loop", lambda: bk.plain_loop(conn, topic)),
                         ("kafka_source", lambda: bk.source_count(conn, topic))):
            got, wall, cpu = timed(fn)
            if got != n:
                raise RuntimeError(f"{name}: read {got} records, expected {n}")
            sub[name] = {"items": n, "wall_s": wall, "cpu_s": cpu}
    finally:
        bk.delete_topics(conn, [topic])
    return dict(items=n, bytes=0, wall_s=sum(s["wall_s"] for s in sub.values()),
                cpu_s=sum(s["cpu_s"] for s in sub.values()), extra={"sub": sub, "partitions": 3})


KINDS: dict[str, Callable[[Path, argparse.Namespace], dict]] = {
    "prepare": prepare,
    "parse_text": parse_shape("text"), "parse_html": parse_shape("html"), "parse_json": parse_shape("json"),
    "parse_trafilatura": parse_trafilatura,
    "dedupe": dedupe, "dedupe_beam": dedupe_beam,
    "ner": ner, "ner_pipe": ner_pipe, "ner_beam": ner_beam, "topics": topics,
    "e2e_plain": _e2e("plain"), "e2e_beam": _e2e("beam"), "e2e_beam_mp": _e2e("beam_mp"),
    "sinks": sinks, "kafka": kafka,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--ner", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="at most this many articles/records")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    result = KINDS[args.kind](args.corpus, args)
    sys.stdout.write("BENCH_RESULT " + orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
