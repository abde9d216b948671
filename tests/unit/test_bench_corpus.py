"""The benchmark corpus is reproducible and is read into the records its manifest promises."""

from __future__ import annotations

from benchmarks.corpus import generate, input_files, read_records, shape_of
from pipelines.nlp.parsing import ParseError, parse_record


def test_same_seed_same_bytes_and_counts(tmp_path):
    a = generate(150, tmp_path / "a", seed=3)
    b = generate(150, tmp_path / "b", seed=3)
    files_a, files_b = input_files(tmp_path / "a"), input_files(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in files_a] == [p.relative_to(tmp_path / "b") for p in files_b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(files_a, files_b, strict=True))
    assert a == b
    kinds = ("original", "near_copy", "exact_redelivery", "bad")  # wire_original is a share of original
    assert sum(a.planted[k] for k in kinds) == sum(a.shapes.values()) == 150
    assert a.planted["near_copy"] > 0 and a.planted["exact_redelivery"] > 0


def test_records_cover_every_shape_and_parse(tmp_path):
    manifest = generate(200, tmp_path, seed=5)
    records = read_records(tmp_path)
    assert len(records) == manifest.records
    assert {shape_of(r) for r in records} == {"text", "html", "json"}
    failed = 0
    for raw in records:
        try:
            parse_record(raw)
        except ParseError:
            failed += 1
    assert failed == manifest.planted["bad"]  # only the planted bad inputs become dead letters
