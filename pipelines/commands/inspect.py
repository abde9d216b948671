"""``newsbeam inspect FILE [--line N | --index N]``: one input as parsed and enriched, with why."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import orjson
from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "inspect", help="show how one input record is parsed and enriched, and why",
        description="Run one record of FILE through the pipeline's read, parse and enrich steps and show the "
                    "result with the reasons: the input shape and parser style, where each field was found, "
                    "the dedupe keys, entities and topics with scores, or the dead letter and its reason. "
                    "Pipeline options such as --enrich none or --ner_model apply.")
    p.add_argument("file", metavar="FILE", help="one input file (.txt/.html/.json/.jsonl, optionally .gz)")
    pick = p.add_mutually_exclusive_group()
    pick.add_argument("--line", type=int, default=None, metavar="N", help="JSON Lines: the record on line N (1-based)")
    pick.add_argument("--index", type=int, default=None, metavar="N",
                      help="JSON array or API envelope: the N-th record (0-based)")
    p.add_argument("--no-enrich", action="store_true", help="skip entities and topics (no model loads)")
    p.add_argument("--json", action="store_true", help="print the inspection as JSON instead of tables")
    p.set_defaults(func=_inspect)


def _inspect(args: argparse.Namespace, beam_args: list[str]) -> int:
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.inspection import inspect_file

    result = inspect_file(args.file, PipelineOptions(beam_args), args.line, args.index, enrich=not args.no_enrich)
    if args.json:
        sys.stdout.write(orjson.dumps(result.as_json(), option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        render(result, Console(highlight=False))
    return 0 if result.dead_letter is None else 1


def _where(record: Any) -> str:
    source = record.source
    if source.line is not None:
        return f"line {source.line}"
    if source.index is not None:
        return f"element {source.index}"
    return "the whole file"


def render(result: Any, console: Console) -> None:
    from pipelines.inspection import SHAPES

    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    n = result.records_in_file
    head.add_row("record", _where(result.record) + (f" ({n} records in the file)" if n > 1 else ""))
    raw = result.record
    if result.dead_letter is None or result.article is not None or hasattr(raw, "data"):
        size = len(getattr(raw, "data", b"") or b"")
        head.add_row("input", f"{getattr(raw, 'content_type', '?')}, {size:,} bytes")
    if result.shape:
        head.add_row("sniffed as", SHAPES.get(result.shape, result.shape))
    article = result.enriched or result.article
    if article is not None:
        head.add_row("parser", article.parser or "?")
    if result.style is not None:
        marks = "  ".join(m if m.startswith("/") else f"“{m}”" for m in result.style.marks) or "none (generic layout)"
        head.add_row("why", Text(f"style {result.style.style!r}: "
                                 + ("its header line opens the page; " if result.style.header_line else "")
                                 + f"marks found: {marks}"))
    console.print(Panel(head, title=f"[bold]{result.path}[/]", title_align="left", box=box.ROUNDED))
    if result.dead_letter is not None:
        _dead_letter(result.dead_letter, console)
        return
    _article(article, result.sources, console)
    _keys(result.dedupe_keys, console)
    if result.enriched is not None:
        _entities_topics(result.enriched, console)


def _dead_letter(dead: Any, console: Console) -> None:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("stage", dead.stage)
    grid.add_row("error", Text(dead.error, style="bold red"))
    grid.add_row("reason", dead.message)
    preview = dead.raw if dead.raw is not None else f"(not UTF-8: {len(dead.raw_base64 or '')} base64 characters)"
    grid.add_row("raw", Text(preview[:300] + ("…" if len(preview) > 300 else ""), style="dim"))
    console.print(Panel(grid, title="[bold red]dead letter[/]: this record would go to dead_letters/",
                        title_align="left", border_style="red"))


def _article(article: Any, sources: list, console: Console) -> None:
    found: dict[str, list[str]] = {}
    for s in sources:
        places = found.setdefault(s.field.split("[")[0].split(" ")[0], [])
        if str(s) not in places:  # two authors found in one byline: one place
            places.append(str(s))
    table = Table(title="Article", title_justify="left", box=box.SIMPLE_HEAD, show_lines=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold", ratio=3)
    table.add_column("found in the input", style="dim", overflow="fold", ratio=2)
    rows = [("headline", article.headline), ("standfirst", article.standfirst), ("authors", ", ".join(article.authors)),
            ("published_at", article.published_at.isoformat() if article.published_at else None),
            ("updated_at", article.updated_at.isoformat() if article.updated_at else None),
            ("section", article.section), ("dateline", article.dateline), ("agency", article.agency),
            ("outlet", article.outlet), ("url", article.url), ("captions", " | ".join(article.captions)),
            ("language", article.language)]
    for name, value in rows:
        where = "\n".join(found.get(name, []))
        if name == "language" and value and not where:
            where = "detected from the text"
        table.add_row(name, value or Text("—", style="dim"), where)
    paragraphs = article.paragraphs
    body = f"{len(paragraphs)} paragraphs, {article.word_count} words: {paragraphs[0][:160]}…" if paragraphs else "—"
    table.add_row("body", body, "\n".join(found.get("body", [])))
    console.print(table)


def _keys(keys: dict, console: Console) -> None:
    table = Table(title="Dedupe keys", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("key", style="bold")
    table.add_column("value", overflow="fold")
    for name, value in keys.items():
        table.add_row(name, value or Text("— (none)", style="dim"))
    console.print(table)


def _entities_topics(enriched: Any, console: Console) -> None:
    entities = Table(title=f"Entities ({len(enriched.entities)})", title_justify="left", box=box.SIMPLE_HEAD)
    for col, justify in (("name", "left"), ("type", "left"), ("id", "left"), ("mentions", "right"),
                         ("salience", "right")):
        entities.add_column(col, justify=justify)  # type: ignore[arg-type]
    for e in enriched.entities:
        entities.add_row(e.name, e.type, e.id or "", str(e.mentions), f"{e.salience:.2f}")
    topics = Table(title=f"Topics ({len(enriched.topics)})", title_justify="left", box=box.SIMPLE_HEAD)
    topics.add_column("IPTC code")
    topics.add_column("label")
    topics.add_column("score", justify="right")
    for t in enriched.topics:
        topics.add_row(t.code, t.label, f"{t.score:.2f}")
    console.print(Group(entities if enriched.entities else Text("Entities: none", style="dim"),
                        topics if enriched.topics else Text("Topics: none", style="dim")))
