"""Progress bars for long work, off unless asked for (and always off in tests)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm.std import tqdm

__all__ = ["progress_bar"]

T = TypeVar("T")


def progress_bar(
    items: Iterable[T], *, desc: str, disable: bool = True, total: int | None = None
) -> Iterator[T]:
    """Iterate over ``items`` with a tqdm bar on stderr when ``disable`` is false."""
    if disable:
        yield from items
        return
    yield from tqdm(items, desc=desc, total=total, leave=False, dynamic_ncols=True)
