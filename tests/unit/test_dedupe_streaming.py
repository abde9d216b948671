from datetime import UTC, datetime, timedelta

from pipelines.nlp.dedupe import DedupeParams, fingerprint
from pipelines.nlp.dedupe.lsh import band_keys
from pipelines.nlp.dedupe.streaming import BAND, BODY, URL, Match, Member, decide, keys_of, match_in_key, merge_matches
from tests.conftest import make_article

T0 = datetime(2024, 3, 4, 6, 0, tzinfo=UTC)
BODY_TEXT = "\n\n".join(f"Paragraph {i} reports that item{i} moved {i * 3} points in topic{i * 7}." for i in range(10))
P = DedupeParams(ttl_seconds=3600)
DAY_US = 86_400_000_000


def _member(aid, body=BODY_TEXT, minutes=0, url=None):
    fp = fingerprint(make_article(aid, body, url=url, published_at=T0 + timedelta(minutes=minutes)), P)
    return Member(fp, minutes * 60_000_000)


def test_keys_cover_url_body_and_bands_only_when_long_enough():
    fp = _member("a", url="https://x.example/a").fp
    keys = keys_of(fp, band_keys(fp.signature(), P.bands, P.rows), P)
    assert keys[0].startswith(URL + ":") and keys[1].startswith(BODY + ":")
    assert len(keys) == 2 + P.bands
    short = _member("s", "Too short to shingle usefully.").fp
    assert [k[0] for k in keys_of(short, [], P)] == [BODY]


def test_matching_in_a_band_verifies_signatures_and_respects_the_ttl():
    wire = _member("wire")
    trimmed = _member("copy", "\n\n".join(BODY_TEXT.split("\n\n")[:8]), minutes=30)
    other = _member("other", "\n\n".join(f"Unrelated sentence {i} about weather{i}." for i in range(30)), minutes=5)
    late = _member("late", minutes=61)
    found = match_in_key(BAND, trimmed, [wire, other, late], P)
    assert [m.other.id for m in found] == ["wire", "late"] and found[0].method == "minhash"
    assert not found[0].other.sig  # stored matches drop the signature
    assert match_in_key(BAND, late, [wire], P) == []  # 61 minutes apart, TTL one hour
    exact = match_in_key(BODY, _member("wire2", minutes=1), [wire], P)
    assert exact[0].method == "exact-body" and exact[0].similarity == 1.0
    assert match_in_key(BODY, wire, [wire], P) == []  # never matches itself


def test_decide_picks_the_earliest_and_keeps_the_strongest_rule():
    wire, copy, later = _member("wire").fp, _member("copy", minutes=10).fp, _member("later", minutes=20).fp
    found: dict = {}
    merge_matches(found, [Match(wire, 0.8, "minhash"), Match(later, 0.7, "minhash")])
    merge_matches(found, [Match(wire, 1.0, "exact-url")])
    assert found[wire.uid].method == "exact-url"
    verdict = decide(copy, found)
    assert verdict.canonical.id == "wire" and verdict.method == "exact-url" and verdict.cluster_size == 3
    alone = decide(wire, {})
    assert alone.canonical.id == "wire" and alone.method is None and alone.cluster_size == 1
