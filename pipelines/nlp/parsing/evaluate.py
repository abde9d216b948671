"""Parsing quality against the labelled set: per-field accuracy, snippet recall, leakage.

The labelled set is a directory with input files and ``gold.jsonl``, one line per record::

    {"input": "test/x.txt", "line": 2 | null, "index": 0 | null,
     "headline", "standfirst", "published_at" (ISO Z), "updated_at", "section", "authors", "agency",
     "dateline", "language", "body_snippets": [...], "boilerplate": [...]}       # an article
    {"input": "test/y.jsonl", "line": 3, "error": "missing_field"}               # a dead letter

The first folder of ``input`` is the split: ``dev`` (parsers were tuned on it), ``test`` and
``holdout`` (written before the parser saw them; see tests/data/parse_gold/README.md). Only the
keys a gold line has are scored. A split in FIRST_LOOK_SPLITS is scored and printed but left out of
the targets (``--check``) of a run over all splits, until the parser has been fixed for it.
Records are read the way the file source reads them (one per file, per JSON Lines line, per
element of a JSON array or envelope).
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pipelines.io.files import content_type_for, split_json_document
from pipelines.nlp.normalize import clean_line, fold_for_hash
from pipelines.nlp.parsing import ParseError, parse_record
from schemas.records import Article, RawRecord, SourceRef

DEFAULT_GOLD_DIR = Path(__file__).resolve().parents[3] / "tests" / "data" / "parse_gold"
DATE_TOLERANCE_S = 60
# The acceptance targets: (metric, comparison, threshold).
TARGETS = {"headline": (">=", 0.97), "published_at": (">=", 0.95), "body_snippets": (">=", 0.98),
           "boilerplate_leaked": ("<=", 0.02)}
# Splits written for an honest first look at unseen layouts: their misses are the to-do list of the
# next parser fixes, so they would fail the targets by design. They count in the "all" column but
# not in TARGETED, unless scored alone (--split NAME). Remove a split from here once it is fixed for.
FIRST_LOOK_SPLITS: frozenset[str] = frozenset()  # holdout7 left after its generic fixes
TARGETED = "targeted"
_TEXT_FIELDS = ("headline", "standfirst", "dateline", "language", "agency")
_DATE_FIELDS = ("published_at", "updated_at")
ORDER = ("headline", "standfirst", "published_at", "updated_at", "authors", "section", "agency", "dateline",
         "language", "body_snippets", "boilerplate_leaked", "dead_letters")


@dataclass
class Score:
    hits: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else float("nan")


@dataclass
class Report:
    scores: dict[str, dict[str, Score]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Score)))
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    untargeted: frozenset[str] = frozenset()

    def add(self, split: str, metric: str, ok: bool, where: str, want: Any = None, got: Any = None,
            count_miss: bool = True) -> None:
        keys = (split, "all") if split in self.untargeted else (split, "all", TARGETED)
        for key in keys:
            score = self.scores[key][metric]
            score.total += 1
            score.hits += int(ok)
        if count_miss and not ok:
            self.misses.append((where, metric, want, got))

    def meets_targets(self) -> bool:
        for metric, (op, threshold) in TARGETS.items():
            rate = self.scores[TARGETED][metric].rate
            if rate != rate or (rate < threshold if op == ">=" else rate > threshold):
                return False
        return True


def load_gold(directory: Path) -> list[dict[str, Any]]:
    path = directory / "gold.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"no gold.jsonl in {directory}")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_raw(directory: Path, gold: dict[str, Any]) -> RawRecord:
    """The record a gold line labels, cut from its input file as the file source would."""
    path = directory / gold["input"]
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    uri, ctype = str(path), content_type_for(str(path))
    if gold.get("line") is not None:
        return RawRecord(data=data.splitlines()[gold["line"] - 1], content_type="application/json",
                         source=SourceRef(uri=uri, line=gold["line"]))
    if ctype == "application/json":
        elements = split_json_document(data)
        if elements is not None:
            index = gold.get("index") or 0
            return RawRecord(data=elements[index], content_type=ctype, source=SourceRef(uri=uri, index=index))
    return RawRecord(data=data, content_type=ctype, source=SourceRef(uri=uri))


def evaluate(directory: Path = DEFAULT_GOLD_DIR, split: str = "all",
             first_look: frozenset[str] = FIRST_LOOK_SPLITS) -> Report:
    report = Report(untargeted=first_look - {split})
    for gold in load_gold(directory):
        name = gold["input"] + (f":{gold['line']}" if gold.get("line") else "")
        part = gold["input"].split("/", 1)[0]
        if split not in ("all", part):
            continue
        report.records[part] += 1
        try:
            article: Article | None = parse_record(read_raw(directory, gold))
            error = None
        except ParseError as exc:
            article, error = None, exc.kind
        if "error" in gold:
            report.add(part, "dead_letters", error == gold["error"], name, gold["error"], error)
            continue
        if article is None:
            report.add(part, "dead_letters", False, name, "article", error)
        _score_article(report, part, name, gold, article)
    return report


def _score_article(report: Report, part: str, name: str, gold: dict[str, Any], article: Article | None) -> None:
    for key in _TEXT_FIELDS:
        if key in gold:
            got = getattr(article, key) if article else None
            want = clean_line(gold[key]) if gold[key] else None
            report.add(part, key, got == want, name, want, got)
    for key in _DATE_FIELDS:
        if key in gold:
            got_dt = getattr(article, key) if article else None
            want_dt = datetime.fromisoformat(gold[key]) if gold[key] else None
            ok = (got_dt is None and want_dt is None) or (
                got_dt is not None and want_dt is not None
                and abs((got_dt - want_dt).total_seconds()) <= DATE_TOLERANCE_S)
            report.add(part, key, ok, name, gold[key], got_dt.isoformat() if got_dt else None)
    if "section" in gold:
        got = article.section if article else None
        ok = (got or "").casefold() == (gold["section"] or "").casefold()
        report.add(part, "section", ok, name, gold["section"], got)
    if "authors" in gold:
        got_authors = article.authors if article else None
        report.add(part, "authors", got_authors is not None and sorted(got_authors) == sorted(gold["authors"]),
                   name, gold["authors"], got_authors)
    body = fold_for_hash(article.body) if article else ""
    for snippet in gold.get("body_snippets", []):
        report.add(part, "body_snippets", fold_for_hash(snippet) in body, name, snippet, None)
    for junk in gold.get("boilerplate", []):
        leaked = bool(body) and fold_for_hash(junk) in body
        report.add(part, "boilerplate_leaked", leaked, name, junk, "leaked", count_miss=False)
        if leaked:
            report.misses.append((name, "boilerplate_leaked", junk, "found in body"))


def format_report(report: Report, directory: Path, verbose: bool = False) -> str:
    excluded = sorted(report.untargeted & report.records.keys())
    splits = [*sorted(report.records, key=lambda s: (s != "dev", s)), "all", *([TARGETED] if excluded else [])]
    counts = ", ".join(f"{s} {report.records[s]}" for s in splits if s in report.records)
    lines = [f"parse evaluation: {directory} ({counts} records)", ""]
    head = f"{'field':<20}" + "".join(f"{s:>16}" for s in splits) + f"{'target':>10}"
    lines += [head, "-" * len(head)]
    for metric in ORDER:
        if metric not in report.scores["all"]:
            continue
        cells = []
        for s in splits:
            score = report.scores[s].get(metric)
            cells.append(f"{score.rate:>7.1%} {score.hits:>3}/{score.total:<4}" if score and score.total else " " * 16)
        op, threshold = TARGETS.get(metric, ("", None))
        target = f"{op} {threshold:.0%}" if threshold is not None else ""
        lines.append(f"{metric:<20}" + "".join(f"{c:>16}" for c in cells) + f"{target:>10}")
    lines.append("")
    verdict = "targets met" if report.meets_targets() else "targets NOT met"
    if excluded:
        verdict += f" (over the {TARGETED!r} column: first-look splits {', '.join(excluded)} left out)"
    lines.append(verdict)
    if verbose and report.misses:
        lines += ["", "misses:"]
        lines += [f"  {where}  {metric}: want {want!r}, got {got!r}" for where, metric, want, got in report.misses]
    return "\n".join(lines)
