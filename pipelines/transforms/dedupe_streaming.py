"""Streaming dedupe: stateful DoFns keyed by exact key and LSH band, state bounded by event-time TTL.

    FirstDelivery (key: record uid)  - the same input record seen again -> redelivery
    Fingerprint                      - one message per state key of the article, plus the article
    MatchByKey (key: url/body/band)  - compares with the articles stored under the key (verified by
                                       signature for bands), stores the new one, reports to it, and
                                       notifies the stored ones it precedes in canonical order
    Resolve (key: record uid)        - waits for one report per key, then emits the verdict; a later
                                       notice from an earlier article emits a correction

Every stored article expires from a key's state when the watermark passes its event time plus
the TTL (a timer per key, set to the earliest expiry); a band key keeps at most ``max_bucket``
articles (hot keys). See README "Deduplication" for the semantics.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import apache_beam as beam
from apache_beam import coders
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import BagStateSpec, ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import Duration, Timestamp

from pipelines.metrics import DEDUPE_CORRECTIONS, counter
from pipelines.nlp.dedupe.fingerprint import Fingerprint, cluster_id, fingerprint, record_uid
from pipelines.nlp.dedupe.graph import Verdict
from pipelines.nlp.dedupe.lsh import band_keys
from pipelines.nlp.dedupe.outputs import apply_verdict
from pipelines.nlp.dedupe.params import DedupeParams
from pipelines.nlp.dedupe.streaming import (
    BAND,
    Match,
    Member,
    decide,
    keys_of,
    match_in_key,
    merge_matches,
)
from schemas.records import Article, DuplicateRecord, SourceRef

DUPLICATES = "duplicates"
CORRECTIONS = "corrections"  # each correction again, for per-window accounting
_PRIMITIVE = coders.FastPrimitivesCoder()  # tuples of str/int/bytes/None: no pickle
_SELF, _REPORT, _NOTICE, _REDELIVERY = "self", "report", "notice", "redelivery"


# State and timer specs, and the DoFn parameters that bind them (module level: one object each).
_SEEN = ReadModifyWriteStateSpec("seen", coders.BooleanCoder())
_MEMBERS = BagStateSpec("members", _PRIMITIVE)
_NEXT_EXPIRY = ReadModifyWriteStateSpec("next_expiry", coders.VarIntCoder())
_ARTICLE = ReadModifyWriteStateSpec("article", coders.BytesCoder())
_SELF_STATE = ReadModifyWriteStateSpec("self", _PRIMITIVE)        # (fingerprint row, expected reports)
_REPORTS = ReadModifyWriteStateSpec("reports", coders.VarIntCoder())
_MATCHES = BagStateSpec("matches", _PRIMITIVE)
_VERDICT = ReadModifyWriteStateSpec("verdict", _PRIMITIVE)        # canonical fingerprint row
_SUMMARY = ReadModifyWriteStateSpec("summary", _PRIMITIVE)        # headline, outlet, source (JSON)
# A timer spec belongs to one DoFn (one on_timer callback each).
_FIRST_EXPIRY = TimerSpec("first_expiry", TimeDomain.WATERMARK)
_KEY_EXPIRY = TimerSpec("key_expiry", TimeDomain.WATERMARK)
_RESOLVE_EXPIRY = TimerSpec("resolve_expiry", TimeDomain.WATERMARK)
SEEN = beam.DoFn.StateParam(_SEEN)
MEMBERS = beam.DoFn.StateParam(_MEMBERS)
NEXT_EXPIRY = beam.DoFn.StateParam(_NEXT_EXPIRY)
ARTICLE = beam.DoFn.StateParam(_ARTICLE)
SELF = beam.DoFn.StateParam(_SELF_STATE)
REPORTS = beam.DoFn.StateParam(_REPORTS)
MATCHES = beam.DoFn.StateParam(_MATCHES)
VERDICT = beam.DoFn.StateParam(_VERDICT)
SUMMARY = beam.DoFn.StateParam(_SUMMARY)
FIRST_EXPIRY = beam.DoFn.TimerParam(_FIRST_EXPIRY)
KEY_EXPIRY = beam.DoFn.TimerParam(_KEY_EXPIRY)
RESOLVE_EXPIRY = beam.DoFn.TimerParam(_RESOLVE_EXPIRY)


def _article_coder() -> coders.Coder:
    return coders.registry.get_coder(Article)


def _fp(row: tuple) -> Fingerprint:
    return Fingerprint(row[0], row[1], tuple(row[2]), *row[3:])


def _match_row(m: Match) -> tuple:
    return (tuple(m.other), m.similarity, m.method)


class _FirstDelivery(beam.DoFn):
    """Passes the first delivery of each input record; later ones (within the TTL) are redeliveries."""


    def __init__(self, ttl_seconds: int) -> None:
        self._ttl = Duration(seconds=ttl_seconds)

    def process(self, element: tuple[str, bytes], ts: Timestamp = beam.DoFn.TimestampParam,
                seen: Any = SEEN,
                expiry: Any = FIRST_EXPIRY) -> Iterator[Any]:
        uid, encoded = element
        if seen.read():
            yield beam.pvalue.TaggedOutput(_REDELIVERY, (uid, (_REDELIVERY, encoded)))
            return
        seen.write(True)
        expiry.set(ts + self._ttl)
        yield encoded

    @on_timer(_FIRST_EXPIRY)
    def expire(self, seen: Any = SEEN) -> None:
        seen.clear()


class _Fingerprint(beam.DoFn):
    """Article -> (uid, self message) and one (state key, fingerprint) per key of the article."""

    def __init__(self, params: DedupeParams) -> None:
        self._params = params

    def setup(self) -> None:
        self._coder = _article_coder()

    def process(self, encoded: bytes, ts: Timestamp = beam.DoFn.TimestampParam) -> Iterator[Any]:
        article = self._coder.decode(encoded)
        fp = fingerprint(article, self._params)
        bands = band_keys(fp.signature(), self._params.bands, self._params.rows) if fp.near(self._params) else []
        keys = keys_of(fp, bands, self._params)
        yield beam.pvalue.TaggedOutput(_SELF, (fp.uid, (_SELF, encoded, tuple(fp), len(keys))))
        member = (tuple(fp), ts.micros)
        for key in keys:
            yield (key, member)


class _MatchByKey(beam.DoFn):
    """State of one dedupe key: the articles stored under it, pruned by an event-time timer."""


    def __init__(self, params: DedupeParams) -> None:
        self._params = params
        self._ttl_us = params.ttl_seconds * 1_000_000
        self._overflow = counter("dedupe_band_overflow")

    def process(self, element: tuple[str, tuple], members: Any = MEMBERS,
                next_expiry: Any = NEXT_EXPIRY,
                expiry: Any = KEY_EXPIRY) -> Iterator[Any]:
        key, (fp_row, ts_us) = element
        new = Member(_fp(fp_row), ts_us)
        stored = [Member(_fp(f), t) for f, t in members.read()]
        kind = key.split(":", 1)[0]
        matches = match_in_key(kind, new, stored, self._params)
        yield new.fp.uid, (_REPORT, key, tuple(_match_row(m) for m in matches))
        bare = new.fp._replace(sig=b"")
        for m in matches:
            if new.fp.order < m.other.order:
                yield m.other.uid, (_NOTICE, key, _match_row(Match(bare, m.similarity, m.method)))
        if any(m.fp.uid == new.fp.uid for m in stored):
            return
        if kind == BAND and len(stored) >= self._params.max_bucket:
            self._overflow.inc()  # hot band: matched against what is stored, not stored itself
            return
        members.add((tuple(new.fp), new.ts))
        due = new.ts + self._ttl_us
        current = next_expiry.read()
        if current is None or due < current:
            next_expiry.write(due)
            expiry.set(Timestamp(micros=due))

    @on_timer(_KEY_EXPIRY)
    def expire(self, fired: Timestamp = beam.DoFn.TimestampParam,
               members: Any = MEMBERS,
               next_expiry: Any = NEXT_EXPIRY,
               expiry: Any = KEY_EXPIRY) -> None:
        keep = [(f, t) for f, t in members.read() if t + self._ttl_us > fired.micros]
        members.clear()
        next_expiry.clear()
        for row in keep:
            members.add(row)
        if keep:
            due = min(t for _, t in keep) + self._ttl_us
            next_expiry.write(due)
            expiry.set(Timestamp(micros=due))


class _Resolve(beam.DoFn):
    """Per input record: collect one report per key, decide, and correct on later notices."""


    def __init__(self, params: DedupeParams, keep_duplicates: bool) -> None:
        self._params = params
        self._keep = keep_duplicates
        self._ttl = Duration(seconds=params.ttl_seconds)
        self._corrections = counter(DEDUPE_CORRECTIONS)
        self._incomplete = counter("dedupe_incomplete_reports")

    def setup(self) -> None:
        self._coder = _article_coder()

    def process(self, element: tuple[str, tuple], ts: Timestamp = beam.DoFn.TimestampParam,
                article_state: Any = ARTICLE, self_state: Any = SELF,
                reports: Any = REPORTS, matches: Any = MATCHES,
                verdict_state: Any = VERDICT,
                summary: Any = SUMMARY,
                expiry: Any = RESOLVE_EXPIRY) -> Iterator[Any]:
        uid, message = element
        kind = message[0]
        if kind == _REDELIVERY:
            yield from self._redelivery(message[1], verdict_state.read())
            return
        if kind == _NOTICE and verdict_state.read() is not None:
            yield from self._correct(message[2], self_state.read(), verdict_state, summary.read())
            return
        if kind == _SELF:
            article_state.write(message[1])
            self_state.write((message[2], message[3]))
            expiry.set(ts + self._ttl)
        elif kind == _REPORT:
            reports.write((reports.read() or 0) + 1)
            for row in message[2]:
                matches.add(row)
        else:  # a notice that arrived before this article's own reports
            matches.add(message[2])
        own = self_state.read()
        if own is None or (reports.read() or 0) < own[1] or verdict_state.read() is not None:
            return
        yield from self._decide(uid, own, article_state, matches, verdict_state, summary)

    def _decide(self, uid: str, own: tuple, article_state: Any, matches: Any, verdict_state: Any,
                summary: Any) -> Iterator[Any]:
        found: dict[str, Match] = {}
        merge_matches(found, [Match(_fp(o), s, m) for o, s, m in matches.read()])
        verdict = decide(_fp(own[0]), found)
        verdict_state.write(tuple(verdict.canonical))
        article = self._coder.decode(article_state.read())
        summary.write((article.headline, article.outlet, article.source.model_dump_json()))
        article_state.clear()
        matches.clear()
        yield from self._emit(article, Verdict(
            uid, verdict.cluster_id, None if verdict.canonical.uid == uid else verdict.canonical.id,
            verdict.similarity, verdict.method, verdict.cluster_size))

    def _emit(self, article: Article, verdict: Verdict) -> Iterator[Any]:
        out, duplicate = apply_verdict(article, verdict, self._keep)
        if out is not None:
            yield out
        if duplicate is not None:
            yield beam.pvalue.TaggedOutput(DUPLICATES, duplicate)

    def _redelivery(self, encoded: bytes, canonical_row: tuple | None) -> Iterator[Any]:
        article = self._coder.decode(encoded)
        canonical_id = _fp(canonical_row).id if canonical_row is not None else article.id
        yield from self._emit(article, Verdict(record_uid(article), cluster_id(canonical_id), article.id,
                                               1.0, "redelivery", 2))

    def _correct(self, row: tuple, own: tuple, verdict_state: Any, summary: tuple) -> Iterator[Any]:
        """A later-seen article that precedes this one's canonical: this one now duplicates it."""
        earlier, similarity, method = _fp(row[0]), row[1], row[2]
        current = _fp(verdict_state.read())
        if not earlier.order < current.order:
            return
        verdict_state.write(tuple(earlier))
        self._corrections.inc()
        headline, outlet, source = summary
        duplicate = DuplicateRecord(
            id=_fp(own[0]).id, duplicate_of=earlier.id, cluster_id=cluster_id(earlier.id),
            similarity=similarity, method=method, headline=headline, outlet=outlet,
            source=SourceRef.model_validate_json(source))
        yield beam.pvalue.TaggedOutput(DUPLICATES, duplicate)
        yield beam.pvalue.TaggedOutput(CORRECTIONS, duplicate)

    @on_timer(_RESOLVE_EXPIRY)
    def expire(self, key: str = beam.DoFn.KeyParam, article_state: Any = ARTICLE,
               self_state: Any = SELF, reports: Any = REPORTS,
               matches: Any = MATCHES, verdict_state: Any = VERDICT,
               summary: Any = SUMMARY) -> Iterator[Any]:
        own = self_state.read()
        if own is not None and verdict_state.read() is None and article_state.read() is not None:
            # Reports still missing at expiry (should not happen): decide on what arrived, never drop.
            self._incomplete.inc()
            yield from self._decide(key, own, article_state, matches, verdict_state, summary)
        for state in (article_state, self_state, reports, matches, verdict_state, summary):
            state.clear()


class StreamingDedupe(beam.PTransform):
    """Unbounded PCollection[Article] -> ``articles`` and ``duplicates`` (with corrections), and
    ``corrections`` (the corrections alone, also in ``duplicates``)."""

    def __init__(self, params: DedupeParams, keep_duplicates: bool = False) -> None:
        super().__init__()
        self._params = params
        self._keep = keep_duplicates

    def expand(self, articles: beam.PCollection[Article]) -> beam.pvalue.DoOutputsTuple:
        params = self._params
        first = (articles
                 | "KeyByRecord" >> beam.ParDo(_EncodeWithUid()).with_output_types(tuple[str, bytes])
                 | "FirstDelivery" >> beam.ParDo(_FirstDelivery(params.ttl_seconds))
                 .with_outputs(_REDELIVERY, main="first"))
        keyed = (first.first
                 | "Fingerprint" >> beam.ParDo(_Fingerprint(params)).with_outputs(_SELF, main="keys"))
        messages = (keyed.keys
                    | "TypeKeys" >> beam.Map(lambda kv: kv).with_output_types(tuple[str, Any])
                    | "MatchByKey" >> beam.ParDo(_MatchByKey(params)))
        return ((messages, keyed[_SELF], first[_REDELIVERY])
                | "AllMessages" >> beam.Flatten()
                | "TypeMessages" >> beam.Map(lambda kv: kv).with_output_types(tuple[str, Any])
                | "Resolve" >> beam.ParDo(_Resolve(params, self._keep))
                .with_output_types(Article, duplicates=DuplicateRecord, corrections=DuplicateRecord)
                .with_outputs(DUPLICATES, CORRECTIONS, main="articles"))


class _EncodeWithUid(beam.DoFn):
    def setup(self) -> None:
        self._coder = _article_coder()

    def process(self, article: Article) -> Iterator[tuple[str, bytes]]:
        yield record_uid(article), self._coder.encode(article)
