"""Event studies: each theme before and after a known date, with placebos and a pre-trend.

A change the unsupervised test finds answers "did anything change, and when?"; an event study
answers the question a researcher brings: "did the invasion of 24 February 2022 change how this
theme is discussed?". For every theme, :func:`event_study` compares the ``window`` periods
before the event's period with the ``window`` periods from it on.

What is reported, in plain words
--------------------------------
* ``before`` / ``after``: the theme's share of content in the two windows (every document, or
  token, of the window counted once); ``shift = after − before`` with a 95 % Bayesian-bootstrap
  interval ``lo``–``hi`` over units (documents, or the articles of paragraphs), one prior
  pseudo-unit per window as in the trends.
* ``p_raw``: *null* — within the two windows the theme's rate does not depend on the period, so
  the periods of the window's units can be shuffled among them (keeping each period's number of
  units); *statistic* — the quasi-Poisson deviance the before/after split explains, over the
  theme's dispersion between the window's units (as in the change test). Two-sided.
* ``p_adj``: the same, family-wise over the themes tested (Westfall–Young single-step
  max-statistic: the share of shuffles in which *any* theme's statistic reaches this one's).
* ``placebo_p``: the event's rank among placebo dates — the other dates of the series with full
  windows that do not contain the event's period — by the size of the before/after shift
  (``|shift|``): ``(1 + placebos at least as large) / (1 + placebos)``. Small when a contrast
  this large is rare in the series; ``NaN`` when the series has no placebo date.
* ``pretrend``: the slope of the share per period over the pre-window (least squares weighted by
  each period's size), with a 95 % bootstrap interval ``pretrend_lo``–``pretrend_hi``. When the
  interval excludes 0 in the direction of the shift, the rise (or fall) had already begun
  before the event and the shift is not evidence that the event caused it.

The result keeps a ``profile`` — the theme's share in every period of the two windows, by its
position relative to the event, with intervals — for :func:`topics.plots.plot_event`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import defaults
from ..errors import ConfigError
from ..limits import check_count, check_memory
from ..spreadsheet import write_csv
from ._segment import score
from ._theme_fit import _p
from .changes import _dispersion, _permuted_sums
from .settings import ChangeSettings
from .units import UnitTable, bootstrap_means, unit_draws, unit_table

__all__ = ["EVENT_COLUMNS", "PROFILE_COLUMNS", "EventResult", "event_study", "table_event"]

EVENT_COLUMNS = (
    "theme", "event", "window", "before", "after", "shift", "lo", "hi", "p_raw", "p_adj",
    "placebo_p", "pretrend", "pretrend_lo", "pretrend_hi",
)  # fmt: skip
PROFILE_COLUMNS = ("theme", "relative", "period", "share", "lo", "hi", "n_units")
_METHOD = (
    "before/after: the theme's share in the window periods before the event's period and from "
    "it on; shift interval: Bayesian bootstrap over units. p_raw: periods shuffled among the "
    "window's units (null: the rate does not depend on the period within the window), "
    "statistic: deviance of the before/after split over the theme's dispersion; p_adj: "
    "Westfall–Young max over the themes. placebo_p: the event's rank by |shift| among the other "
    "dates whose windows do not contain it. pretrend: weighted least-squares slope per period "
    "over the pre-window with a bootstrap interval (a flag when it excludes 0 in the direction "
    "of the shift)."
)


@dataclass(frozen=True)
class EventResult:
    """What :func:`event_study` found for one event.

    Attributes
    ----------
    table
        One row per theme, columns :data:`EVENT_COLUMNS`.
    profile
        ``theme, relative, period, share, lo, hi, n_units``: every period of the two windows
        (``relative`` −window … window − 1; 0 is the event's period).
    event
        The event as given (a date, as text).
    period
        The period holding the event.
    window
        Periods on each side.
    settings
        The test's settings (permutations, bootstrap draws, level, weighting, seed).
    n_placebos
        Placebo dates the series offered.
    label
        A name for the event (``"invasion of Ukraine"``); the date when none was given.

    """

    table: pd.DataFrame
    profile: pd.DataFrame
    event: str
    period: object
    window: int
    settings: ChangeSettings
    n_placebos: int
    label: str = ""

    def describe(self) -> str:
        """Return a few lines for a terminal or a methods section."""
        s = self.settings
        return (
            f"event {self.event} (period {self.period}), {self.window} periods each side; "
            f"{s.n_perm} shuffles, {s.n_boot} bootstrap draws, {self.n_placebos} placebo dates, "
            f"seed {s.random_state}\n{_METHOD}"
        )

    def flagged(self) -> list[str]:
        """Themes whose pre-window trend already points the way of their shift."""
        t = self.table
        rising = (t["shift"] > 0) & (t["pretrend_lo"] > 0)
        falling = (t["shift"] < 0) & (t["pretrend_hi"] < 0)
        return [str(x) for x in t.loc[rising | falling, "theme"]]

    def to_dict(self) -> dict[str, Any]:
        """Return the settings, the method and the event as JSON values (manifests)."""
        return {
            "event": self.event,
            "label": self.label or self.event,
            "period": str(self.period),
            "window": self.window,
            "settings": asdict(self.settings),
            "method": _METHOD,
            "placebos": self.n_placebos,
            "pretrend_flagged": self.flagged(),
        }

    def save(self, folder: str | Path, name: str = "event") -> list[Path]:
        """Write ``NAME.csv``, ``NAME.profile.csv`` and ``NAME.json`` into ``folder``."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        table, profile = out / f"{name}.csv", out / f"{name}.profile.csv"
        write_csv(self.table, table, float_format="%.6g")
        write_csv(self.profile.astype({"period": str}), profile, float_format="%.6g")
        meta = out / f"{name}.json"
        meta.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return [table, profile, meta]


def event_study(
    shares: pd.DataFrame,
    periods: pd.DataFrame,
    date: object,
    *,
    window: int | None = None,
    units: pd.Series | None = None,
    axis: Sequence[object] | None = None,
    settings: ChangeSettings | None = None,
    label: str | None = None,
    **overrides: Any,
) -> EventResult:
    """Compare every theme's share in ``window`` periods before and after ``date``.

    Parameters
    ----------
    shares, periods
        ``doc_id, theme, share, weight`` (from any theme measure) and ``id, period`` for the
        documents.
    date
        The event: a date (``"2022-02-24"``) or a period label of the axis.
    window
        Periods on each side of the event (the event's period opens the after-window);
        default: the largest that fits the series on both sides, at most
        :data:`topics.defaults.EVENT_WINDOW`.
    units
        Unit id by document id (the ``parent_id`` of paragraphs); default: each document.
    axis
        The complete ordered period axis (default: from the periods, gaps filled).
    settings
        A :class:`~topics.trends.ChangeSettings`: ``n_perm``, ``n_boot``, ``level``,
        ``weighting`` and ``random_state`` are used.
    label
        A name for the event, kept with the result (figures, explorer, manifests).
    **overrides
        Fields of the settings to replace, e.g. ``n_perm=4999``.

    Returns
    -------
    EventResult

    Raises
    ------
    ConfigError
        The date lies outside the series, or the window does not fit on one side of it.

    """
    chosen = ChangeSettings(**{**(asdict(settings) if settings else {}), **overrides})
    table = unit_table(shares, periods, weighting=chosen.weighting, units=units, axis=axis)
    return table_event(table, date, window=window, settings=chosen, label=label)


def table_event(
    table: UnitTable,
    date: object,
    *,
    window: int | None = None,
    settings: ChangeSettings | None = None,
    label: str | None = None,
) -> EventResult:
    """:func:`event_study` from a unit table (e.g. merged from the chunks of a dataset)."""
    s = settings or ChangeSettings()
    s.validate()
    e = event_index(table.axis, date)
    n_periods = len(table.axis)
    if window is None:
        window = min(e, n_periods - e, defaults.EVENT_WINDOW)
        if window < 1:
            raise ConfigError(
                f"{date} falls in the first period of the series ({table.axis[e]}): there is "
                "no period before it to compare with"
            )
    check_count(window, "window")
    if e - window < 0 or e + window > n_periods:
        before, after = e, n_periods - e
        raise ConfigError(
            f"window {window} does not fit around {date} (period {table.axis[e]}): the series "
            f"has {before} periods before it and {after} from it on; use window ≤ "
            f"{max(min(before, after), 0)}"
        )
    sums = table.mean_sums()
    period_s = table.per_period(sums)  # (T, J)
    period_n = table.per_period(table.size)  # (T,)
    a, b = e - window, e + window
    obs = _contrast(period_s[None, a:b].transpose(0, 2, 1), period_n[None, a:b], window)[0]
    inside = (table.period >= a) & (table.period < b)
    local = _subtable(table, inside, a, b)
    scale = _dispersion(local, local.mean_sums(), 1.0)
    per_perm = 8.0 * 2 * window * (2 * len(table.themes) + 1)
    check_memory(
        per_perm * s.n_perm, f"the shuffles of {len(table.themes)} themes × {2 * window} periods",
        name="n_perm", value=s.n_perm, per_unit=per_perm,
    )  # fmt: skip
    rng = np.random.default_rng(s.random_state)
    perm_s, perm_n = _permuted_sums(local, local.mean_sums(), s.n_perm, rng)
    null = _contrast(perm_s.transpose(0, 2, 1), perm_n, window) / scale
    gain = obs / scale
    p_raw = np.array([_p(null[:, j], gain[j]) for j in range(len(gain))])
    family = null.max(axis=1)
    p_adj = np.array([_p(family, g) for g in gain])
    groups = np.full(len(table.period), -1, dtype=np.intp)
    groups[inside] = (table.period[inside] >= e).astype(np.intp)
    keys = [f"event\x1f{table.axis[e]}\x1f{window}\x1f{side}" for side in ("before", "after")]
    means = bootstrap_means(
        table, groups, keys, n_boot=s.n_boot, random_state=s.random_state
    )  # (B, 2, J)
    level = np.array(
        [period_s[a:e].sum(axis=0) / period_n[a:e].sum(), period_s[e:b].sum(axis=0)
         / period_n[e:b].sum()]
    )  # fmt: skip
    lo, hi = _interval(means[:, 1, :] - means[:, 0, :], s.level)
    boot_s, boot_n = unit_draws(
        table, table.period, n_periods, n_boot=s.n_boot, random_state=s.random_state
    )
    slope, slope_draws = _pretrend(period_s[a:e], period_n[a:e], boot_s[:, a:e], boot_n[:, a:e])
    placebo, n_placebos = _placebo(period_s, period_n, e, window, level[1] - level[0])
    pre_lo, pre_hi = _interval(slope_draws, s.level)
    rows = pd.DataFrame(
        {
            "theme": table.themes, "event": str(date), "window": window,
            "before": level[0], "after": level[1], "shift": level[1] - level[0],
            "lo": lo, "hi": hi, "p_raw": p_raw, "p_adj": p_adj, "placebo_p": placebo,
            "pretrend": slope, "pretrend_lo": pre_lo, "pretrend_hi": pre_hi,
        },
        columns=list(EVENT_COLUMNS),
    )  # fmt: skip
    profile = _profile(table, a, b, e, s)
    return EventResult(
        rows, profile, str(date), table.axis[e], window, s, n_placebos, label or str(date)
    )


def event_index(axis: Sequence[object], date: object) -> int:
    """Index of the period of ``axis`` that holds ``date`` (a date or a period label)."""
    labels = [str(p) for p in axis]
    if str(date) in labels:
        return labels.index(str(date))
    try:
        moment = pd.Timestamp(str(date))
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"event date {date!r} is not a date (write it as 2022-02-24)") from exc
    for i, period in enumerate(axis):
        start, end = _bounds(period)
        if start is not None and end is not None and start <= moment <= end:
            return i
    first, last = labels[0] if labels else "?", labels[-1] if labels else "?"
    raise ConfigError(
        f"event date {date} lies outside the series ({first} … {last}); choose a date inside it"
    )


def _bounds(period: object) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last moment of a period given as a ``pandas.Period`` or its label."""
    if isinstance(period, pd.Period):
        return period.start_time, period.end_time
    text = str(period)
    try:
        if "/" in text:  # a week written as its first and last day
            first, last = text.split("/", 1)
            return pd.Timestamp(first), pd.Timestamp(last) + pd.Timedelta(days=1, microseconds=-1)
        found = pd.Period(text)
        return found.start_time, found.end_time
    except (ValueError, TypeError):
        return None, None


def _contrast(
    sums: npt.NDArray[np.float64], sizes: npt.NDArray[np.float64], window: int
) -> npt.NDArray[np.float64]:
    """Deviance of the before/after split: ``sums (B, J, 2W)``, ``sizes (B, 2W)`` → ``(B, J)``."""
    n_before, n_after = sizes[:, :window].sum(axis=1), sizes[:, window:].sum(axis=1)
    s_before, s_after = sums[:, :, :window].sum(axis=2), sums[:, :, window:].sum(axis=2)
    whole = score(s_before + s_after, (n_before + n_after)[:, None])
    split = score(s_before, n_before[:, None]) + score(s_after, n_after[:, None])
    return np.asarray(split - whole, dtype=np.float64)


def _subtable(table: UnitTable, inside: npt.NDArray[np.bool_], a: int, b: int) -> UnitTable:
    return UnitTable(
        themes=table.themes,
        axis=table.axis[a:b],
        period=table.period[inside] - a,
        keys=table.keys[inside],
        sums=table.sums[:, inside],
        size=table.size[inside],
        n_docs=table.n_docs[inside],
        n_unplaced=0,
    )


def _slopes(rates: npt.NDArray[np.float64], sizes: npt.NDArray[np.float64]) -> Any:
    """Weighted least-squares slope per period: ``rates (…, W, J)``, ``sizes (…, W)``."""
    x = np.arange(rates.shape[-2], dtype=np.float64)
    w = np.where(sizes > 0, sizes, 0.0)
    total = w.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        xm = (w * x).sum(axis=-1, keepdims=True) / total
        dx = x - xm  # (…, W)
        r = np.where(np.isfinite(rates), rates, 0.0)
        rm = (w[..., None] * r).sum(axis=-2, keepdims=True) / total[..., None]
        num = (w[..., None] * dx[..., None] * (r - rm)).sum(axis=-2)
        den = (w * dx * dx).sum(axis=-1)[..., None]
        return np.where(den > 0, num / den, np.nan)


def _pretrend(
    period_s: npt.NDArray[np.float64],
    period_n: npt.NDArray[np.float64],
    boot_s: npt.NDArray[np.float64],
    boot_n: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Slope of the share over the pre-window and its bootstrap draws ``(B, J)``."""
    if int((period_n > 0).sum()) < 2:
        nan = np.full(period_s.shape[1], np.nan)
        return nan, np.full((len(boot_n), period_s.shape[1]), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = period_s / period_n[:, None]
        draws = boot_s / boot_n[:, :, None]
    return (
        np.asarray(_slopes(rates, period_n), dtype=np.float64),
        np.asarray(_slopes(draws, boot_n), dtype=np.float64),
    )


def _placebo(
    period_s: npt.NDArray[np.float64],
    period_n: npt.NDArray[np.float64],
    e: int,
    window: int,
    shift: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], int]:
    """Rank of ``|shift|`` among the dates whose windows do not hold the event's period."""
    found = []
    for d in range(window, len(period_n) - window + 1):
        if d - window <= e < d + window:
            continue
        n_before, n_after = period_n[d - window : d].sum(), period_n[d : d + window].sum()
        if n_before <= 0 or n_after <= 0:
            continue
        found.append(
            period_s[d : d + window].sum(axis=0) / n_after
            - period_s[d - window : d].sum(axis=0) / n_before
        )
    if not found:
        return np.full(len(shift), np.nan), 0
    contrasts = np.abs(np.array(found))  # (P, J)
    larger = (contrasts >= np.abs(shift)[None, :] - 1e-15).sum(axis=0)
    return (1.0 + larger) / (1.0 + len(found)), len(found)


def _profile(table: UnitTable, a: int, b: int, e: int, s: ChangeSettings) -> pd.DataFrame:
    """Every period of the two windows: share and interval, by position relative to the event."""
    groups = np.where((table.period >= a) & (table.period < b), table.period - a, -1)
    keys = [f"event-period\x1f{table.axis[t]}" for t in range(a, b)]
    draws = bootstrap_means(table, groups, keys, n_boot=s.n_boot, random_state=s.random_state)
    sums = table.per_period(table.mean_sums())[a:b]
    sizes = table.per_period(table.size)[a:b]
    counts = np.bincount(table.period, minlength=len(table.axis))[a:b]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(counts[:, None] > 0, sums / sizes[:, None], np.nan)
    lo, hi = np.where(counts[:, None] > 0, _interval(draws, s.level), np.nan)
    rows = [
        {"theme": theme, "relative": a + k - e, "period": table.axis[a + k],
         "share": float(share[k, j]), "lo": float(lo[k, j]), "hi": float(hi[k, j]),
         "n_units": int(counts[k])}
        for j, theme in enumerate(table.themes) for k in range(b - a)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=list(PROFILE_COLUMNS))


def _interval(
    draws: npt.NDArray[np.float64], level: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Percentile interval of ``level`` over the first axis; NaN (silently) where no draw is finite.

    A slope over a one-period pre-window, or a period without units, has no draws.
    """
    tail = (1 - level) / 2
    lo = np.full(draws.shape[1:], np.nan)
    hi = np.full(draws.shape[1:], np.nan)
    known = np.isfinite(draws).any(axis=0)
    if known.any():
        lo[known], hi[known] = np.nanquantile(draws[:, known], [tail, 1 - tail], axis=0)
    return lo, hi
