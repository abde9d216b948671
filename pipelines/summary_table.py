"""The end-of-run summary as rich tables: counts by stage, dead letters by reason, throughput.

The plain ``RunSummary.lines()`` stay the machine-readable summary (scripts grep them); these
tables are the human view printed above them. Stage rows are derived from the accounting
counters, so they add up the same way: what a stage does not pass on is a duplicate or a dead
letter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.table import Table

from pipelines import metrics
from pipelines.summary import RunSummary

ENRICH_ERRORS = "enrich_errors"  # pipelines/transforms/enrich.py
NER_SKIPPED = "ner_skipped_language"


@dataclass(frozen=True)
class StageRow:
    stage: str
    records_in: int | None
    records_out: int
    duplicates: int = 0
    dead_letters: int = 0
    note: str = ""


def _reason_total(summary: RunSummary, stage: str) -> int:
    return sum(n for s, _, n in summary.dead_letter_reasons() if s == stage)


def stage_rows(summary: RunSummary) -> list[StageRow]:
    """One row per pipeline stage, from the counters: read -> parse -> dedupe -> enrich -> sinks."""
    get = summary.get
    read_dead = _reason_total(summary, "read")
    parsed, failed = get("parsed"), get("parse_failed")
    skipped = get(metrics.FILES_SKIPPED)
    filtered = get("kafka_out_of_range")
    read_note = ", ".join(x for x in (
        f"{skipped} files skipped (not an input type)" if skipped else "",
        f"{filtered} Kafka records outside the time range" if filtered else "") if x)
    rows = [
        StageRow("read", None, summary.records_in - read_dead, dead_letters=read_dead, note=read_note),
        StageRow("parse", parsed + failed, parsed, dead_letters=failed),
    ]
    # A corrected record is in duplicates/ and was counted once before as an article.
    deduped = parsed - get(metrics.DUPLICATES) + get(metrics.DEDUPE_CORRECTIONS)
    rows.append(StageRow("dedupe", parsed, deduped, duplicates=get(metrics.DUPLICATES)))
    notes = []
    if get(ENRICH_ERRORS):
        notes.append(f"{get(ENRICH_ERRORS)} kept without entities/topics (enrich error)")
    if get(NER_SKIPPED):
        notes.append(f"{get(NER_SKIPPED)} not English: no NER model")
    rows.append(StageRow("enrich", deduped, get(metrics.ARTICLES_OUT), note="; ".join(notes)))
    sink_notes = [f"postgres {kind}: " + ", ".join(
        f"{get(f'postgres_{kind}_{what}')} {what}" for what in ("inserted", "updated", "unchanged"))
        for kind in ("articles", "duplicates", "dead_letters")
        if any(get(f"postgres_{kind}_{what}") for what in ("inserted", "updated", "unchanged"))]
    if get("kafka_records_sent"):
        sink_notes.append(f"kafka: {get('kafka_records_sent')} records sent")
    if get(metrics.SINK_REJECTS) or sink_notes:
        rows.append(StageRow("sinks", get(metrics.ARTICLES_OUT), get(metrics.ARTICLES_OUT),
                             dead_letters=get(metrics.SINK_REJECTS),
                             note="; ".join([*sink_notes, *(["rejects are outside the accounting"]
                                                           if get(metrics.SINK_REJECTS) else [])])))
    return rows


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def stage_table(summary: RunSummary) -> Table:
    rate = summary.records_in / summary.elapsed_s if summary.elapsed_s else 0.0
    table = Table(title="Counts by stage", box=box.ROUNDED, title_justify="left",
                  caption=f"{summary.elapsed_s:.1f} s elapsed, {rate:,.1f} records/s", caption_justify="left")
    table.add_column("stage", style="bold")
    for name in ("in", "out", "dup.", "dead"):
        table.add_column(name, justify="right")
    table.add_column("note", style="dim", overflow="fold")
    for row in stage_rows(summary):
        table.add_row(row.stage, _n(row.records_in), _n(row.records_out), _n(row.duplicates) if row.duplicates else "",
                      f"[red]{row.dead_letters:,}[/]" if row.dead_letters else "", row.note)
    return table


def reasons_table(reasons: Iterable[tuple[str, str, int]]) -> Table | None:
    reasons = list(reasons)
    if not reasons:
        return None
    total = sum(n for *_, n in reasons)
    table = Table(title="Dead letters by reason", box=box.ROUNDED, title_justify="left")
    table.add_column("stage", style="bold")
    table.add_column("error")
    table.add_column("count", justify="right")
    table.add_column("share", justify="right", style="dim")
    for stage, error, count in reasons:
        table.add_row(stage, error, f"{count:,}", f"{100 * count / total:.0f}%")
    return table


def print_summary(summary: RunSummary, console: Console | None = None) -> None:
    """The tables, on stdout: they end every run, above the plain summary lines."""
    console = console or Console(highlight=False)
    console.print(stage_table(summary))
    reasons = reasons_table(summary.dead_letter_reasons())
    if reasons is not None:
        console.print(reasons)
