"""Planted theme shares whose truth is known: to calibrate the change test on any period layout.

:func:`planted_shares` draws documents whose theme rates are set per period — constant (the
null), a step, or a temporary episode — with the awkward shapes real corpora have: uneven
volume, thin first and last periods, one-document periods, empty periods, and paragraphs that
share their article's date and leaning. The benchmark ``benchmarks/change_calibration.py`` and
the tests use it; a researcher can use it to check the false-alarm rate and power of
:func:`topics.trends.detect_changes` on a layout like their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import defaults
from ..errors import ConfigError
from ..tidy import long_frame

__all__ = ["Planted", "planted_shares"]


@dataclass(frozen=True)
class Planted:
    """A planted corpus: ``shares`` and ``periods`` as the change test takes them.

    Attributes
    ----------
    shares
        ``doc_id, theme, share, weight`` (weight = the document's tokens).
    periods
        ``id, period`` (weekly ``pandas.Period``, weeks starting on Monday).
    units
        Article id of every document (paragraphs of one article share it).
    axis
        Every week from the first to the last, empty weeks included.
    rates
        ``(T, J)`` true theme rate of every week.

    """

    shares: pd.DataFrame
    periods: pd.DataFrame
    units: pd.Series
    axis: list[pd.Period]
    rates: npt.NDArray[np.float64]


def _volume(
    n_periods: int,
    docs_per_period: int,
    rng: np.random.Generator,
    thin: Sequence[tuple[int, int]],
) -> npt.NDArray[np.int64]:
    """Uneven documents per period: Poisson around a drifting mean, with set thin periods."""
    drift = np.exp(rng.normal(0.0, 0.5, size=n_periods))
    counts = rng.poisson(docs_per_period * drift / drift.mean()).astype(np.int64)
    counts = np.maximum(counts, 2)
    for index, n in thin:
        counts[index] = n
    return np.asarray(counts, dtype=np.int64)


def planted_shares(
    *,
    n_periods: int = 30,
    n_themes: int = 6,
    docs_per_period: int = 40,
    paragraphs: int = 1,
    base_rate: float | Sequence[float] = 0.03,
    effects: Mapping[int, npt.ArrayLike] | None = None,
    awkward: bool = True,
    dispersion: float = 0.5,
    thin_edges: bool = True,
    random_state: int = defaults.SEED,
) -> Planted:
    """Draw a planted corpus (see the module docstring).

    Parameters
    ----------
    n_periods, n_themes, docs_per_period
        Weeks, themes and the mean number of articles per week.
    paragraphs
        Paragraphs (documents) per article; they share the article's week and a common
        per-theme leaning, so they are not independent.
    base_rate
        Each theme's rate (share of tokens) when nothing changes.
    effects
        Theme index → per-week multiplier of its rate, e.g. a step ``[1]*15 + [1.6]*15``.
    awkward
        Give the corpus a thin first week (1 article), a thin last week (2), one-article weeks
        and two empty weeks inside the range.
    thin_edges
        With ``awkward``, whether the first and last weeks are the thin ones; ``False`` keeps the
        thin and empty weeks inside and gives the edges ordinary volume (a well-populated latest
        period, as when monitoring).
    dispersion
        Shape of the Gamma leaning of an article towards a theme (smaller: more documents
        without the theme and a few heavy ones).
    random_state
        Seed.

    """
    if n_periods < 6 or n_themes < 1 or docs_per_period < 1 or paragraphs < 1:
        raise ConfigError("need ≥ 6 periods, ≥ 1 theme, ≥ 1 document per period and paragraph")
    if awkward and n_periods < 12:
        raise ConfigError("an awkward layout needs ≥ 12 periods (or pass awkward=False)")
    rng = np.random.default_rng(random_state)
    base = np.broadcast_to(np.asarray(base_rate, dtype=np.float64), (n_themes,))
    rates = np.tile(base, (n_periods, 1))
    for theme, multiplier in (effects or {}).items():
        rates[:, theme] *= np.asarray(multiplier, dtype=np.float64)
    middle = n_periods // 2
    inside = [(n_periods // 3, 1), (middle + 3, 0), (middle + 4, 0), (n_periods // 4, 1)]
    edges = [(0, 1), (n_periods - 1, 2)] if thin_edges else []
    thin = [*edges, *inside] if awkward else []
    volume = _volume(n_periods, docs_per_period, rng, thin)
    start = pd.Period("2021-10-04", freq="W-SUN")
    axis = [start + t for t in range(n_periods)]
    ids, weeks, articles, lengths, counts = [], [], [], [], []
    for t in range(n_periods):
        for a in range(int(volume[t])):
            lean = rng.gamma(dispersion, 1.0 / dispersion, size=n_themes)
            for p in range(paragraphs):
                length = 40 + int(rng.poisson(120))
                probs = np.minimum(rates[t] * lean, 0.9)
                ids.append(f"w{t:03d}a{a:03d}p{p}")
                weeks.append(axis[t])
                articles.append(f"w{t:03d}a{a:03d}")
                lengths.append(length)
                counts.append(rng.binomial(length, probs))
    counts_arr = np.asarray(counts, dtype=np.float64).reshape(len(ids), n_themes)
    length_arr = np.asarray(lengths, dtype=np.float64)
    share = counts_arr / length_arr[:, None]
    themes = [f"theme{j}" for j in range(n_themes)]
    shares = long_frame(share, ids, themes, per_row={"weight": length_arr})
    periods = pd.DataFrame({"id": ids, "period": pd.Series(weeks, dtype="period[W-SUN]")})
    return Planted(shares, periods, pd.Series(articles, index=ids), axis, rates)
