from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipelines.memory import MMAP_THRESHOLD, cap_mmap_threshold, release_freed_memory


def _rss_bytes() -> int:
    fields = Path("/proc/self/statm").read_text().split()
    import os

    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm; glibc only")
def test_freed_small_objects_go_back_to_the_system():
    release_freed_memory()
    before = _rss_bytes()
    # ~200 MB of objects too big for Python's own small-object arenas (> 512 bytes: glibc's heap)
    garbage = [b"x" * 2000 + bytes([i % 256]) for i in range(100_000)]
    grown = _rss_bytes()
    keep = garbage[::1000]  # a few survivors scattered over the heap, as after a real step
    del garbage
    assert release_freed_memory() is True
    after = _rss_bytes()
    assert grown - before > 150 << 20
    assert after - before < (grown - before) / 2, (before >> 20, grown >> 20, after >> 20)
    assert len(keep) == 100


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm; glibc only")
def test_big_blocks_go_back_to_the_system_once_the_mmap_threshold_is_capped():
    assert cap_mmap_threshold() is True
    before = _rss_bytes()
    blocks = [bytearray(MMAP_THRESHOLD) for _ in range(40)]  # 160 MB, each block its own mapping
    for block in blocks:
        block[::4096] = b"x" * len(block[::4096])  # touch every page
    grown = _rss_bytes()
    del blocks, block
    after = _rss_bytes()  # no trim: unmapped on free
    assert grown - before > 150 << 20
    assert after - before < 20 << 20, (before >> 20, grown >> 20, after >> 20)
