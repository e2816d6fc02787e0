"""Bounds on every numeric setting, checked in one place before any work.

Every command and every function that takes a seed, a number of permutations or bootstrap
draws, or a size checks it here, so a value out of range is one :class:`ConfigError` naming the
setting, its range and the fix — never a traceback from deep inside NumPy, and never an attempt
to allocate more memory than the machine has.

* **Seeds** are integers in ``[0, SEED_MAX]`` (``2**32 - 1``: NumPy's legacy seeding range,
  which scikit-learn, gensim and tomotopy use) — for every command and function alike.
* **Permutations** (``MAX_PERM``) and **bootstrap draws** (``MAX_BOOT``) have a ceiling beyond
  which only time grows (a p-value resolves to ``1 / (n_perm + 1)``; the Monte Carlo error of an
  interval's end falls as ``1 / sqrt(n_boot)``).
* **Memory**: :func:`check_memory` compares what a step is about to allocate with the memory
  available (``MemAvailable`` on Linux, else the physical memory) and refuses the step, saying
  how large a setting fits.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import operator
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

from .errors import ConfigError

__all__ = [
    "MAX_BOOT",
    "MAX_PERM",
    "SEED_MAX",
    "available_memory",
    "check_count",
    "check_memory",
    "check_seed",
    "paused_gc",
    "release_freed_memory",
]

#: Largest seed (NumPy's legacy ``RandomState`` range, shared by every library we call).
SEED_MAX = 2**32 - 1
#: Most permutations of the change test (p-values resolve to one in a million).
MAX_PERM = 1_000_000
#: Most bootstrap draws behind an interval.
MAX_BOOT = 100_000


def _integer(value: object, name: str) -> int:
    try:
        if isinstance(value, bool):
            raise TypeError(value)
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ConfigError(f"{name} must be an integer, got {value!r}") from None


def check_seed(value: object, name: str = "random_state") -> int:
    """Return ``value`` as a seed, or raise naming ``name`` and the range ``0 … 2**32 - 1``."""
    seed = _integer(value, name)
    if not 0 <= seed <= SEED_MAX:
        raise ConfigError(
            f"{name} must be an integer from 0 to {SEED_MAX:,} (2**32 - 1), got {value}"
        )
    return seed


def check_count(value: object, name: str, *, least: int = 1, most: int | None = None) -> int:
    """Return ``value`` as an integer in ``[least, most]``, or raise naming ``name``."""
    number = _integer(value, name)
    if number < least or (most is not None and number > most):
        upper = f" and at most {most:,}" if most is not None else ""
        raise ConfigError(f"{name} must be at least {least}{upper}, got {value}")
    return number


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (None where it cannot be told)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def _size(n_bytes: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n_bytes < 1024 or unit == "PiB":
            return f"{n_bytes:,.0f} {unit}" if unit == "bytes" else f"{n_bytes:,.1f} {unit}"
        n_bytes /= 1024
    return f"{n_bytes:,.1f} PiB"  # pragma: no cover - the loop returns


def check_memory(
    n_bytes: float, what: str, *, name: str, value: int, per_unit: float | None = None
) -> None:
    """Refuse a step that would allocate ``n_bytes`` when less memory than that is available.

    ``name`` and ``value`` are the setting that makes it large (``--permutations``, 10**11);
    with ``per_unit`` (bytes per unit of that setting) the message says how large a value fits.
    """
    free = available_memory()
    if free is None or n_bytes <= free:
        return
    fits = f"; at most {int(free // per_unit):,} fits" if per_unit else ""
    raise ConfigError(
        f"{name} {value:,}: {what} would need {_size(n_bytes)} of memory and "
        f"{_size(free)} is available{fits} — use a smaller {name}"
    )


# -- memory housekeeping for long runs: freed heap back to the system, the collector paused ----
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
