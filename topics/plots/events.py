"""Event studies drawn: each theme's share by period relative to the event, one panel a theme."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..errors import InputError
from ._axis import share_axis
from ._base import chosen_themes, require_columns
from ._draw import new_panel_axes
from ._style import figure_style, key_line, preset_width, series_styles
from .panels import _theme_grid, default_columns

__all__ = ["plot_event"]


def _draw(
    axes: Axes,
    rows: pd.DataFrame,
    result: pd.Series | None,
    colour: str,
    marker: str,
    n_ticks: int,
) -> dict[str, bool]:
    """One theme: points with intervals per period, the two window means as flat lines."""
    rows = rows.sort_values("relative")
    x = rows["relative"].to_numpy(dtype=float)
    share = rows["share"].to_numpy(dtype=float)
    present = np.isfinite(share)
    axes.vlines(
        x[present], rows["lo"].to_numpy(float)[present], rows["hi"].to_numpy(float)[present],
        color=colour, alpha=0.55, linewidth=1.2,
    )  # fmt: skip
    axes.plot(x[present], share[present], linestyle="", marker=marker, markersize=4, color=colour)
    axes.axvline(-0.5, color="#444444", linewidth=0.9, linestyle="--", zorder=0)
    marks = {"means": False, "pretrend": False}
    if result is not None:
        first, last = float(x.min()), float(x.max())
        axes.hlines([result["before"]], first - 0.3, -0.7, color="#444444", linewidth=1.6)
        axes.hlines([result["after"]], -0.3, last + 0.3, color="#444444", linewidth=1.6)
        marks["means"] = True
        if bool(
            (result["shift"] > 0 and result["pretrend_lo"] > 0)
            or (result["shift"] < 0 and result["pretrend_hi"] < 0)
        ):
            axes.text(0.02, 0.96, "pre-trend", transform=axes.transAxes, fontsize=8,
                      va="top", color="#b2182b")  # fmt: skip
            marks["pretrend"] = True
    axes.set_xlim(float(x.min()) - 0.6, float(x.max()) + 0.6)
    if x.max() - x.min() < n_ticks:
        axes.set_xticks(np.arange(int(x.min()), int(x.max()) + 1))
    else:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=n_ticks))
    share_axis(axes, "periods from the event", nbins=4)
    return marks


def plot_event(
    profile: pd.DataFrame,
    table: pd.DataFrame | None = None,
    *,
    themes: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
    size: str | tuple[float, float] = "two_column",
) -> Figure:
    """Each theme's share by period relative to an event, with intervals: one panel a theme.

    Parameters
    ----------
    profile
        ``theme, relative, share, lo, hi`` (:attr:`topics.trends.EventResult.profile`): period
        0 is the event's; a dashed line separates the windows.
    table
        ``theme, before, after, shift, pretrend_lo, pretrend_hi`` (the event study's table):
        draws each window's mean as a flat line and marks themes whose pre-window trend
        already points the way of their shift ("pre-trend").
    themes
        Themes to draw, in order (default: all in the profile).
    labels
        Display names by theme.
    ax
        Axes to draw one theme into (then ``themes`` must name one).
    title, caption
        Figure title and caption.
    size
        ``"one_column"``, ``"two_column"`` or ``(width, height)`` inches.

    """
    require_columns(profile, ["theme", "relative", "share", "lo", "hi"], "profile")
    chosen = chosen_themes(profile, themes, "the event profile")
    if table is not None:
        require_columns(table, ["theme", "before", "after", "shift"], "table")
    found = table.set_index("theme") if table is not None else None
    styles = series_styles(chosen)
    names = {t: (labels or {}).get(t, t) for t in chosen}
    if table is not None and "p_adj" in table.columns:
        for t, shift, p_adj in zip(table["theme"], table["shift"], table["p_adj"], strict=True):
            if t in names:
                names[t] += f" · {float(shift) * 100:+.2g} pts, p_adj {float(p_adj):.3f}"

    def draw(theme: str, axes: Axes) -> dict[str, bool]:
        result = None
        if found is not None and theme in found.index:
            result = pd.Series(found.loc[theme])
        style = styles[theme]
        rows = profile[profile["theme"] == theme]
        return _draw(axes, rows, result, style.colour, style.marker, n_ticks)

    cols = 1 if ax is not None else default_columns(len(chosen), size)
    root = ax.get_figure(root=True) if ax is not None else None
    width = float(ax.bbox.width) / root.dpi if ax is not None and root else preset_width(size)
    n_ticks = max(4, int(width / cols / 0.28))  # a tick label about every 0.28 in
    with figure_style():
        if ax is not None:
            if len(chosen) != 1:
                raise InputError("with ax, name one theme to draw (themes=[...])")
            canvas, axes = new_panel_axes(ax, size, None, caption)
            marks = draw(chosen[0], axes)
        else:
            canvas, marks = _theme_grid(size, caption, chosen, cols, names, draw)
        handles = [
            key_line("share per period, 95% interval", marker="o", markersize=4, linewidth=1.2),
            key_line("event (period 0 opens the after-window)", color="#444444", linestyle="--",
                     linewidth=0.9),
        ]  # fmt: skip
        if marks.get("means"):
            handles.append(key_line("mean before / after", color="#444444", linewidth=1.6))
        if ax is None:
            canvas.key(handles)
        canvas.title(title, axes=axes if ax is not None else None)
    return canvas.figure
