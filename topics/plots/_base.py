"""Shared helpers: axes, column checks, period labels and the deterministic save helper.

:func:`save_figure` writes SVG and PNG deterministically (fixed style, no dates or software
stamps in metadata, and SVG ids renumbered in document order, so that ids matplotlib hashes from
floating-point layout values cannot move with the last bits of the arithmetic on another
machine), with a JSON manifest beside them, so rerunning the same analysis changes no byte.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..config import renamed
from ..errors import InputError
from ..manifest import atomic_write_bytes, write_manifest
from ._style import PALETTE, figure_style

__all__ = [
    "PALETTE",
    "chosen_themes",
    "figure_style",
    "period_axis_values",
    "period_labels",
    "renumber_svg_ids",
    "require_columns",
    "save_figure",
]

# ids matplotlib derives from a hash of the drawn content (clip paths "p…", markers "m…",
# hatches "h…"): ten hex digits after one letter.
_HASHED_ID = re.compile(r'(id="|#)([a-z])([0-9a-f]{10})(?=["\)])')


def renumber_svg_ids(svg: str) -> str:
    """Replace matplotlib's content-hashed SVG ids by numbers in order of first appearance.

    A clip path's id is a hash of its rectangle's floating-point coordinates, so the same
    drawing gets other ids on a machine whose arithmetic differs in the last bit. Numbering
    the ids in document order depends only on the drawing's structure.
    """
    numbers: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        old = match.group(2) + match.group(3)
        if old not in numbers:
            numbers[old] = f"{match.group(2)}id{len(numbers) + 1}"
        return match.group(1) + numbers[old]

    return _HASHED_ID.sub(replace, svg)


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`~topics.errors.InputError` naming the columns ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what} lacks columns {missing} (has {list(frame.columns)})")


def chosen_themes(
    frame: pd.DataFrame,
    themes: Sequence[str] | None,
    where: str | None = None,
    listed: bool = False,
) -> list[str]:
    """Return the themes to draw: ``themes``, else all of ``frame``'s in order of appearance.

    A chosen theme not in ``frame`` raises :class:`~topics.errors.InputError` naming ``where``
    (what ``frame`` is; ``None``: not checked), and listing ``frame``'s themes if ``listed``.
    """
    chosen = list(themes) if themes is not None else list(dict.fromkeys(frame["theme"]))
    present = set(frame["theme"])
    unknown = [t for t in chosen if t not in present]
    if unknown and where is not None:
        has = f" (has {sorted(present)})" if listed else ""
        raise InputError(f"themes {unknown} are not in {where}{has}")
    return chosen


def period_labels(values: Iterable[object]) -> list[str]:
    """Periods in time order, as text, for an axis.

    ``pandas.Period`` values of one frequency give every period from the first to the last, so
    a period without data shows as a gap instead of silently vanishing; other values (years,
    ISO strings, bin labels) give their distinct values in sorted order.
    """
    return period_axis_values(values)[0]


def period_axis_values(values: Iterable[object]) -> tuple[list[str], list[pd.Period] | None]:
    """Return the labels of every period on an axis and their calendar periods.

    Labels as :func:`period_labels`; for ``pandas.Period`` values of one frequency, also the
    period at each position (``None`` otherwise).
    """
    distinct = {v for v in values if not pd.isna(v)}  # type: ignore[call-overload]
    periods = [v for v in distinct if isinstance(v, pd.Period)]
    if periods and len(periods) == len(distinct) and len({p.freqstr for p in periods}) == 1:
        calendar = list(pd.period_range(min(periods), max(periods)))
        return [str(p) for p in calendar], calendar
    return [str(v) for v in sorted(distinct, key=lambda v: (str(type(v)), v))], None


def deprecated_seed(seed: int | None, random_state: int | None, where: str) -> int | None:
    """Return ``random_state``, or the old ``seed`` keyword's value with a DeprecationWarning."""
    given = {k: v for k, v in (("seed", seed), ("random_state", random_state)) if v is not None}
    value = renamed(given, {"seed": "random_state"}, where).get("random_state")
    return None if value is None else int(value)


def save_figure(
    figure: Figure,
    path: str | os.PathLike[str],
    *,
    config: Mapping[str, Any] | None = None,
    fingerprint: str | None = None,
    random_state: int | None = None,
    seed: int | None = None,
) -> list[Path]:
    """Write ``<path>.svg`` and ``<path>.png`` deterministically, plus a JSON manifest.

    Parameters
    ----------
    figure
        The figure to save.
    path
        Output path without suffix (a suffix given is replaced).
    config, fingerprint, random_state
        Recorded in the manifest ``<path>.manifest.json``.
    seed
        Deprecated name of ``random_state``.

    Returns
    -------
    list of Path
        The SVG and PNG written.

    """
    random_state = deprecated_seed(seed, random_state, "save_figure")
    stem = Path(path).with_suffix("")
    written = []
    with figure_style():
        for suffix, metadata in (
            (".svg", {"Date": None, "Creator": None}),
            (".png", {"Software": None}),
        ):
            buffer = io.BytesIO()
            figure.savefig(buffer, format=suffix[1:], metadata=metadata)
            data = buffer.getvalue()
            if suffix == ".svg":
                data = renumber_svg_ids(data.decode("utf-8")).encode("utf-8")
            target = stem.with_suffix(suffix)
            atomic_write_bytes(target, data)
            written.append(target)
    write_manifest(
        stem.with_suffix(".svg"),
        "figure",
        config=dict(config or {}),
        fingerprint=fingerprint,
        random_state=random_state,
        extra={"files": [p.name for p in written]},
    )
    return written
