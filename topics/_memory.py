"""Hand freed memory back to the operating system between the steps of a long run."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """Return glibc's ``malloc_trim``, or None where there is none (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


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
