"""Model figures: top terms per topic and choosing K."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from ..errors import InputError
from ._axis import percent_formatter, text_width
from ._base import require_columns
from ._draw import new_canvas, wrap_text
from ._style import SERIES_COLOURS, figure_style, key_line, preset_width, series_styles

__all__ = ["plot_k_selection", "plot_top_terms", "topic_labels"]


def topic_labels(
    terms: pd.DataFrame,
    *,
    n_words: int = 3,
    labels: Mapping[object, str] | None = None,
) -> dict[object, str]:
    """Name every topic by its first words: ``{0: "0: security, council, nations", …}``.

    Parameters
    ----------
    terms
        Tidy ``topic, rank, term`` (e.g. :meth:`TopicModel.top_terms`).
    n_words
        Words in an automatic label, in rank order.
    labels
        Names that override the automatic ones for some or all topics (e.g. theme names of a
        seeded model).

    """
    require_columns(terms, ["topic", "rank", "term"], "terms")
    ordered = terms.sort_values(["topic", "rank"], kind="stable").groupby("topic", sort=True)
    names: dict[object, str] = {
        topic: f"{topic}: " + ", ".join(str(t) for t in rows["term"].head(n_words))
        for topic, rows in ordered
    }
    return names | {key: name for key, name in (labels or {}).items() if key in names and name}


def plot_top_terms(
    terms: pd.DataFrame,
    *,
    n: int = 8,
    n_cols: int | None = None,
    labels: Mapping[object, str] | None = None,
    title: str | None = None,
    caption: str | None = None,
    size: str | tuple[float, float] = "two_column",
) -> Figure:
    """Small multiples: one panel per topic with its top terms as horizontal bars.

    Bars are sorted by the weight they draw (largest on top), whatever ranking chose the
    terms; every panel is titled by its topic's label and drawn in one colour (colour carries
    no meaning here, so it cannot repeat misleadingly).

    Parameters
    ----------
    terms
        Tidy ``topic, rank, term, weight`` (e.g. :meth:`TopicModel.top_terms`).
    n
        Terms shown per topic (the first ``n`` by rank).
    n_cols
        Panels per row (default: as many as keep a panel about 1.75 in wide).
    labels
        Panel titles by topic, overriding the automatic ``"<k>: word, word, word"`` (see
        :func:`topic_labels`).
    title, caption
        Figure title and caption.
    size
        ``"one_column"``, ``"two_column"`` or ``(width, height)`` inches.

    Returns
    -------
    Figure
        A new figure (small multiples need their own grid, so there is no ``ax``).

    """
    require_columns(terms, ["topic", "rank", "term", "weight"], "terms")
    topic_ids = list(dict.fromkeys(terms.sort_values("topic", kind="stable")["topic"]))
    if not topic_ids:
        raise InputError("terms is empty: nothing to plot")
    names = topic_labels(terms, labels=labels)
    shown = terms[terms["rank"] <= terms.groupby("topic")["rank"].transform("min") + n - 1]
    term_pt = pd.Series([text_width(str(t), 8.0) for t in shown["term"]], index=shown.index)
    label_pt = float(max(term_pt)) + 6.0
    width = preset_width(size) * 72.0
    cols = n_cols or max(1, min(len(topic_ids), int(width // max(label_pt + 64.0, 126.0))))
    n_rows = math.ceil(len(topic_ids) / cols)
    titles = {t: wrap_text(names[t], width / cols - 12.0, 8.0) for t in topic_ids}
    # a panel's title starts where its column's longest term starts, not at the bars
    widest = term_pt.groupby(shown["topic"]).max()
    column_pt = [
        max((widest.get(t, 0.0) for t in topic_ids[c::cols]), default=0.0) for c in range(cols)
    ]
    with figure_style():
        heights = []
        for row in range(n_rows):
            lines = max(titles[t].count("\n") + 1 for t in topic_ids[row * cols : (row + 1) * cols])
            heights.append(0.15 * n + lines * 8.0 * 1.22 / 72.0 + 0.12)
        canvas = new_canvas(size, sum(heights) + 0.4, caption)
        grid = canvas.panels(
            len(topic_ids), cols, sharex=True, gridspec_kw={"height_ratios": heights}
        )
        top = float(shown["weight"].max()) if len(shown) else 1.0
        for i, (topic, axes) in enumerate(zip(topic_ids, grid, strict=True)):
            rows = terms[terms["topic"] == topic].sort_values("rank", kind="stable").head(n)
            rows = rows.sort_values("weight", ascending=False, kind="stable")
            positions = list(range(len(rows)))[::-1]
            axes.barh(positions, rows["weight"], color=SERIES_COLOURS[0], height=0.7)
            axes.set_yticks(positions, [str(t) for t in rows["term"]])
            axes.set_ylim(-0.6, n - 0.4)
            axes.tick_params(axis="y", length=0)
            axes.set_xlim(0, top * 1.02)
            axes.xaxis.set_major_locator(MaxNLocator(nbins=2, steps=[1, 2, 2.5, 5, 10]))
            axes.xaxis.set_major_formatter(percent_formatter())
            shift = ScaledTranslation(
                -(column_pt[i % cols] + 3.5) / 72.0, 4.0 / 72.0, canvas.figure.dpi_scale_trans
            )
            axes.text(
                0.0,
                1.0,
                titles[topic],
                transform=axes.transAxes + shift,
                ha="left",
                va="bottom",
                fontsize=8,
                gid="panel-title",
            )
            if i + cols >= len(topic_ids):
                axes.set_xlabel("weight in topic")
                axes.xaxis.set_tick_params(labelbottom=True)
        canvas.title(title)
    return canvas.figure


def plot_k_selection(
    summary: pd.DataFrame,
    *,
    recommended: int | None = None,
    title: str | None = None,
    caption: str | None = None,
    size: str | tuple[float, float] = "two_column",
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
    title, caption
        Figure title and caption.
    size
        ``"one_column"`` (panels stacked), ``"two_column"`` (side by side) or
        ``(width, height)`` inches.

    Returns
    -------
    Figure
        One panel per criterion.

    """
    require_columns(summary, ["config", "n_topics", "npmi", "diversity"], "summary")
    panels = [("npmi", "coherence (NPMI)"), ("diversity", "topic diversity")]
    kinds: dict[str, str] = {}
    if "stability" in summary.columns:
        if "stability_kind" in summary.columns:
            kinds = {
                str(c): str(k)
                for c, k in zip(summary["config"], summary["stability_kind"], strict=True)
            }
        across = set(kinds.values())
        label = f"stability across {next(iter(across))}" if len(across) == 1 else "stability"
        panels.append(("stability", label))
    elif "stability_resample" in summary.columns:
        panels.append(("stability_resample", "stability across resamples"))
    mixed = len(set(kinds.values())) > 1  # configurations whose stability differs in kind
    configs = sorted({str(c) for c in summary["config"]})
    styles = series_styles(configs)
    stacked = preset_width(size) < 5
    with figure_style():
        height = 1.6 * len(panels) + 0.6 if stacked else 2.4
        canvas = new_canvas(size, height, caption)
        grid = canvas.panels(len(panels), 1 if stacked else len(panels), sharex=True)
        for config, group in summary.groupby(summary["config"].astype(str), sort=True):
            group = group.sort_values("n_topics")
            style = styles[config]
            for axes, (column, _label) in zip(grid, panels, strict=True):
                axes.plot(
                    group["n_topics"],
                    group[column],
                    marker=style.marker,
                    color=style.colour,
                    linestyle=style.linestyle,
                    markersize=4,
                )
                spread = f"{column}_sd"
                if spread in group.columns and group[spread].notna().any():
                    axes.fill_between(
                        group["n_topics"],
                        group[column] - group[spread],
                        group[column] + group[spread],
                        color=style.colour,
                        alpha=0.2,
                        linewidth=0,
                    )
        for i, (axes, (_column, label)) in enumerate(zip(grid, panels, strict=True)):
            if not stacked or i == len(panels) - 1:
                axes.set_xlabel("number of topics K")
            axes.set_ylabel(label)
            axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            axes.yaxis.set_major_locator(MaxNLocator(nbins=4))
            if recommended is not None:
                axes.axvline(recommended, color="#555555", linestyle="--", linewidth=1)
        names = [c + (f" (stability across {kinds[c]})" if mixed else "") for c in configs]
        handles = [styles[c].handle() for c in configs]
        if recommended is not None:
            handles.append(key_line("", linestyle="--", linewidth=1))
            names.append(f"chosen K = {recommended}")
        canvas.key(handles, names)
        canvas.title(title)
    return canvas.figure
