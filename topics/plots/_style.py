"""Style, palette and print sizes shared by every figure.

Figures are drawn at their print size, so the font sizes here are the sizes on paper: nothing
is smaller than 8 pt. :data:`PRESETS` gives the widths of a journal's one- and two-column
layouts; each figure function takes ``size=`` (a preset name or ``(width, height)`` inches) and
chooses a height that suits its content.

Series (themes, groups, model configurations) are told apart by colour *and* marker *and*
line style (:func:`series_styles`), so twelve series stay distinguishable in greyscale and with
the common colour-vision deficiencies; past six, the trend figures switch to small multiples.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import matplotlib as mpl
from cycler import cycler
from matplotlib.lines import Line2D

from ..errors import InputError

__all__ = [
    "MIN_FONT_PT",
    "PALETTE",
    "PRESETS",
    "SERIES_COLOURS",
    "SeriesStyle",
    "figure_size",
    "figure_style",
    "key_line",
    "preset_width",
    "series_styles",
]

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)

# Twelve line colours: Okabe–Ito without its pale yellow (too light for a line on white), then
# dark colours from Paul Tol's palettes chosen to differ in lightness from the first seven.
SERIES_COLOURS = (
    *PALETTE[:6],
    PALETTE[7],
    "#882255",
    "#999933",
    "#332288",
    "#B8860B",
    "#777777",
)
# no triangles: ▲ and ▼ mark changes, so a series drawn with them would read as a chain of changes
_MARKERS = ("o", "s", "D", "P", "X", "p", "h", "*", "d", "8", "H", "x")
_LINESTYLES: tuple[LineStyle, ...] = ("-",) * 6 + ("--",) * 6

# Journal column widths in inches: 89 mm and 183 mm (Nature, Science, Elsevier, PLOS agree
# within a few millimetres).
PRESETS: dict[str, float] = {"one_column": 3.5, "two_column": 7.2}
MIN_FONT_PT = 8.0

_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.title_fontsize": 8,
    "figure.titlesize": 10,
    "axes.linewidth": 0.8,
    "hatch.linewidth": 0.8,
    "lines.linewidth": 1.4,
    "lines.markersize": 4,
    "xtick.major.width": 0.8,
    "ytick.major.width": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(SERIES_COLOURS)),
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "svg.hashsalt": "topics",
    "svg.fonttype": "path",
    "path.simplify": True,
}


LineStyle = Literal["-", "--", ":", "-."]


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn: colour, marker and line style."""

    colour: str
    marker: str
    linestyle: LineStyle

    def handle(self, label: str = "") -> Line2D:
        """Return an empty line in this style (markers 4 pt) for a legend, labelled ``label``."""
        return Line2D(
            [], [], color=self.colour, marker=self.marker, linestyle=self.linestyle,
            markersize=4, label=label,
        )  # fmt: skip


def key_line(label: str, **style: Any) -> Line2D:
    """Return a legend entry: a line without data, grey (``#555555``) unless ``style`` says."""
    return Line2D([], [], label=label, **{"color": "#555555", **style})


def series_styles(names: Iterable[object]) -> dict[object, SeriesStyle]:
    """Give each name its own colour, marker and line style, in order of first appearance.

    Twelve series get twelve distinct colours and markers (the last six also dashed); beyond
    twelve, colours repeat but the (colour, marker, line style) combination stays unique.
    """
    n = len(SERIES_COLOURS)
    extra: tuple[LineStyle, LineStyle] = (":", "-.")
    styles = {}
    for i, name in enumerate(dict.fromkeys(names)):
        linestyle = _LINESTYLES[i] if i < n else extra[(i // n - 1) % 2]
        styles[name] = SeriesStyle(SERIES_COLOURS[i % n], _MARKERS[(i + i // n) % n], linestyle)
    return styles


def figure_size(
    size: str | tuple[float, float], height: float | None = None
) -> tuple[float, float]:
    """Return ``(width, height)`` inches for a preset name or an explicit size.

    A preset's ``height`` is the figure function's choice for its content (default: 0.55 of
    the width).
    """
    if isinstance(size, str):
        if size not in PRESETS:
            raise InputError(
                f"size must be one of {sorted(PRESETS)} or (width, height), got {size!r}"
            )
        width = PRESETS[size]
        return width, height if height is not None else round(0.55 * width, 2)
    if len(size) != 2 or min(size) <= 0:
        raise InputError(f"size must be (width, height) in inches, got {size!r}")
    return float(size[0]), float(size[1])


def preset_width(size: str | tuple[float, float]) -> float:
    """Width in inches of a preset or an explicit size."""
    return figure_size(size)[0]


@contextmanager
def figure_style() -> Iterator[None]:
    """Apply the package's plotting style for the duration of a block (no global change)."""
    with mpl.rc_context(_STYLE):  # type: ignore[arg-type]
        yield
