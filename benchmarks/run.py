"""The benchmark suite in one command: every figure next to its baseline, measured in the same run.

    .venv/bin/python -m benchmarks.run --sizes 1000,10000 --repeat 3

For each size N a seeded corpus is generated (benchmarks/corpus.py, cached) and parsed once;
then, in ``--repeat`` interleaved rounds (a busy machine slows every path of a round alike; every
other round runs in reverse order),
every measurement runs in a child process of its own (benchmarks/measure.py), so its peak RSS
(whole process tree, sampled) is its own:

- stages on the pure functions: parse page text / HTML / JSON (+ trafilatura alone), dedupe,
  NER (EntityExtractor), topics; and the Dedupe transform in Beam on 2 worker processes;
- NER inside Beam (bench_enrich's EnrichBatchesFn pipeline) against raw ``nlp.pipe``;
- end to end, files to JSON Lines: a plain loop over the same pure functions (benchmarks/plain.py)
  against ``newsbeam run`` on our DirectRunner in-process and with 2 worker processes, with NER
  (sizes <= --ner-max) and without (every size: the scaling curve);
- sinks (bench_sinks.py's writers), and the Kafka source against a raw kafka-python loop
  (bench_kafka.py's paths) when a broker answers on 127.0.0.1:19092.

Results: OUT/latest.json (summary and raw runs), OUT/latest.md (tables, targets, machine and load)
and OUT/latest.png; ``--merge`` adds a later run (say the 100k size alone) to the same results.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from benchmarks import report
from benchmarks.corpus import DEFAULT_SEED, ensure_corpus, load_manifest
from benchmarks.measure import PARSED

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results"
STAGES = ("parse_text", "parse_html", "parse_trafilatura", "parse_json", "dedupe", "dedupe_beam",
          "ner", "ner_pipe", "ner_beam", "topics")
NER_KINDS = ("ner", "ner_pipe", "ner_beam")
E2E = ("e2e_plain", "e2e_beam", "e2e_beam_mp")
KAFKA_ADDRESS = ("127.0.0.1", 19092)
FAMILIES = {"parse", "dedupe", "ner", "e2e", "sinks", "kafka", "topics"}


@dataclass
class Job:
    """One measurement: a measure.py kind with its flags, at one corpus size."""

    name: str
    kind: str
    size: int
    flags: list[str] = field(default_factory=list)


def peak_tree_rss(proc: psutil.Popen, stop: threading.Event, out: list[int]) -> None:
    """Sample the RSS of the child and all its descendants until ``stop``; keep the peak."""
    peak = 0
    while not stop.is_set():
        try:
            procs = [proc, *proc.children(recursive=True)]
            total = 0
            for p in procs:
                with contextlib.suppress(psutil.Error):  # a worker may exit between listing and reading
                    total += p.memory_info().rss
            peak = max(peak, total)
        except psutil.Error:
            pass
        stop.wait(0.05)
    out.append(peak)


def run_child(job: Job, corpus: Path, timeout: float) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.measure", job.kind, "--corpus", str(corpus), *job.flags]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stop, peak = threading.Event(), []
    sampler = threading.Thread(target=peak_tree_rss, args=(proc, stop, peak), daemon=True)
    sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
    stop.set()
    sampler.join()
    result = next((json.loads(line.split(" ", 1)[1]) for line in stdout.splitlines()
                   if line.startswith("BENCH_RESULT ")), None)
    if result is None:
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        return {"error": f"exit {proc.returncode}: {tail}", "load1": load_before}
    result.update(peak_rss_mb=peak[0] / 2**20 if peak else None, load1=load_before,
                  process_s=time.perf_counter() - started)
    return result


def kafka_available() -> bool:
    try:
        with socket.create_connection(KAFKA_ADDRESS, timeout=1):
            return True
    except OSError:
        return False


def plan(sizes: list[int], args: argparse.Namespace) -> list[Job]:
    """Every measurement of one round, sizes ascending."""
    jobs: list[Job] = []
    only = set(args.only.split(",")) if args.only else None
    for n in sizes:
        cap = ["--limit", str(args.ner_cap)]
        for kind in STAGES:
            jobs.append(Job(kind, kind, n, cap if kind in NER_KINDS else []))
        if n <= args.ner_max:  # the paths a ratio compares run next to each other
            jobs += [Job(kind, kind, n) for kind in E2E]
        jobs += [Job(kind + "_noner", kind, n, ["--no-ner"]) for kind in E2E]
        jobs.append(Job("sinks", "sinks", n))
        if args.kafka and n == max(sizes):
            jobs.append(Job("kafka", "kafka", n, ["--limit", str(args.kafka_records)]))
    if only:  # measurement names, or families (parse, ner, e2e, ...) for words that name no measurement
        families = (only - {j.name for j in jobs}) & FAMILIES
        jobs = [j for j in jobs if j.name in only or j.name.split("_")[0] in families]
    return jobs


def rewrite_report(out: Path) -> int:
    """latest.* again from the raw runs of OUT/latest.json (after a change to the report code)."""
    old = json.loads((out / "latest.json").read_text())
    corpora = {int(n): manifest for n, manifest in old["corpora"].items()}
    summary = report.summarise(old["raw"], sorted(corpora), corpora, old["config"])
    summary["generated"] = old["generated"]  # when the measurements were taken, not when re-rendered
    paths = report.write_all(summary, out)
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="corpus sizes (records), comma-separated")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved rounds; figures are medians")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--ner-max", type=int, default=1000, help="end-to-end runs with NER at sizes up to this")
    ap.add_argument("--ner-cap", type=int, default=500, help="articles for the NER stage measurements")
    ap.add_argument("--kafka-records", type=int, default=50000, help="records in the Kafka topic (as bench_kafka)")
    ap.add_argument("--kafka", action=argparse.BooleanOptionalAction, default=None,
                    help="Kafka source measurement (default: when a broker answers on 127.0.0.1:19092)")
    ap.add_argument("--only", default="", help="comma-separated measurement names (e2e_beam_noner) or families (parse, "
                                               "dedupe, ner, e2e, sinks, kafka, topics)")
    ap.add_argument("--timeout", type=float, default=4 * 3600, help="seconds per measurement")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--merge", action="store_true",
                    help="add to OUT/latest.json (measurements of the same name and size are replaced)")
    ap.add_argument("--corpus-root", type=Path, default=None, help="corpus cache folder (default: ~/.cache/newsbeam)")
    ap.add_argument("--report-only", action="store_true",
                    help="measure nothing: rewrite OUT/latest.md and latest.png (and the summary in latest.json) "
                         "from the raw runs in OUT/latest.json")
    args = ap.parse_args(argv)
    if args.report_only:
        return rewrite_report(args.out)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if args.kafka is None:
        args.kafka = kafka_available()
        if not args.kafka:
            print("kafka: no broker on 127.0.0.1:19092, Kafka source measurement skipped "
                  "(start one with `bash deploy/local/kafka.sh start`)", flush=True)

    corpora: dict[int, Path] = {}
    prepared: dict[int, dict] = {}
    for n in sizes:
        folder = (args.corpus_root / f"seed{args.seed}-n{n}") if args.corpus_root else None
        corpora[n] = ensure_corpus(n, args.seed, folder)
        if not (corpora[n] / PARSED).exists():
            print(f"[{n}] parsing the corpus once for the downstream stages ...", flush=True)
            prep = run_child(Job("prepare", "prepare", n), corpora[n], args.timeout)
            if "error" in prep:
                raise SystemExit(f"prepare failed: {prep['error']}")
        prepared[n] = load_manifest(corpora[n])

    jobs = plan(sizes, args)
    runs: dict[str, list[dict]] = {}
    previous = args.out / "latest.json"
    # --merge: e.g. the 100k size run later, alone, into the same results (read once: rewritten below)
    old = json.loads(previous.read_text()) if args.merge and previous.exists() else None
    started = time.time()
    planned, done = len(jobs) * args.repeat, 0

    def write_results() -> list[Path]:
        """latest.* from the runs so far: a suite stopped early (a deadline, a busy machine) keeps them."""
        invocation = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
        invocation.update(started=started, finished=time.time(), measured=done, planned=planned)
        all_runs, invocations, corpora_meta = runs, [invocation], dict(prepared)
        if old:
            all_runs = {**old.get("raw", {}), **runs}
            invocations = old["config"].get("invocations", []) + invocations
            for n, manifest in old["corpora"].items():
                corpora_meta.setdefault(int(n), manifest)
        summary = report.summarise(all_runs, sorted(corpora_meta), corpora_meta,
                                   {**invocation, "invocations": invocations})
        return report.write_all(summary, args.out)

    for round_no in range(1, args.repeat + 1):
        # Every other round runs backwards, so a drift in machine speed favours no path of a pair.
        for i, job in enumerate(jobs if round_no % 2 else jobs[::-1], 1):
            result = run_child(job, corpora[job.size], args.timeout)
            result["round"] = round_no
            runs.setdefault(f"{job.name}@{job.size}", []).append(result)
            done += 1
            shown = result.get("error") or (f"{result['wall_s']:.2f} s wall, {result['cpu_s']:.2f} s cpu, "
                                            f"peak {result['peak_rss_mb']:.0f} MB, load {result['load1']:.1f}")
            print(f"round {round_no}/{args.repeat} [{i}/{len(jobs)}] {job.name:<22} n={job.size:<7} {shown}",
                  flush=True)
            write_results()

    paths = write_results()
    print("\n" + (args.out / "latest.md").read_text())
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
