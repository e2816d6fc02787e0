"""Corpus figures: documents per period by date precision."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ._base import PALETTE, figure_style, new_axes

__all__ = ["plot_corpus_timeline"]

_PRECISION_COLOURS = {"day": PALETTE[0], "month": PALETTE[5], "year": PALETTE[1], "none": "#999999"}


def plot_corpus_timeline(
    counts: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None
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
        Figure title.

    """
    with figure_style():
        figure, axes = new_axes(ax, (7.0, 3.2))
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
