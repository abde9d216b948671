"""Pure decisions of streaming dedupe: matching inside one key's state, and per-article verdicts.

Streaming semantics (README "Deduplication"): an article's verdict is the earliest article, in
canonical order, among itself and every article it matches *directly* (same canonical URL, same
body, or a shared LSH band verified by signature) whose event time is within the TTL of its own.
When a later-seen article precedes an earlier-seen one it matched, the earlier-seen article's
verdict changes and a correction is emitted. Verdicts never depend on arrival order once all
matches have been seen; only the corrections emitted on the way do.
"""

from __future__ import annotations

from typing import NamedTuple

from pipelines.nlp.dedupe.fingerprint import Fingerprint, cluster_id
from pipelines.nlp.dedupe.graph import METHODS, sig_jaccard
from pipelines.nlp.dedupe.minhash import containment
from pipelines.nlp.dedupe.params import DedupeParams

URL, BODY, BAND = "u", "b", "n"


class Member(NamedTuple):
    """A stored article in one key's state: its fingerprint and event time (microseconds)."""

    fp: Fingerprint
    ts: int


class Match(NamedTuple):
    """Another article that ``subject`` matched: who it is, how similar, by which rule."""

    other: Fingerprint   # without signature
    similarity: float
    method: str


def keys_of(fp: Fingerprint, band_keys: list[bytes], params: DedupeParams) -> list[str]:
    """The state keys an article is matched under: exact keys always, band keys when eligible."""
    keys = []
    if fp.url_key is not None:
        keys.append(f"{URL}:{fp.url_key}")
    if fp.body_key is not None:
        keys.append(f"{BODY}:{fp.body_key}")
    if fp.near(params):
        keys.extend(f"{BAND}:{k.hex()}" for k in band_keys)
    return keys


def match_in_key(kind: str, new: Member, stored: list[Member], params: DedupeParams) -> list[Match]:
    """Which stored members ``new`` matches under a key of this kind, within the TTL."""
    ttl_us = params.ttl_seconds * 1_000_000
    out = []
    for m in stored:
        if m.fp.uid == new.fp.uid or abs(m.ts - new.ts) > ttl_us:
            continue
        if kind == BODY:
            sim, method = 1.0, ("redelivery" if m.fp.id == new.fp.id else "exact-body")
        elif kind == URL:
            sim, method = sig_jaccard(new.fp.sig, m.fp.sig), "exact-url"
        else:
            sim, method = sig_jaccard(new.fp.sig, m.fp.sig), "minhash"
            if not params.is_copy(sim, containment(sim, new.fp.size, m.fp.size)):
                continue
        out.append(Match(m.fp._replace(sig=b""), sim, method))
    return out


def merge_matches(found: dict[str, Match], more: list[Match]) -> None:
    """Keep, per matched article, the strongest rule that matched it (exact before minhash)."""
    for match in more:
        known = found.get(match.other.uid)
        if known is None or METHODS.index(match.method) < METHODS.index(known.method):
            found[match.other.uid] = match


class StreamVerdict(NamedTuple):
    cluster_id: str
    canonical: Fingerprint            # the article this one is, or duplicates
    similarity: float | None
    method: str | None
    cluster_size: int


def decide(subject: Fingerprint, matches: dict[str, Match]) -> StreamVerdict:
    """The earliest of ``subject`` and its direct matches is canonical."""
    best = min([subject, *(m.other for m in matches.values())], key=lambda f: f.order)
    size = 1 + len(matches)
    if best.uid == subject.uid:
        weakest = max((m.method for m in matches.values()), key=METHODS.index, default=None)
        return StreamVerdict(cluster_id(subject.id), subject, None, weakest, size)
    match = matches[best.uid]
    return StreamVerdict(cluster_id(best.id), best, match.similarity, match.method, size)
