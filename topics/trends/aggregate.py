"""Theme prevalence per period with honest intervals, gaps and thin periods kept visible.

:func:`prevalence` turns document-level theme shares (``doc_id, theme, share, weight``) into
shares per period, normalised by each period's volume:

* ``weighting="documents"`` — the mean of the documents' shares (each document counts once);
* ``weighting="tokens"`` — total theme tokens / total tokens (long documents count more).

Intervals are percentile intervals of a Bayesian bootstrap over *units* within each period
(documents, or the articles paragraphs come from — their paragraphs are not independent),
with one prior pseudo-unit drawn from the whole corpus per period and draw
(:func:`.units.bootstrap_means`). A period of one document, or one where the theme never
occurs, so gets an interval of honest width rather than ``[x, x]`` or ``[0, 0]``; for a period
of ``n`` units the prior weighs about ``1 / (n + 1)``; an interval always holds the observed
share (it is widened to it when the prior pulls every draw to one side). Every calendar
period between the first and the last is a row: empty periods have ``n_docs = 0``, no
estimate and ``empty = True`` (a gap stays a gap). Periods with fewer than ``min_docs``
units — independent pieces of evidence: documents, or articles for paragraphs — are flagged
``few_docs``; the first and last periods are flagged ``partial`` when
the corpus starts after the first period begins or ends before the last one ends.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, TypedDict, Unpack

import numpy as np
import pandas as pd

from .settings import TrendSettings
from .units import Draws, UnitTable, Weighting, bootstrap_means, unit_table

__all__ = ["TREND_COLUMNS", "prevalence", "table_prevalence"]

TREND_COLUMNS = (
    "period", "theme", "share", "lo", "hi", "n_docs", "n_units", "few_docs", "partial", "empty",
)  # fmt: skip


class TrendFields(TypedDict, total=False):
    """Settings fields :func:`prevalence` and :func:`table_prevalence` take as keywords.

    Each replaces that field of :class:`~topics.trends.TrendSettings`; ``None`` keeps it.
    """

    weighting: Weighting | None
    n_boot: int | None
    level: float | None
    min_docs: int | None
    random_state: int | None


def _period_column(axis: Sequence[object], repeat: int) -> pd.Series:
    """Each period ``repeat`` times, with a period dtype for calendar periods (else objects)."""
    values = pd.Series(np.repeat(np.asarray(axis, dtype=object), repeat), dtype=object)
    first = axis[0] if len(axis) else None
    if isinstance(first, pd.Period) and all(isinstance(p, pd.Period) for p in axis):
        return values.astype(pd.PeriodDtype(first.freqstr))
    return values


def prevalence(
    shares: pd.DataFrame,
    periods: pd.DataFrame,
    *,
    settings: TrendSettings | None = None,
    dates: pd.Series | None = None,
    units: pd.Series | None = None,
    axis: Sequence[object] | None = None,
    **fields: Unpack[TrendFields],
) -> pd.DataFrame:
    """Theme share per period with Bayesian-bootstrap intervals (see the module docstring).

    Parameters
    ----------
    shares
        Tidy ``doc_id, theme, share, weight`` (from any theme measure). With a ``seed`` column
        (the same documents scored by models fitted with different seeds) the point estimate
        averages over seeds and every bootstrap replicate also draws a seed, so the intervals
        carry model-seed uncertainty as well as sampling uncertainty.
    periods
        ``id, period`` (e.g. :func:`topics.corpus.assign_periods`); documents without a period
        are left out (and counted in ``n_unplaced`` of the result's attributes).
    settings
        A :class:`~topics.trends.TrendSettings` (default: the defaults of
        :mod:`topics.defaults`); the keywords below replace its fields.
    weighting
        ``"documents"`` or ``"tokens"`` (see module docstring) — an explicit choice.
    n_boot, level
        Bootstrap replicates and interval level.
    min_docs
        Periods with fewer units (documents; articles when ``units`` groups paragraphs) are
        flagged ``few_docs``.
    random_state
        Seed of the bootstrap; a unit's bootstrap weights depend only on it and the unit's id.
    dates
        Document dates indexed by id, to flag partial first/last periods.
    units
        Unit id by document id (e.g. paragraphs' ``parent_id``): documents resampled together.
    axis
        The complete ordered period axis (default: calendar periods from first to last).

    Returns
    -------
    DataFrame
        ``period, theme, share, lo, hi, n_docs, n_units, few_docs, partial, empty``.

    """
    s = _chosen(settings, fields)
    table = unit_table(shares, periods, weighting=s.weighting, units=units, axis=axis)
    span = None
    if dates is not None:
        known = pd.to_datetime(dates, errors="coerce").dropna()
        span = (known.min(), known.max()) if len(known) else None
    return table_prevalence(table, settings=s, span=span)


def _chosen(settings: TrendSettings | None, given: TrendFields) -> TrendSettings:
    """Return ``settings`` (default: the defaults) with the keyword fields replaced, checked."""
    if unknown := given.keys() - TrendFields.__optional_keys__:
        raise TypeError(f"unexpected keyword argument {min(unknown)!r}")
    changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    chosen = dataclasses.replace(settings or TrendSettings(), **changes)
    chosen.validate()
    return chosen


def table_prevalence(
    table: UnitTable,
    *,
    settings: TrendSettings | None = None,
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    draw: Draws | None = None,
    **fields: Unpack[TrendFields],
) -> pd.DataFrame:
    """:func:`prevalence` from a unit table — the sufficient statistics of a corpus.

    This is how chunks of a corpus too large for memory get their trends: their unit tables
    are merged (:func:`.merge.merge_tables`) and passed here. ``span`` is the first and last
    document date (for the ``partial`` flags); ``draw`` computes the bootstrap's unit draws
    (default :func:`.units.unit_draws`, in this process).
    """
    s = _chosen(settings, fields)
    n_periods = len(table.axis)
    draws = bootstrap_means(
        table,
        table.period,
        [str(p) for p in table.axis],
        n_boot=s.n_boot,
        random_state=s.random_state,
        draw=draw,
    )
    totals = table.per_period(table.sums.transpose(1, 0, 2).reshape(table.n_units, -1))
    totals = totals.reshape(n_periods, table.sums.shape[0], -1)  # (T, C, J)
    size = table.per_period(table.size)
    n_docs = np.bincount(table.period, weights=table.n_docs, minlength=n_periods).astype(int)
    n_units = np.bincount(table.period, minlength=n_periods)
    empty = n_units == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        point = (totals / size[:, None, None]).mean(axis=1)  # (T, J)
    tail = (1 - s.level) / 2
    # widened, where needed, to hold the observed share (a thin period's prior pull can put
    # every draw on one side of it)
    lo = np.fmin(np.quantile(draws, tail, axis=0), point)
    hi = np.fmax(np.quantile(draws, 1 - tail, axis=0), point)
    n_themes = len(table.themes)
    result = pd.DataFrame(
        {
            "period": _period_column(table.axis, n_themes),
            "theme": np.tile(table.themes, n_periods),
            "share": point.ravel(),
            "lo": np.where(empty[:, None], np.nan, lo).ravel(),
            "hi": np.where(empty[:, None], np.nan, hi).ravel(),
            "n_docs": np.repeat(n_docs, n_themes),
            "n_units": np.repeat(n_units, n_themes),
        }
    )
    result["few_docs"] = result["n_units"] < s.min_docs
    result["partial"] = False
    result["empty"] = np.repeat(empty, n_themes)
    first, last = (table.axis[0], table.axis[-1]) if n_periods else (None, None)
    if span is not None and isinstance(first, pd.Period) and isinstance(last, pd.Period):
        result["partial"] = ((result["period"] == first) & (span[0] > first.start_time)) | (
            (result["period"] == last) & (span[1] < last.end_time.normalize())
        )
    result.attrs["n_unplaced"] = table.n_unplaced
    result.attrs["weighting"] = s.weighting
    return result
