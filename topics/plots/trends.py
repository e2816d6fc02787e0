"""Trend figures: theme prevalence with interval bands and change points; theme health."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from ..errors import InputError
from ._base import figure_style, new_axes, period_labels, require_columns, theme_colours

__all__ = [
    "plot_prevalence",
    "plot_prevalence_by_group",
    "plot_prevalence_panels",
    "plot_theme_health",
]


def _tick_step(n: int) -> int:
    return max(1, int(np.ceil(n / 12)))


def _key_handles(*, changes: bool, few: bool, episodes: bool = False) -> list[Artist]:
    """Legend entries explaining the interval band and, if shown, change and few-doc markers."""
    handles: list[Artist] = [
        Line2D([], [], color="#555555", alpha=0.4, linewidth=6, label="95% interval")
    ]
    if changes:
        handles.append(
            Line2D(
                [],
                [],
                marker="^",
                linestyle="",
                color="#999999",
                markeredgecolor="black",
                label="change, family-wise 5% (rise ▲ / fall ▼)",
            )
        )
    if episodes:
        handles.append(
            Line2D(
                [], [], color="#555555", linewidth=2.5, label="episode (rise or fall, then back)"
            )
        )
    if few:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor="white",
                color="#555555",
                label="few documents",
            )
        )
    return handles


def plot_prevalence(
    trends: pd.DataFrame,
    changes: pd.DataFrame | None = None,
    *,
    themes: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    highlight: tuple[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    legend: bool = True,
    colours: Mapping[str, str] | None = None,
) -> Figure:
    """Theme share per period: a line per theme, its interval as a band, change points marked.

    Parameters
    ----------
    trends
        ``period, theme, share, lo, hi`` and optionally ``few_docs`` (from
        :func:`topics.trends.prevalence`). Periods flagged ``few_docs`` get hollow markers.
    changes
        ``theme, date, shift`` and optionally ``kind, end`` (from
        :func:`topics.trends.detect_changes`): a step is a triangle at the first period after
        the break (up for a rise, down for a fall); an episode also gets a bar over its
        periods.
    themes
        Themes to draw, in order (default: all, in order of appearance).
    labels
        Display names by theme (e.g. a codebook's labels).
    highlight
        First and last period (as text) of a span to shade, e.g. ``("2021", "2023")``.
    ax
        Axes to draw into; a new figure is made when omitted.
    title
        Figure title.
    legend
        Draw the legend (off for panels of a larger figure that has its own).
    colours
        Colour by theme (default: the palette in order of ``themes``).

    """
    require_columns(trends, ["period", "theme", "share", "lo", "hi"], "trends")
    chosen = list(themes) if themes is not None else list(dict.fromkeys(trends["theme"]))
    unknown = [t for t in chosen if t not in set(trends["theme"])]
    if unknown:
        raise InputError(f"themes {unknown} are not in trends (has {sorted(set(trends['theme']))})")
    order = period_labels(trends["period"])
    position = {p: i for i, p in enumerate(order)}
    colours = {**theme_colours(chosen), **(colours or {})}
    with figure_style():
        figure, axes = new_axes(ax, (7.5, 3.6))
        if highlight is not None and highlight[0] in position and highlight[1] in position:
            axes.axvspan(
                position[highlight[0]] - 0.5,
                position[highlight[1]] + 0.5,
                color="#eeeeee",
                zorder=0,
                linewidth=0,
            )
        for theme in chosen:
            rows = trends[trends["theme"] == theme].copy()
            rows["x"] = [position[str(p)] for p in rows["period"]]
            # every period on the axis, NaN where there is no estimate: lines break at gaps
            rows = rows.set_index("x").reindex(range(len(order))).rename_axis("x").reset_index()
            colour = colours[theme]
            name = labels.get(theme, theme) if labels else theme
            axes.fill_between(
                rows["x"], rows["lo"], rows["hi"], color=colour, alpha=0.18, linewidth=0
            )
            axes.plot(rows["x"], rows["share"], color=colour, linewidth=1.8, label=name)
            estimated = rows["share"].notna()
            sparse = (
                rows["few_docs"].fillna(False).astype(bool) if "few_docs" in rows else ~estimated
            )
            solid = estimated & ~sparse
            hollow = estimated & sparse
            axes.scatter(
                rows.loc[solid, "x"], rows.loc[solid, "share"], color=colour, s=14, zorder=3
            )
            axes.scatter(
                rows.loc[hollow, "x"],
                rows.loc[hollow, "share"],
                facecolor="white",
                edgecolor=colour,
                s=18,
                zorder=3,
            )
            if changes is not None and len(changes):
                require_columns(changes, ["theme", "date", "shift"], "changes")
                for _, change in changes[changes["theme"] == theme].iterrows():
                    x = position.get(str(change["date"]))
                    if x is None:
                        continue
                    y = float(rows.loc[rows["x"] == x, "hi"].max())
                    end = position.get(str(change.get("end")), x)
                    if change.get("kind") == "episode":
                        span = rows[(rows["x"] >= x) & (rows["x"] <= end)]
                        y = float(np.nanmax(span["hi"])) * 1.04
                        axes.plot([x - 0.35, end + 0.35], [y, y], color=colour, linewidth=2.5)
                    axes.scatter(
                        [x],
                        [y],
                        marker="^" if change["shift"] > 0 else "v",
                        s=60,
                        color=colour,
                        edgecolor="black",
                        linewidth=0.6,
                        zorder=4,
                    )
        step = _tick_step(len(order))
        axes.set_xticks(
            range(0, len(order), step),
            order[::step],
            rotation=90 if len(order) > 12 and step == 1 else 0,
        )
        axes.set_xlim(-0.5, len(order) - 0.5)
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
        axes.set_xlabel("period")
        axes.set_ylabel("share of documents' content")
        handles: list[Artist] = list(axes.get_legend_handles_labels()[0])
        names = list(axes.get_legend_handles_labels()[1])
        few = "few_docs" in trends.columns and bool(trends["few_docs"].astype(bool).any())
        kinds = set(changes["kind"]) if changes is not None and "kind" in changes else set()
        shown = changes is not None and len(changes) > 0
        extra = _key_handles(changes=shown, few=few, episodes="episode" in kinds)
        if legend:
            axes.legend(
                handles + extra,
                names + [str(h.get_label()) for h in extra],
                frameon=False,
                fontsize=8,
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
            )
        if title:
            axes.set_title(title, loc="left")
    return figure


def plot_theme_health(
    health: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Seed-term coverage: the share of each theme's seed terms that occur in each period.

    A theme measured by a dictionary is only as good as its terms; a period where few of them
    occur (or one term carries everything) is a warning that the theme's share there rests on
    little evidence. Periods where no seed term of any theme occurs (or without documents)
    are left blank.

    Parameters
    ----------
    health
        ``theme, term, period, count`` (from :func:`topics.themes.theme_health`).
    labels
        Display names by theme.
    ax
        Axes to draw into; a new figure is made when omitted.
    title
        Figure title.

    """
    require_columns(health, ["theme", "term", "period", "count"], "health")
    order = period_labels(health["period"])
    themes = list(dict.fromkeys(health["theme"]))
    n_terms = health.groupby("theme")["term"].nunique()
    seen = (
        health[health["count"] > 0]
        .assign(period=lambda f: f["period"].astype(str))
        .groupby(["theme", "period"])["term"]
        .nunique()
    )
    present = set(health["period"].astype(str))
    table = np.full((len(themes), len(order)), np.nan)
    for i, theme in enumerate(themes):
        for j, period in enumerate(order):
            if period in present:
                table[i, j] = seen.get((theme, period), 0) / n_terms[theme]
    with figure_style():
        longest = max((len(labels.get(t, t) if labels else t) for t in themes), default=5)
        size = (max(4.5, 0.5 * len(order) + 0.075 * longest + 3.0), 0.42 * len(themes) + 1.3)
        figure, axes = new_axes(ax, size)
        image = axes.imshow(
            np.ma.masked_invalid(table), aspect="auto", cmap="cividis", vmin=0, vmax=1
        )
        step = _tick_step(len(order))
        axes.set_xticks(
            range(0, len(order), step),
            order[::step],
            rotation=90 if len(order) > 4 and step == 1 else 0,
        )
        names = [labels.get(t, t) if labels else t for t in themes]
        axes.set_yticks(
            range(len(themes)),
            [f"{n} ({n_terms[t]} terms)" for n, t in zip(names, themes, strict=True)],
        )
        axes.set_xlabel("period")
        axes.spines[:].set_visible(False)
        colourbar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
        colourbar.set_label("share of seed terms found")
        colourbar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        if title:
            axes.set_title(title, loc="left")
    return figure


def _theme_grid(
    themes: Sequence[str],
    n_cols: int,
    labels: Mapping[str, str] | None,
    extra_height: float,
    draw: Callable[[str, Axes], None],
) -> Figure:
    """Make one panel per theme (shared x axis), draw each with ``draw`` and title it."""
    n_cols = max(1, min(n_cols, len(themes)))
    n_rows = int(np.ceil(len(themes) / n_cols))
    figure = Figure(figsize=(4.2 * n_cols, 2.6 * n_rows + extra_height), layout="constrained")
    grid = figure.subplots(n_rows, n_cols, squeeze=False, sharex=True)
    for i, axes in enumerate(grid.ravel()):
        if i >= len(themes):
            axes.set_axis_off()
            continue
        draw(themes[i], axes)
        axes.set_title(labels.get(themes[i], themes[i]) if labels else themes[i], loc="left")
        if i % n_cols:
            axes.set_ylabel("")
        if i < len(themes) - n_cols:
            axes.set_xlabel("")
    return figure


def plot_prevalence_by_group(
    trends: pd.DataFrame,
    *,
    themes: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    highlight: tuple[str, str] | None = None,
    n_cols: int = 2,
    title: str | None = None,
) -> Figure:
    """Small multiples: one panel per theme, one line (with its interval band) per group.

    Parameters
    ----------
    trends
        ``group, period, theme, share, lo, hi`` (e.g.
        :meth:`topics.themes.analysis.ThemeAnalysis.by_group`).
    themes
        Themes to draw, one panel each (default: all).
    labels
        Panel titles by theme.
    highlight
        First and last period (as text) of a span to shade in every panel.
    n_cols
        Panels per row.
    title
        Figure title.

    Returns
    -------
    Figure
        A new figure (panels need their own grid, so there is no ``ax``).

    """
    require_columns(trends, ["group", "period", "theme", "share", "lo", "hi"], "trends")
    chosen = list(themes) if themes is not None else list(dict.fromkeys(trends["theme"]))
    groups = list(dict.fromkeys(trends["group"]))

    def draw(theme: str, axes: Axes) -> None:
        rows = trends[trends["theme"] == theme]
        if rows.empty:
            raise InputError(f"theme {theme!r} is not in trends")
        panel = rows.drop(columns="theme").rename(columns={"group": "theme"})
        plot_prevalence(panel, themes=groups, highlight=highlight, ax=axes, legend=False)

    with figure_style():
        figure = _theme_grid(chosen, n_cols, labels, 0.6, draw)
        colours = theme_colours(groups)
        handles = [Line2D([], [], color=colours[g], linewidth=2, label=g) for g in groups]
        figure.legend(
            handles=handles,
            loc="outside lower center",
            ncols=len(groups),
            frameon=False,
            title="shaded bands: 95% intervals",
        )
        if title:
            figure.suptitle(title, x=0.01, ha="left")
    return figure


def plot_prevalence_panels(
    trends: pd.DataFrame,
    changes: pd.DataFrame | None = None,
    *,
    themes: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    highlight: tuple[str, str] | None = None,
    n_cols: int = 2,
    title: str | None = None,
) -> Figure:
    """Small multiples of :func:`plot_prevalence`: one panel per theme, each with its own scale.

    For themes of very different sizes (one at 2 %, another at 0.05 %), where a shared axis
    would flatten the small ones. Arguments as for :func:`plot_prevalence`.

    Returns
    -------
    Figure
        A new figure (panels need their own grid, so there is no ``ax``).

    """
    require_columns(trends, ["period", "theme", "share", "lo", "hi"], "trends")
    chosen = list(themes) if themes is not None else list(dict.fromkeys(trends["theme"]))
    colours = theme_colours(chosen)

    def draw(theme: str, axes: Axes) -> None:
        plot_prevalence(
            trends,
            changes,
            themes=[theme],
            highlight=highlight,
            ax=axes,
            legend=False,
            colours=colours,
        )

    with figure_style():
        figure = _theme_grid(chosen, n_cols, labels, 0.5, draw)
        shown = changes[changes["theme"].isin(chosen)] if changes is not None else None
        kinds = set(shown["kind"]) if shown is not None and "kind" in shown else set()
        few = "few_docs" in trends and bool(
            trends.loc[trends["theme"].isin(chosen), "few_docs"].any()
        )
        figure.legend(
            handles=_key_handles(
                changes=shown is not None and len(shown) > 0, few=few, episodes="episode" in kinds
            ),
            loc="outside lower center",
            ncols=2,
            frameon=False,
        )
        if title:
            figure.suptitle(title, x=0.01, ha="left")
    return figure
