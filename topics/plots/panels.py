"""Small multiples of theme prevalence: a panel per theme, each with its own scale."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..errors import InputError
from ._base import chosen_themes, require_columns
from ._draw import Canvas, new_canvas, wrap_text
from ._style import SeriesStyle, figure_style, preset_width, series_styles
from .trends import draw_prevalence, key_handles

__all__ = ["plot_prevalence_by_group", "plot_prevalence_panels"]


def default_columns(n_panels: int, size: str | tuple[float, float]) -> int:
    """Panels per row that keep each panel at least ~1.6 in wide."""
    width = preset_width(size)
    return max(1, min(n_panels, int(width // 1.65), 3 if n_panels > 4 else 2))


def _theme_grid(
    size: str | tuple[float, float],
    caption: str | None,
    themes: Sequence[str],
    n_cols: int | None,
    labels: Mapping[str, str] | None,
    draw: Callable[[str, Axes], dict[str, bool]],
) -> tuple[Canvas, dict[str, bool]]:
    """Make a figure of one panel per theme (shared x axis), draw each with ``draw``, title it.

    ``n_cols`` panels per row (default: :func:`default_columns`); returns the canvas and
    which marks any panel drew.
    """
    cols = max(n_cols or default_columns(len(themes), size), 1)
    canvas = new_canvas(size, 1.55 * int(np.ceil(len(themes) / cols)) + 0.5, caption)
    marks: dict[str, bool] = {}
    panel_pt = canvas.width_pt / cols - 40.0
    for i, axes in enumerate(canvas.panels(len(themes), cols, sharex=True)):
        for key, value in draw(themes[i], axes).items():
            marks[key] = marks.get(key, False) or value
        name = labels.get(themes[i], themes[i]) if labels else themes[i]
        axes.set_title(wrap_text(name, panel_pt, 9.0), loc="left", fontsize=9)
        if i % cols:
            axes.set_ylabel("")
        if i + cols < len(themes):
            axes.set_xlabel("")
        else:  # the lowest panel of its column keeps its period labels
            axes.xaxis.set_tick_params(labelbottom=True)
    return canvas, marks


def plot_prevalence_panels(
    trends: pd.DataFrame,
    changes: pd.DataFrame | None = None,
    *,
    themes: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    highlight: tuple[str, str] | None = None,
    n_cols: int | None = None,
    title: str | None = None,
    caption: str | None = None,
    size: str | tuple[float, float] = "two_column",
) -> Figure:
    """Small multiples of :func:`plot_prevalence`: one panel per theme, each with its own scale.

    For many themes, or themes of very different sizes (one at 2 %, another at 0.05 %), where
    a shared axis would flatten the small ones. Arguments as for :func:`plot_prevalence`;
    ``n_cols`` panels per row (default: as many as keep a panel about 1.6 in wide, at most 3).

    Returns
    -------
    Figure
        A new figure (panels need their own grid, so there is no ``ax``).

    """
    require_columns(trends, ["period", "theme", "share", "lo", "hi"], "trends")
    chosen = chosen_themes(trends, themes, "trends", True)
    styles: dict[str, SeriesStyle] = {str(k): v for k, v in series_styles(chosen).items()}

    def draw(theme: str, axes: Axes) -> dict[str, bool]:
        return draw_prevalence(axes, trends, changes, [theme], styles, None, highlight)

    with figure_style():
        canvas, marks = _theme_grid(size, caption, chosen, n_cols, labels, draw)
        canvas.key(key_handles(**marks))
        canvas.title(title)
    return canvas.figure


def plot_prevalence_by_group(
    trends: pd.DataFrame,
    *,
    themes: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    highlight: tuple[str, str] | None = None,
    n_cols: int | None = None,
    title: str | None = None,
    caption: str | None = None,
    size: str | tuple[float, float] = "two_column",
    ylabel: str | None = None,
) -> Figure:
    """Small multiples: one panel per theme, one line (with its interval band) per group.

    Parameters
    ----------
    trends
        ``group, period, theme, share, lo, hi`` (e.g.
        :meth:`topics.themes.results.ThemeAnalysis.by_group`).
    themes
        Themes to draw, one panel each (default: all).
    labels
        Panel titles by theme.
    highlight
        First and last period (as text) of a span to shade in every panel.
    n_cols
        Panels per row (default: as many as keep a panel about 1.6 in wide, at most 3).
    title, caption
        Figure title and caption.
    size
        ``"one_column"``, ``"two_column"`` or ``(width, height)`` inches.
    ylabel
        What the share is (default "share of content"; "share of documents" for detection
        rates such as :func:`topics.validation.corrected_series`).

    Returns
    -------
    Figure
        A new figure (panels need their own grid, so there is no ``ax``).

    """
    require_columns(trends, ["group", "period", "theme", "share", "lo", "hi"], "trends")
    chosen = chosen_themes(trends, themes)
    groups = [str(g) for g in dict.fromkeys(trends["group"])]
    styles: dict[str, SeriesStyle] = {str(k): v for k, v in series_styles(groups).items()}

    def draw(theme: str, axes: Axes) -> dict[str, bool]:
        part = trends[trends["theme"] == theme]
        if part.empty:
            raise InputError(f"theme {theme!r} is not in trends")
        panel = part.drop(columns="theme").assign(theme=part["group"].astype(str))
        return draw_prevalence(axes, panel, None, groups, styles, None, highlight)

    with figure_style():
        canvas, marks = _theme_grid(size, caption, chosen, n_cols, labels, draw)
        if ylabel is not None:
            for axes in canvas.figure.axes:
                if axes.get_ylabel():
                    axes.set_ylabel(ylabel)
        handles: list[Artist] = [styles[g].handle(g) for g in groups]
        handles += key_handles(
            changes=False, few=marks.get("few", False), partial=marks.get("partial", False)
        )
        canvas.key(handles)
        canvas.title(title)
    return canvas.figure
