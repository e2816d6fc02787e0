"""One theme's segmentation read out: levels with intervals, steps and episodes, table rows.

Used by :mod:`topics.trends.changes` once the penalty (the family-wise threshold) has fixed
each theme's change dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ._segment import Grid, merge_gain
from .units import UnitTable, prior_draws

if TYPE_CHECKING:
    from .changes import _Null
    from .settings import ChangeSettings

__all__ = ["_ThemeFit", "_p"]


def _p(null: npt.NDArray[np.float64], observed: float) -> float:
    """Permutation p-value: the share of the null (plus the observation) at least as large."""
    return float((1 + np.count_nonzero(null >= observed - 1e-12)) / (len(null) + 1))


class _ThemeFit:
    """One theme's segmentation: levels, intervals, and its changes as steps and episodes."""

    def __init__(
        self, table: UnitTable, j: int, bounds: list[int], occupied: npt.NDArray[np.bool_]
    ) -> None:
        self.table, self.j, self.bounds, self.occupied = table, j, bounds, occupied
        self.theme = table.themes[j]
        n_segments = len(bounds) - 1
        self.of_period = np.full(len(table.axis), -1, dtype=np.intp)  # −1: outside the test
        for g in range(n_segments):
            self.of_period[bounds[g] : bounds[g + 1]] = g
        groups = self.of_period[table.period]
        inside = groups >= 0
        sums = table.mean_sums()[:, j]

        def total(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return np.bincount(groups[inside], weights=values[inside], minlength=n_segments)

        self.level = total(sums) / total(table.size)
        self.n_docs = total(table.n_docs)
        self.obs_s = table.per_period(sums[:, None])[:, 0][None, :]
        self.obs_n = table.per_period(table.size)[None, :]

    def _first(self, g: int) -> object:
        return self.table.axis[self.bounds[g]]

    def _last(self, g: int) -> object:
        filled = np.flatnonzero(self.occupied[self.bounds[g] : self.bounds[g + 1]])
        return self.table.axis[self.bounds[g] + int(filled[-1])]

    def draws(
        self,
        period_s: npt.NDArray[np.float64],
        period_n: npt.NDArray[np.float64],
        s: ChangeSettings,
    ) -> npt.NDArray[np.float64]:
        """Draw every segment's level ``(B, G)``: its periods' unit draws + one prior unit."""
        onehot = np.zeros((len(self.of_period), len(self.bounds) - 1))  # (T, G)
        inside = np.flatnonzero(self.of_period >= 0)
        onehot[inside, self.of_period[inside]] = 1.0
        keys = [f"{self.theme}\x1f{self._first(g)}\x1f{self._last(g)}"
                for g in range(len(self.bounds) - 1)]  # fmt: skip
        p_s, p_n = prior_draws(self.table, keys, n_boot=s.n_boot, random_state=s.random_state)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(
                (period_s @ onehot + p_s[:, :, self.j]) / (period_n @ onehot + p_n),
                dtype=np.float64,
            )

    def segments(self, draws: npt.NDArray[np.float64], level: float) -> list[dict[str, Any]]:
        """Rows of the segments table."""
        tail = (1 - level) / 2
        return [
            {"theme": self.theme, "segment": g, "start": self._first(g), "end": self._last(g),
             "level": float(self.level[g]), "lo": float(np.quantile(draws[:, g], tail)),
             "hi": float(np.quantile(draws[:, g], 1 - tail)), "n_docs": int(self.n_docs[g])}
            for g in range(len(self.bounds) - 1)
        ]  # fmt: skip

    def locations(
        self,
        period_s: npt.NDArray[np.float64],
        period_n: npt.NDArray[np.float64],
        grid: Grid,
        level: float,
    ) -> list[tuple[object, object]]:
        """``(date_lo, date_hi)`` of every change (inner bound), from bootstrap re-placements.

        In each resample (``period_s``/``period_n``: ``(B, T)`` unit draws) the change between
        segments ``g − 1`` and ``g`` is placed anew at the admissible cut between its
        neighbouring changes that explains the most deviance; ``level`` of the placements fall
        in the interval. A cut after empty periods stands for the whole gap before it, so the
        interval starts at the gap's first period.
        """
        cum = np.concatenate([[0.0], np.cumsum(self.table.per_period(self.table.size))])
        out: list[tuple[object, object]] = []
        tail = (1 - level) / 2
        for g in range(1, len(self.bounds) - 1):
            a, c, b = self.bounds[g - 1], self.bounds[g], self.bounds[g + 1]
            units_a = cum[grid.cuts] - cum[a]
            units_b = cum[b] - cum[grid.cuts]
            ok = (grid.cuts > a) & (grid.cuts < b)
            ok &= (units_a >= grid.min_size) & (units_b >= grid.min_size)
            candidates = grid.cuts[ok]
            if len(candidates) <= 1:
                placed = np.full(len(period_s), c)
            else:
                gains = np.stack(
                    [merge_gain(period_s, period_n, 1.0, (a, int(x), b)) for x in candidates],
                    axis=1,
                )
                placed = candidates[np.argmax(gains, axis=1)]
            first, last = np.quantile(placed, [tail, 1 - tail], method="nearest")
            first, last = min(int(first), c), max(int(last), c)
            out.append((self.table.axis[first - _gap(self.occupied, first)], self.table.axis[last]))
        return out

    def changes(
        self,
        draws: npt.NDArray[np.float64],
        null: _Null,
        level: float,
        adjust: Any,
        where: Sequence[tuple[object, object]],
    ) -> list[dict[str, Any]]:
        """Rows of the changes table: episodes first claim their two boundaries, then steps.

        ``where`` holds the location interval of each inner bound (:meth:`locations`).
        """
        scale = np.array([null.scale[self.j]])
        boundary = []
        for g in range(1, len(self.bounds) - 1):
            triple = (self.bounds[g - 1], self.bounds[g], self.bounds[g + 1])
            gain = float(merge_gain(self.obs_s, self.obs_n, scale, triple)[0])
            again = merge_gain(
                null.perm_s[:, :, self.j], null.perm_n, np.repeat(scale, len(null.perm_n)), triple
            )
            boundary.append(
                {"p_raw": _p(again, gain), "p_adj": adjust(gain), "where": where[g - 1]}
            )
        rows: list[dict[str, Any]] = []
        used: set[int] = set()
        for g in _episodes(self.level):
            used |= {g, g + 1}
            weights = self.n_docs[[g - 1, g + 1]]
            outside = float(self.level[[g - 1, g + 1]] @ weights / weights.sum())
            around = draws[:, [g - 1, g + 1]] @ weights / weights.sum()
            rows.append(
                _row(self.theme, "episode", self._first(g), self._last(g), outside,
                     float(self.level[g]), draws[:, g] - around, level,
                     [boundary[g - 1], boundary[g]], _gap(self.occupied, self.bounds[g]))
            )  # fmt: skip
        for g in range(1, len(self.bounds) - 1):
            if g not in used:
                rows.append(
                    _row(self.theme, "step", self._first(g), None, float(self.level[g - 1]),
                         float(self.level[g]), draws[:, g] - draws[:, g - 1], level,
                         [boundary[g - 1]], _gap(self.occupied, self.bounds[g]))
                )  # fmt: skip
        position = {str(p): i for i, p in enumerate(self.table.axis)}
        return sorted(rows, key=lambda r: position[str(r["date"])])


def _episodes(level: npt.NDArray[np.float64]) -> list[int]:
    """Segments above (or below) both neighbours that the level leaves at least half way.

    Candidates are taken in order of bump size; one whose boundary is already part of an
    accepted episode is skipped (so ``low high low high low`` gives two rises, not a dip).
    """
    found = []
    for g in range(1, len(level) - 1):
        rise, back = level[g] - level[g - 1], level[g + 1] - level[g]
        if rise * back < 0 and abs(level[g + 1] - level[g - 1]) <= 0.5 * abs(rise):
            found.append(g)
    found.sort(key=lambda g: -abs(level[g] - (level[g - 1] + level[g + 1]) / 2))
    chosen: list[int] = []
    for g in found:
        if all(abs(g - other) >= 2 for other in chosen):
            chosen.append(g)
    return sorted(chosen)


def _gap(occupied: npt.NDArray[np.bool_], start: int) -> int:
    """Empty periods immediately before period ``start``."""
    before = occupied[:start][::-1]
    return int(np.argmax(before)) if before.any() else start


def _row(
    theme: str,
    kind: str,
    date: object,
    end: object,
    before: float,
    after: float,
    shift_draws: npt.NDArray[np.float64],
    level: float,
    boundaries: Sequence[Mapping[str, Any]],
    gap: int,
) -> dict[str, Any]:
    lo, hi = np.quantile(shift_draws, [(1 - level) / 2, (1 + level) / 2])
    date_lo, date_hi = boundaries[0]["where"]
    return {
        "theme": theme, "kind": kind, "date": date, "date_lo": date_lo, "date_hi": date_hi,
        "end": end,
        "before": float(before), "after": float(after), "shift": float(after - before),
        "lo": float(lo), "hi": float(hi),
        "p_raw": max(b["p_raw"] for b in boundaries), "p_adj": max(b["p_adj"] for b in boundaries),
        "gap_before": gap,
    }  # fmt: skip
