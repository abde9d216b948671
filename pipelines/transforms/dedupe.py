"""Dedupe: one canonical copy per story; every other copy becomes a DuplicateRecord.

Exact duplicates share the hash of the normalised body. The canonical copy is chosen by content
(earliest published_at, then longest body, then smallest id), never by arrival order, so the
result is the same on any runner and any parallelism.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import apache_beam as beam

from pipelines.nlp.normalize import stable_hash
from schemas.records import Article, DedupeInfo, DuplicateRecord

DUPLICATES = "duplicates"
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def canonical_order(article: Article) -> tuple[datetime, int, str]:
    return (article.published_at or _FAR_FUTURE, -article.word_count, article.id)


def resolve_group(members: Iterable[Article], keep_duplicates: bool = False):  # noqa: ANN201
    """Canonical article (with dedupe info) and DuplicateRecords for one exact-key group."""
    ordered = sorted(members, key=canonical_order)
    canonical = ordered[0]
    cluster_id = "c-" + stable_hash("cluster:" + canonical.id, 8)
    info = DedupeInfo(cluster_id=cluster_id, cluster_size=len(ordered),
                      method="exact-body" if len(ordered) > 1 else None)
    yield canonical.model_copy(update={"dedupe": info})
    for copy in ordered[1:]:
        redelivered = copy.id == canonical.id and copy.body_hash == canonical.body_hash
        method = "redelivery" if redelivered else "exact-body"
        yield beam.pvalue.TaggedOutput(DUPLICATES, DuplicateRecord(
            id=copy.id, duplicate_of=canonical.id, cluster_id=cluster_id, similarity=1.0,
            method=method, headline=copy.headline, outlet=copy.outlet, source=copy.source))
        if keep_duplicates:
            yield copy.model_copy(update={"dedupe": DedupeInfo(
                cluster_id=cluster_id, duplicate_of=canonical.id, similarity=1.0, method=method,
                cluster_size=len(ordered))})


class Dedupe(beam.PTransform):
    """Articles -> canonical articles (main ``articles``) and DuplicateRecords (``duplicates``)."""

    def __init__(self, keep_duplicates: bool = False) -> None:
        super().__init__()
        self._keep = keep_duplicates

    def expand(self, articles: beam.PCollection[Article]) -> beam.pvalue.DoOutputsTuple:
        keep = self._keep
        return (
            articles
            | "KeyByBodyHash" >> beam.Map(lambda a: (a.body_hash, a))
            .with_output_types(tuple[str, Article])
            | "GroupCopies" >> beam.GroupByKey()
            | "ChooseCanonical" >> beam.FlatMap(lambda kv: resolve_group(kv[1], keep))
            .with_output_types(Article)
            .with_outputs(DUPLICATES, main="articles")
        )
