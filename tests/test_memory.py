"""Freed memory goes back to the operating system between ingest steps."""

from __future__ import annotations

import os
import sys

import pytest

from topics._memory import release_freed_memory


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_release_returns_a_fragmented_heap() -> None:
    # Many paragraph-sized strings, one in a hundred kept: what cleaning a long text leaves.
    strings = [("x" * 600) + str(i) for i in range(200_000)]
    keep = strings[::100]
    del strings
    before = _rss_mb()
    assert release_freed_memory()
    after = _rss_mb()
    assert len(keep) == 2000
    assert before - after > 60  # about 120 MB were freed; glibc alone keeps nearly all of it
