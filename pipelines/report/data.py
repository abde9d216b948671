"""What a run found, read back from its output folder: the numbers behind ``newsbeam report``.

Streams ``DIR/articles``, ``DIR/duplicates`` and ``DIR/dead_letters`` (JSON Lines, optionally
gzipped, on any Beam filesystem) line by line into counters, so a report over a large run needs
memory for the tallies only, not for the articles. Plain functions and dataclasses, no plotting.
"""

from __future__ import annotations

import gzip
import os
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import orjson
from apache_beam.io.filesystems import FileSystems

from pipelines.io.files import iter_lines

FOLDERS = ("articles", "duplicates", "dead_letters")
_MAX_LINE_BYTES = 1 << 30  # output lines are bounded by --max_record_bytes upstream
SINK_STAGE = "sink"  # rejected by a sink after being counted: outside the accounting


class NoRunOutput(FileNotFoundError):
    """The folder holds none of articles/, duplicates/, dead_letters/."""


@dataclass
class Member:
    """One copy of a story: who carried it and how close it is to the canonical copy."""

    outlet: str
    headline: str
    similarity: float | None = None
    method: str | None = None


@dataclass
class Cluster:
    cluster_id: str
    canonical: Member | None = None
    agency: str | None = None
    published: str | None = None
    copies: list[Member] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.copies) + (1 if self.canonical else 0)

    @property
    def outlets(self) -> list[str]:
        members = ([self.canonical] if self.canonical else []) + self.copies
        return list(dict.fromkeys(m.outlet for m in members))


@dataclass
class RunStats:
    articles: int = 0
    duplicates: int = 0
    dead_letters: int = 0
    sink_rejects: int = 0
    undated: int = 0
    files: int = 0
    entities: Counter[tuple[str, str]] = field(default_factory=Counter)  # articles naming it
    entity_mentions: Counter[tuple[str, str]] = field(default_factory=Counter)
    topics: Counter[str] = field(default_factory=Counter)  # articles tagged
    top_topic_by_day: dict[date, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    outlets: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    dead_reasons: Counter[tuple[str, str]] = field(default_factory=Counter)
    dead_examples: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # message, source
    clusters: dict[str, Cluster] = field(default_factory=dict)

    @property
    def records_in(self) -> int:
        """Derived from the files: records in = articles + duplicates + dead letters."""
        return self.articles + self.duplicates + self.dead_letters

    @property
    def first_day(self) -> date | None:
        return min(self.top_topic_by_day) if self.top_topic_by_day else None

    @property
    def last_day(self) -> date | None:
        return max(self.top_topic_by_day) if self.top_topic_by_day else None

    def top_entities(self, n: int = 15) -> list[tuple[str, str, int, int]]:
        """(name, type, articles, mentions), most articles first."""
        ranked = sorted(self.entities.items(), key=lambda kv: (-kv[1], -self.entity_mentions[kv[0]], kv[0]))
        return [(name, type_, docs, self.entity_mentions[(name, type_)]) for (name, type_), docs in ranked[:n]]

    def duplicate_clusters(self, n: int = 25) -> list[Cluster]:
        """Clusters with at least one dropped copy, biggest first."""
        found = [c for c in self.clusters.values() if c.copies]
        return sorted(found, key=lambda c: (-c.size, c.published or "", c.cluster_id))[:n]

    def dead_letter_reasons(self) -> list[tuple[str, str, int]]:
        return [(stage, error, n) for (stage, error), n in
                sorted(self.dead_reasons.items(), key=lambda kv: (-kv[1], kv[0]))]


def outlet_of(record: dict[str, Any]) -> str:
    """Who carried a record: its outlet, else the URL's host, else the input file's name."""
    if record.get("outlet"):
        return str(record["outlet"])
    url = record.get("url")
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    uri = (record.get("source") or {}).get("uri") or "?"
    return os.path.basename(uri.rstrip("/")) or uri


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def iter_jsonl(run_dir: str, folder: str) -> Iterator[dict[str, Any]]:
    """Records of ``run_dir/folder/*.jsonl[.gz]`` in file-name order; no folder, no records."""
    pattern = FileSystems.join(run_dir, folder, "*.jsonl*")
    matches = FileSystems.match([pattern])[0].metadata_list
    for meta in sorted(matches, key=lambda m: m.path):
        if not meta.path.endswith((".jsonl", ".jsonl.gz")):
            continue
        with FileSystems.open(meta.path, compression_type="uncompressed") as raw:
            stream = gzip.GzipFile(fileobj=raw) if meta.path.endswith(".gz") else raw
            for _, line, _ in iter_lines(stream, _MAX_LINE_BYTES):
                if line.strip():
                    yield orjson.loads(line)


def _has_folder(run_dir: str, folder: str) -> bool:
    return bool(FileSystems.match([FileSystems.join(run_dir, folder, "*")])[0].metadata_list)


def load_run(run_dir: str) -> RunStats:
    if not any(_has_folder(run_dir, f) for f in FOLDERS):
        raise NoRunOutput(f"no run output in {run_dir}: expected articles/, duplicates/ or dead_letters/ "
                          "written by `newsbeam run --output DIR`")
    stats = RunStats()
    for article in iter_jsonl(run_dir, "articles"):
        _add_article(stats, article)
    for dup in iter_jsonl(run_dir, "duplicates"):
        _add_duplicate(stats, dup)
    for dead in iter_jsonl(run_dir, "dead_letters"):
        _add_dead_letter(stats, dead)
    return stats


def _add_article(stats: RunStats, a: dict[str, Any]) -> None:
    dedupe = a.get("dedupe") or {}
    if dedupe.get("duplicate_of"):
        return  # a copy kept by --keep_duplicates: it is also in duplicates/, counted there
    stats.articles += 1
    outlet = outlet_of(a)
    stats.outlets[outlet] += 1
    stats.languages[a.get("language") or "?"] += 1
    for entity in a.get("entities") or []:
        key = (entity.get("name") or "?", entity.get("type") or "?")
        stats.entities[key] += 1
        stats.entity_mentions[key] += int(entity.get("mentions") or 1)
    topics = a.get("topics") or []
    for topic in topics:
        stats.topics[topic.get("label") or topic.get("code") or "?"] += 1
    day = _day(a.get("published_at"))
    if day is None:
        stats.undated += 1
    else:
        top = max(topics, key=lambda t: t.get("score") or 0.0) if topics else None
        stats.top_topic_by_day[day][(top.get("label") or top.get("code")) if top else "no topic"] += 1
    if (dedupe.get("cluster_size") or 1) > 1 and dedupe.get("cluster_id"):
        cluster = stats.clusters.setdefault(dedupe["cluster_id"], Cluster(dedupe["cluster_id"]))
        cluster.canonical = Member(outlet, a.get("headline") or "")
        cluster.agency = a.get("agency")
        cluster.published = a.get("published_at")


def _add_duplicate(stats: RunStats, d: dict[str, Any]) -> None:
    stats.duplicates += 1
    cluster_id = d.get("cluster_id") or f"of-{d.get('duplicate_of')}"
    cluster = stats.clusters.setdefault(cluster_id, Cluster(cluster_id))
    cluster.copies.append(Member(outlet_of(d), d.get("headline") or "", d.get("similarity"), d.get("method")))


def _add_dead_letter(stats: RunStats, d: dict[str, Any]) -> None:
    stage, error = d.get("stage") or "?", d.get("error") or "?"
    if stage == SINK_STAGE:
        stats.sink_rejects += 1
    else:
        stats.dead_letters += 1
    stats.dead_reasons[(stage, error)] += 1
    source = d.get("source") or {}
    where = source.get("uri") or "?"
    if source.get("line"):
        where = f"{where}:{source['line']}"
    stats.dead_examples.setdefault((stage, error), (d.get("message") or "", where))


def time_buckets(days: dict[date, Counter[str]]) -> tuple[str, dict[date, Counter[str]]]:
    """Days, ISO weeks (by Monday) or months, whichever gives a readable number of bars."""
    if not days:
        return "day", {}
    span = (max(days) - min(days)).days
    if span <= 45:
        return "day", dict(days)
    key = ((lambda d: d - timedelta(days=d.weekday())) if span <= 7 * 52 else (lambda d: d.replace(day=1)))
    merged: dict[date, Counter[str]] = defaultdict(Counter)
    for day, counts in days.items():
        merged[key(day)].update(counts)
    return ("week" if span <= 7 * 52 else "month"), dict(merged)
