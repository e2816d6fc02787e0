"""Theme prevalence over time: a line per theme with its interval band and change points.

Each theme has its own colour, marker and line style (:func:`series_styles`); past six themes,
or when one theme's peak dwarfs another's, :func:`plot_prevalence` draws small multiples with a
scale per theme instead of one crowded axis (``layout="auto"``). Periods with few units get
hollow markers, partial first or last periods a hatched background, and the legend sits below
the plot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..errors import InputError
from ._axis import set_period_axis, share_axis
from ._base import chosen_themes, period_axis_values, require_columns
from ._draw import new_panel_axes
from ._style import SeriesStyle, figure_style, key_line, preset_width, series_styles

__all__ = ["key_handles", "plot_prevalence"]

Layout = Literal["auto", "overlay", "panels"]
_MAX_OVERLAY = 6
_MAX_PEAK_RATIO = 4.0
# hatching dark enough to be seen in print and on a projector (#c4c4c4 at 0.6 pt was not),
# and sparse enough to leave the data in front of it readable
_PARTIAL = {"facecolor": "none", "edgecolor": "#8c8c8c", "hatch": "/", "linewidth": 0}


def key_handles(
    *,
    changes: bool,
    few: bool,
    episodes: bool = False,
    partial: bool = False,
    located: bool = False,
) -> list[Artist]:
    """Legend entries explaining the band and, if shown, the change, few-unit, partial marks."""
    rise_fall = "change (family-wise 5%): ▲ rise, ▼ fall"
    entries: list[tuple[bool, Artist]] = [
        (True, key_line("95% interval", alpha=0.35, linewidth=6)),
        (
            changes,
            key_line(rise_fall, marker="^", linestyle="", color="#999999", markeredgecolor="black"),
        ),
        (located, key_line("where the change lies (95%)", linewidth=1.2)),
        (episodes, key_line("episode (rise or fall, then back)", linewidth=2.5)),
        (few, key_line("few documents", marker="o", linestyle="", markerfacecolor="white")),
        (partial, Patch(**_PARTIAL, label="partial period")),  # type: ignore[arg-type]
    ]
    return [handle for shown, handle in entries if shown]


def _choose_layout(layout: Layout, trends: pd.DataFrame, themes: Sequence[str]) -> str:
    if layout not in ("auto", "overlay", "panels"):
        raise InputError(f"layout must be 'auto', 'overlay' or 'panels', got {layout!r}")
    if layout != "auto":
        return layout
    if len(themes) > _MAX_OVERLAY:
        return "panels"
    top = trends.groupby("theme")["share"].max()
    peaks = [p for p in (float(top.get(t, 0.0)) for t in themes) if np.isfinite(p) and p > 0]
    if len(peaks) > 1 and max(peaks) > _MAX_PEAK_RATIO * min(peaks):
        return "panels"
    return "overlay"


def draw_prevalence(
    axes: Axes,
    trends: pd.DataFrame,
    changes: pd.DataFrame | None,
    themes: Sequence[str],
    styles: Mapping[str, SeriesStyle],
    labels: Mapping[str, str] | None,
    highlight: tuple[str, str] | None,
) -> dict[str, bool]:
    """Draw the themes' lines, bands and marks on ``axes``; say which marks were drawn."""
    order, periods = period_axis_values(trends["period"])
    position = {p: i for i, p in enumerate(order)}
    if highlight is not None and highlight[0] in position and highlight[1] in position:
        axes.axvspan(
            position[highlight[0]] - 0.5,
            position[highlight[1]] + 0.5,
            color="#ececec",
            zorder=0,
            linewidth=0,
        )
    marks = {"few": False, "changes": False, "episodes": False, "partial": False, "located": False}
    per_period = trends.assign(label=trends["period"].astype(str)).groupby("label")
    partial = per_period["partial"].any() if "partial" in trends else pd.Series(dtype=bool)
    for label, is_partial in partial.items():
        if bool(is_partial) and label in position:
            x = position[str(label)]
            axes.axvspan(x - 0.5, x + 0.5, zorder=0, **_PARTIAL)  # type: ignore[arg-type]
            marks["partial"] = True
    for theme in themes:
        style = styles[theme]
        rows = trends[trends["theme"] == theme].copy()
        rows["x"] = [position[str(p)] for p in rows["period"]]
        # every period on the axis, NaN where there is no estimate: lines break at gaps
        rows = rows.set_index("x").reindex(range(len(order))).rename_axis("x").reset_index()
        name = labels.get(theme, theme) if labels else theme
        axes.fill_between(
            rows["x"], rows["lo"], rows["hi"], color=style.colour, alpha=0.15, linewidth=0
        )
        axes.plot(
            rows["x"], rows["share"], color=style.colour, linestyle=style.linestyle, label=name
        )
        estimated = rows["share"].notna()
        sparse = (
            rows["few_docs"].astype("boolean").fillna(False).astype(bool)
            if "few_docs" in rows
            else ~estimated
        )
        for hollow in (False, True):
            chosen = estimated & (sparse if hollow else ~sparse)
            axes.plot(
                rows.loc[chosen, "x"],
                rows.loc[chosen, "share"],
                linestyle="",
                marker=style.marker,
                markersize=4,
                color=style.colour,
                markerfacecolor="white" if hollow else style.colour,
                zorder=3,
            )
        # a point between gaps has no band around it: its interval is drawn as an error bar
        alone = (
            estimated
            & ~estimated.shift(1, fill_value=False)
            & ~estimated.shift(-1, fill_value=False)
        )
        if alone.any():
            axes.vlines(
                rows.loc[alone, "x"], rows.loc[alone, "lo"], rows.loc[alone, "hi"],
                color=style.colour, alpha=0.6, linewidth=1.2, zorder=2,
            )  # fmt: skip
        marks["few"] |= bool((estimated & sparse).any())
        if changes is None or not len(changes):
            continue
        require_columns(changes, ["theme", "date", "shift"], "changes")
        top = float(np.nanmax(rows["hi"])) if rows["hi"].notna().any() else 0.0
        for _, change in changes[changes["theme"] == theme].iterrows():
            at = position.get(str(change["date"]))
            if at is None:
                continue
            x = at
            y = float(rows.loc[rows["x"] == x, "hi"].max())
            end = position.get(str(change.get("end")), x)
            if change.get("kind") == "episode":
                span = rows[(rows["x"] >= x) & (rows["x"] <= end)]
                y = float(np.nanmax(span["hi"])) * 1.04
                axes.plot([x - 0.35, end + 0.35], [y, y], color=style.colour, linewidth=2.5)
                marks["episodes"] = True
            first = position.get(str(change.get("date_lo")))
            last = position.get(str(change.get("date_hi")))
            if first is not None and last is not None:
                below = y - 0.035 * top  # a short bar under the marker: where the change lies
                axes.plot(
                    [first - 0.3, last + 0.3], [below, below], color=style.colour,
                    linewidth=1.2, solid_capstyle="butt", zorder=4,
                )  # fmt: skip
                axes.plot([first - 0.3, last + 0.3], [below, below], linestyle="", marker="|",
                          markersize=4, color=style.colour, zorder=4)  # fmt: skip
                marks["located"] = True
            axes.scatter(
                [x],
                [y],
                marker="^" if change["shift"] > 0 else "v",
                s=36,
                color=style.colour,
                edgecolor="black",
                linewidth=0.6,
                zorder=4,
            )
            marks["changes"] = True
    set_period_axis(axes, order, periods)
    axes.set_xlim(-0.5, len(order) - 0.5)
    share_axis(axes, "period", nbins=5)
    return marks


def plot_prevalence(
    trends: pd.DataFrame,
    changes: pd.DataFrame | None = None,
    *,
    themes: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    highlight: tuple[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
    legend: bool = True,
    colours: Mapping[str, str] | None = None,
    layout: Layout = "auto",
    size: str | tuple[float, float] = "two_column",
) -> Figure:
    """Theme share per period: a line per theme, its interval as a band, change points marked.

    Parameters
    ----------
    trends
        ``period, theme, share, lo, hi`` and optionally ``few_docs`` and ``partial`` (from
        :func:`topics.trends.prevalence`). Periods flagged ``few_docs`` get hollow markers,
        ``partial`` periods a hatched background.
    changes
        ``theme, date, shift`` and optionally ``kind, end, date_lo, date_hi`` (from
        :func:`topics.trends.detect_changes`): a step is a triangle at the first period after
        the break (up for a rise, down for a fall), with a short bar under it from ``date_lo``
        to ``date_hi`` (where the change lies); an episode also gets a bar over its periods.
        A period between two gaps has no band: its interval is drawn as an error bar.
    themes
        Themes to draw, in order (default: all, in order of appearance).
    labels
        Display names by theme (e.g. a codebook's labels).
    highlight
        First and last period (as text) of a span to shade, e.g. ``("2021", "2023")``.
    ax
        Axes to draw into (always one overlaid axis); a new figure is made when omitted.
    title, caption
        Figure title (top left) and caption (below the figure, wrapped to its width).
    legend
        Draw the legend (off for panels of a larger figure that has its own).
    colours
        Colour by theme (default: each theme its own colour, marker and line style).
    layout
        ``"overlay"`` (one axis), ``"panels"`` (:func:`plot_prevalence_panels`: one panel and
        scale per theme) or ``"auto"``: panels for more than six themes or when the largest
        theme's peak is over four times the smallest's, so no theme is flattened near 0 %.
    size
        ``"one_column"``, ``"two_column"`` or ``(width, height)`` inches.

    """
    require_columns(trends, ["period", "theme", "share", "lo", "hi"], "trends")
    chosen = chosen_themes(trends, themes, "trends", True)
    if ax is None and _choose_layout(layout, trends, chosen) == "panels":
        from .panels import plot_prevalence_panels

        return plot_prevalence_panels(
            trends,
            changes,
            themes=chosen,
            labels=labels,
            highlight=highlight,
            title=title,
            caption=caption,
            size=size,
        )
    styles: dict[str, SeriesStyle] = {str(k): v for k, v in series_styles(chosen).items()}
    for theme, colour in (colours or {}).items():
        if theme in styles:
            styles[theme] = SeriesStyle(colour, styles[theme].marker, styles[theme].linestyle)
    with figure_style():
        height = 2.6 if preset_width(size) < 5 else 3.0
        canvas, axes = new_panel_axes(ax, size, height, caption)
        marks = draw_prevalence(axes, trends, changes, chosen, styles, labels, highlight)
        if legend:
            handles: list[Artist] = [
                styles[t].handle(labels.get(t, t) if labels else t) for t in chosen
            ]
            handles += key_handles(**marks)
            canvas.key_or_legend(axes, handles)
        canvas.title(title, axes=axes)
    return canvas.figure
