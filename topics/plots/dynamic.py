"""Dynamic-topic figures: how a topic's words change from period to period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..errors import InputError
from ._base import period_axis_values, require_columns
from ._draw import new_canvas, new_panel_axes
from ._style import figure_style, preset_width
from .heatmaps import draw_grid, prune_cell_notes

__all__ = ["plot_term_evolution", "plot_theme_evolution"]


def plot_term_evolution(
    terms: pd.DataFrame,
    topic: object,
    *,
    n: int = 5,
    label: str | None = None,
    weight_label: str = "weight in topic that period",
    ax: Axes | None = None,
    caption: str | None = None,
    size: str | tuple[float, float] = "two_column",
) -> Figure:
    """Draw a term × period grid for one dynamic topic, shaded by the term's weight that period.

    Rows are every term that is among the topic's top ``n`` in at least one period, ordered by
    the period where it first enters the top ``n``; the number in a cell is the term's rank in
    that period (blank when it is outside the top ``n``), so words entering and leaving read as
    a staircase.

    Parameters
    ----------
    terms
        Tidy ``topic, period, rank, term, weight`` (from :func:`topics.dynamic.topic_evolution`,
        :class:`topics.dynamic.DynamicNMF` or :func:`topics.dynamic.ldaseq_topic_terms`).
    topic
        Which topic (an id or a theme name, as in the frame's ``topic`` column).
    n
        Ranks shown per period.
    label
        Panel title (default ``"topic <topic>"``).
    weight_label
        Colour-bar label: what ``weight`` means for the method that made ``terms``.
    ax
        Axes to draw into; a new figure is made when omitted.
    caption
        Caption below the figure, wrapped to its width.
    size
        ``"one_column"``, ``"two_column"`` or ``(width, height)`` inches.

    """
    require_columns(terms, ("topic", "period", "rank", "term", "weight"), "terms")
    rows = terms[(terms["topic"] == topic) & (terms["rank"] <= n)].copy()
    if rows.empty:
        raise InputError(f"topic {topic!r} has no terms in the frame")
    rows["period"] = rows["period"].astype(str)
    axis = period_axis_values(terms.loc[terms["topic"] == topic, "period"])
    order = axis[0]
    column = {p: j for j, p in enumerate(order)}
    rows["col"] = rows["period"].map(column)
    first = rows.sort_values(["col", "rank"]).drop_duplicates("term")
    vocabulary = list(first["term"])
    line = {t: i for i, t in enumerate(vocabulary)}
    weight = np.full((len(vocabulary), len(order)), np.nan)
    ranks: dict[tuple[int, int], int] = {}
    for _, r in rows.iterrows():
        weight[line[r["term"]], r["col"]] = r["weight"]
        ranks[(line[r["term"]], int(r["col"]))] = int(r["rank"])
    with figure_style():
        canvas, axes = new_panel_axes(ax, size, 0.2 * len(vocabulary) + 1.3, caption)
        draw_grid(
            canvas,
            axes,
            weight,
            vocabulary,
            axis,
            cmap="Blues",
            label=weight_label,
            vmin=0.0,
            text=lambda i, j: str(ranks.get((i, j), "")),
        )
        canvas.title(label or f"topic {topic}", axes=axes)
        if ax is None:
            prune_cell_notes(canvas.figure)
    return canvas.figure


def plot_theme_evolution(
    terms: pd.DataFrame,
    topics: Sequence[object],
    *,
    n: int = 5,
    labels: Mapping[object, str] | None = None,
    weight_label: str = "weight in topic that period",
    n_cols: int | None = None,
    title: str | None = None,
    caption: str | None = None,
    size: str | tuple[float, float] = "two_column",
) -> Figure:
    """Small multiples of :func:`plot_term_evolution`, one panel per topic or named theme.

    ``n_cols`` panels per row (default: as many as keep a panel about 3.4 in wide); other
    arguments as for :func:`plot_term_evolution`, plus a figure ``title`` and ``caption``.

    Returns
    -------
    Figure
        A new figure (panels need their own grid, so there is no ``ax``).

    """
    if not topics:
        raise InputError("give at least one topic to plot")
    cols = n_cols or max(1, min(len(topics), int(preset_width(size) // 3.4)))
    n_rows = int(np.ceil(len(topics) / cols))
    rows_per_panel = [
        terms.loc[(terms["topic"] == t) & (terms["rank"] <= n), "term"].nunique() for t in topics
    ]
    height = 0.2 * max(rows_per_panel, default=5) + 1.4
    with figure_style():
        canvas = new_canvas(size, height * n_rows + 0.3, caption)
        for topic, axes in zip(topics, canvas.panels(len(topics), cols), strict=True):
            label = labels.get(topic) if labels else None
            plot_term_evolution(terms, topic, n=n, label=label, weight_label=weight_label, ax=axes)
        canvas.title(title)
        prune_cell_notes(canvas.figure)
    return canvas.figure
