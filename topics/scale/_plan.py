"""Planning a dataset ingest: which read task reads which inputs, and folders' date order."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from itertools import chain, groupby
from pathlib import Path
from typing import Any

from ..corpus.dates import decide_dayfirst
from ..errors import IngestWarning
from ..io.articles import parse_article
from ..io.encodings import Undecodable, decode_bytes
from ..io.readers import ARTICLE_SUFFIXES, InputEntry, is_table, scan_inputs
from .engine import Engine

__all__ = ["ReadTask", "agree_on_dates", "plan_reads"]


@dataclass(frozen=True)
class ReadTask:
    """One read task: a table, or a batch of article entries of one folder."""

    index: int
    table: Path | None = None
    articles: tuple[InputEntry, ...] = ()
    dayfirst: bool | None = None


def plan_reads(roots: list[Path], batch_files: int) -> tuple[list[ReadTask], list[str]]:
    """Read tasks in the order :func:`topics.io.ingest` reads: per root, articles then tables."""
    items: list[ReadTask] = []
    inputs: list[str] = []
    for root in roots:
        entries = scan_inputs([root])
        inputs += [e.path.as_posix() for e in entries if e.problem is None]
        articles = [e for e in entries if e.problem is not None or not is_table(e.path)]
        # consecutive entries of one folder, in scan order
        for _, run in groupby(articles, key=lambda entry: entry.path.parent):
            group = list(run)
            for start in range(0, len(group), batch_files):
                batch = tuple(group[start : start + batch_files])
                items.append(ReadTask(len(items), articles=batch))
        for entry in entries:
            if entry.problem is None and is_table(entry.path):
                items.append(ReadTask(len(items), table=entry.path))
    return items, inputs


def _datelines(entries: tuple[InputEntry, ...], encoding: str | None) -> list[tuple[str, Any]]:
    """Numeric datelines of article files (the first pass for folders read by several tasks)."""
    found = []
    for entry in entries:
        if entry.problem is not None or not entry.path.name.lower().endswith(ARTICLE_SUFFIXES):
            continue  # read_articles skips what is not an article
        try:
            text = decode_bytes(entry.path.read_bytes(), encoding).text
        except (OSError, Undecodable):  # the read pass reports these files properly
            continue
        value = parse_article(text, entry.path.name, None).numeric_date
        if value is not None:
            found.append((entry.path.as_posix(), value))
    return found


def agree_on_dates(
    items: list[ReadTask], dayfirst: bool | None, encoding: str | None, engine: Engine
) -> tuple[list[ReadTask], list[str]]:
    """Decide the day/month order of folders split over several tasks (see module docstring)."""
    if dayfirst is not None:
        return items, []
    by_folder: dict[Path, list[ReadTask]] = {}
    for item in items:
        if item.articles:
            by_folder.setdefault(item.articles[0].path.parent, []).append(item)
    split = {folder: group for folder, group in by_folder.items() if len(group) > 1}
    if not split:
        return items, []
    notes: list[str] = []
    order: dict[int, bool | None] = {}
    for folder, group in split.items():
        parts = engine.map(_datelines, [i.articles for i in group], encoding)
        found = list(chain.from_iterable(parts))
        decided, note = decide_dayfirst(
            [v for _, v in found],
            None,
            f"the numeric datelines in folder {folder.as_posix()}",
            label=lambda i, found=found: found[i][0],  # type: ignore[misc]
        )
        if note:
            notes.append(note)
            warnings.warn(note, IngestWarning, stacklevel=3)
        order.update({item.index: decided for item in group})
    return [replace(i, dayfirst=order[i.index]) if i.index in order else i for i in items], notes
