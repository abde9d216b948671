"""Hand freed heap memory back to the operating system (glibc ``malloc_trim``).

A step that builds a large transient structure (Dedupe's one-graph step: every fingerprint, the
candidate pairs and the union-find arrays) frees it when it returns, but CPython's allocator and
glibc keep most of the pages, so the worker process stays near its peak for the rest of the job,
while the next stages grow memory elsewhere. Trimming after such a step lowers the job's summed peak.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import lru_cache


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
