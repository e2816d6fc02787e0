"""Corpus figures: documents per period by date precision."""

from __future__ import annotations

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ._axis import set_period_axis
from ._base import period_axis_values, require_columns
from ._draw import new_panel_axes
from ._style import PALETTE, figure_style, preset_width

__all__ = ["plot_corpus_timeline"]

_PRECISION_COLOURS = {"day": PALETTE[0], "month": PALETTE[5], "year": PALETTE[1], "none": "#999999"}
DEFAULT_TITLE = "Documents per period, by date precision"


def plot_corpus_timeline(
    counts: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = DEFAULT_TITLE,
    caption: str | None = None,
    size: str | tuple[float, float] = "two_column",
) -> Figure:
    """Plot documents per period, stacked by date precision.

    Parameters
    ----------
    counts
        Tidy frame ``period, date_precision, n_docs`` (see
        :func:`topics.corpus.periods.documents_per_period`). Rows with ``period = NaT`` are shown as
        one "not placed" bar so nothing disappears from the picture.
    ax
        Axes to draw into; a new figure is made when omitted.
    title
        Figure title (default: "Documents per period, by date precision"; ``None`` for none).
    caption
        Caption below the figure, wrapped to its width.
    size
        ``"one_column"``, ``"two_column"`` or ``(width, height)`` inches.

    """
    require_columns(counts, ["period", "date_precision", "n_docs"], "counts")
    with figure_style():
        height = 2.3 if preset_width(size) < 5 else 2.6
        canvas, axes = new_panel_axes(ax, size, height, caption)
        frame = counts.copy()
        frame["label"] = [
            "not placed" if pd.isna(p) else str(p) for p in frame["period"].astype(object)
        ]
        order, periods = period_axis_values(frame["period"])  # every period: gaps show as gaps
        unplaced = bool(frame["period"].isna().any())
        if unplaced:
            order.append("not placed")
        table = frame.pivot_table(
            index="label", columns="date_precision", values="n_docs", aggfunc="sum", fill_value=0
        ).reindex(order, fill_value=0)
        bottom = pd.Series(0, index=table.index, dtype=float)
        positions = range(len(table))
        handles: list[Artist] = []
        for precision in [p for p in ("day", "month", "year", "none") if p in table.columns]:
            values = table[precision].astype(float)
            name = f"dated to the {precision}" if precision != "none" else "undated"
            axes.bar(
                positions, values, bottom=bottom, color=_PRECISION_COLOURS[precision], width=0.8
            )
            handles.append(Patch(facecolor=_PRECISION_COLOURS[precision], label=name))
            bottom += values
        set_period_axis(axes, order, periods, always=[len(order) - 1] if unplaced else [])
        axes.set_xlim(-0.5, len(order) - 0.5)
        axes.set_ylabel("documents")
        axes.set_xlabel("period")
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        canvas.key_or_legend(axes, handles)
        canvas.title(title, axes=axes)
    return canvas.figure
