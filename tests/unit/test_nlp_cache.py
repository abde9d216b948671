from __future__ import annotations

import pytest

from pipelines.nlp.cache import cache_root, cached_json


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBEAM_CACHE", str(tmp_path))
    return tmp_path


def test_builds_once_then_reads_the_copy(cache):
    calls = []

    def build():
        calls.append(1)
        return {"a": (1, 2)}

    assert cached_json("x/v1.json", build) == {"a": [1, 2]}  # the decoded JSON, also on a first run
    assert cached_json("x/v1.json", build) == {"a": [1, 2]}
    assert calls == [1] and cache_root() == cache
    assert (cache / "x" / "v1.json").is_file() and not list(cache.glob("x/*.tmp"))


def test_damaged_copy_is_rebuilt(cache):
    (cache / "x").mkdir()
    (cache / "x" / "v1.json").write_text('{"a": ')
    assert cached_json("x/v1.json", lambda: {"a": 2}) == {"a": 2}
    assert (cache / "x" / "v1.json").read_text() == '{"a": 2}'


def test_unwritable_cache_still_builds(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("NEWSBEAM_CACHE", str(blocker))  # a file where the folder should be
    assert cached_json("x/v1.json", lambda: [3]) == [3]
