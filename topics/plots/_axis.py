"""Period axes whose tick labels never run together.

Periods sit at integer positions ``0 … n-1`` (every period from the first to the last, so gaps
show as gaps). :func:`set_period_axis` gives an axis a locator and a formatter that, at every
draw, measure the labels against the axis' width in points and keep the smallest calendar step
whose labels fit: every month, then every second, every quarter, every half-year, every year,
and so on. Labels are short and aligned to the calendar — ``Q3`` with the year below the
first tick and each new year, ``Oct`` / ``2021`` for months, a week's first day (``21 Feb``)
instead of ``2022-02-21/2022-02-27``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from matplotlib.ticker import Formatter, FuncFormatter, Locator, MaxNLocator

__all__ = ["PeriodTicks", "percent_formatter", "set_period_axis", "share_axis", "text_width"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_STEPS = {
    "Y": (1, 2, 5, 10, 20, 50, 100),
    "Q": (1, 2, 4, 8, 20, 40),
    "M": (1, 2, 3, 6, 12, 24, 60, 120),
    "W": (1, 2, 4, 8, 13, 26, 52, 104),
    "D": (1, 2, 7, 14, 28, 91, 182, 364),
    "": (1, 2, 3, 4, 5, 10, 20, 50, 100, 200),
}


def text_width(text: str, size: float) -> float:
    """Width in points of ``text`` (widest line) in the figure font at ``size`` points."""
    prop = FontProperties(family="DejaVu Sans", size=size)
    widths = [
        text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]
        for line in text.split("\n")
    ]
    return max(widths, default=0.0)


def _percent(value: float, pos: int | None = None) -> str:
    return f"{100 * value:.3g}%"


def percent_formatter() -> FuncFormatter:
    """Shortest percent tick labels of a share: ``0%``, ``0.5%``, ``12.5%``."""
    return FuncFormatter(_percent)


def share_axis(axes: Axes, xlabel: str, nbins: int) -> None:
    """Make the y axis a share of content from 0, in percent ticks, and label both axes.

    ``nbins``: the most intervals between the y axis' ticks.
    """
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))
    axes.yaxis.set_major_formatter(percent_formatter())
    axes.set_xlabel(xlabel)
    axes.set_ylabel("share of content")


_YEARS = re.compile(r"^(\d{2})(\d{2})\s*[–-]\s*(\d{2})(\d{2})$")


def _shorten(label: str) -> str:
    """Shorten a year range within one century: ``2000–2004`` → ``2000–04``."""
    match = _YEARS.match(label)
    if match and match.group(1) == match.group(3):
        return f"{match.group(1)}{match.group(2)}–{match.group(4)}"
    return label


def _kind(periods: Sequence[object]) -> str:
    if not periods or not all(isinstance(p, pd.Period) for p in periods):
        return ""
    base = str(periods[0].freqstr).split("-")[0].upper()  # type: ignore[attr-defined]
    base = "Y" + base[1:] if base.startswith("A") else base  # "A": pandas' old name of "Y"
    return next((kind for kind in "YQMWD" if base.startswith(kind)), "")


@dataclass
class PeriodTicks:
    """Calendar-aware tick positions and short labels for periods at ``0 … n-1``.

    Parameters
    ----------
    labels
        The full label of every position (what hover text and tables show).
    periods
        The ``pandas.Period`` at the first positions (labels after them, such as a "not
        placed" bar, must be in ``always``), or ``None`` for labels without a calendar (custom
        bins, ``"2000–2004"``), which are thinned by a plain step.
    fontsize
        Tick label size in points.
    always
        Positions always labelled (e.g. a trailing "not placed" bar).
    rotated
        The labels are drawn turned by 90°: a label needs its height, not its width.

    """

    labels: Sequence[str]
    periods: Sequence[pd.Period] | None = None
    fontsize: float = 8.0
    always: Sequence[int] = ()
    rotated: bool = False
    _kind: str = field(init=False, default="")
    _keys: list[int] = field(init=False, default_factory=list)
    _cache: dict[tuple[int, int, int], tuple[list[int], list[str]]] = field(
        init=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        periods = list(self.periods) if self.periods is not None else []
        self._kind = _kind(periods) if len(periods) <= len(self.labels) else ""
        if self._kind:
            self._keys = [self._key(p) for p in periods]
            self._keys += [-1] * (len(self.labels) - len(periods))  # never on a calendar step
        else:
            self._keys = list(range(len(self.labels)))

    def _key(self, period: pd.Period) -> int:
        start = period.start_time
        if self._kind == "Y":
            return int(start.year)
        if self._kind == "Q":
            return int(start.year) * 4 + (int(start.month) - 1) // 3
        if self._kind == "M":
            return int(start.year) * 12 + int(start.month) - 1
        if self._kind == "W":
            return int(start.toordinal()) // 7
        return int(start.toordinal())

    def _text(self, i: int, previous: int | None) -> str:
        if not self._kind or i >= len(self.periods or ()):
            return _shorten(str(self.labels[i]))
        start = self.periods[i].start_time  # type: ignore[index]
        new_year = previous is None or self.periods[previous].start_time.year != start.year  # type: ignore[index]
        year = f"\n{start.year}" if new_year else ""
        if self._kind == "Y":
            return str(start.year)
        if self._kind == "Q":
            return f"Q{(start.month - 1) // 3 + 1}{year}"
        if self._kind == "M":
            return f"{_MONTHS[start.month - 1]}{year}"
        return f"{start.day} {_MONTHS[start.month - 1]}{year}"

    def plan(self, width_pt: float, lo: int, hi: int) -> tuple[list[int], list[str]]:
        """Positions and labels for ``lo … hi`` on an axis ``width_pt`` points wide."""
        key = (round(width_pt), lo, hi)
        if key in self._cache:
            return self._cache[key]
        lo, hi = max(lo, 0), min(hi, len(self.labels) - 1)
        unit = width_pt / max(hi - lo + 1, 1)
        pad = 0.8 * self.fontsize
        best: tuple[list[int], list[str]] = ([], [])
        for step in _STEPS[self._kind]:
            regular = [
                i for i in range(lo, hi + 1) if self._keys[i] >= 0 and self._keys[i] % step == 0
            ]
            if not regular and hi >= lo:
                regular = [lo]
            extra = [i for i in self.always if lo <= i <= hi]
            # a regular tick too close to an always-labelled one gives way to it
            regular = [i for i in regular if not self._crowds(i, extra, unit, pad)]
            positions = sorted(set(regular) | set(extra))
            texts = [
                self._text(i, positions[n - 1] if n else None) for n, i in enumerate(positions)
            ]
            best = (positions, texts)
            if self._fits(positions, texts, unit, pad):
                break
        self._cache[key] = best
        return best

    def _crowds(self, i: int, extra: list[int], unit: float, pad: float) -> bool:
        width = text_width(self._text(i, None), self.fontsize)
        for j in extra:
            other = text_width(str(self.labels[j]), self.fontsize)
            if i != j and abs(i - j) * unit < (width + other) / 2 + pad:
                return True
        return False

    def _fits(self, positions: list[int], texts: list[str], unit: float, pad: float) -> bool:
        if self.rotated:
            widths = [(t.count("\n") + 1) * self.fontsize * 1.2 for t in texts]
        else:
            widths = [text_width(t, self.fontsize) for t in texts]
        for n in range(1, len(positions)):
            gap = (positions[n] - positions[n - 1]) * unit
            if gap < (widths[n] + widths[n - 1]) / 2 + pad:
                return False
        return True


class _PeriodLocator(Locator):
    def __init__(self, ticks: PeriodTicks) -> None:
        self.ticks = ticks

    def __call__(self) -> list[int]:
        return _plan(self.ticks, self.axis)[0]

    def tick_values(self, vmin: float, vmax: float) -> list[int]:
        return [i for i in range(len(self.ticks.labels)) if vmin <= i <= vmax]


class _PeriodFormatter(Formatter):
    def __init__(self, ticks: PeriodTicks) -> None:
        self.ticks = ticks

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        positions, texts = _plan(self.ticks, self.axis)
        lookup = dict(zip(positions, texts, strict=True))
        return [lookup.get(round(v), self(v)) for v in values]

    def __call__(self, x: float, pos: int | None = None) -> str:
        i = round(x)
        return str(self.ticks.labels[i]) if 0 <= i < len(self.ticks.labels) else ""


def _plan(ticks: PeriodTicks, axis: object) -> tuple[list[int], list[str]]:
    if not isinstance(axis, Axis) or axis.axes is None:
        return list(range(len(ticks.labels))), [str(t) for t in ticks.labels]
    axes = axis.axes
    figure = axes.get_figure(root=True)
    dpi = figure.dpi if figure is not None else 72.0
    vmin, vmax = sorted(axis.get_view_interval())
    lo, hi = int(-(-vmin // 1)), int(vmax // 1)
    return ticks.plan(axes.bbox.width * 72.0 / dpi, lo, hi)


def set_period_axis(
    axes: Axes,
    labels: Sequence[str],
    periods: Sequence[pd.Period] | None = None,
    *,
    always: Sequence[int] = (),
    fontsize: float = 8.0,
    rotate: bool = False,
) -> PeriodTicks:
    """Put self-thinning calendar ticks on the x axis of ``axes`` (positions ``0 … n-1``).

    ``rotate`` turns the labels by 90° (for a grid whose every column wants its label, when
    they do not fit side by side); they still thin out if even that is too tight.
    """
    ticks = PeriodTicks(labels, periods, fontsize, always, rotate)
    axes.xaxis.set_major_locator(_PeriodLocator(ticks))
    axes.xaxis.set_major_formatter(_PeriodFormatter(ticks))
    axes.tick_params(axis="x", labelrotation=90 if rotate else 0)
    return ticks
