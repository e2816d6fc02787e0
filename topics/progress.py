"""Progress for long work: shown on a terminal, quiet in tests, CI, notebooks and with --quiet.

Every long step takes ``progress: bool | None``: ``True`` shows a bar, ``False`` never does, and
``None`` (the default) decides with :func:`progress_enabled` — on when standard error is a
terminal, off under pytest, in CI (``CI`` set) or when ``TOPICS_PROGRESS=0``. Bars appear only
after :data:`DELAY` seconds, so quick steps stay silent. Steps whose length is unknown (a
scikit-learn NMF fit has no per-iteration hook) show the elapsed time instead of a bar.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from tqdm.std import tqdm

__all__ = ["DELAY", "elapsed", "progress_bar", "progress_enabled", "stepper"]

T = TypeVar("T")

#: Seconds a step runs before its bar appears.
DELAY = 2.0


def progress_enabled(requested: bool | None = None) -> bool:
    """Return whether to show progress (see the module docstring)."""
    if requested is not None:
        return bool(requested)
    setting = os.environ.get("TOPICS_PROGRESS")
    if setting in ("0", "1"):
        return setting == "1"
    if "PYTEST_CURRENT_TEST" in os.environ or os.environ.get("CI"):
        return False
    return sys.stderr.isatty()


def progress_bar(
    items: Iterable[T],
    *,
    desc: str,
    enabled: bool | None = None,
    total: int | None = None,
) -> Iterator[T]:
    """Iterate over ``items`` with a bar on stderr when progress is enabled.

    ``enabled``: ``True`` shows it, ``False`` never, ``None`` decides (:func:`progress_enabled`).
    """
    if not progress_enabled(enabled):
        yield from items
        return
    yield from tqdm(items, desc=desc, total=total, leave=False, dynamic_ncols=True, delay=DELAY)


@contextmanager
def stepper(
    total: int, *, desc: str, enabled: bool | None = None
) -> Iterator[Callable[[int], None]]:
    """Show a bar for ``total`` units of work; the context gives ``advance(done_so_far)``."""
    if not progress_enabled(enabled):
        yield lambda done: None
        return
    bar = tqdm(total=total, desc=desc, leave=False, dynamic_ncols=True, delay=DELAY)

    def advance(done: int) -> None:
        bar.update(max(0, done - bar.n))

    try:
        yield advance
    finally:
        bar.close()


@contextmanager
def elapsed(desc: str, *, enabled: bool | None = None) -> Iterator[None]:
    """Show ``desc`` and the elapsed time while a step of unknown length runs."""
    if not progress_enabled(enabled):
        yield
        return
    bar = tqdm(total=None, desc=desc, bar_format="{desc}: {elapsed}", leave=False, delay=DELAY)
    done = threading.Event()

    def tick() -> None:
        while not done.wait(0.5):
            bar.refresh()

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()
        bar.close()
