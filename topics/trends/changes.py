"""Calibrated change detection in theme prevalence: steps and episodes, several per theme.

What is tested, in plain words
------------------------------
*Null hypothesis*: a theme's rate does not depend on the period — any period's documents
are as likely to use it as any other's. Under this null the dates could be shuffled across
documents without changing anything, so the test builds its reference distribution exactly
that way: it permutes the periods across *units* (documents, or whole articles when the corpus
is segmented into paragraphs), keeping how many units each period has. Thin periods therefore
carry their own noise into the reference distribution and cannot make a change alone.

*Statistic*: each theme's series of period means is segmented by quasi-Poisson deviance (a
rate's variance grows with its level), every period weighted by its documents (or tokens), with
a penalty per change (:mod:`._segment`). The evidence for a change is the deviance it explains
divided by the theme's dispersion between units (≈ χ²₁ per change under the null). Up to
``max_changes`` changes per theme are found; a segment above (or below) both neighbours to
which the level returns at least half way is reported as an *episode* (a rise and a fall),
every other change as a *step*.

*Correction* (``correction="fwer"``, the default): the penalty is the (1 − α) quantile, over
permuted corpora, of the largest penalty at which *any theme at any date with any number of
changes* would still show a change — a Westfall–Young max-statistic over the whole family
(every theme × every candidate date). So with probability ≥ 1 − α no change at all is reported
when no theme changes. ``p_adj`` of a change is the share of permuted corpora whose strongest
spurious evidence anywhere in the family reaches this change's evidence; ``p_raw`` compares the
change's own contrast (its two adjacent segments) with the same contrast in permuted corpora, as
if it had been the only one tested. ``correction="fdr"`` instead selects themes by
Benjamini–Hochberg on per-theme p-values (each already corrected across dates) and finds the
changes of a selected theme at level α·R/m (Benjamini & Bogomolov 2014), controlling the false
discovery rate across themes.

*Edges and gaps*: a segment holds at least ``min_size`` *units* (documents, or articles), however
many periods that takes — so a well-populated last period can be a segment of its own and a
change into it is tested, at the same family-wise level (the permutation null covers every
admissible segmentation). The runs of periods at either edge holding fewer than ``min_size``
units together are set aside: listed in :attr:`ChangeResult.untestable`, never absorbed into a
boundary elsewhere. Empty periods stay on the axis as gaps; a change after a gap is dated at the
first period with documents and ``gap_before`` says how many empty periods precede it.

*Where*: every change has a location interval ``date_lo``–``date_hi``: in each of the
Bayesian-bootstrap resamples of the units the change is placed anew between its neighbouring
changes; the interval holds 95 % of the placements, and starts in the gap when a placement
follows empty periods (the change may have happened anywhere in the gap). Shifts get
Bayesian-bootstrap intervals over units (:func:`.units.bootstrap_means`), conditional on the
detected dates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from ..errors import ConfigError
from ..limits import check_memory
from ..spreadsheet import write_csv
from ._segment import Grid, best_gains, critical_penalty, segment
from ._theme_fit import _p, _ThemeFit
from .settings import ChangeSettings
from .units import UnitTable, unit_draws, unit_table

__all__ = ["CHANGE_COLUMNS", "ChangeResult", "ChangeSettings", "detect_changes", "table_changes"]

CHANGE_COLUMNS = (
    "theme", "kind", "date", "date_lo", "date_hi", "end", "before", "after", "shift", "lo", "hi",
    "p_raw", "p_adj", "gap_before",
)  # fmt: skip
SEGMENT_COLUMNS = ("theme", "segment", "start", "end", "level", "lo", "hi", "n_docs")
_METHOD = {
    "null": "theme shares do not depend on the period: periods permuted across units "
    "(documents, or the articles paragraphs come from), keeping each period's number of units",
    "statistic": "penalised segmentation of the period means (quasi-Poisson deviance, each "
    "period weighted by its documents); evidence = deviance a change explains over the theme's "
    "dispersion between units",
    "fwer": "Westfall–Young max-statistic over every theme × every candidate date × up to "
    "max_changes changes (family-wise error ≤ alpha)",
    "fdr": "Benjamini–Hochberg across themes on per-theme p-values (each corrected across "
    "dates), changes of selected themes at level alpha·R/m (Benjamini–Bogomolov)",
    "interval": "Bayesian bootstrap over units with one prior pseudo-unit from the corpus, "
    "conditional on the detected dates",
    "location": "date_lo–date_hi: where the change lies in 95 % of Bayesian-bootstrap "
    "resamples of the units, each change re-placed between its neighbouring changes; a change "
    "after empty periods may lie anywhere in the gap, so its interval starts in the gap",
}


@dataclass(frozen=True)
class ChangeResult:
    """Changes found by :func:`detect_changes`, with the evidence behind them.

    Attributes
    ----------
    changes
        One row per step or episode: ``theme, kind, date, end, before, after, shift, lo, hi,
        p_raw, p_adj, gap_before``. ``date`` is the first period after a step (an episode's
        first period), ``end`` an episode's last period; ``before``/``after`` are the levels
        either side (for an episode: outside and inside), ``shift = after − before`` with its
        interval ``lo, hi``.
    segments
        ``theme, segment, start, end, level, lo, hi, n_docs``: each theme's piecewise-constant
        fit.
    themes
        ``theme, evidence, p_theme, p_adj, n_changes``: per theme, the strongest evidence for
        any change, its p-value corrected across dates and, ``p_adj``, across the family.
    untestable
        ``period, reason``: periods where a change cannot be tested (too near an edge).
    settings
        The settings used.
    penalty
        The calibrated penalty per change (χ²-like units) for ``fwer``; per theme for ``fdr``
        (in :attr:`themes`).

    """

    changes: pd.DataFrame
    segments: pd.DataFrame
    themes: pd.DataFrame
    untestable: pd.DataFrame
    settings: ChangeSettings
    penalty: float

    def method(self) -> dict[str, str]:
        """Return the null, statistic, correction and interval in plain words."""
        return {
            "null": _METHOD["null"],
            "statistic": _METHOD["statistic"],
            "correction": _METHOD[self.settings.correction],
            "interval": _METHOD["interval"],
            "location": _METHOD["location"],
        }

    def describe(self) -> str:
        """Return a few lines for a terminal or a methods section."""
        s = self.settings
        lines = [f"{k}: {v}" for k, v in self.method().items()]
        lines.append(
            f"alpha {s.alpha}, {s.n_perm} permutations, segments ≥ {s.min_size} units "
            f"(documents or articles), ≤ {s.max_changes} changes per theme, seed {s.random_state}"
        )
        if len(self.untestable):
            listed = ", ".join(str(p) for p in self.untestable["period"])
            lines.append(
                f"not testable here (fewer than {s.min_size} units before or from them): {listed}"
            )
        return "\n".join(lines)

    def summary(self) -> str:
        """Return the changes found (or that none was) and :meth:`describe`: what a command prints.

        ``topics changes`` and ``topics report`` both print this.
        """
        found = (
            self.changes.to_string(index=False, float_format=lambda v: f"{v:.4g}")
            if len(self.changes)
            else f"no change at family-wise level {self.settings.alpha}"
        )
        return f"{found}\n{self.describe()}"

    def to_dict(self) -> dict[str, Any]:
        """Return settings, method, penalty and per-theme evidence as JSON values (manifests).

        Infinite or missing numbers (no change testable) become ``null``.
        """
        themes = [
            {k: _json_number(v) if k != "theme" else str(v) for k, v in row.items()}
            for row in self.themes.to_dict(orient="records")
        ]
        return {
            "settings": asdict(self.settings),
            "method": self.method(),
            "penalty": _json_number(self.penalty),
            "themes": themes,
            "untestable": [str(p) for p in self.untestable["period"]],
        }

    def save(self, folder: str | Path) -> list[Path]:
        """Write ``changes.csv``, ``segments.csv``, ``themes.csv`` and ``changes.json``."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in ("changes", "segments", "themes"):
            frame: pd.DataFrame = getattr(self, name)
            path = out / f"{name}.csv"
            text = frame.astype({c: str for c in ("date", "end", "start") if c in frame})
            write_csv(text, path, float_format="%.6g")
            written.append(path)
        meta = out / "changes.json"
        meta.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return [*written, meta]


def _json_number(value: object) -> float | int | None:
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return None
    return int(number) if isinstance(value, (int, np.integer)) else number


def _permuted_sums(
    table: UnitTable, sums: npt.NDArray[np.float64], n_perm: int, rng: np.random.Generator
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Period totals of every theme and the sizes under ``n_perm`` permutations of periods.

    Returns ``(B, T, J)`` and ``(B, T)``; permutations are processed in blocks so that memory
    stays bounded for large corpora.
    """
    t, u = len(table.axis), table.n_units
    per = np.empty((n_perm, t, sums.shape[1]))
    size = np.empty((n_perm, t))
    block = max(1, (1 << 22) // max(u, 1))
    for start in range(0, n_perm, block):
        count = min(block, n_perm - start)
        labels = np.stack([rng.permutation(table.period) for _ in range(count)])
        rows = (labels + (np.arange(count) * t)[:, None]).ravel()
        onehot = sp.csr_matrix(
            (np.ones(count * u), (rows, np.tile(np.arange(u), count))), shape=(count * t, u)
        )
        per[start : start + count] = np.asarray(onehot @ sums).reshape(count, t, -1)
        size[start : start + count] = np.asarray(onehot @ table.size).reshape(count, t)
    return per, size


def _dispersion(
    table: UnitTable, sums: npt.NDArray[np.float64], fallback: float = math.inf
) -> npt.NDArray[np.float64]:
    """Per theme quasi-Poisson dispersion ``Σ_u (s_u − m n_u)² / (m Σ_u n_u)`` (clusters kept).

    ``fallback`` where it is not a positive number (a theme without variation).
    """
    mean = sums.sum(axis=0) / max(table.size.sum(), 1e-300)
    resid = sums - np.outer(table.size, mean)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = (resid**2).sum(axis=0) / (mean * table.size.sum())
    return np.asarray(np.where(np.isfinite(phi) & (phi > 0), phi, fallback), dtype=np.float64)


def _quantile_penalty(null: npt.NDArray[np.float64], alpha: float) -> float:
    """Return the smallest penalty whose exceedance p-value is ≤ alpha (∞ when none is)."""
    ordered = np.sort(null)
    rank = math.ceil((1 - alpha) * (len(null) + 1) - 1e-9)
    return float(ordered[rank - 1]) if rank <= len(ordered) else math.inf


def _bh(p: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    order = np.argsort(p, kind="stable")
    m = len(p)
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1].clip(max=1.0)
    out = np.empty(m)
    out[order] = adjusted
    return out


def detect_changes(
    shares: pd.DataFrame,
    periods: pd.DataFrame,
    *,
    units: pd.Series | None = None,
    axis: Sequence[object] | None = None,
    settings: ChangeSettings | None = None,
    **overrides: Any,
) -> ChangeResult:
    """Find steps and episodes in every theme's prevalence, family-wise calibrated.

    See the module docstring for the null, the statistic, the correction and the edge rules.

    Parameters
    ----------
    shares
        ``doc_id, theme, share, weight`` (from any theme measure).
    periods
        ``id, period`` for the documents.
    units
        Unit id by document id: documents that are resampled and permuted together (the
        ``parent_id`` of paragraphs). Default: each document is a unit.
    axis
        The complete ordered period axis (default: from the periods, calendar gaps filled).
    settings
        A :class:`ChangeSettings` (default: the defaults).
    **overrides
        Fields of :class:`ChangeSettings` to replace, e.g. ``alpha=0.01, n_perm=4999``.

    Returns
    -------
    ChangeResult

    """
    unknown = set(overrides) - set(ChangeSettings.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"unknown change-test settings {sorted(unknown)}")
    chosen = ChangeSettings.pick({**asdict(settings or ChangeSettings()), **overrides})
    table = unit_table(shares, periods, weighting=chosen.weighting, units=units, axis=axis)
    return table_changes(table, chosen)


def table_changes(table: UnitTable, settings: ChangeSettings | None = None) -> ChangeResult:
    """:func:`detect_changes` from a unit table (the merged sufficient statistics of chunks).

    The table's weighting must be the one ``settings`` names (it was fixed when the table was
    summed).
    """
    chosen = ChangeSettings.pick(asdict(settings or ChangeSettings()))
    chosen.validate()
    return _run(table, chosen)


@dataclass(frozen=True)
class _Null:
    """The permutation reference distribution of one family of series."""

    perm_s: npt.NDArray[np.float64]  # (B, T, J) period totals
    perm_n: npt.NDArray[np.float64]  # (B, T) period sizes
    per_theme: npt.NDArray[np.float64]  # (B, J) critical penalties
    scale: npt.NDArray[np.float64]  # (J,) unit variances

    @property
    def family(self) -> npt.NDArray[np.float64]:
        return np.asarray(self.per_theme.max(axis=1), dtype=np.float64)


def _run(table: UnitTable, s: ChangeSettings) -> ChangeResult:
    rng = np.random.default_rng(s.random_state)
    sums = table.mean_sums()  # (U, J)
    n_themes, n_periods = len(table.themes), len(table.axis)
    obs_s = table.per_period(sums).T  # (J, T)
    obs_n = np.tile(table.per_period(table.size), (n_themes, 1))
    per_period = np.bincount(table.period, minlength=n_periods)
    occupied = per_period > 0
    grid = Grid.from_counts(per_period, s.min_size)
    untestable = _untestable(table.axis, per_period, grid)
    if grid.filled[-1] < 2 * s.min_size:
        return _empty_result(table, s, untestable)
    scale = _dispersion(table, sums)
    per_perm = 8.0 * n_periods * (4 * n_themes + 2)  # sums, sizes and the segmentation's copies
    check_memory(
        per_perm * s.n_perm, f"the permutation null of {n_themes} themes × {n_periods} periods",
        name="n_perm", value=s.n_perm, per_unit=per_perm,
    )  # fmt: skip
    perm_s, perm_n = _permuted_sums(table, sums, s.n_perm, rng)
    flat = best_gains(
        perm_s.transpose(0, 2, 1).reshape(-1, n_periods),
        np.repeat(perm_n, n_themes, axis=0),
        np.tile(scale, s.n_perm),
        grid,
        s.max_changes,
    )
    null = _Null(perm_s, perm_n, critical_penalty(flat).reshape(s.n_perm, n_themes), scale)
    evidence = critical_penalty(best_gains(obs_s, obs_n, scale, grid, s.max_changes))
    p_theme = np.array([_p(null.per_theme[:, j], evidence[j]) for j in range(n_themes)])
    if s.correction == "fwer":
        penalty = _quantile_penalty(null.family, s.alpha)
        penalties = np.full(n_themes, penalty)
        theme_adj = np.array([_p(null.family, e) for e in evidence])
        selected = n_themes
    else:
        theme_adj = _bh(p_theme)
        selected = int((theme_adj <= s.alpha).sum())
        level = s.alpha * max(selected, 1) / n_themes
        penalties = np.array(
            [_quantile_penalty(null.per_theme[:, j], level) if theme_adj[j] <= s.alpha
             else math.inf for j in range(n_themes)]
        )  # fmt: skip
        penalty = float(np.min(penalties))

    def adjust(j: int, gain: float) -> float:
        if s.correction == "fwer":
            return _p(null.family, gain)
        within = _p(null.per_theme[:, j], gain) * n_themes / max(selected, 1)
        return float(min(1.0, max(theme_adj[j], within)))

    boot_s, boot_n = unit_draws(
        table, table.period, n_periods, n_boot=s.n_boot, random_state=s.random_state
    )
    changes: list[dict[str, Any]] = []
    segments: list[dict[str, Any]] = []
    counts = []
    for j in range(n_themes):
        cuts = (
            segment(obs_s[j], obs_n[j], float(scale[j]), grid, s.max_changes, penalties[j])
            if math.isfinite(penalties[j])
            else []
        )
        fit = _ThemeFit(table, j, [grid.lo, *cuts, grid.hi], occupied)
        draws = fit.draws(boot_s[:, :, j], boot_n, s)
        segments += fit.segments(draws, s.level)
        where = fit.locations(boot_s[:, :, j], boot_n, grid, s.level)
        rows = fit.changes(draws, null, s.level, lambda gain, j=j: adjust(j, gain), where)
        changes += rows
        counts.append(len(rows))
    themes = pd.DataFrame(
        {"theme": table.themes, "evidence": evidence, "p_theme": p_theme, "p_adj": theme_adj,
         "penalty": penalties, "n_changes": counts}
    )  # fmt: skip
    return ChangeResult(
        changes=pd.DataFrame(changes, columns=list(CHANGE_COLUMNS)),
        segments=pd.DataFrame(segments, columns=list(SEGMENT_COLUMNS)),
        themes=themes,
        untestable=untestable,
        settings=s,
        penalty=float(penalty),
    )


def _untestable(axis: Sequence[object], counts: npt.NDArray[np.int64], grid: Grid) -> pd.DataFrame:
    """Periods with documents where a change cannot be tested: too few units on one side."""
    cum = np.concatenate([[0], np.cumsum(counts)])
    first = int(np.flatnonzero(counts)[0]) if counts.any() else 0
    rows = []
    for t in np.flatnonzero(counts):
        if t == first:
            continue  # where the series starts: nothing before it to change from
        inside = grid.lo < t < grid.hi
        before = cum[t] - cum[grid.lo] if inside else cum[t]
        after = cum[grid.hi] - cum[t] if inside else cum[-1] - cum[t]
        if inside and before >= grid.min_size and after >= grid.min_size:
            continue
        side = "before" if before < grid.min_size else "from"
        rows.append(
            {"period": axis[int(t)],
             "reason": f"fewer than {grid.min_size} units (documents or articles) {side} it"}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=["period", "reason"])


def _empty_result(table: UnitTable, s: ChangeSettings, untestable: pd.DataFrame) -> ChangeResult:
    nan = np.full(len(table.themes), np.nan)
    return ChangeResult(
        changes=pd.DataFrame(columns=list(CHANGE_COLUMNS)),
        segments=pd.DataFrame(columns=list(SEGMENT_COLUMNS)),
        themes=pd.DataFrame(
            {
                "theme": table.themes,
                **dict.fromkeys(("evidence", "p_theme", "p_adj", "penalty"), nan),
                "n_changes": 0,
            }
        ),
        untestable=untestable,
        settings=s,
        penalty=math.inf,
    )
