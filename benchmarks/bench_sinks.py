"""Sink throughput (rows/s): JSON Lines, Parquet and PostgreSQL on the same synthetic articles.

    .venv/bin/python benchmarks/bench_sinks.py [--articles 5000] [--repeat 2] [--dsn DSN]

Articles are synthetic EnrichedArticles (tests/fixtures/enriched.py: ~240-word bodies, 2-6
entities, 1-3 topics, every field set). Two levels, each the best of ``--repeat`` runs:

1. core: the sink's own code without Beam (serialise + write; for PostgreSQL the batched upsert
   of 500 articles per transaction into empty tables, then the same articles again, which is the
   replay path: nothing changes, nothing is rewritten).
2. beam: the sink's transform in a pipeline on the FnApiRunner (one worker). Articles are made
   inside the pipeline (``Create`` of n ints -> ``make_enriched``: a ``Create`` of the articles
   themselves would pickle and bz2 them into the pipeline graph, which would dominate). The same
   pipeline without a sink is the baseline measured in the same run; a sink's rows/s is n over
   (its pipeline's time - the baseline's), so it includes Beam's per-element cost of the sink.

PostgreSQL comes from --dsn, else deploy/local/postgres.sh (started when not running); the
benchmark works in a database of its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import apache_beam as beam
import psycopg
from apache_beam.options.pipeline_options import PipelineOptions

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.fixtures: the synthetic articles the sink tests use too

from pipelines.io.jsonl import WriteJsonLines, to_json_line  # noqa: E402
from pipelines.io.parquet import (  # noqa: E402
    ParquetFileSink,
    WriteParquet,
    arrow_schema,
    published_date_partition,
)
from pipelines.io.pg_migrate import migrate  # noqa: E402
from pipelines.io.postgres import WriteToPostgres, upsert_articles  # noqa: E402
from pipelines.runners import resolve_runner  # noqa: E402
from schemas.records import EnrichedArticle  # noqa: E402
from tests.fixtures.enriched import make_enriched, synthetic_articles  # noqa: E402
from tests.fixtures.postgres import create_database, drop_database, start_server, stop_server, with_dbname  # noqa: E402

BENCH_DB = "newsbeam_bench"
PG_BATCH = 500


def best_of(repeat: int, fn: Callable[[], object], before: Callable[[], object] = lambda: None) -> float:
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run_beam(n: int, write: Callable[[], beam.PTransform] | None) -> None:
    options = PipelineOptions(["--runner=DirectRunner", "--direct_num_workers=1"])
    with beam.Pipeline(runner=resolve_runner(options), options=options) as p:
        articles = (p | beam.Create(list(range(n)), reshuffle=False)
                    | beam.Map(lambda i: make_enriched(i)).with_output_types(EnrichedArticle))
        _ = articles | (write() if write else beam.Map(lambda a: None))


# --- core writers ---------------------------------------------------------------------------------


def core_jsonl(articles: list[EnrichedArticle], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for a in articles:
            f.write(to_json_line(a))
            f.write("\n")


def core_parquet(articles: list[EnrichedArticle], path: Path) -> None:
    sink = ParquetFileSink(arrow_schema(EnrichedArticle), row_group_rows=10_000)
    with open(path, "wb") as f:
        sink.open(f)
        for a in articles:
            sink.write((None, a))
        sink.flush()


def core_postgres(articles: list[EnrichedArticle], dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        for i in range(0, len(articles), PG_BATCH):
            with conn.transaction():
                upsert_articles(conn, articles[i:i + PG_BATCH])


def truncate(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("TRUNCATE articles, article_entities, article_topics")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--dsn", default=os.environ.get("NEWSBEAM_BENCH_PG_DSN"),
                        help="admin DSN of a role that may create databases (default: deploy/local/postgres.sh)")
    args = parser.parse_args()

    articles = synthetic_articles(args.articles)
    n = len(articles)
    children = sum(len(a.entities) + len(a.topics) for a in articles)
    admin, started = start_server(args.dsn)
    dsn = with_dbname(admin, create_database(admin, "template0", BENCH_DB))
    migrate(dsn)
    tmp = Path(tempfile.mkdtemp(prefix="bench_sinks_"))
    results: list[tuple[str, str, float]] = []

    def record(level: str, name: str, seconds: float) -> None:
        results.append((level, name, seconds))
        print(f"  {level:<5} {name:<34} {n / seconds:>9,.0f} rows/s  ({seconds:.2f} s)", flush=True)

    def fresh(path: Path) -> Callable[[], None]:
        return lambda: shutil.rmtree(path, ignore_errors=True)

    try:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        print(f"sinks: {n} synthetic EnrichedArticles (+{children} entity/topic rows), best of {args.repeat};",
              machine)
        record("core", "jsonl (orjson, one file)", best_of(args.repeat, lambda: core_jsonl(articles, tmp / "a.jsonl")))
        record("core", "parquet (zstd, 10k-row groups)",
               best_of(args.repeat, lambda: core_parquet(articles, tmp / "a.parquet")))
        record("core", f"postgres insert ({PG_BATCH}/tx)",
               best_of(args.repeat, lambda: core_postgres(articles, dsn), before=lambda: truncate(dsn)))
        record("core", "postgres replay (unchanged)", best_of(args.repeat, lambda: core_postgres(articles, dsn)))

        base = best_of(args.repeat, lambda: run_beam(n, None))
        print(f"  beam  baseline (make articles, no sink) {n / base:>9,.0f} rows/s  ({base:.2f} s)", flush=True)

        def beam_sink(name: str, write: Callable[[], beam.PTransform], before: Callable[[], object]) -> None:
            total = best_of(args.repeat, lambda: run_beam(n, write), before=before)
            record("beam", name, max(total - base, 1e-9))

        beam_sink("WriteJsonLines", lambda: WriteJsonLines(str(tmp / "beam_jsonl"), "articles"),
                  fresh(tmp / "beam_jsonl"))
        beam_sink("WriteParquet (by published date)", lambda: WriteParquet(
            str(tmp / "beam_pq"), EnrichedArticle, name="articles", partition=published_date_partition),
            fresh(tmp / "beam_pq"))
        beam_sink("WriteToPostgres insert", lambda: _PostgresArticles(dsn), lambda: truncate(dsn))
        beam_sink("WriteToPostgres replay (unchanged)", lambda: _PostgresArticles(dsn), lambda: None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        drop_database(admin, BENCH_DB)
        if started:
            stop_server()


class _PostgresArticles(beam.PTransform):
    """Articles -> WriteToPostgres (which takes a dict of PCollections)."""

    def __init__(self, dsn: str) -> None:
        super().__init__()
        self._dsn = dsn

    def expand(self, articles: beam.PCollection) -> beam.PCollection:
        return {"articles": articles} | WriteToPostgres(self._dsn, batch_size=PG_BATCH)


if __name__ == "__main__":
    main()
