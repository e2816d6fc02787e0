"""Heatmaps over periods: a value per topic or theme and period; seed-term coverage."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.ticker import MaxNLocator

from ._axis import percent_formatter, set_period_axis, text_width
from ._base import period_axis_values, require_columns
from ._draw import Canvas, new_panel_axes, wrap_text
from ._style import figure_style, preset_width

__all__ = [
    "draw_grid",
    "plot_theme_health",
    "plot_topic_heatmap",
    "prune_cell_notes",
    "row_labels",
]


def draw_grid(
    canvas: Canvas,
    axes: Axes,
    cells: npt.NDArray[np.float64],
    rows: Sequence[str],
    periods: tuple[list[str], list[pd.Period] | None],
    *,
    cmap: str,
    label: str,
    vmin: float | None = None,
    vmax: float | None = None,
    percent: bool = False,
    text: Callable[[int, int], str] | None = None,
) -> AxesImage:
    """Draw ``cells`` (rows × periods) with a period axis, row labels and a colour bar beside.

    ``rows`` are the row labels as drawn (see :func:`row_labels` to wrap them).

    ``text(i, j)`` gives a cell's annotation; call :func:`prune_cell_notes` once the figure is
    complete to keep them only where they fit their cells (8 pt text is never shrunk to fit).
    """
    order, calendar = periods
    shown = np.ma.masked_invalid(cells)
    image = axes.imshow(shown, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax)
    set_period_axis(axes, order, calendar, rotate=_turn_labels(canvas, axes, rows, periods))
    axes.set_yticks(range(len(rows)), list(rows))
    axes.set_xlabel("period")
    axes.spines[:].set_visible(False)
    axes.tick_params(length=0)
    # the colour bar stands at the right: below the grid its label read as the title of the
    # period axis (and that axis' label as the bar's)
    colourbar = canvas.figure.colorbar(
        image, ax=axes, location="right", fraction=0.04, shrink=0.9, aspect=20, pad=0.02
    )
    colourbar.set_label(label)
    colourbar.ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
    if percent:
        colourbar.ax.yaxis.set_major_formatter(percent_formatter())
    if text is None:
        return image
    top = float(np.nanmax(cells)) if np.isfinite(cells).any() else 0.0
    for i, j in np.ndindex(*cells.shape):
        value = text(i, j)
        if value:
            dark = bool(np.isfinite(cells[i, j]) and cells[i, j] > 0.6 * top)
            axes.text(
                j,
                i,
                value,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else "black",
                in_layout=False,
                gid="cell-note",
            )
    return image


def _turn_labels(
    canvas: Canvas,
    axes: Axes,
    rows: Sequence[str],
    periods: tuple[list[str], list[pd.Period] | None],
) -> bool:
    """Whether a grid's column labels (bins, not calendar periods) should be turned by 90°.

    Yes when, at an estimated cell width, they do not fit side by side but turned they do,
    so every column keeps its label.
    """
    order, calendar = periods
    if calendar is not None or not order:
        return False
    spec = axes.get_subplotspec()
    share = 1.0 / spec.get_gridspec().ncols if spec is not None else 1.0
    label_pt = max((text_width(r, 8.0) for r in rows), default=0.0)
    cell = (canvas.width_pt * share - label_pt - 30.0) / len(order)
    widest = max(text_width(o, 8.0) for o in order)
    return widest + 6.4 > cell >= 8.0 * 1.2 + 6.4


def row_labels(
    rows: Sequence[object], size: str | tuple[float, float], ax: Axes | None = None
) -> tuple[list[str], float]:
    """Wrap row labels to 40 % of the panel width; return them and the rows' height (in).

    Rows are evenly spaced: each is at least 0.2 in high, and as high as the longest label's
    lines need.
    """
    width = preset_width(size)
    if ax is not None:
        figure = ax.get_figure(root=True)
        width = float(figure.get_figwidth()) if figure is not None else width
        spec = ax.get_subplotspec()
        width /= spec.get_gridspec().ncols if spec is not None else 1
    wrapped = [wrap_text(str(r), 0.4 * width * 72.0) for r in rows]
    lines = max((w.count("\n") + 1 for w in wrapped), default=1)
    height = len(wrapped) * max(0.2, lines * 8.0 * 1.22 / 72.0 + 0.06)
    return wrapped, height


def prune_cell_notes(figure: Figure) -> None:
    """Remove a grid's cell annotations wherever, at the final layout, one does not fit."""
    notes = [t for axes in figure.axes for t in axes.texts if t.get_gid() == "cell-note"]
    if not notes:
        return
    figure.draw_without_rendering()
    scale = 72.0 / figure.dpi
    for axes in figure.axes:
        mine = [t for t in axes.texts if t.get_gid() == "cell-note"]
        images = axes.get_images()
        array = images[0].get_array() if images else None
        if not mine or array is None:
            continue
        n_rows, n_cols = array.shape[:2]
        cell_w = axes.bbox.width * scale / max(n_cols, 1)
        cell_h = axes.bbox.height * scale / max(n_rows, 1)
        widest = max(text_width(t.get_text(), 8.0) for t in mine)
        if widest + 3.0 > cell_w or cell_h < 10.0:
            for note in mine:
                note.remove()


def _grid_figure(
    rows: Sequence[object],
    cells: npt.NDArray[np.float64],
    periods: tuple[list[str], list[pd.Period] | None],
    ax: Axes | None,
    size: str | tuple[float, float],
    title: str | None,
    caption: str | None,
    **options: Any,
) -> Figure:
    """Draw ``cells`` as a heatmap figure with its title, cell notes kept where they fit.

    ``rows`` are wrapped by :func:`row_labels`; ``options`` are :func:`draw_grid`'s keywords.
    """
    with figure_style():
        names, height = row_labels(rows, size, ax)
        canvas, axes = new_panel_axes(ax, size, height + 1.3, caption)
        draw_grid(canvas, axes, cells, names, periods, **options)
        canvas.title(title, axes=axes)
        prune_cell_notes(canvas.figure)
    return canvas.figure


def plot_topic_heatmap(
    frame: pd.DataFrame,
    *,
    row: str = "theme",
    value: str = "share",
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
    annotate: bool = True,
    size: str | tuple[float, float] = "two_column",
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
    title, caption
        Figure title and caption.
    annotate
        Write the value (as a percentage when it is a share) in each cell, where it fits.
    size
        ``"one_column"``, ``"two_column"`` or ``(width, height)`` inches.

    """
    require_columns(frame, ["period", row, value], "frame")
    periods = period_axis_values(frame["period"])
    rows = list(dict.fromkeys(frame[row]))
    table = (
        frame.assign(period=frame["period"].astype(str))
        .pivot_table(index=row, columns="period", values=value, aggfunc="mean")
        .reindex(index=rows, columns=periods[0])
    )
    cells = table.to_numpy(dtype=float)
    is_share = value == "share"

    def text(i: int, j: int) -> str:
        cell = float(cells[i, j])
        if not annotate or not np.isfinite(cell):
            return ""
        return f"{100 * cell:.1f}" if is_share else f"{cell:.2g}"

    label = value.replace("_", " ") + (" (cells: %)" if annotate and is_share else "")
    return _grid_figure(
        rows, cells, periods, ax, size, title, caption,
        cmap="viridis", label=label, percent=is_share, text=text,
    )  # fmt: skip


def plot_theme_health(
    health: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
    size: str | tuple[float, float] = "two_column",
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
    title, caption
        Figure title and caption.
    size
        ``"one_column"``, ``"two_column"`` or ``(width, height)`` inches.

    """
    require_columns(health, ["theme", "term", "period", "count"], "health")
    periods = period_axis_values(health["period"])
    order = periods[0]
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
    names = [labels.get(t, t) if labels else t for t in themes]
    rows = [f"{n} ({n_terms[t]} terms)" for n, t in zip(names, themes, strict=True)]
    return _grid_figure(
        rows, table, periods, ax, size, title, caption,
        cmap="cividis", label="share of seed terms found", vmin=0.0, vmax=1.0, percent=True,
    )  # fmt: skip
