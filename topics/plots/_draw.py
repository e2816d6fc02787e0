"""The canvas a figure function draws on: print size, caption strip, key below, title above.

A :class:`Canvas` holds the figure and its *container*: the figure itself, or — when there is
a caption — the upper of two stacked sub-figures, the lower holding the caption, so
constrained layout keeps the caption clear of everything else. The key (legend) goes below the
plot in as many columns as fit the width, its long labels wrapped, never beside the plot where
it would take a third of the width. At a preset size the figure grows by the height the key
and the title need, so the plot keeps the height its function chose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.gridspec import GridSpec
from matplotlib.legend import Legend

from ..errors import InputError
from ._axis import text_width
from ._style import figure_size

__all__ = ["Canvas", "new_canvas", "new_panel_axes", "plan_key", "wrap_text"]

Container = Figure | SubFigure
_LINE = 1.22  # line height in font sizes
_HANDLE = 4.6  # handle, its padding and the column gap, in font sizes


def wrap_text(text: str, width_pt: float, fontsize: float = 8.0) -> str:
    """Break ``text`` into lines no wider than ``width_pt`` points (words kept whole)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if line and text_width(trial, fontsize) > width_pt:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return "\n".join(lines)


def plan_key(labels: Sequence[str], width_pt: float) -> tuple[list[str], int, float]:
    """Wrap legend labels and choose columns for a key ``width_pt`` wide.

    Returns the labels (wrapped to at most two lines where that buys a column), the number
    of columns, and the key's height in points.
    """
    if not labels:
        return [], 1, 0.0
    handle = _HANDLE * 8.0
    chosen: tuple[list[str], int] = ([wrap_text(str(x), width_pt - handle) for x in labels], 1)
    best = float("inf")
    for ncols in range(1, len(labels) + 1):
        room = width_pt / ncols - handle
        wrapped = [wrap_text(str(x), room) for x in labels]
        if any(w.count("\n") > 1 or text_width(w, 8.0) > room for w in wrapped):
            continue
        # fewer rows is better, but not at the price of wrapping many labels
        score = -(-len(labels) // ncols) + 0.6 * sum("\n" in w for w in wrapped)
        if score < best:
            best, chosen = score, (wrapped, ncols)
    wrapped, ncols = chosen
    n_rows = -(-len(wrapped) // ncols)
    # matplotlib fills a legend column by column: row r holds every n_rows-th entry from r
    lines = [max(e.count("\n") + 1 for e in wrapped[row::n_rows]) for row in range(n_rows)]
    height = sum(count * 8.0 * _LINE + 0.5 * 8.0 for count in lines)
    return wrapped, ncols, height + 10.0


@dataclass
class Canvas:
    """A figure, the container drawn into, and whether its height follows its content."""

    figure: Figure
    container: Container
    grow: bool = False
    strip: float = 0.0
    stack: GridSpec | None = None
    owned: bool = True

    @property
    def width_pt(self) -> float:
        """Width of the container in points."""
        return float(self.container.bbox.width) * 72.0 / float(self.figure.dpi)

    def extend(self, inches: float) -> None:
        """Add ``inches`` of height for a key or title (only at a preset size)."""
        if not self.grow or inches <= 0:
            return
        width, height = self.figure.get_size_inches()
        total = float(height) + inches
        self.figure.set_size_inches(width, total)
        if self.stack is not None:
            self.stack.set_height_ratios([total - self.strip, self.strip])

    def panels(self, n: int, n_cols: int, **options: Any) -> list[Axes]:
        """Return ``n`` axes, row by row, in rows of ``n_cols``; the grid's spare cells are blank.

        ``options`` go to :meth:`matplotlib.figure.Figure.subplots` (``sharex``, ``gridspec_kw``).
        """
        grid = self.container.subplots(-(-n // n_cols), n_cols, squeeze=False, **options).ravel()
        for axes in grid[n:]:
            axes.set_axis_off()
        return list(grid[:n])

    def key(self, handles: Sequence[Artist], labels: Sequence[str] | None = None) -> Legend:
        """Put a legend below the plot, in as many columns as fit (labels: the handles' own)."""
        if labels is None:
            labels = [str(h.get_label()) for h in handles]
        wrapped, ncols, height = plan_key(labels, self.width_pt - 12.0)
        self.extend(height / 72.0)
        return self.container.legend(
            list(handles),
            wrapped,
            loc="outside lower center",
            ncols=ncols,
            frameon=False,
            handlelength=2.4,
            columnspacing=1.4,
        )

    def key_or_legend(self, axes: Axes, handles: list[Artist]) -> None:
        """Put the key below a figure the function made, or a legend inside someone's ``axes``."""
        if self.owned:
            self.key(handles)
        else:
            axes.legend(handles=handles, frameon=False, loc="best")

    def title(self, title: str | None, *, axes: Axes | None = None) -> None:
        """Title the figure at its top left, wrapped to its width.

        On a figure the function made, the title spans the figure; drawing into someone's
        ``axes``, it titles those axes.
        """
        if not title:
            return
        if axes is not None and not self.owned:
            text = wrap_text(title, self.width_pt - 50.0, 9.0)
            axes.set_title(text, loc="left", fontsize=9)
            self.extend((text.count("\n") + 1) * 9.0 * _LINE / 72.0)
        else:
            text = wrap_text(title, self.width_pt - 12.0, 10.0)
            self.container.suptitle(text, x=0.01, ha="left", fontsize=10)
            self.extend(((text.count("\n") + 1) * 10.0 * _LINE + 4.0) / 72.0)


def new_canvas(
    size: str | tuple[float, float], height: float | None, caption: str | None
) -> Canvas:
    """Make a constrained-layout figure (see the module docstring).

    A preset ``size`` gets ``height`` inches for the content, plus what the caption, key and
    title need; an explicit ``(width, height)`` is the whole figure.
    """
    width, content = figure_size(size, height)
    grow = isinstance(size, str)
    if not caption:
        figure = Figure(figsize=(width, content), layout="constrained")
        return Canvas(figure, figure, grow)
    text = wrap_text(caption, width * 72.0 - 12.0, 8.0)
    strip = (text.count("\n") + 1) * 8.0 * _LINE / 72.0 + 0.12
    total = content + strip if grow else content
    if strip >= 0.8 * total:
        raise InputError(f"the caption needs {strip:.1f} in; the figure is {total:.1f} in high")
    figure = Figure(figsize=(width, total), layout="constrained")
    stack = GridSpec(2, 1, figure=figure, height_ratios=[total - strip, strip], hspace=0.0)
    top, bottom = figure.add_subfigure(stack[0, 0]), figure.add_subfigure(stack[1, 0])
    bottom.text(6.0 / 72.0 / width, 0.5, text, ha="left", va="center", fontsize=8.0)
    return Canvas(figure, top, grow, strip, stack)


def new_panel_axes(
    ax: Axes | None,
    size: str | tuple[float, float],
    height: float | None,
    caption: str | None = None,
) -> tuple[Canvas, Axes]:
    """Return ``ax`` on a canvas of its own figure, or a new canvas with one axes."""
    if ax is not None:
        if caption:
            raise InputError("caption needs a figure the function makes; omit ax or the caption")
        figure = ax.get_figure(root=True)
        if not isinstance(figure, Figure):
            raise TypeError("ax must belong to a matplotlib Figure")
        parent = ax.get_figure(root=False)
        container = parent if isinstance(parent, Figure | SubFigure) else figure
        return Canvas(figure, container, owned=False), ax
    canvas = new_canvas(size, height, caption)
    return canvas, canvas.container.add_subplot()
