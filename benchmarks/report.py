"""Benchmark results: medians and spreads, same-run ratios, scaling slopes, targets; JSON, Markdown, PNG."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

import psutil

# (label, numerator, denominator): ratio = throughput of numerator / throughput of the baseline,
# from wall (and CPU) times of the same round, then the median over rounds.
RATIOS = (
    ("e2e with NER: Beam in-process / plain loop", "e2e_beam", "e2e_plain"),
    ("e2e with NER: Beam 2 processes / plain loop", "e2e_beam_mp", "e2e_plain"),
    ("e2e without NER: Beam in-process / plain loop", "e2e_beam_noner", "e2e_plain_noner"),
    ("e2e without NER: Beam 2 processes / plain loop", "e2e_beam_mp_noner", "e2e_plain_noner"),
    ("NER step in Beam / raw nlp.pipe", "ner_beam", "ner_pipe"),
    ("NER + canonical entities (no Beam) / raw nlp.pipe", "ner", "ner_pipe"),
    ("HTML parse_record / trafilatura.extract alone", "parse_html", "parse_trafilatura"),
    ("Dedupe in Beam (2 processes) / dedupe_articles", "dedupe_beam", "dedupe"),
    ("JSON Lines sink in Beam / core writer", "sinks/jsonl_beam", "sinks/jsonl_core"),
    ("Parquet sink in Beam / core writer", "sinks/parquet_beam", "sinks/parquet_core"),
    ("Kafka source (ReadFromKafka) / plain kafka-python loop", "kafka/kafka_source", "kafka/kafka_plain_loop"),
)
STAGE_LABELS = {
    "parse_text": "parse page text", "parse_html": "parse HTML", "parse_trafilatura": "trafilatura.extract (baseline)",
    "parse_json": "parse JSON records", "dedupe": "dedupe (pure, 1 core)", "dedupe_beam": "Dedupe in Beam (2 procs)",
    "ner": "NER + canonical (pure)", "ner_pipe": "raw nlp.pipe (baseline)", "ner_beam": "NER step in Beam",
    "topics": "topics (lexical)", "sinks/jsonl_core": "sink JSON Lines (core)",
    "sinks/jsonl_beam": "sink JSON Lines (Beam, net)",
    "sinks/parquet_core": "sink Parquet (core)", "sinks/parquet_beam": "sink Parquet (Beam, net)",
    "kafka/kafka_plain_loop": "Kafka plain loop (baseline)", "kafka/kafka_source": "Kafka source (Beam)",
}
E2E_LABELS = {"e2e_plain": "plain loop", "e2e_beam": "Beam in-process", "e2e_beam_mp": "Beam 2 processes"}
GB = 1024.0


def machine() -> dict[str, Any]:
    import apache_beam
    import spacy

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "beam": apache_beam.__version__, "spacy": spacy.__version__,
            "os": f"{platform.system()} {platform.release()}"}


def _stats(values: list[float]) -> dict[str, float]:
    med = statistics.median(values)
    return {"median": med, "min": min(values), "max": max(values),
            "spread_pct": 100.0 * (max(values) - min(values)) / med if med else 0.0, "n": len(values)}


def _flatten(runs: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Children that time several paths (sinks, kafka) become one series per path: 'sinks/jsonl_core@N'."""
    out: dict[str, list[dict]] = {}
    for key, results in runs.items():
        for r in results:
            subs = r.get("extra", {}).get("sub") if "error" not in r else None
            if not subs:
                out.setdefault(key, []).append(r)
                continue
            name, size = key.split("@")
            for sub_name, sub in subs.items():
                out.setdefault(f"{name}/{sub_name}@{size}", []).append(
                    {**sub, "bytes": 0, "peak_rss_mb": r.get("peak_rss_mb"), "load1": r["load1"],
                     "round": r["round"], "extra": {}})
    return out


def _measurement(key: str, results: list[dict]) -> dict[str, Any]:
    name, size = key.rsplit("@", 1)
    ok = [r for r in results if "error" not in r]
    m: dict[str, Any] = {"name": name, "size": int(size), "rounds": len(ok),
                         "errors": [r["error"] for r in results if "error" in r]}
    if not ok:
        return m
    items = ok[0]["items"]
    wall = [r["wall_s"] for r in ok]
    m.update(items=items, bytes=ok[0]["bytes"], wall_s=_stats(wall), cpu_s=_stats([r["cpu_s"] for r in ok]),
             rate_wall=items / statistics.median(wall), rate_cpu=items / statistics.median([r["cpu_s"] for r in ok]),
             mb_s=ok[0]["bytes"] / 2**20 / statistics.median(wall) if ok[0]["bytes"] else None,
             peak_rss_mb=max(r["peak_rss_mb"] or 0 for r in ok), load1=[r["load1"] for r in ok],
             extra=ok[-1].get("extra", {}), per_round={r["round"]: (r["wall_s"], r["cpu_s"]) for r in ok})
    return m


def _ratio(ms: dict[str, dict], num: str, den: str, size: int) -> dict[str, Any] | None:
    a, b = ms.get(f"{num}@{size}"), ms.get(f"{den}@{size}")
    if not a or not b or "per_round" not in a or "per_round" not in b:
        return None
    rounds = sorted(set(a["per_round"]) & set(b["per_round"]))
    extra_b = b.get("extra", {}).get("load_s", 0.0) if den == "dedupe" else 0.0  # Beam's run reads the file too
    wall = [(b["per_round"][r][0] + extra_b) / a["per_round"][r][0] for r in rounds]
    cpu = [b["per_round"][r][1] / a["per_round"][r][1] for r in rounds]
    return {"size": size, "wall": _stats(wall), "cpu": _stats(cpu)}


def _slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log y on log x: 1.0 is linear growth."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else None


def _scaling(ms: dict[str, dict], sizes: list[int]) -> dict[str, Any]:
    out = {}
    for name in ("e2e_plain", "e2e_beam", "e2e_beam_mp", "e2e_plain_noner", "e2e_beam_noner", "e2e_beam_mp_noner",
                 "dedupe", "dedupe_beam", "parse_html", "parse_text"):
        pts = [(n, ms[f"{name}@{n}"]) for n in sizes if "wall_s" in ms.get(f"{name}@{n}", {})]
        if len(pts) < 2:
            continue
        xs = [n for n, _ in pts]
        wall = [m["wall_s"]["median"] for _, m in pts]
        rss = [m["peak_rss_mb"] for _, m in pts]
        out[name] = {"sizes": xs, "wall_s": wall, "cpu_s": [m["cpu_s"]["median"] for _, m in pts], "peak_rss_mb": rss,
                     "time_slope": _slope(xs, wall), "cpu_slope": _slope(xs, [m["cpu_s"]["median"] for _, m in pts]),
                     "rss_slope": _slope(xs, rss)}
    return out


def _targets(ms: dict[str, dict], ratios: dict[str, dict], scaling: dict[str, Any], sizes: list[int]) -> list[dict]:
    targets = []
    for label, target, limit in (("e2e with NER: Beam in-process / plain loop",
                                  "end-to-end with NER >= 0.85x the plain loop", 0.85),
                                 ("NER step in Beam / raw nlp.pipe", "NER step >= 0.9x raw spaCy", 0.9)):
        r = ratios.get(label)
        value = r["wall"]["median"] if r else None
        # The verdict is on wall-clock throughput; the CPU ratio of the same rounds is shown beside it
        # because other work on a shared machine moves wall times far more than CPU times.
        targets.append({"target": target, "value": value, "size": r["size"] if r else None,
                        "ok": None if value is None else value >= limit, "unit": "x",
                        "cpu": r["cpu"]["median"] if r else None})
    text = [ms[k] for k in ms if k.startswith("parse_text@") and "rate_cpu" in ms[k]]
    if text:
        best = max(text, key=lambda m: m["size"])
        targets.append({"target": "page-text parse >= 2,000 articles/s/core", "value": best["rate_cpu"],
                        "size": best["size"], "ok": best["rate_cpu"] >= 2000, "unit": "articles/CPU-s"})
    for name, label, limit, key in (("dedupe_beam", "near-dup of 100k < 60 s on 2 cores", 60.0, "wall_s"),
                                    ("e2e_beam", "peak RSS for 100k <= 2 GB", 2 * GB, "peak_rss_mb")):
        targets.append(_at_100k(ms, scaling, name, label, limit, key))
    return targets


def _at_100k(ms: dict[str, dict], scaling: dict[str, Any], name: str, label: str, limit: float, key: str) -> dict:
    """Measured at 100k if that size ran (any e2e mode for memory), else extrapolated on the log-log fit."""
    # Memory: the job as newsbeam run runs it (in-process DirectRunner), with NER if that size ran with it.
    names = [name] if key == "wall_s" else ["e2e_beam", "e2e_beam_noner"]
    found = next((n for n in names if key in ms.get(f"{n}@100000", {})), None)
    if found:
        m = ms[f"{found}@100000"]
        value = m[key]["median"] if key == "wall_s" else m[key]
        return {"target": label, "value": value, "size": 100000, "ok": value <= limit,
                "unit": "s" if key == "wall_s" else "MB", "basis": f"measured: {found}"}
    fit = next((scaling[n] for n in names if n in scaling), None)
    slope_key = "time_slope" if key == "wall_s" else "rss_slope"
    if not fit or fit[slope_key] is None:
        return {"target": label, "value": None, "size": None, "ok": None, "unit": ""}
    series = fit["wall_s"] if key == "wall_s" else fit["peak_rss_mb"]
    value = series[-1] * (100000 / fit["sizes"][-1]) ** fit[slope_key]
    used = next(n for n in names if n in scaling)
    return {"target": label, "value": value, "size": 100000, "ok": value <= limit,
            "unit": "s" if key == "wall_s" else "MB", "basis": f"{used}, extrapolated from n={fit['sizes'][-1]}"}


def summarise(runs: dict[str, list[dict]], sizes: list[int], corpora: dict[int, dict],
              config: dict[str, Any]) -> dict[str, Any]:
    flat = _flatten(runs)
    ms = {key: _measurement(key, results) for key, results in flat.items()}
    ratios: dict[str, dict] = {}
    for label, num, den in RATIOS:
        for n in sorted(sizes, reverse=True):  # the largest size where both ran
            r = _ratio(ms, num, den, n)
            if r:
                ratios[label] = r
                break
    scaling = _scaling(ms, sizes)
    loads = [x for m in ms.values() for x in m.get("load1", [])]
    cfg = {k: (str(v) if isinstance(v, Path) else v) for k, v in config.items()}
    return {"generated": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "machine": machine(), "config": cfg,
            "load1": _stats(loads) if loads else None, "corpora": {str(n): corpora[n] for n in sizes},
            "measurements": ms, "ratios": ratios, "scaling": scaling,
            "targets": _targets(ms, ratios, scaling, sizes), "raw": runs}


def write_all(summary: dict[str, Any], out: Path) -> list[Path]:
    from benchmarks.report_md import chart, markdown

    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "latest.json", out / "latest.md", out / "latest.png"]
    paths[0].write_text(json.dumps(summary, indent=1, sort_keys=True, default=str) + "\n")
    paths[1].write_text(markdown(summary))
    chart(summary, paths[2])
    return paths
