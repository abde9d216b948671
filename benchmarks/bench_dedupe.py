"""Dedupe at scale: synthetic articles with planted copies, the Beam transform against the pure functions.

    .venv/bin/python benchmarks/bench_dedupe.py [--articles 100000] [--workers 2] [--shards 1]

Input: ``--articles`` synthetic articles (benchmarks/dedupe_synthetic.py: per block of 10, six
unrelated stories and a wire story with two near-duplicate copies and one exact redelivery),
written once as JSON Lines under .cache/bench_dedupe/ and reused. Reported, in one run:

* signatures: microseconds per article for our one-permutation MinHash (the default), our
  k-permutation MinHash and datasketch's MinHash on the same shingles;
* Beam: wall time of read (``--reader``: our file source, or ReadFromText) -> Dedupe -> count on
  the DirectRunner (FnApiRunner) with ``--workers``
  processes, the same pipeline without Dedupe (read cost), and peak RSS of all its processes;
* pure: the in-memory ``dedupe_articles`` on one core (after loading the same file), and the
  Beam / pure time ratio;
* agreement: an order-independent checksum of every output record's (source, cluster, duplicate_of)
  from Beam against the same from the pure run: any lost, doubled or different verdict shows;
* quality: LSH recall of planted near-duplicate pairs (sharing at least one band), and pairwise
  precision / recall of the final clusters against the planted stories.
Timings depend on what else runs on the machine; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import threading
import time
from itertools import combinations, pairwise
from pathlib import Path

import apache_beam as beam
import dedupe_synthetic as syn  # same folder: on sys.path when run as a script
import numpy as np
import orjson
import psutil
from apache_beam.metrics import Metrics
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines.io.files import ReadInputFiles
from pipelines.metrics import counter
from pipelines.nlp.dedupe import DedupeParams, dedupe_articles, fingerprint
from pipelines.nlp.dedupe.evaluate import pairwise_scores
from pipelines.nlp.dedupe.lsh import band_hashes
from pipelines.nlp.dedupe.minhash import batch_signatures, kperm_signature, signature
from pipelines.nlp.dedupe.shingles import body_shingles, fold_bytes
from pipelines.progress import LiveCounters
from pipelines.runners import resolve_runner
from pipelines.transforms.dedupe import Dedupe
from schemas.records import Article

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench_dedupe"


def _write_part(args: tuple[int, int, int, str]) -> None:
    seed, first, last, path = args
    with open(path + ".tmp", "wb") as fh:
        for b in range(first, last):
            for article, _ in syn.block(seed, b):
                fh.write(article.model_dump_json().encode() + b"\n")
    os.replace(path + ".tmp", path)


def dataset(seed: int, n: int, parts: int) -> list[str]:
    """Paths of the JSON Lines parts holding ``n`` articles (generated in parallel once)."""
    folder = CACHE / f"seed{seed}-n{n}"
    folder.mkdir(parents=True, exist_ok=True)
    blocks = (n + syn.BLOCK - 1) // syn.BLOCK
    bounds = np.linspace(0, blocks, parts + 1).astype(int)
    jobs = [(seed, int(a), int(b), str(folder / f"part-{i:03d}.jsonl"))
            for i, (a, b) in enumerate(pairwise(bounds.tolist()))]
    todo = [j for j in jobs if not os.path.exists(j[3])]
    if todo:
        with multiprocessing.Pool(min(len(todo), os.cpu_count() or 1)) as pool:
            pool.map(_write_part, todo)
    return [j[3] for j in jobs]


def story(article_id: str) -> str:
    return article_id if article_id.startswith("s") else article_id.split("-")[0]


class _Sampler:
    """Peak summed RSS and CPU seconds of this process and its children (the runner's workers).

    With ``live`` (the runner's LiveCounters), also wall seconds and peak RSS per fused stage.
    """

    def __init__(self, live: LiveCounters | None = None) -> None:
        self.peak = 0
        self.peak_single = 0
        self.peak_runner = 0
        self.stages: dict[str, list[float]] = {}  # stage -> [seconds, peak summed RSS, peak runner RSS, largest worker]
        self._live = live
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def cpu_s(self) -> float:
        """CPU seconds of every process seen while running (this one counted from the start)."""
        return sum(self._cpu.values())

    def _run(self) -> None:
        me = psutil.Process()
        own0 = sum(me.cpu_times()[:2])
        last = time.perf_counter()
        while True:
            stopping = self._stop.is_set()
            total, single, runner, worker = 0, 0, 0, 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    with proc.oneshot():
                        rss = proc.memory_info().rss
                        cpu = sum(proc.cpu_times()[:2])
                except psutil.Error:
                    continue
                self._cpu[proc.pid] = cpu - own0 if proc.pid == me.pid else cpu
                total += rss
                single = max(single, rss)
                if proc.pid == me.pid:
                    runner = rss
                else:
                    worker = max(worker, rss)
            self.peak, self.peak_single = max(self.peak, total), max(self.peak_single, single)
            self.peak_runner = max(self.peak_runner, runner)
            now = time.perf_counter()
            if self._live is not None:
                stage = self.stages.setdefault(self._live.stage or "(start)", [0.0, 0, 0, 0])
                stage[0] += now - last
                stage[1:] = max(stage[1], total), max(stage[2], runner), max(stage[3], worker)
            last = now
            if stopping:
                return
            self._stop.wait(0.1)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def verdict_hash(uri: str, cluster: str, duplicate_of: str | None) -> int:
    """One output record's verdict as a 62-bit number; summed, it checks a whole run in any order."""
    digest = hashlib.blake2b(f"{uri}\x1f{cluster}\x1f{duplicate_of}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 2


class _Checksum(beam.DoFn):
    def process(self, total: int) -> None:
        Metrics.gauge("bench", "bench_checksum").set(total % 2**62)


def _decode(line: bytes) -> Article:
    return Article.model_validate(orjson.loads(line))


class _Count(beam.DoFn):
    def __init__(self, name: str) -> None:
        self._counter = counter(name)

    def process(self, element: object) -> None:
        self._counter.inc()


def run_beam(paths: list[str], workers: int, shards: int, dedupe: bool,
             reader: str = "files") -> tuple[float, dict[str, int], _Sampler]:
    options = PipelineOptions(["--runner=DirectRunner", f"--direct_num_workers={workers}",
                               "--direct_running_mode=multi_processing"])
    runner = resolve_runner(options)
    live = LiveCounters()
    runner.live = live  # ProgressFnApiRunner: the stage running now, for the per-stage table
    pipeline = beam.Pipeline(runner=runner, options=options)
    folder = os.path.dirname(paths[0])
    if reader == "text":  # Beam's splittable text source
        lines = pipeline | "Read" >> beam.io.ReadFromText(folder + "/part-*.jsonl", coder=beam.coders.BytesCoder())
    else:  # the pipeline's own file source (newsbeam run): one file per element, never split
        lines = ((pipeline | "Read" >> ReadInputFiles([folder], 1 << 24)).records
                 | "Payload" >> beam.Map(lambda record: record.data))
    articles = lines | "Decode" >> beam.Map(_decode).with_output_types(Article)
    if dedupe:
        out = articles | "Dedupe" >> Dedupe(shards=shards)
        out.articles | "CountArticles" >> beam.ParDo(_Count("bench_articles"))
        out.duplicates | "CountDuplicates" >> beam.ParDo(_Count("bench_duplicates"))
        _ = ((out.articles | "HashArticles" >> beam.Map(
                  lambda a: verdict_hash(a.source.uri, a.dedupe.cluster_id, None)),
              out.duplicates | "HashDuplicates" >> beam.Map(
                  lambda d: verdict_hash(d.source.uri, d.cluster_id, d.duplicate_of)))
             | "AllVerdicts" >> beam.Flatten()
             | "Sum" >> beam.CombineGlobally(sum)
             | "Checksum" >> beam.ParDo(_Checksum()))
    else:
        articles | "CountArticles" >> beam.ParDo(_Count("bench_articles"))
    with _Sampler(live) as sampler:
        start = time.perf_counter()
        result = pipeline.run()
        result.wait_until_finish()
        elapsed = time.perf_counter() - start
    metrics = result.metrics().query()
    counts = {c.key.metric.name: c.committed for c in metrics["counters"]
              if c.key.metric.name.startswith(("bench_", "dedupe_rechecked_"))}
    counts.update({g.key.metric.name: g.committed.value for g in metrics["gauges"]
                   if g.key.metric.name.startswith("bench_")})
    return elapsed, counts, sampler


def signature_speed(articles: list[Article], params: DedupeParams) -> dict[str, float]:
    from datasketch import MinHash

    sample = articles[:1000]
    shingles = [body_shingles(a.body, params.shingle_size) for a in sample]
    words = [fold_bytes(a.body).split() for a in sample]
    grams = [[b" ".join(w[i:i + params.shingle_size]) for i in range(max(1, len(w) - params.shingle_size + 1))]
             for w in words]
    hashes = np.concatenate(shingles)
    offsets = np.cumsum([0] + [len(s) for s in shingles])
    start = time.perf_counter()
    batch_signatures(hashes, offsets, params.num_perm)
    out = {"one-permutation, one call per 1000 articles (as the pipeline)":
           (time.perf_counter() - start) / len(sample) * 1e6}
    for name, fn in (("one-permutation, one call per article", lambda i: signature(shingles[i], params.num_perm)),
                     ("k-permutation numpy", lambda i: kperm_signature(shingles[i], params.num_perm)),
                     ("datasketch MinHash", lambda i: MinHash(num_perm=params.num_perm).update_batch(grams[i]))):
        start = time.perf_counter()
        for i in range(len(sample)):
            fn(i)
        out[name] = (time.perf_counter() - start) / len(sample) * 1e6
    return out


def lsh_recall(articles: list[Article], params: DedupeParams) -> tuple[int, int]:
    """Planted near-duplicate pairs (distinct bodies of one story) that share at least one band."""
    by_story: dict[str, dict[str, Article]] = {}
    for a in articles:
        if not a.id.startswith("s"):
            by_story.setdefault(story(a.id), {})[a.body_hash] = a
    found = total = 0
    for bodies in by_story.values():
        fps = [fingerprint(a, params) for a in bodies.values()]
        bands = band_hashes(np.stack([f.signature() for f in fps]), params.bands, params.rows)
        for i, j in combinations(range(len(fps)), 2):
            total += 1
            found += bool(np.any(bands[i] == bands[j]))
    return found, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--shards", type=int, default=1, help="Dedupe(shards=...): 1 = one graph step, N = sharded")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reader", choices=["files", "text"], default="files",
                    help="files: our ReadInputFiles (as newsbeam run); text: beam.io.ReadFromText")
    ap.add_argument("--beam-only", action="store_true",
                    help="only the Beam read+dedupe run (no read-only run, pure run, recall or speeds)")
    args = ap.parse_args()
    params = DedupeParams()
    t0 = time.perf_counter()
    paths = dataset(args.seed, args.articles, parts=max(2, args.workers * 4))
    print(f"bench_dedupe: {args.articles} synthetic articles ({args.seed=}), data ready in "
          f"{time.perf_counter() - t0:.1f} s; {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"  parameters   shingle {params.shingle_size}, num_perm {params.num_perm}, threshold "
          f"{params.threshold}, containment {params.containment}, bands x rows {params.bands} x {params.rows}")

    beam_s, counts, mem = run_beam(paths, args.workers, args.shards, True, args.reader)
    read_s, read_counts = 0.0, {}
    if not args.beam_only:
        read_s, read_counts, _ = run_beam(paths, args.workers, args.shards, False, args.reader)
    kept_beam, dups_beam = counts.get("bench_articles", 0), counts.get("bench_duplicates", 0)
    print(f"  beam         {beam_s:7.1f} s  read+dedupe on {args.workers} worker processes, {args.shards} shard(s) "
          f"({args.articles / beam_s:,.0f} articles/s); read alone {read_s:.1f} s")
    print(f"               {mem.cpu_s:.1f} CPU-s (runner and workers); peak RSS {mem.peak / 2**30:.2f} GiB "
          f"({mem.peak:,} bytes) summed over runner and workers (runner {mem.peak_runner / 2**30:.2f} GiB, "
          f"largest process {mem.peak_single / 2**30:.2f} GiB)")
    for stage, (seconds, peak, runner, worker) in mem.stages.items():
        print(f"               stage {seconds:6.1f} s, peak {peak / 2**30:.2f} GiB (runner {runner / 2**30:.2f}, "
              f"largest worker {worker / 2**30:.2f})  "
              f"{stage[:80]}")
    print(f"               {kept_beam} articles + {dups_beam} duplicates = {kept_beam + dups_beam} "
          f"(in: {args.articles}; the read-only run read {read_counts.get('bench_articles', 0)})")
    print(f"               {counts.get('dedupe_rechecked_pairs', 0)} candidate pairs near the threshold re-checked "
          f"on exact shingle sets, {counts.get('dedupe_rechecked_copies', 0)} of them copies")

    if args.beam_only:
        return
    start = time.perf_counter()
    articles = [_decode(line) for p in paths for line in Path(p).read_bytes().splitlines()]
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    kept, _ = dedupe_articles(articles, params, keep_duplicates=True)
    pure_s = time.perf_counter() - start
    n_dup = sum(1 for a in kept if a.dedupe.duplicate_of)
    print(f"  pure         {pure_s:7.1f} s  dedupe_articles on one core ({args.articles / pure_s:,.0f} articles/s; "
          f"loading the file {load_s:.1f} s); {len(kept) - n_dup} kept, {n_dup} duplicates")
    print(f"  ratio        beam / pure = {beam_s / pure_s:.2f} (beam on {args.workers} processes incl. reading, "
          f"pure on 1 core excl. reading)")
    pure_sum = sum(verdict_hash(a.source.uri, a.dedupe.cluster_id, a.dedupe.duplicate_of) for a in kept) % 2**62
    same = counts.get("bench_checksum") == pure_sum and (kept_beam, dups_beam) == (len(kept) - n_dup, n_dup)
    print(f"  agreement    {'IDENTICAL' if same else 'MISMATCH'}: every record's verdict, Beam vs pure "
          f"(checksum {counts.get('bench_checksum')} vs {pure_sum})")

    found, total = lsh_recall(articles, params)
    scores = pairwise_scores([story(a.id) for a in articles], [a.dedupe.cluster_id for a in kept])
    print(f"  LSH recall   {found}/{total} = {found / max(total, 1):.4f} of planted near-duplicate pairs share a band")
    print(f"  clusters     {scores.line()}")
    for name, us in signature_speed(articles, params).items():
        print(f"  signature    {us:8.1f} us/article  {name}")


if __name__ == "__main__":
    main()
