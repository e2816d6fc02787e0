"""Freed memory goes back to the operating system between ingest steps."""

from __future__ import annotations

import os
import sys

import pytest

from topics.limits import _malloc_trim, release_freed_memory


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or _malloc_trim() is None or "LD_PRELOAD" in os.environ,
    reason="needs glibc's allocator (malloc_trim), not another one preloaded",
)
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


def test_paused_gc_restores_the_collector_after_nested_and_failing_pauses() -> None:
    import gc

    from topics.limits import paused_gc

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still on
    assert gc.isenabled()
    with pytest.raises(KeyError), paused_gc():
        raise KeyError("inside")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # a collector the caller had turned off stays off
    finally:
        gc.enable()


def test_tokenising_pauses_the_collector_and_gives_the_same_tokens() -> None:
    import gc

    from topics.text.preprocess import Preprocessor

    texts = ["Sanctions on Russia and the Ukraine war.", "The Middle Corridor and Global Gateway."]
    seen: list[bool] = []

    def spy(text: str) -> str:
        seen.append(gc.isenabled())
        return text

    tokens = Preprocessor().transform(spy(t) for t in texts)
    assert seen == [False, False]
    assert gc.isenabled()
    assert tokens == [Preprocessor().tokenize(t) for t in texts]
