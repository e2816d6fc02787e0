"""Rogan–Gladen correction of a measured theme share, with the validation's uncertainty.

A theme measure that misses some documents about a theme (sensitivity below 1) and detects
some that are not (specificity below 1) gets the share of documents about the theme wrong by
an amount that depends on the share itself. :func:`corrected_prevalence` undoes this per period,
using the sensitivity and specificity of a hand-coded validation sample
(:func:`.scores.score_draws`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import defaults
from ..errors import ConfigError, InputError
from .scores import Floats, ScoreDraws, _checked, _percentile, _require, _show, _theme_rng

__all__ = ["MIN_INFORMEDNESS", "corrected_prevalence"]

#: Below this sensitivity + specificity − 1 a measure is too close to chance to correct.
MIN_INFORMEDNESS = 0.05


def _rogan_gladen(q: Floats, sensitivity: Floats, specificity: Floats) -> Floats:
    """``(q + spec − 1) / (sens + spec − 1)`` clipped to [0, 1]; NaN where sens + spec ≤ 1."""
    informedness = sensitivity + specificity - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.clip((q + specificity - 1) / informedness, 0.0, 1.0)
    return np.where(informedness > 0, value, np.nan)


def corrected_prevalence(
    observed: pd.DataFrame,
    scores: ScoreDraws,
    *,
    level: float = defaults.LEVEL,
    n_boot: int = defaults.VALIDATION_BOOT,
    random_state: int = defaults.SEED,
) -> pd.DataFrame:
    """Estimate the true share of each period's documents about a theme (Rogan–Gladen).

    With ``q`` the share of a period's documents measured as hits,
    ``corrected = (q + specificity − 1) / (sensitivity + specificity − 1)``, clipped to
    [0, 1]. **Assumption:** sensitivity and specificity do not change across periods. The
    correction rests on this, so the validation sample should span the periods (a measure
    that misses more in some years biases those years).

    The interval carries both sources of uncertainty. In draw ``b``, sensitivity and
    specificity are validation draw ``b`` (resampled when ``n_boot`` exceeds the number of
    validation draws), and ``q* ~ Beta(k + ½, n − k + ½)`` with ``k = detected · n_docs``
    carries the period's binomial sampling. All periods of a theme share validation draw
    ``b``. A draw in which the measure is no better than chance (sens* + spec* ≤ 1) says
    nothing about the prevalence and is replaced by a uniform draw on [0, 1].

    Parameters
    ----------
    observed
        ``period, theme, detected, n_docs``: the fraction of the period's ``n_docs``
        documents measured as hits. Rows with ``n_docs == 0`` get NaN.
    scores
        :func:`score_draws` of the validation sample, for the themes of ``observed``.
    level, n_boot, random_state
        Interval level, bootstrap draws, seed (a row's draws depend only on it, the theme
        and the period).

    Returns
    -------
    DataFrame
        ``observed`` with ``corrected, corrected_lo, corrected_hi`` added.

    Raises
    ------
    InputError
        A missing column, ``detected`` outside [0, 1], a negative ``n_docs``, or a theme
        without validation scores or with unknown sensitivity (no coded measured misses).
    ConfigError
        If sensitivity + specificity − 1 ≤ :data:`MIN_INFORMEDNESS` for a theme, because the
        measure is no better than chance and cannot be corrected.

    """
    level, n_boot, seed = _checked(level, n_boot, random_state)
    _require(observed, ("period", "theme", "detected", "n_docs"), "observed")
    q = pd.to_numeric(observed["detected"], errors="coerce").to_numpy(float)
    n_docs = pd.to_numeric(observed["n_docs"], errors="coerce").to_numpy(float)
    for column, bad in (
        ("detected", ~((q >= 0) & (q <= 1)) & ~np.isnan(q)),
        ("n_docs", n_docs < 0),
    ):
        if bad.any():
            row = observed[bad].iloc[0]
            raise InputError(
                f"observed: theme {_show(row['theme'])}, period {row['period']}: column "
                f"{column!r} out of range, got {_show(row[column])}"
            )
    point = scores.point.set_index("theme")
    drawn = dict(iter(scores.draws.groupby("theme", sort=False)))
    out = np.full((len(observed), 3), np.nan)
    for theme in pd.unique(observed["theme"]):
        if theme not in point.index:
            raise InputError(
                f"observed: theme {_show(theme)} has no validation scores (score_draws)"
            )
        sens, spec = point.loc[theme, "sensitivity"], point.loc[theme, "specificity"]
        if np.isnan(sens) or np.isnan(spec):
            raise InputError(
                f"theme {_show(theme)}: sensitivity unknown (no coded measured misses); "
                "code some documents of the miss stratum"
            )
        if sens + spec - 1 <= MIN_INFORMEDNESS:
            raise ConfigError(
                f"theme {_show(theme)}: sensitivity + specificity − 1 = {sens + spec - 1:.3f} "
                f"≤ {MIN_INFORMEDNESS}; the measure is no better than chance, so its "
                "prevalence cannot be corrected"
            )
        val = drawn[theme]
        rng = _theme_rng(seed, theme)
        pick = np.arange(n_boot) if n_boot <= len(val) else rng.integers(0, len(val), n_boot)
        sens_b, spec_b = val[["sensitivity", "specificity"]].to_numpy(float)[pick].T
        for i in np.flatnonzero((observed["theme"] == theme).to_numpy()):
            if not n_docs[i] > 0 or np.isnan(q[i]):
                continue
            row_rng = _theme_rng(seed, theme, observed["period"].iloc[i])
            k, n = q[i] * n_docs[i], n_docs[i]
            value = _rogan_gladen(row_rng.beta(k + 0.5, n - k + 0.5, n_boot), sens_b, spec_b)
            value = np.where(np.isnan(value), row_rng.uniform(size=n_boot), value)
            centre = float(_rogan_gladen(np.array(q[i]), np.array(sens), np.array(spec)))
            out[i] = centre, *_percentile(value, centre, level)
    result = observed.copy()
    result["corrected"], result["corrected_lo"], result["corrected_hi"] = out.T
    result.attrs["level"] = level
    return result
