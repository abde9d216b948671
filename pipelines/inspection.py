"""One input record through the pipeline's own steps, with the reasons: ``newsbeam inspect``.

Reads the file with the file source's DoFn, parses with ``parse_record`` and enriches with the
Enrich DoFn, exactly as a run does, but in this process and for one record; then explains the
result: the shape the input was sniffed as, the page-text style and the marks that chose it,
where each field appears in the input, the dedupe keys, entities and topics with scores, or
the dead letter with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.pvalue import TaggedOutput

from pipelines.io.files import _ReadFileFn
from pipelines.nlp.normalize import canonical_url
from pipelines.nlp.parsing import ParseError, parse_record, sniff
from pipelines.nlp.parsing.decode import decode_bytes
from pipelines.nlp.provenance import FieldSource, StyleEvidence, candidates_for, locate, style_evidence
from schemas.records import Article, DeadLetter, EnrichedArticle, RawRecord

SHAPES = {"json": "JSON record", "html": "HTML page", "text": "page text"}


@dataclass
class Inspection:
    path: str
    record: RawRecord | DeadLetter
    records_in_file: int
    shape: str | None = None
    style: StyleEvidence | None = None
    article: Article | None = None
    enriched: EnrichedArticle | None = None
    dead_letter: DeadLetter | None = None
    sources: list[FieldSource] = field(default_factory=list)
    dedupe_keys: dict[str, str | None] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        article = self.enriched or self.article
        return {
            "path": self.path, "records_in_file": self.records_in_file,
            "source": self.record.source.model_dump(mode="json"),
            "shape": self.shape, "parser": article.parser if article else None,
            "style": None if self.style is None else {"name": self.style.style, "marks": self.style.marks,
                                                      "header_line": self.style.header_line},
            "article": article.model_dump(mode="json") if article else None,
            "found_in": [{"field": s.field, "where": s.where, "excerpt": s.excerpt} for s in self.sources],
            "dedupe_keys": self.dedupe_keys,
            "dead_letter": self.dead_letter.model_dump(mode="json") if self.dead_letter else None,
        }


def read_file_records(path: str, max_record_bytes: int) -> list[RawRecord | DeadLetter]:
    """What the file source makes of one file: RawRecords, or DeadLetters of the read stage."""
    matches = FileSystems.match([path])[0].metadata_list
    if not matches:
        raise FileNotFoundError(2, "No such file", path)
    if len(matches) > 1:
        raise ValueError(f"{path} matches {len(matches)} files: inspect takes one file")
    read = _ReadFileFn(max_record_bytes, frozenset({matches[0].path}))
    readable = fileio.ReadableFile(matches[0], CompressionTypes.UNCOMPRESSED)
    return [item.value if isinstance(item, TaggedOutput) else item for item in read.process(readable)]


def select(records: list[RawRecord | DeadLetter], line: int | None, index: int | None) -> RawRecord | DeadLetter:
    if not records:
        raise ValueError("the file holds no input record (empty, or only blank lines)")
    if line is None and index is None:
        return records[0]
    for record in records:
        if (line is not None and record.source.line == line) or (index is not None and record.source.index == index):
            return record
    have = sorted({r.source.line if line is not None else r.source.index for r in records} - {None})
    what = "--line" if line is not None else "--index"
    if not have:
        span = f"none (the file is one record: leave out {what})"
    else:
        span = ", ".join(map(str, have)) if len(have) <= 12 else f"{have[0]}..{have[-1]} ({len(have)} records)"
    raise ValueError(f"no record at {what} {line if line is not None else index}; records are at {span}")


def parse_or_dead_letter(raw: RawRecord, max_record_bytes: int) -> Article | DeadLetter:
    """As the Parse transform does it: the Article, or the DeadLetter it would write."""
    try:
        return parse_record(raw)
    except ParseError as exc:
        return DeadLetter.from_raw("parse", exc.kind, exc.message, raw.source, raw.data, max_record_bytes)
    except Exception as exc:
        return DeadLetter.from_raw("parse", "internal_error", f"{type(exc).__name__}: {exc}", raw.source, raw.data,
                                   max_record_bytes)


def enrich_one(article: Article, options: Any) -> EnrichedArticle:
    """The Enrich transform's DoFn, run in-process on one article (models load once, here)."""
    from pipelines.options import EnrichOptions
    from pipelines.transforms.enrich import EnrichBatchesFn, EnrichConfig, to_enriched

    enrich_options = options.view_as(EnrichOptions)
    if enrich_options.enrich == "none":
        return to_enriched(article)
    fn = EnrichBatchesFn(EnrichConfig.from_options(enrich_options))
    fn.setup()
    fn.start_bundle()
    out = [*fn.process(article, None, None), *fn.finish_bundle()]
    return out[0].value


def dedupe_keys(article: Article) -> dict[str, str | None]:
    canon = canonical_url(article.url)
    return {"id": article.id, "id from": "canonical URL" if canon else "content (headline + body; no usable URL)",
            "canonical URL": canon, "body hash": article.body_hash or None}


def inspect_file(path: str, options: Any, line: int | None = None, index: int | None = None,
                 enrich: bool = True) -> Inspection:
    from pipelines.options import IOOptions

    max_bytes = options.view_as(IOOptions).max_record_bytes
    records = read_file_records(path, max_bytes)
    record = select(records, line, index)
    result = Inspection(path=path, record=record, records_in_file=len(records))
    if isinstance(record, DeadLetter):
        result.dead_letter = record
        return result
    parsed = parse_or_dead_letter(record, max_bytes)
    try:
        text = decode_bytes(record.data, max_bytes)
        result.shape = sniff(text, record.content_type)
    except ParseError:
        text = None
    if isinstance(parsed, DeadLetter):
        result.dead_letter = parsed
        return result
    result.article = parsed
    if text is not None:
        if result.shape == "text":
            result.style = style_evidence(text)
        try:
            result.sources = locate(parsed, candidates_for(text, result.shape or "text", record.source.index))
        except Exception:  # the explanation is best effort; the parsed article is still shown
            result.sources = []
    result.dedupe_keys = dedupe_keys(parsed)
    if enrich:
        result.enriched = enrich_one(parsed, options)
    return result
