"""Shared plotting style, palette and the deterministic save helper.

:func:`save_figure` writes SVG and PNG deterministically (fixed
SVG hash salt, no dates or software stamps in metadata, a fixed style), with a JSON manifest
beside them, so rerunning the same analysis changes no byte.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..errors import InputError
from ..manifest import atomic_write_bytes, write_manifest

__all__ = [
    "PALETTE",
    "figure_style",
    "new_axes",
    "period_labels",
    "require_columns",
    "save_figure",
    "theme_colours",
]

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)

_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.hashsalt": "topics",
    "svg.fonttype": "path",
    "path.simplify": True,
}


@contextmanager
def figure_style() -> Iterator[None]:
    """Apply the package's plotting style for the duration of a block (no global change)."""
    with mpl.rc_context(_STYLE):  # type: ignore[arg-type]
        yield


def new_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """Return ``ax`` and its figure, or a new constrained-layout figure of ``size`` inches."""
    if ax is not None:
        figure = ax.get_figure()
        if not isinstance(figure, Figure):
            raise TypeError("ax must belong to a matplotlib Figure")
        return figure, ax
    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`~topics.errors.InputError` naming the columns ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what} lacks columns {missing} (has {list(frame.columns)})")


def period_labels(values: Iterable[object]) -> list[str]:
    """Periods in time order, as text, for an axis.

    ``pandas.Period`` values of one frequency give every period from the first to the last, so
    a period without data shows as a gap instead of silently vanishing; other values (years,
    ISO strings, bin labels) give their distinct values in sorted order.
    """
    distinct = {v for v in values if not pd.isna(v)}  # type: ignore[call-overload]
    periods = [v for v in distinct if isinstance(v, pd.Period)]
    if periods and len(periods) == len(distinct) and len({p.freqstr for p in periods}) == 1:
        return [str(p) for p in pd.period_range(min(periods), max(periods))]
    return [str(v) for v in sorted(distinct, key=lambda v: (str(type(v)), v))]


def theme_colours(names: Iterable[str]) -> dict[str, str]:
    """Give each name a palette colour in order of first appearance (cycling after eight)."""
    ordered = list(dict.fromkeys(names))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(ordered)}


def save_figure(
    figure: Figure,
    path: str | os.PathLike[str],
    *,
    config: Mapping[str, Any] | None = None,
    fingerprint: str | None = None,
    seed: int | None = None,
) -> list[Path]:
    """Write ``<path>.svg`` and ``<path>.png`` deterministically, plus a JSON manifest.

    Parameters
    ----------
    figure
        The figure to save.
    path
        Output path without suffix (a suffix given is replaced).
    config, fingerprint, seed
        Recorded in the manifest ``<path>.manifest.json``.

    Returns
    -------
    list of Path
        The SVG and PNG written.

    """
    stem = Path(path).with_suffix("")
    written = []
    with figure_style():
        for suffix, metadata in (
            (".svg", {"Date": None, "Creator": None}),
            (".png", {"Software": None}),
        ):
            buffer = io.BytesIO()
            figure.savefig(buffer, format=suffix[1:], metadata=metadata)
            target = stem.with_suffix(suffix)
            atomic_write_bytes(target, buffer.getvalue())
            written.append(target)
    write_manifest(
        stem.with_suffix(".svg"),
        "figure",
        config=dict(config or {}),
        fingerprint=fingerprint,
        seed=seed,
        extra={"files": [p.name for p in written]},
    )
    return written
