"""Hostile input at scale: every input becomes an Article or a DeadLetter with a clear reason.

More than 10,000 generated inputs (hypothesis, derandomized so CI sees the same ones every run)
go through parse_record; a few thousand more through ParseArticles on the Beam runner; and a
gzip bomb expanding to 1 GB goes through the file source. Each test counts in = out + dead.
"""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections import Counter
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.io.files import ReadInputFiles
from pipelines.nlp.parsing import ParseError, parse_record
from pipelines.transforms.parse import ParseArticles
from schemas.records import RawRecord, SourceRef
from tests.conftest import beam_pipeline

ROOT = Path(__file__).resolve().parents[2]
CONTENT_TYPES = ("text/plain", "text/html", "application/json", "unknown")
BATCH = 50
EXAMPLES = 210  # 210 batches x 50 inputs = 10,500 generated inputs through parse_record
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


def _seeds() -> list[bytes]:
    """Real articles in every shape, the material the mangling strategies cut up."""
    out = []
    for path in sorted((ROOT / "sample_data/input").glob("*/*.*")):
        data = path.read_bytes()
        data = gzip.decompress(data) if path.suffix == ".gz" else data
        out += data.splitlines()[:3] if path.suffix == ".jsonl" else [data]
    return [d for d in out if d.strip()]


SEEDS = _seeds()
INVALID_UTF8 = (b"\xff", b"\xfe\xff", b"\xc3(", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc",
                b"\xed\xa0\x80", b"\xc0\xaf", b"\x00", b"\x1b[31m")


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    """A real article cut, spliced and salted with invalid UTF-8 (truncated/mangled HTML and JSON)."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(data)))
        j = draw(st.integers(i, min(len(data), i + 400)))
        op = draw(st.sampled_from(("truncate", "delete", "insert", "dup", "utf8")))
        if op == "truncate":
            del data[i:]
        elif op == "delete":
            del data[i:j]
        elif op == "insert":
            data[i:i] = draw(st.binary(max_size=40))
        elif op == "dup":
            data[i:i] = data[i:j] * draw(st.integers(1, 20))
        else:
            data[i:i] = draw(st.sampled_from(INVALID_UTF8))
    return bytes(data)


def _nested(opener: bytes, closer: bytes) -> st.SearchStrategy[bytes]:
    return st.builds(lambda n, closed, tail: opener * n + (closer * n if closed else b"") + tail,
                     st.integers(1, 3000), st.booleans(), st.binary(max_size=20))


HOSTILE = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=600).map(lambda s: s.encode("utf-8", "surrogatepass")),
    mangled(),
    _nested(b"[", b"]"),
    _nested(b'{"a":', b"}"),
    _nested(b"<div>", b"</div>").map(lambda b: b"<html><body><h1>Deep page</h1>" + b),
    _nested(b"<b><i>", b"</i></b>"),
    st.builds(lambda word, n: word * n, st.sampled_from((b"word ", b"\xe2\x80\x94", b"<p>x", b'"\\u00e9')),
              st.integers(200, 4000)),  # long single lines (giant ones: EXTREMES)
)

# Bounds the generators do not reach cheaply: each must end as a dead letter with this reason.
EXTREMES = {
    "json_100k_brackets": (b"[" * 100_000, "application/json", "bad_json"),
    "json_100k_objects": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "application/json", "bad_json"),
    "html_100k_divs": (b"<html><body>" + b"<div>" * 100_000 + b"text", "text/html", "too_deep"),
    "giant_line_over_limit": (b"word " * 2_200_000, "text/plain", "too_large"),
    "giant_line_under_limit": (b"w" * 1_900_000, "text/plain", "no_headline"),
    "gzip_bomb_record": (gzip.compress(b"\0" * 20_000_000, 1), "unknown", "too_large"),
    # Not UTF-8: the legacy-encoding detector decodes it, and no headline is found in the result.
    "invalid_utf8_only": (b"\xff\xfe\xfd\xc3(" * 1000, "unknown", "no_headline"),
    "utf8_bom_then_invalid": (b"\xef\xbb\xbfok \xc3(" * 10, "unknown", "undecodable"),
}


def _outcome(data: bytes, content_type: str) -> str:
    """'article' or the dead-letter kind; any other exception fails the test (a crash)."""
    try:
        parse_record(RawRecord(data=data, source=SourceRef(uri="hostile"), content_type=content_type))
    except ParseError as exc:
        assert exc.kind and exc.message, "a dead letter needs a reason"
        return exc.kind
    return "article"


def test_ten_thousand_generated_inputs_become_articles_or_dead_letters() -> None:
    outcomes: Counter[str] = Counter()

    @SETTINGS
    @given(st.lists(st.tuples(HOSTILE, st.sampled_from(CONTENT_TYPES)), min_size=BATCH, max_size=BATCH))
    def run(batch: list[tuple[bytes, str]]) -> None:
        for data, ctype in batch:
            kind = _outcome(data, ctype)
            # parser_bug is parse_record's last-resort guard: reaching it means a parser crashed.
            assert kind != "parser_bug", (data[:200], ctype)
            outcomes[kind] += 1

    run()
    total = sum(outcomes.values())
    dead = total - outcomes["article"]
    print(f"\nhostile inputs: in={total} articles={outcomes['article']} dead={dead} "
          f"by reason={dict(outcomes.most_common())}")
    assert total >= 10_000 and outcomes["article"] + dead == total
    assert outcomes["article"] > 0 and dead > 0  # both branches really ran


@pytest.mark.parametrize("name", sorted(EXTREMES))
def test_extreme_inputs_hit_their_bound(name: str) -> None:
    data, ctype, kind = EXTREMES[name]
    assert _outcome(data, ctype) == kind


XXE_PAGES = {
    "file_entity": b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    "http_entity": b'<!DOCTYPE html [<!ENTITY x SYSTEM "http://127.0.0.1:9/evil">]>',
    "parameter_entity": b'<!DOCTYPE html [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p; <!ENTITY x "%p;">]>',
    "xinclude": b'<?xml version="1.0"?>',
}


@pytest.mark.parametrize("name", sorted(XXE_PAGES))
@pytest.mark.parametrize("ctype", ["text/html", "unknown"])
def test_external_entities_are_not_resolved(name: str, ctype: str) -> None:
    page = XXE_PAGES[name] + (
        b'<html xmlns:xi="http://www.w3.org/2001/XInclude"><body><article><h1>Entity page title</h1>'
        b'<p>&x; First paragraph with enough words to be the body of this article page.</p>'
        b'<xi:include href="file:///etc/passwd" parse="text"/>'
        b"<p>Second paragraph, still plain prose about nothing in particular at all.</p>"
        b"</article></body></html>")
    article = parse_record(RawRecord(data=page, source=SourceRef(uri="xxe"), content_type=ctype))
    text = article.model_dump_json()
    assert "root:" not in text and "/bin/" not in text and "evil" not in text
    assert article.headline == "Entity page title"


def test_parse_articles_on_beam_accounts_for_every_hostile_input() -> None:
    raws: list[RawRecord] = []

    @settings(max_examples=40, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(HOSTILE, st.sampled_from(CONTENT_TYPES)), min_size=BATCH, max_size=BATCH))
    def collect(batch: list[tuple[bytes, str]]) -> None:
        raws.extend(RawRecord(data=d, source=SourceRef(uri=f"hostile/{len(raws) + i}"), content_type=c)
                    for i, (d, c) in enumerate(batch))

    collect()
    raws.extend(RawRecord(data=d, source=SourceRef(uri=f"extreme/{n}"), content_type=c)
                for n, (d, c, _) in EXTREMES.items())
    n = len(raws)
    p = beam_pipeline()
    out = p | beam.Create(raws) | ParseArticles(max_raw_bytes=4096)
    articles = out.articles | "CountA" >> beam.combiners.Count.Globally()
    dead = out.dead_letters | "CountD" >> beam.combiners.Count.Globally()
    every = ((out.articles | "UriA" >> beam.Map(lambda a: a.source.uri)),
             (out.dead_letters | "UriD" >> beam.Map(lambda d: d.source.uri))) | beam.Flatten()
    assert_that(every, equal_to([r.source.uri for r in raws]), label="EachInputOnce")
    total = (articles, dead) | "Both" >> beam.Flatten() | "Sum" >> beam.CombineGlobally(sum)
    assert_that(total, equal_to([n]), label="InEqualsOutPlusDead")
    p.run().wait_until_finish()
    print(f"\nbeam hostile inputs: in={n}")
    assert n >= 2000


def _gzip_bomb(path: Path, expanded: int) -> None:
    """A multi-member gzip file: one 1 MiB member of zeros (~1 KiB) repeated, instant to write."""
    member = gzip.compress(b"\0" * (1 << 20), 9)
    with path.open("wb") as f:
        for _ in range(expanded >> 20):
            f.write(member)


def _line_bomb(path: Path, expanded: int) -> None:
    """A .jsonl.gz whose one line expands to ``expanded`` bytes of a JSON string."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"a" * (1 << 20)
    with path.open("wb") as f:
        f.write(comp.compress(b'{"headline": "'))
        for _ in range(expanded >> 20):
            f.write(comp.compress(chunk))
        f.write(comp.compress(b'"}\n{"headline": "After the bomb", "body": "Still read."}\n'))
        f.write(comp.flush())


def test_gzip_bomb_through_the_file_source_is_a_bounded_dead_letter(tmp_path: Path) -> None:
    gib = 1 << 30
    _gzip_bomb(tmp_path / "bomb.txt.gz", gib)
    _line_bomb(tmp_path / "bomb.jsonl.gz", gib // 4)
    max_bytes = 1 << 20
    tracemalloc.start()  # peak Python allocation during the run (ru_maxrss keeps earlier peaks)
    p = beam_pipeline()
    out = p | ReadInputFiles([str(tmp_path)], max_bytes)
    dead = out.dead_letters | beam.Map(lambda d: (Path(d.source.uri).name, d.stage, d.error,
                                                  len(d.raw or d.raw_base64 or "") <= max_bytes))
    assert_that(dead, equal_to([("bomb.txt.gz", "read", "too_large", True),
                                ("bomb.jsonl.gz", "read", "too_large", True)]), label="Dead")
    records = out.records | beam.Map(lambda r: (r.source.line, r.data[:28]))
    assert_that(records, equal_to([(2, b'{"headline": "After the bomb')]), label="Rest")
    p.run().wait_until_finish()
    peak_mib = tracemalloc.get_traced_memory()[1] / (1 << 20)
    tracemalloc.stop()
    print(f"\ngzip bombs: 1 GiB file + 256 MiB line -> too_large; peak allocation {peak_mib:.0f} MiB")
    assert peak_mib < 300  # bounded by --max_record_bytes, nowhere near the expanded size
