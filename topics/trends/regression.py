"""Theme prevalence as a function of time and covariates, with uncertainty.

:func:`prevalence_regression` fits a fractional logit (Papke & Wooldridge 1996): a binomial GLM
with logit link on document-level theme shares in [0, 1], with heteroskedasticity-robust (HC1)
standard errors — the usual model for proportions, here for ``share ~ C(year) + covariates``.
Results on the share scale come from simulating coefficients from their estimated sampling
distribution (as stm's ``estimateEffect`` does with its "method of composition"): predicted
shares per year, with covariates held at their observed mix, and differences between years
with percentile intervals.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import defaults
from ..errors import ConfigError, InputError

__all__ = ["RegressionResult", "prevalence_regression"]


class RegressionResult:
    """Coefficients, predicted shares per level of the time variable and contrasts between them."""

    def __init__(
        self, coefficients: pd.DataFrame, predicted: pd.DataFrame, contrasts: pd.DataFrame
    ) -> None:
        self.coefficients = coefficients
        self.predicted = predicted
        self.contrasts = contrasts

    def __repr__(self) -> str:
        return f"RegressionResult({len(self.predicted)} levels, {len(self.contrasts)} contrasts)"


def prevalence_regression(
    data: pd.DataFrame,
    *,
    share: str = "share",
    time: str = "year",
    covariates: Sequence[str] = (),
    n_sims: int = 2000,
    level: float = defaults.LEVEL,
    random_state: int = defaults.SEED,
) -> RegressionResult:
    """Fit ``share ~ C(time) + C(covariate) …`` as a fractional logit and summarise it.

    Parameters
    ----------
    data
        One row per document with the share column, the time column and the covariates.
    share, time, covariates
        Column names. Time is treated as categorical (one effect per level, e.g. per year).
    n_sims
        Coefficient draws for predicted shares and contrasts.
    level
        Interval level.
    random_state
        Seed of the draws.

    Returns
    -------
    RegressionResult
        ``coefficients`` (term, estimate, std_error, lo, hi on the logit scale),
        ``predicted`` (level, share, lo, hi) and ``contrasts`` (level, reference, difference,
        lo, hi) of each time level against every earlier one.

    """
    import statsmodels.api as sm
    from patsy import PatsyError, build_design_matrices, dmatrices
    from scipy.stats import norm

    needed = [share, time, *covariates]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise InputError(f"columns {missing} not in the data; have {list(data.columns)}")
    frame = data[needed].dropna()
    if frame.empty:
        raise InputError("no complete rows to fit")
    if ((frame[share] < 0) | (frame[share] > 1)).any():
        raise InputError(f"column {share!r} must hold shares in [0, 1]")
    if frame[time].nunique() < 2:
        raise ConfigError(f"column {time!r} needs at least two levels to compare")
    if not 0 < level < 1:
        raise ConfigError(f"level must be in (0, 1), got {level}")
    renamed = frame.rename(columns={share: "y", time: "t"})
    cov_names = {c: f"x{i}" for i, c in enumerate(covariates)}
    renamed = renamed.rename(columns=cov_names)
    formula = "y ~ C(t)" + "".join(f" + C({v})" for v in cov_names.values())
    try:
        y, X = dmatrices(formula, renamed, return_type="dataframe")
    except PatsyError as exc:
        raise InputError(f"cannot build the model matrix: {exc}") from exc
    with warnings.catch_warnings():
        # a binomial family on non-integer shares is exactly the quasi-likelihood we want
        warnings.filterwarnings("ignore", message=".*non-integer.*")
        model = sm.GLM(y, X, family=sm.families.Binomial()).fit(cov_type="HC1")
    alpha = (1 - level) / 2
    z = float(norm.ppf(1 - alpha))
    params = model.params
    se = model.bse
    coefficients = pd.DataFrame(
        {"term": params.index, "estimate": params.to_numpy(), "std_error": se.to_numpy(),
         "lo": (params - z * se).to_numpy(), "hi": (params + z * se).to_numpy()}
    )  # fmt: skip
    rng = np.random.default_rng(random_state)
    draws = rng.multivariate_normal(params.to_numpy(), model.cov_params().to_numpy(), size=n_sims)
    levels = sorted(renamed["t"].unique())
    predicted_draws = {}
    for value in levels:
        counterfactual = renamed.assign(t=value)
        # the fitted design (its levels and contrasts) applied to every document set to `value`
        (Xc,) = build_design_matrices([X.design_info], counterfactual, return_type="dataframe")
        eta = np.asarray(Xc, dtype=np.float64) @ draws.T  # documents × draws
        predicted_draws[value] = (1.0 / (1.0 + np.exp(-eta))).mean(axis=0)
    predicted = pd.DataFrame(
        [{"level": v, "share": float(np.median(d)), "lo": float(np.quantile(d, alpha)),
          "hi": float(np.quantile(d, 1 - alpha))} for v, d in predicted_draws.items()]
    )  # fmt: skip
    contrasts = []
    for i, later in enumerate(levels):
        for earlier in levels[:i]:
            diff = predicted_draws[later] - predicted_draws[earlier]
            contrasts.append(
                {"level": later, "reference": earlier, "difference": float(np.median(diff)),
                 "lo": float(np.quantile(diff, alpha)), "hi": float(np.quantile(diff, 1 - alpha))}
            )  # fmt: skip
    return RegressionResult(coefficients, predicted, pd.DataFrame(contrasts))
