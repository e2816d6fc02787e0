"""Theme prevalence over time with bootstrap intervals, and change points with p-values.

:func:`prevalence` turns document-level theme shares (``doc_id, theme, share, weight``) into
shares per period, normalised by each period's volume:

* ``weighting="documents"`` — the mean of the documents' shares (each document counts once);
* ``weighting="tokens"`` — total theme tokens / total tokens (long documents count more).

Intervals are percentile bootstrap intervals over documents within each period (documents are
resampled with replacement, ``n_boot`` times). Periods with fewer than ``min_docs`` documents
are flagged ``few_docs``; the first and last periods are flagged ``partial`` when the corpus
starts after the first period begins or ends before the last one ends.

:func:`change_points` finds mean shifts in each theme's series by binary segmentation (the
split maximising the between-segment sum of squares) and tests each with a permutation test:
the p-value is the share of random orderings of the series whose best split is at least as
strong. It reports ``theme, date, shift, p_value``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import ConfigError, InputError
from .vectorize import DocTermMatrix

__all__ = [
    "change_points",
    "emerging",
    "emerging_terms",
    "prevalence",
    "representative_documents",
]

Weighting = Literal["documents", "tokens"]


def prevalence(
    shares: pd.DataFrame,
    periods: pd.DataFrame,
    *,
    weighting: Weighting = "documents",
    n_boot: int = 1000,
    level: float = 0.95,
    min_docs: int = 5,
    random_state: int = 0,
    dates: pd.Series | None = None,
) -> pd.DataFrame:
    """Theme share per period with bootstrap intervals.

    Parameters
    ----------
    shares
        Tidy ``doc_id, theme, share, weight`` (from any theme measure). With a ``seed`` column
        (the same documents scored by models fitted with different seeds) the point estimate
        averages over seeds and every bootstrap replicate also draws a seed, so the intervals
        carry model-seed uncertainty as well as sampling uncertainty.
    periods
        ``id, period`` (e.g. :func:`topics.periods.assign_periods`); documents without a period
        are left out (and counted in ``n_unplaced`` of the result's attributes).
    weighting
        ``"documents"`` or ``"tokens"`` (see module docstring) — an explicit choice.
    n_boot, level
        Bootstrap replicates and interval level.
    min_docs
        Periods with fewer documents are flagged ``few_docs``.
    random_state
        Seed of the bootstrap.
    dates
        Document dates indexed by id, to flag partial first/last periods.

    Returns
    -------
    DataFrame
        ``period, theme, share, lo, hi, n_docs, few_docs, partial``.

    """
    if weighting not in ("documents", "tokens"):
        raise ConfigError(f"weighting must be 'documents' or 'tokens', got {weighting!r}")
    if not 0 < level < 1:
        raise ConfigError(f"level must be in (0, 1), got {level}")
    if n_boot < 1:
        raise ConfigError(f"n_boot must be ≥ 1, got {n_boot}")
    missing = {"doc_id", "theme", "share", "weight"} - set(shares.columns)
    if missing:
        raise InputError(f"shares lack columns {sorted(missing)}")
    themes = list(dict.fromkeys(shares["theme"]))
    seeds = sorted(shares["seed"].unique()) if "seed" in shares.columns else [None]
    cubes = []
    for seed in seeds:
        part = shares if seed is None else shares[shares["seed"] == seed]
        cubes.append(
            part.pivot_table(index="doc_id", columns="theme", values="share", aggfunc="first")[
                themes
            ]
        )
    wide = cubes[0]
    for other in cubes[1:]:
        if not other.index.equals(wide.index):
            raise InputError("every model seed must score the same documents")
    weights = shares.drop_duplicates("doc_id").set_index("doc_id")["weight"].reindex(wide.index)
    placed = periods.dropna(subset=["period"]).set_index("id")["period"]
    common = wide.index.intersection(placed.index)
    if len(common) == 0:
        raise InputError("no document has both theme shares and a period")
    rng = np.random.default_rng(random_state)
    alpha = (1 - level) / 2
    rows = []
    doc_period = placed.loc[common]
    for period in sorted(doc_period.unique()):
        ids = doc_period.index[doc_period == period]
        values = np.stack([cube.loc[ids].to_numpy(dtype=np.float64) for cube in cubes])
        w = (
            weights.loc[ids].to_numpy(dtype=np.float64)
            if weighting == "tokens"
            else np.ones(len(ids))
        )
        point = np.mean([_weighted_mean(v, w) for v in values], axis=0)
        draws = rng.integers(0, len(ids), size=(n_boot, len(ids)))
        seed_draws = rng.integers(0, len(cubes), size=n_boot)
        boot = np.stack(
            [_weighted_mean(values[s][d], w[d]) for s, d in zip(seed_draws, draws, strict=True)]
        )
        lo = np.quantile(boot, alpha, axis=0)
        hi = np.quantile(boot, 1 - alpha, axis=0)
        for j, theme in enumerate(themes):
            rows.append(
                {
                    "period": period,
                    "theme": theme,
                    "share": point[j],
                    "lo": lo[j],
                    "hi": hi[j],
                    "n_docs": len(ids),
                }
            )
    result = pd.DataFrame(rows)
    result["few_docs"] = result["n_docs"] < min_docs
    result["partial"] = False
    if dates is not None and len(result):
        known = pd.to_datetime(dates.loc[dates.index.intersection(common)]).dropna()
        if len(known):
            first, last = result["period"].min(), result["period"].max()
            if hasattr(first, "start_time"):
                result.loc[result["period"] == first, "partial"] = known.min() > first.start_time
                result.loc[result["period"] == last, "partial"] = (
                    known.max() < last.end_time.normalize()
                )
    result.attrs["n_unplaced"] = len(wide.index.difference(placed.index))
    result.attrs["weighting"] = weighting
    return result


def _weighted_mean(
    values: npt.NDArray[np.float64], weights: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    total = weights.sum()
    if total <= 0:
        return np.zeros(values.shape[1])
    return np.asarray(weights @ values / total, dtype=np.float64)


def _best_split(series: npt.NDArray[np.float64], min_size: int = 1) -> tuple[int, float]:
    """Index ``i`` (the first point after the break) maximising the between-segment SS.

    Both segments hold at least ``min_size`` points.
    """
    n = len(series)
    csum = np.cumsum(series)
    total = csum[-1]
    left_n = np.arange(1, n)
    left_mean = csum[:-1] / left_n
    right_mean = (total - csum[:-1]) / (n - left_n)
    mean = total / n
    between = left_n * (left_mean - mean) ** 2 + (n - left_n) * (right_mean - mean) ** 2
    allowed = (left_n >= min_size) & (n - left_n >= min_size)
    between = np.where(allowed, between, -np.inf)
    best = int(np.argmax(between))
    return best + 1, float(between[best])


def _permutation_p(
    series: npt.NDArray[np.float64],
    observed: float,
    n_perm: int,
    min_size: int,
    rng: np.random.Generator,
) -> float:
    count = 0
    for _ in range(n_perm):
        if _best_split(rng.permutation(series), min_size)[1] >= observed - 1e-15:
            count += 1
    return (count + 1) / (n_perm + 1)


def change_points(
    trends: pd.DataFrame,
    *,
    alpha: float = 0.05,
    n_perm: int = 999,
    min_size: int = 2,
    max_breaks: int = 3,
    random_state: int = 0,
) -> pd.DataFrame:
    """Mean shifts in each theme's share series, with permutation p-values.

    Binary segmentation: the strongest split of the series is tested; if significant at
    ``alpha`` it is kept and both halves are searched again (up to ``max_breaks``). Segments
    shorter than ``2 · min_size`` are not split.

    Parameters
    ----------
    trends
        ``period, theme, share`` (the output of :func:`prevalence`).
    alpha
        Significance level for keeping a break.
    n_perm
        Permutations per test.
    min_size
        Fewest periods on either side of a break.
    max_breaks
        Most breaks reported per theme.
    random_state
        Seed of the permutations.

    Returns
    -------
    DataFrame
        ``theme, date, shift, p_value`` — ``date`` is the first period after the break, ``shift``
        the mean after minus the mean before (within the tested segment). Only significant
        breaks are listed.

    """
    missing = {"period", "theme", "share"} - set(trends.columns)
    if missing:
        raise InputError(f"trends lack columns {sorted(missing)}")
    if n_perm < 1:
        raise ConfigError(f"n_perm must be ≥ 1, got {n_perm}")
    rng = np.random.default_rng(random_state)
    rows = []
    for theme, group in trends.groupby("theme", sort=False):
        group = group.sort_values("period")
        values = group["share"].to_numpy(dtype=np.float64)
        dates = list(group["period"])
        segments = [(0, len(values))]
        found = 0
        while segments and found < max_breaks:
            start, stop = segments.pop(0)
            part = values[start:stop]
            if len(part) < 2 * min_size or np.ptp(part) == 0:
                continue
            split, strength = _best_split(part, min_size)
            p_value = _permutation_p(part, strength, n_perm, min_size, rng)
            if p_value <= alpha:
                found += 1
                rows.append(
                    {"theme": theme, "date": dates[start + split],
                     "shift": float(part[split:].mean() - part[:split].mean()), "p_value": p_value}
                )  # fmt: skip
                segments += [(start, start + split), (start + split, stop)]
    result = pd.DataFrame(rows, columns=["theme", "date", "shift", "p_value"])
    return result.sort_values(["theme", "date"], kind="stable").reset_index(drop=True)


def emerging(
    trends: pd.DataFrame, *, first: Sequence[object], last: Sequence[object]
) -> pd.DataFrame:
    """Rank themes by the change of their mean share from ``first`` periods to ``last`` ones."""
    before = trends[trends["period"].isin(first)].groupby("theme")["share"].mean()
    after = trends[trends["period"].isin(last)].groupby("theme")["share"].mean()
    table = pd.DataFrame({"before": before, "after": after}).fillna(0.0)
    table["change"] = table["after"] - table["before"]
    return table.sort_values("change", ascending=False).reset_index()


def representative_documents(
    shares: pd.DataFrame,
    periods: pd.DataFrame,
    *,
    theme: str,
    n: int = 3,
    metadata: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the ``n`` documents with the highest share of ``theme`` in each period.

    Returns ``period, rank, doc_id, share`` plus any columns of ``metadata`` (indexed by
    ``id``: e.g. date, outlet, text), so a reader can see what drives a spike.
    """
    if n < 1:
        raise ConfigError(f"n must be ≥ 1, got {n}")
    chosen = shares[shares["theme"] == theme]
    if chosen.empty:
        raise InputError(f"no shares for theme {theme!r}")
    placed = periods.dropna(subset=["period"]).rename(columns={"id": "doc_id"})[
        ["doc_id", "period"]
    ]
    frame = chosen.merge(placed, on="doc_id").sort_values(
        ["period", "share", "doc_id"], ascending=[True, False, True]
    )
    frame["rank"] = frame.groupby("period").cumcount() + 1
    frame = frame[frame["rank"] <= n][["period", "rank", "doc_id", "share"]].reset_index(drop=True)
    if metadata is not None:
        frame = frame.merge(metadata, left_on="doc_id", right_index=True, how="left")
    return frame


def emerging_terms(
    matrix: DocTermMatrix,
    periods: pd.DataFrame,
    *,
    top: int = 10,
    min_count: int = 3,
    prior: float = 0.5,
) -> pd.DataFrame:
    """Rank the terms that rise most in each period against all earlier periods.

    For term ``w`` and period ``p``: ``log_ratio = log((n_pw + a) / (N_p + a V)) −
    log((n_<p,w + a) / (N_<p + a V))`` with ``a = prior`` (additive smoothing), where ``n`` are
    token counts, ``N`` totals and ``V`` the vocabulary size. Only terms seen ``min_count``
    times in ``p`` are ranked; the first period (no history) is skipped.

    Returns ``period, rank, term, count, share, previous_share, log_ratio``.
    """
    if top < 1 or min_count < 1 or prior <= 0:
        raise ConfigError("top and min_count must be ≥ 1 and prior > 0")
    index = {doc: i for i, doc in enumerate(matrix.doc_ids)}
    placed = periods.dropna(subset=["period"])
    placed = placed[placed["id"].isin(index)]
    order = sorted(placed["period"].unique())
    vocab = np.asarray(matrix.vocabulary, dtype=object)
    totals = []
    for period in order:
        rows = [index[d] for d in placed.loc[placed["period"] == period, "id"]]
        totals.append(np.asarray(matrix.counts[rows].sum(axis=0), dtype=np.float64).ravel())
    size = len(vocab)
    records = []
    history = np.zeros(size)
    for position, (period, counts) in enumerate(zip(order, totals, strict=True)):
        if position > 0:
            share = (counts + prior) / (counts.sum() + prior * size)
            before = (history + prior) / (history.sum() + prior * size)
            ratio = np.log(share) - np.log(before)
            eligible = np.flatnonzero(counts >= min_count)
            best = eligible[np.argsort(-ratio[eligible], kind="stable")[:top]]
            records += [
                {"period": period, "rank": r + 1, "term": vocab[j], "count": int(counts[j]),
                 "share": float(share[j]), "previous_share": float(before[j]),
                 "log_ratio": float(ratio[j])}
                for r, j in enumerate(best)
            ]  # fmt: skip
        history = history + counts
    return pd.DataFrame(
        records, columns=["period", "rank", "term", "count", "share", "previous_share", "log_ratio"]
    )
