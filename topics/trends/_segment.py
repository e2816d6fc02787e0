"""Exact segmentation of many weighted rate series at once.

A series is a run of periods with a total ``s_t`` (weighted shares) and a size ``n_t``
(weights); period ``t``'s rate is ``s_t / n_t`` and empty periods have ``n_t = 0``. Splitting
the run into segments with their own rates explains the *gain*

    Σ_segments 2 S_seg log(S_seg / N_seg)  −  2 S log(S / N)     (divided by the dispersion),

the quasi-Poisson deviance the segmentation explains (variance ∝ rate, so a high-rate stretch,
being noisier, is not split as eagerly); every period weighs by its size, so a thin period
weighs as little as its documents. Divided by the theme's dispersion this is about χ²₁ per
change under the null. :func:`best_gains` finds, for every series of a batch and every number
of changes ``k ≤ K``, the largest gain ``G_k`` (segment-neighbourhood dynamic programming,
Auger & Lawrence 1989), with each segment holding at least ``min_size`` units (documents or
articles) and every change placed at a non-empty period (a change inside a gap is dated at the
gap's end; its location interval spans the gap).
:func:`segment` returns the changes of the best segmentation under a penalty per change.
Verified against ``ruptures``' exact dynamic programme in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Grid", "best_gains", "critical_penalty", "merge_gain", "segment", "tested_range"]

_MAX_CELLS = 1 << 23  # batch × cuts² floats held at once


@dataclass(frozen=True)
class Grid:
    """Where segments may start and end.

    Segments are sized by evidence: each holds at least ``min_size`` *units* (documents, or the
    articles of paragraphs), whatever the number of periods they span — so a well-populated
    last period can be a segment of its own. The runs of periods at either edge that hold fewer
    than ``min_size`` units together (a thin first or last week) cannot be a segment, so they
    are left out of the test, listed as not testable, and never pull a boundary towards them.

    Attributes
    ----------
    cuts
        Candidate segment boundaries as period indices: ``lo`` (the first tested period),
        every non-empty period after it up to ``hi``, and ``hi`` (one past the last tested).
    filled
        Units before each cut, counted from ``lo`` (for the ``min_size`` rule).
    min_size
        Fewest units in a segment.

    """

    cuts: npt.NDArray[np.intp]
    filled: npt.NDArray[np.float64]
    min_size: int

    @classmethod
    def from_counts(cls, counts: npt.ArrayLike, min_size: int) -> Grid:
        """Build the grid of a period axis with ``counts[t]`` units in period ``t``."""
        units = np.asarray(counts, dtype=np.float64)
        lo, hi = tested_range(units, min_size)
        inner = np.flatnonzero(units[lo + 1 : hi] > 0) + lo + 1
        cuts = np.concatenate([[lo], inner, [hi]]).astype(np.intp)
        cum = np.concatenate([[0.0], np.cumsum(units)])
        return cls(cuts=cuts, filled=cum[cuts] - cum[lo], min_size=min_size)

    @property
    def lo(self) -> int:
        """First tested period."""
        return int(self.cuts[0])

    @property
    def hi(self) -> int:
        """One past the last tested period."""
        return int(self.cuts[-1])

    @property
    def valid(self) -> npt.NDArray[np.bool_]:
        """``valid[i, j]``: a segment from cut ``i`` to cut ``j`` is allowed."""
        return np.asarray(
            (self.filled[None, :] - self.filled[:, None]) >= self.min_size, dtype=np.bool_
        )

    def testable(self) -> npt.NDArray[np.bool_]:
        """For each inner cut, whether a change there leaves ``min_size`` units both sides."""
        inner = self.filled[1:-1]
        return np.asarray(
            (inner >= self.min_size) & (self.filled[-1] - inner >= self.min_size), dtype=np.bool_
        )


def tested_range(units: npt.NDArray[np.float64], min_size: int) -> tuple[int, int]:
    """``(lo, hi)``: the periods left once the thin runs at both edges are set aside.

    The run of first periods holding fewer than ``min_size`` units together, and likewise at
    the end, can hold no segment; the tested range is what lies between them.
    """
    t = len(units)
    head = np.concatenate([[0.0], np.cumsum(units)])
    tail = np.concatenate([[0.0], np.cumsum(units[::-1])])
    lo = int(np.searchsorted(head, min_size, side="left")) - 1
    back = int(np.searchsorted(tail, min_size, side="left")) - 1
    return min(lo, t), max(t - back, min(lo, t))


def score(total: npt.NDArray[np.float64], size: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Score a segment: twice its quasi-Poisson log-likelihood at its own rate, ``2 S log(S/N)``.

    Summed over segments and minus the same for the whole run, this is the deviance the
    segmentation explains; divided by the dispersion it is ≈ χ²₁ per change under the null.
    Variance ∝ mean suits rates: a high-rate stretch is noisier and is not split as eagerly.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        value = 2.0 * total * np.log(total / size)
    return np.asarray(np.where((total > 0) & (size > 0), value, 0.0), dtype=np.float64)


def _segment_scores(
    sums: npt.NDArray[np.float64],
    sizes: npt.NDArray[np.float64],
    scale: npt.NDArray[np.float64],
    grid: Grid,
) -> npt.NDArray[np.float64]:
    """``Q[b, i, j] = score(S(i, j), N(i, j)) / scale[b]`` for cuts ``i < j``, else −inf."""
    zero = np.zeros((sums.shape[0], 1))
    cs = np.concatenate([zero, np.cumsum(sums, axis=1)], axis=1)[:, grid.cuts]
    cn = np.concatenate([zero, np.cumsum(sizes, axis=1)], axis=1)[:, grid.cuts]
    seg_s = cs[:, None, :] - cs[:, :, None]
    seg_n = cn[:, None, :] - cn[:, :, None]
    scores = score(seg_s, seg_n) / scale[:, None, None]
    scores = np.where(grid.valid[None, :, :] & (seg_n > 0), scores, -np.inf)
    return np.asarray(scores, dtype=np.float64)


def best_gains(
    sums: npt.NDArray[np.float64],
    sizes: npt.NDArray[np.float64],
    scale: npt.NDArray[np.float64],
    grid: Grid,
    max_changes: int,
) -> npt.NDArray[np.float64]:
    """Largest gain with exactly ``k = 0 … K`` changes for each series: ``(batch, K + 1)``.

    ``sums`` and ``sizes`` are ``(batch, T)``; ``scale`` is ``(batch,)``. Infeasible ``k``
    (too few periods) get −inf.
    """
    batch, m = sums.shape[0], len(grid.cuts)
    out = np.full((batch, max_changes + 1), -np.inf)
    step = max(1, _MAX_CELLS // (m * m))
    for start in range(0, batch, step):
        part = slice(start, start + step)
        scores = _segment_scores(sums[part], sizes[part], scale[part], grid)
        whole = scores[:, 0, m - 1]
        best = scores[:, 0, :]  # F_0(j): one segment from 0 to cut j
        out[part, 0] = 0.0
        for k in range(1, max_changes + 1):
            best = np.max(best[:, :, None] + scores, axis=1)
            out[part, k] = best[:, m - 1] - whole
    return out


def critical_penalty(gains: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Return the largest penalty per change that still gives a series a change: ``max_k G_k/k``.

    Below it the penalised segmentation has at least one change; at or above it, none.
    """
    k = np.arange(1, gains.shape[1])
    per_change = np.where(np.isfinite(gains[:, 1:]), gains[:, 1:] / k, -np.inf)
    crit = per_change.max(axis=1) if per_change.shape[1] else np.zeros(gains.shape[0])
    return np.asarray(np.maximum(crit, 0.0), dtype=np.float64)


def segment(
    sums: npt.NDArray[np.float64],
    sizes: npt.NDArray[np.float64],
    scale: float,
    grid: Grid,
    max_changes: int,
    penalty: float,
) -> list[int]:
    """Change positions (period indices) of the best segmentation of one series.

    Minimises ``−gain + penalty · k`` over ``k ≤ max_changes``; ties go to fewer changes.
    """
    scores = _segment_scores(sums[None, :], sizes[None, :], np.array([scale]), grid)[0]
    m = len(grid.cuts)
    best = [scores[0].copy()]
    back: list[npt.NDArray[np.intp]] = []
    for _ in range(max_changes):
        total = best[-1][:, None] + scores
        back.append(np.argmax(total, axis=0).astype(np.intp))
        best.append(np.max(total, axis=0))
    whole = scores[0, m - 1]
    objective = [0.0] + [best[k][m - 1] - whole - penalty * k for k in range(1, max_changes + 1)]
    k_best = int(np.argmax(np.asarray(objective)))
    if k_best == 0 or objective[k_best] <= 0.0:
        return []
    changes: list[int] = []
    j = m - 1
    for k in range(k_best, 0, -1):
        i = int(back[k - 1][j])
        changes.append(int(grid.cuts[i]))
        j = i
    return sorted(changes)


def merge_gain(
    sums: npt.NDArray[np.float64],
    sizes: npt.NDArray[np.float64],
    scale: npt.NDArray[np.float64] | float,
    bounds: tuple[int, int, int],
) -> npt.NDArray[np.float64]:
    """Gain of a change at ``c`` between segments ``[a, c)`` and ``[c, b)``, for each series.

    ``bounds = (a, c, b)`` are period indices; ``sums``/``sizes`` are ``(batch, T)``. This is
    what is lost by removing the change (merging its two segments); with ``scale = 1`` it is
    the deviance the change explains.
    """
    a, c, b = bounds

    def part(lo: int, hi: int) -> npt.NDArray[np.float64]:
        return score(sums[:, lo:hi].sum(axis=1), sizes[:, lo:hi].sum(axis=1))

    return np.asarray((part(a, c) + part(c, b) - part(a, b)) / scale, dtype=np.float64)
