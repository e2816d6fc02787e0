"""Dynamic-topic figures: how a topic's words change from period to period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..errors import InputError
from ._base import figure_style, new_axes, period_labels, require_columns

__all__ = ["plot_term_evolution", "plot_theme_evolution"]


def plot_term_evolution(
    terms: pd.DataFrame,
    topic: object,
    *,
    n: int = 5,
    label: str | None = None,
    weight_label: str = "weight in topic that period",
    ax: Axes | None = None,
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

    """
    require_columns(terms, ("topic", "period", "rank", "term", "weight"), "terms")
    rows = terms[(terms["topic"] == topic) & (terms["rank"] <= n)].copy()
    if rows.empty:
        raise InputError(f"topic {topic!r} has no terms in the frame")
    rows["period"] = rows["period"].astype(str)
    order = period_labels(terms.loc[terms["topic"] == topic, "period"].astype(str))
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
        figure, axes = new_axes(
            ax, (max(5.5, 0.6 * len(order) + 2.2), 0.24 * len(vocabulary) + 1.1)
        )
        shown = np.ma.masked_invalid(weight)
        image = axes.imshow(shown, aspect="auto", cmap="Blues", vmin=0)
        for (i, j), rank in ranks.items():
            value = weight[i, j]
            dark = value > 0.6 * np.nanmax(weight)
            axes.text(j, i, str(rank), ha="center", va="center", fontsize=7,
                      color="white" if dark else "black")  # fmt: skip
        wide = len(order) > 8 or max(len(p) for p in order) > 6
        axes.set_xticks(range(len(order)), order, rotation=90 if wide else 0)
        axes.set_yticks(range(len(vocabulary)), vocabulary, fontsize=8)
        axes.set_xlabel("period")
        axes.spines[:].set_visible(False)
        colourbar = figure.colorbar(image, ax=axes, fraction=0.05, pad=0.02)
        colourbar.set_label(weight_label)
        axes.set_title(label or f"topic {topic}", loc="left")
    return figure


def plot_theme_evolution(
    terms: pd.DataFrame,
    topics: Sequence[object],
    *,
    n: int = 5,
    labels: Mapping[object, str] | None = None,
    weight_label: str = "weight in topic that period",
    n_cols: int = 2,
    title: str | None = None,
) -> Figure:
    """Small multiples of :func:`plot_term_evolution`, one panel per topic or named theme.

    Returns
    -------
    Figure
        A new figure (panels need their own grid, so there is no ``ax``).

    """
    if not topics:
        raise InputError("give at least one topic to plot")
    n_cols = max(1, min(n_cols, len(topics)))
    n_rows = int(np.ceil(len(topics) / n_cols))
    rows_per_panel = [
        terms.loc[(terms["topic"] == t) & (terms["rank"] <= n), "term"].nunique() for t in topics
    ]
    height = 0.24 * max(rows_per_panel, default=5) + 1.2
    with figure_style():
        figure = Figure(figsize=(5.2 * n_cols, height * n_rows + 0.4), layout="constrained")
        grid = figure.subplots(n_rows, n_cols, squeeze=False)
        for i, axes in enumerate(grid.ravel()):
            if i >= len(topics):
                axes.set_axis_off()
                continue
            topic = topics[i]
            label = labels.get(topic) if labels else None
            plot_term_evolution(terms, topic, n=n, label=label, weight_label=weight_label, ax=axes)
        if title:
            figure.suptitle(title, x=0.01, ha="left")
    return figure
