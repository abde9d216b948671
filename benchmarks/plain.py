"""The baseline of the end-to-end benchmark: the pipeline's pure functions in a plain Python loop.

Same input files, same steps, same outputs as ``newsbeam run`` (pipelines/pipeline.py), without
Beam: read records -> parse_record (dead letter on ParseError) -> dedupe_articles -> NER and
topics in batches of ``ner_batch_size`` (what EnrichBatchesFn does per bundle) -> JSON Lines.
Model loading is inside the timing, as it is inside the Beam job's DoFn setup.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from benchmarks.corpus import read_records
from pipelines.io.jsonl import to_json_line
from pipelines.nlp.dedupe import DedupeParams, dedupe_articles
from pipelines.nlp.entities.ner import DEFAULT_BATCH_SIZE, EntityExtractor
from pipelines.nlp.entities.zones import article_text
from pipelines.nlp.parsing import ParseError, parse_record
from pipelines.nlp.topics.tagger import TopicTagger
from pipelines.transforms.enrich import to_enriched
from schemas.records import Article, DeadLetter, EnrichedArticle, RawRecord

T = TypeVar("T")


@dataclass
class PlainCounts:
    records_in: int
    articles: int
    duplicates: int
    dead_letters: int


def batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def parse_all(records: list[RawRecord]) -> tuple[list[Article], list[DeadLetter]]:
    """parse_record on every record; the same dead letters as the parse transform (bugs included)."""
    articles: list[Article] = []
    dead: list[DeadLetter] = []
    for raw in records:
        try:
            articles.append(parse_record(raw))
        except ParseError as exc:
            dead.append(DeadLetter.from_raw("parse", exc.kind, exc.message, raw.source, raw.data))
        except Exception as exc:
            dead.append(DeadLetter.from_raw("parse", "internal_error", f"{type(exc).__name__}: {exc}",
                                            raw.source, raw.data))
    return articles, dead


def enrich_all(articles: list[Article], ner: bool = True,
               batch_size: int = DEFAULT_BATCH_SIZE) -> list[EnrichedArticle]:
    if not ner:
        return [to_enriched(a) for a in articles]
    extractor, tagger = EntityExtractor(batch_size=batch_size), TopicTagger()
    out: list[EnrichedArticle] = []
    for batch in batches(articles, batch_size):
        for article, extraction in zip(batch, extractor.extract(batch), strict=True):
            topics = tagger.tag(article_text(article), article.section, extraction.language, extraction.entities)
            out.append(to_enriched(article, extraction, topics))
    return out


def _write(path: Path, records: Sequence) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(to_json_line(record))
            f.write("\n")


def run_plain(corpus: Path, output: Path, ner: bool = True) -> PlainCounts:
    records = read_records(corpus)
    articles, dead = parse_all(records)
    kept, duplicates = dedupe_articles(articles, DedupeParams())
    enriched = enrich_all(kept, ner)
    _write(output / "articles" / "part-00000-of-00001.jsonl", enriched)
    _write(output / "duplicates" / "part-00000-of-00001.jsonl", duplicates)
    _write(output / "dead_letters" / "part-00000-of-00001.jsonl", dead)
    return PlainCounts(len(records), len(enriched), len(duplicates), len(dead))
