"""Model figures: top terms per topic, choosing K, and a topic × period heatmap."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ..errors import InputError
from ._base import PALETTE, figure_style, new_axes, period_labels, require_columns

__all__ = ["plot_k_selection", "plot_top_terms", "plot_topic_heatmap"]


def plot_top_terms(
    terms: pd.DataFrame,
    *,
    n: int = 8,
    n_cols: int = 4,
    labels: Mapping[object, str] | None = None,
    title: str | None = None,
) -> Figure:
    """Small multiples: one panel per topic with its top terms as horizontal bars.

    Parameters
    ----------
    terms
        Tidy ``topic, rank, term, weight`` (e.g. :meth:`TopicModel.top_terms`).
    n
        Terms shown per topic.
    n_cols
        Panels per row.
    labels
        Panel titles by topic (e.g. theme names); ``"topic <k>"`` otherwise.
    title
        Figure title.

    Returns
    -------
    Figure
        A new figure (small multiples need their own grid, so there is no ``ax``).

    """
    require_columns(terms, ["topic", "rank", "term", "weight"], "terms")
    topic_ids = list(dict.fromkeys(terms.sort_values("topic", kind="stable")["topic"]))
    if not topic_ids:
        raise InputError("terms is empty: nothing to plot")
    n_cols = max(1, min(n_cols, len(topic_ids)))
    n_rows = math.ceil(len(topic_ids) / n_cols)
    with figure_style():
        figure = Figure(
            figsize=(2.3 * n_cols, 0.2 * n * n_rows + 0.6 * n_rows + 0.4), layout="constrained"
        )
        grid = figure.subplots(n_rows, n_cols, squeeze=False)
        for i, axes in enumerate(grid.ravel()):
            if i >= len(topic_ids):
                axes.set_axis_off()
                continue
            topic = topic_ids[i]
            rows = terms[terms["topic"] == topic].sort_values("rank").head(n)
            positions = np.arange(len(rows))[::-1]
            axes.barh(positions, rows["weight"], color=PALETTE[i % len(PALETTE)], height=0.7)
            axes.set_yticks(positions, list(rows["term"]), fontsize=8)
            axes.tick_params(axis="x", labelsize=7)
            name = labels.get(topic) if labels else None
            axes.set_title(name or f"topic {topic}", loc="left", fontsize=9)
        for axes in grid[-1]:
            if axes.axison:
                axes.set_xlabel("weight in topic", fontsize=8)
        if title:
            figure.suptitle(title, x=0.01, ha="left")
    return figure


def plot_k_selection(
    summary: pd.DataFrame, *, recommended: int | None = None, title: str | None = None
) -> Figure:
    """Coherence, diversity and stability against the number of topics, one line per config.

    Parameters
    ----------
    summary
        A sweep summary: ``config, k, npmi, diversity`` and any of ``npmi_sd``,
        ``stability`` (with ``stability_kind``: across seeds or resamples),
        ``stability_resample`` (see :func:`topics.evaluation.selection.sweep`).
    recommended
        A K to mark with a vertical line (e.g. :func:`topics.evaluation.selection.recommend_k`).
    title
        Figure title.

    Returns
    -------
    Figure
        Three panels side by side.

    """
    require_columns(summary, ["config", "k", "npmi", "diversity"], "summary")
    panels = [("npmi", "coherence (NPMI, top 10)"), ("diversity", "topic diversity")]
    kinds: dict[str, str] = {}
    if "stability" in summary.columns:
        if "stability_kind" in summary.columns:
            kinds = {
                str(c): str(k)
                for c, k in zip(summary["config"], summary["stability_kind"], strict=True)
            }
        label = (
            "stability across " + next(iter(set(kinds.values())))
            if len(set(kinds.values())) == 1
            else "stability (top-word agreement)"
        )
        panels.append(("stability", label))
    elif "stability_resample" in summary.columns:
        panels.append(("stability_resample", "stability across resamples"))
    with figure_style():
        figure = Figure(figsize=(3.0 * len(panels), 2.8), layout="constrained")
        grid = figure.subplots(1, len(panels), squeeze=False)[0]
        for j, (config, group) in enumerate(summary.groupby("config", sort=True)):
            group = group.sort_values("k")
            colour = PALETTE[j % len(PALETTE)]
            for axes, (column, _label) in zip(grid, panels, strict=True):
                name = str(config)
                if len(set(kinds.values())) > 1:
                    name += f" (stability: {kinds[name]})"
                axes.plot(group["k"], group[column], marker="o", color=colour, label=name)
                spread = f"{column}_sd"
                if spread in group.columns and group[spread].notna().any():
                    axes.fill_between(
                        group["k"],
                        group[column] - group[spread],
                        group[column] + group[spread],
                        color=colour,
                        alpha=0.2,
                        linewidth=0,
                    )
        for axes, (_column, label) in zip(grid, panels, strict=True):
            axes.set_xlabel("number of topics K")
            axes.set_ylabel(label)
            if recommended is not None:
                axes.axvline(recommended, color="#555555", linestyle="--", linewidth=1)
        grid[0].legend(frameon=False, fontsize=8)
        if title:
            figure.suptitle(title, x=0.01, ha="left")
    return figure


def plot_topic_heatmap(
    frame: pd.DataFrame,
    *,
    row: str = "theme",
    value: str = "share",
    ax: Axes | None = None,
    title: str | None = None,
    annotate: bool = True,
) -> Figure:
    """Heatmap of a value (default ``share``) for every topic or theme (rows) and period.

    Parameters
    ----------
    frame
        Tidy ``period, <row>, <value>`` (e.g. :func:`topics.trends.prevalence` output).
    row
        Column naming the rows (``"theme"`` or ``"topic"``).
    value
        Column coloured.
    ax
        Axes to draw into; a new figure is made when omitted.
    title
        Figure title.
    annotate
        Write the value (as a percentage when it is a share) in each cell.

    """
    require_columns(frame, ["period", row, value], "frame")
    columns = period_labels(frame["period"])
    rows = list(dict.fromkeys(frame[row]))
    table = (
        frame.assign(period=frame["period"].astype(str))
        .pivot_table(index=row, columns="period", values=value, aggfunc="mean")
        .reindex(index=rows, columns=columns)
    )
    with figure_style():
        longest = max((len(str(r)) for r in rows), default=5)
        size = (max(4.5, 0.55 * len(columns) + 0.075 * longest + 2.0), 0.4 * len(rows) + 1.4)
        figure, axes = new_axes(ax, size)
        image = axes.imshow(table.to_numpy(dtype=float), aspect="auto", cmap="viridis")
        wide = len(columns) > 4 or max((len(c) for c in columns), default=0) > 6
        axes.set_xticks(range(len(columns)), columns, rotation=90 if wide else 0)
        axes.set_yticks(range(len(rows)), [str(r) for r in rows])
        axes.set_xlabel("period")
        axes.spines[:].set_visible(False)
        colourbar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
        colourbar.set_label(value.replace("_", " "))
        if value == "share":
            colourbar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
        if annotate and table.size <= 400:
            cells = table.to_numpy(dtype=float)
            top = float(np.nanmax(cells)) if np.isfinite(cells).any() else 0.0
            for i in range(cells.shape[0]):
                for j in range(cells.shape[1]):
                    cell = float(cells[i, j])
                    if not np.isfinite(cell):
                        continue
                    text = f"{100 * cell:.1f}" if value == "share" else f"{cell:.2g}"
                    axes.text(
                        j,
                        i,
                        text,
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="black" if cell > 0.6 * top else "white",
                    )
        if title:
            axes.set_title(
                title + (" (cells: % of content)" if annotate and value == "share" else ""),
                loc="left",
            )
    return figure
