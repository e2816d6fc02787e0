"""Figures: each function takes a tidy frame (and an optional ``ax``) and returns the figure.

Plot functions never save; :func:`save_figure` writes SVG and PNG deterministically (fixed
SVG hash salt, no dates or software stamps in metadata, a fixed style), with a JSON manifest
beside them, so rerunning the same analysis changes no byte.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .manifest import atomic_write_bytes, write_manifest

__all__ = ["PALETTE", "figure_style", "plot_corpus_timeline", "save_figure"]

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
_PRECISION_COLOURS = {"day": PALETTE[0], "month": PALETTE[5], "year": PALETTE[1], "none": "#999999"}

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


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        figure = ax.get_figure()
        if not isinstance(figure, Figure):
            raise TypeError("ax must belong to a matplotlib Figure")
        return figure, ax
    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def plot_corpus_timeline(
    counts: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Plot documents per period, stacked by date precision.

    Parameters
    ----------
    counts
        Tidy frame ``period, date_precision, n_docs`` (see
        :func:`topics.periods.documents_per_period`). Rows with ``period = NaT`` are shown as
        one "not placed" bar so nothing disappears from the picture.
    ax
        Axes to draw into; a new figure is made when omitted.
    title
        Figure title.

    """
    with figure_style():
        figure, axes = _new_axes(ax, (7.0, 3.2))
        frame = counts.copy()
        frame["label"] = [
            "not placed" if pd.isna(p) else str(p) for p in frame["period"].astype(object)
        ]
        placed = frame["period"].dropna()
        # Every period from first to last, so a gap shows as a gap rather than disappearing.
        order = [str(p) for p in pd.period_range(placed.min(), placed.max())] if len(placed) else []
        if frame["period"].isna().any():
            order.append("not placed")
        table = frame.pivot_table(
            index="label", columns="date_precision", values="n_docs", aggfunc="sum", fill_value=0
        ).reindex(order, fill_value=0)
        bottom = pd.Series(0, index=table.index, dtype=float)
        positions = range(len(table))
        for precision in ("day", "month", "year", "none"):
            if precision not in table.columns:
                continue
            values = table[precision].astype(float)
            axes.bar(
                positions,
                values,
                bottom=bottom,
                color=_PRECISION_COLOURS[precision],
                label=f"dated to the {precision}" if precision != "none" else "undated",
                width=0.8,
            )
            bottom += values
        axes.set_xticks(list(positions), list(table.index), rotation=90 if len(table) > 12 else 0)
        axes.set_ylabel("documents")
        axes.set_xlabel("period")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=4)
        if title:
            axes.set_title(title, loc="left", pad=22)
    return figure


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
