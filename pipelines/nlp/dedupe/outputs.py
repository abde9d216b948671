"""Turning verdicts into pipeline records, and the in-memory reference over whole articles."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from pipelines.nlp.dedupe.fingerprint import Fingerprint, fingerprints, record_uid
from pipelines.nlp.dedupe.graph import Decide, Verdict, dedupe_fingerprints, exact_decider, singleton
from pipelines.nlp.dedupe.params import DedupeParams
from pipelines.nlp.dedupe.shingles import body_shingles
from schemas.records import Article, DedupeInfo, DuplicateRecord


def apply_verdict(article: Article, verdict: Verdict,
                  keep_duplicates: bool = False) -> tuple[Article | None, DuplicateRecord | None]:
    """(article for articles/ or None, duplicate record or None) for one input record."""
    info = DedupeInfo(cluster_id=verdict.cluster_id, duplicate_of=verdict.duplicate_of,
                      similarity=verdict.similarity, method=verdict.method,
                      cluster_size=verdict.cluster_size)
    stamped = article.model_copy(update={"dedupe": info})
    if verdict.duplicate_of is None:
        return stamped, None
    duplicate = DuplicateRecord(
        id=article.id, duplicate_of=verdict.duplicate_of, cluster_id=verdict.cluster_id,
        similarity=verdict.similarity if verdict.similarity is not None else 0.0,
        method=verdict.method or "minhash", headline=article.headline, outlet=article.outlet,
        source=article.source)
    return (stamped if keep_duplicates else None), duplicate


def verdict_for(article: Article, verdicts: dict[str, Verdict], uid: str | None = None) -> Verdict:
    uid = uid or record_uid(article)
    return verdicts.get(uid) or singleton(article.id, uid)


def dedupe_articles(articles: Iterable[Article], params: DedupeParams | None = None,
                    keep_duplicates: bool = False) -> tuple[list[Article], list[DuplicateRecord]]:
    """Deduplicate articles in memory: the pure-function baseline of the Beam transform."""
    params = params or DedupeParams()
    items = list(articles)
    fps = fingerprints(items, params)
    verdicts = dedupe_fingerprints(fps, params, exact_recheck(items, fps, params))
    kept: list[Article] = []
    dropped: list[DuplicateRecord] = []
    for article, fp in zip(items, fps, strict=True):
        out, dup = apply_verdict(article, verdict_for(article, verdicts, fp.uid), keep_duplicates)
        if out is not None:
            kept.append(out)
        if dup is not None:
            dropped.append(dup)
    return kept, dropped


def exact_recheck(articles: Sequence[Article], fps: Sequence[Fingerprint], params: DedupeParams) -> Decide:
    """Uncertain pairs decided on exact shingle sets, computed from the articles when asked for."""
    by_uid = {fp.uid: article for article, fp in zip(articles, fps, strict=True)}

    def shingles(uids: set[str]) -> dict[str, np.ndarray]:
        return {uid: body_shingles(by_uid[uid].body, params.shingle_size) for uid in uids}

    return exact_decider(shingles, params)
