"""Memory housekeeping for long runs: freed heap back to the system, the collector paused."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import sys
import threading
from collections.abc import Callable, Iterator
from typing import cast


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """Return glibc's ``malloc_trim``, or None where there is none (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library already loaded into Python
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return cast("Callable[[int], int]", trim)


def release_freed_memory() -> bool:
    """Return memory that Python freed but the C allocator kept to the operating system.

    Cleaning a large text allocates many paragraph-sized strings; once they are freed, glibc
    keeps the fragmented heap pages mapped, so the process's resident memory stays high for the
    steps that follow (measured: 56 MB after cleaning one 50 MB article). ``malloc_trim(0)``
    gives those pages back. It changes no data, only what the operating system counts.

    Returns
    -------
    bool
        Whether the C library offered the call (glibc on Linux).

    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


_pause_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many cycle-free containers.

    Tokenising a corpus creates one list of strings per document, and the collector keeps
    walking them although they hold no reference cycles. Measured in one process on synthetic
    corpora, pausing it saved 0.4–0.8 s of 6.7–7.5 s tokenising 200k documents and 1.2–3.7 s
    of 12.7–16.4 s tokenising 400k. The pause is process-wide (other threads lose automatic
    collection while it lasts); cycles made meanwhile, for instance by the code producing the
    texts, are collected after it, not leaked, and reference counting frees memory as usual.
    Nested and concurrent pauses are counted: the collector is restored to the state it had
    before the first pause when the last one ends.
    """
    global _pauses, _was_enabled
    with _pause_lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
