"""Dynamic-topic figures: how a topic's words change from period to period."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..errors import InputError
from ._base import figure_style, new_axes, period_labels

__all__ = ["plot_term_evolution"]


def plot_term_evolution(
    terms: pd.DataFrame,
    topic: object,
    *,
    n: int = 5,
    label: str | None = None,
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
    ax
        Axes to draw into; a new figure is made when omitted.

    """
    missing = [c for c in ("topic", "period", "rank", "term", "weight") if c not in terms.columns]
    if missing:
        raise InputError(f"terms lacks columns {missing} (has {list(terms.columns)})")
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
            ax, (max(4.0, 0.6 * len(order) + 2.2), 0.24 * len(vocabulary) + 1.1)
        )
        shown = np.ma.masked_invalid(weight)
        image = axes.imshow(shown, aspect="auto", cmap="Blues", vmin=0)
        for (i, j), rank in ranks.items():
            value = weight[i, j]
            dark = value > 0.6 * np.nanmax(weight)
            axes.text(j, i, str(rank), ha="center", va="center", fontsize=7,
                      color="white" if dark else "black")  # fmt: skip
        axes.set_xticks(range(len(order)), order, rotation=90 if len(order) > 8 else 0)
        axes.set_yticks(range(len(vocabulary)), vocabulary, fontsize=8)
        axes.set_xlabel("period")
        axes.spines[:].set_visible(False)
        colourbar = figure.colorbar(image, ax=axes, fraction=0.05, pad=0.02)
        colourbar.set_label("weight in topic that period")
        axes.set_title(label or f"topic {topic}", loc="left")
    return figure
