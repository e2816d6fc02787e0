"""A layout check that can fail: overlapping text, text off the canvas, fonts below 8 pt.

:func:`layout_problems` draws a figure (without rendering pixels) and reads every drawn text's
extent from matplotlib — tick labels actually shown, titles, axis labels, legend entries,
colour-bar labels, annotations, captions — and reports each pair whose boxes overlap, each text
that reaches outside the figure, and each text smaller than the print minimum. The tests run it
on every figure function at both preset sizes.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from ._style import MIN_FONT_PT

__all__ = ["drawn_texts", "layout_problems"]


def _axis_texts(axis: Axis) -> list[Text]:
    """Texts an axis draws: its tick labels inside the view interval, its label, its offset."""
    lo, hi = sorted(axis.get_view_interval())
    slack = 1e-9 * max(hi - lo, 1e-300)
    shown: list[Text] = []
    for tick in axis.get_major_ticks():
        loc = tick.get_loc()
        if loc is None or not lo - slack <= loc <= hi + slack or not tick.get_visible():
            continue
        shown.extend(label for label in (tick.label1, tick.label2) if label.get_visible())
    return [*shown, axis.label, axis.offsetText]


def _walk(artist: Artist, axis_on: bool = True) -> Iterator[Text]:
    if not artist.get_visible():
        return
    if isinstance(artist, Axis):
        if axis_on:
            yield from (t for t in _axis_texts(artist) if t.get_visible())
        return
    if isinstance(artist, Text):
        yield artist
    on = artist.axison if isinstance(artist, Axes) else axis_on
    for child in artist.get_children():
        yield from _walk(child, on)


def drawn_texts(figure: Figure) -> list[Text]:
    """Every non-empty, visible text the figure draws (after a draw without rendering)."""
    figure.draw_without_rendering()
    texts = [t for t in _walk(figure) if t.get_text().strip()]
    return list(dict.fromkeys(texts))


def layout_problems(figure: Figure, *, tolerance_pt: float = 0.5) -> list[str]:
    """Describe every text overlap, text outside the canvas and font below 8 pt.

    Parameters
    ----------
    figure
        The figure to check, at the size it will be printed.
    tolerance_pt
        Overlaps and overhangs up to this many points are ignored (anti-aliasing).

    Returns
    -------
    list of str
        One line per problem; empty when the layout is clean.

    """
    texts = drawn_texts(figure)
    scale = 72.0 / figure.dpi
    canvas = figure.bbox
    tol = tolerance_pt / scale
    boxes: list[tuple[Text, Bbox]] = [(t, t.get_window_extent()) for t in texts]
    problems = []
    for text, box in boxes:
        size = float(text.get_fontsize())
        if size < MIN_FONT_PT - 1e-9:
            problems.append(f"{text.get_text()!r} is {size:.1f} pt (< {MIN_FONT_PT})")
        if (
            box.x0 < canvas.x0 - tol
            or box.y0 < canvas.y0 - tol
            or box.x1 > canvas.x1 + tol
            or box.y1 > canvas.y1 + tol
        ):
            problems.append(f"{text.get_text()!r} falls outside the canvas ({_pt(box, scale)})")
    for (one, a), (two, b) in combinations(boxes, 2):
        width = min(a.x1, b.x1) - max(a.x0, b.x0)
        height = min(a.y1, b.y1) - max(a.y0, b.y0)
        if width > tol and height > tol:
            problems.append(
                f"{one.get_text()!r} overlaps {two.get_text()!r} "
                f"by {width * scale:.1f} × {height * scale:.1f} pt"
            )
    return problems


def _pt(box: Bbox, scale: float) -> str:
    x0, x1, y0, y1 = (v * scale for v in (box.x0, box.x1, box.y0, box.y1))
    return f"x {x0:.1f}–{x1:.1f} pt, y {y0:.1f}–{y1:.1f} pt"
