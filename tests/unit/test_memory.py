from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.memory import release_freed_memory


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


# Run in a fresh interpreter: the test process's other threads allocate too, and an earlier test
# may already have fixed the threshold. The first freed 16 MB block raises glibc's dynamic mmap
# threshold, as the first big data-plane message of a real run does; the 5 MB blocks that follow
# then come from the heap unless the threshold is capped. Every other block is freed: each freed
# one lies between two live ones, so the heap cannot give it back by trimming its top (small pins
# did not hold that in every process: they may land in older holes).
_BIG_BLOCKS = """
import os, sys
from pathlib import Path
from pipelines.memory import MMAP_THRESHOLD, cap_mmap_threshold
def rss():
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
if sys.argv[1] == "cap":
    assert cap_mmap_threshold()
warm = bytearray(16 << 20)
del warm
before = rss()
blocks = []
for _ in range(40):
    block = bytearray(MMAP_THRESHOLD + (1 << 20))
    block[::4096] = b"x" * len(block[::4096])
    blocks.append(block)
grown = rss()
del blocks[0::2], block
print(before, grown, rss())
"""


def _big_blocks_rss(mode: str) -> tuple[int, int, int]:
    out = subprocess.run([sys.executable, "-c", _BIG_BLOCKS, mode], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2]).stdout
    before, grown, after = map(int, out.split())
    return before, grown, after


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm; glibc only")
def test_big_blocks_go_back_to_the_system_only_once_the_mmap_threshold_is_capped():
    # 40 blocks of 5 MB, 20 of them freed: 100 MB to give back.
    before, grown, after = _big_blocks_rss("cap")
    assert grown - before > 150 << 20
    assert grown - after > 90 << 20, (before >> 20, grown >> 20, after >> 20)
    before, grown, after = _big_blocks_rss("default")  # glibc's dynamic threshold keeps them
    assert grown - after < 10 << 20, (before >> 20, grown >> 20, after >> 20)
