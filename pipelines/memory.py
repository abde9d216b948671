"""Hand freed heap memory back to the operating system (glibc ``malloc_trim``).

A step that builds a large transient structure (Dedupe's one-graph step: every fingerprint, the
candidate pairs and the union-find arrays) frees it when it returns, but CPython's allocator and
glibc keep most of the pages, so the worker process stays near its peak for the rest of the job,
while the next stages grow memory elsewhere. Trimming after such a step lowers the job's summed peak.

glibc also raises its mmap threshold to the size of every large block freed (up to 32 MB), so once
a process has freed one 10 MB data-plane message or numpy array, later blocks of that size come
from the heap and stay there after they are freed. ``cap_mmap_threshold`` fixes the threshold.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import lru_cache

_M_MMAP_THRESHOLD = -3  # glibc <malloc.h>
MMAP_THRESHOLD = 4 << 20


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None  # glibc only


def release_freed_memory() -> bool:
    """Collect garbage and trim the heap; False where the C library has no ``malloc_trim``."""
    gc.collect()
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


@lru_cache(maxsize=1)
def cap_mmap_threshold() -> bool:
    """Serve every block of ``MMAP_THRESHOLD`` bytes or more from its own mapping, returned to the
    system when freed (glibc ``mallopt``; also stops the dynamic growth of the threshold). Once per
    process; False where the C library has no ``mallopt``.

    Dedupe's runner and workers pass the fingerprints and waiting articles in blocks of megabytes
    (data-plane messages, the grouped graph input, numpy arrays); with the dynamic threshold the
    freed ones stayed in the heap. 4 MB: mappings for the big blocks only, so the syscalls and page
    faults of a smaller threshold (128 kB: +8 CPU-s in bench_dedupe at 100k) are not paid.
    """
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
