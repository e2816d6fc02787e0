"""Precision, recall, specificity and prevalence of a theme measure, checked by hand coding.

A theme measure *detects* a document for a theme when its share is above zero. A researcher
codes a stratified random sample by hand (``1`` = about the theme, ``0`` = not). The strata
are per theme, and each holds only measured hits or only measured misses (``hit`` and
``miss``, or finer ones such as share bands). With ``N_h`` documents of the corpus in stratum
``h`` and ``p_h`` the share of its coded documents coded ``1``, the corpus totals are

* ``TP = Σ_hit N_h p_h`` and ``FP = Σ_hit N_h (1 − p_h)``;
* ``FN = Σ_miss N_h p_h`` and ``TN = Σ_miss N_h (1 − p_h)``.

Precision ``TP / (TP + FP)``, recall (= sensitivity) ``TP / (TP + FN)``, specificity
``TN / (TN + FP)`` and prevalence ``(TP + FN) / Σ N_h`` so describe the corpus, not the
sample, whose hits are over-represented by design.

**Intervals.** Precision with one hit stratum gets the Wilson interval
(:func:`wilson_interval`). Every other interval is a percentile interval of a stratified
Bayesian bootstrap with Jeffreys pseudo-counts: in each draw, a stratum's coded documents get
Dirichlet(1, …, 1) weights, and the stratum gets two pseudo-documents of weight ½ each, one
coded 1 and one coded 0. For 0/1 codes, stratum ``h``'s weighted positive rate is then exactly
``Beta(k_h + ½, n_h − k_h + ½)`` (``k_h`` of ``n_h`` coded 1). It is drawn as such,
independently across strata. We do not use the plain bootstrap because it fails when a
stratum's codes are all equal (often the miss stratum: none of 100 coded documents is about
the theme). That stratum then resamples to itself, and recall's interval collapses to
``[1, 1]``, though the stratum may hide hundreds of missed documents. The pseudo-documents
keep every stratum uncertain. For one stratum, the result is the Jeffreys interval, which
keeps near-nominal coverage even for rates near 0 or 1 (Brown, Cai & DasGupta, 2001). Where
needed, each interval is widened to hold its point estimate. In simulations with 100 coded
hits and 100 coded misses, of which 3 or 4 are about the theme, the 95 % intervals of recall
and prevalence cover the truth about 93 % of the time; those of precision and specificity
about 95 %. The miss stratum's few positives drive the small shortfall, and coding more misses
reduces it.

The draws (:func:`score_draws`) also carry the validation's uncertainty into
:func:`.correction.corrected_prevalence`.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Hashable

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from .. import defaults
from ..errors import ConfigError, InputError
from ..limits import MAX_BOOT, check_count, check_seed

__all__ = [
    "SCORE_COLUMNS",
    "ScoreDraws",
    "score_draws",
    "theme_scores",
    "wilson_interval",
]

SCORE_COLUMNS = (
    "theme", "n", "n_hits_coded", "n_misses_coded",
    "precision", "precision_lo", "precision_hi", "recall", "recall_lo", "recall_hi", "f1",
    "sensitivity", "specificity", "specificity_lo", "specificity_hi",
    "prevalence", "prevalence_lo", "prevalence_hi",
)  # fmt: skip
_SCORES = ("precision", "sensitivity", "specificity", "prevalence")
Floats = npt.NDArray[np.float64]


@dataclasses.dataclass(frozen=True)
class ScoreDraws:
    """Each theme's point estimates and bootstrap draws (see :func:`score_draws`).

    Attributes
    ----------
    point
        One row per theme: ``theme, n, n_hits_coded, n_misses_coded, precision,
        sensitivity, specificity, prevalence``.
    draws
        ``theme, draw, precision, sensitivity, specificity, prevalence``, with ``n_boot``
        rows per theme. All four scores of draw ``b`` come from the same stratum draws, so
        their joint uncertainty is kept (for example, sensitivity together with specificity).

    """

    point: pd.DataFrame
    draws: pd.DataFrame


@dataclasses.dataclass(frozen=True)
class _Strata:
    """One theme's strata that hold documents: corpus size, coded size, positives, hit flag."""

    size: Floats
    n: Floats
    k: Floats
    hit: npt.NDArray[np.bool_]


def _show(value: object) -> str:
    """``repr`` of a value as the user wrote it (``2``, not ``np.int64(2)``)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _check_level(level: float) -> float:
    if not 0 < level < 1:
        raise ConfigError(f"level must be between 0 and 1 (e.g. 0.95), got {level!r}")
    return float(level)


def wilson_interval(successes: int, n: int, level: float = defaults.LEVEL) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion ``successes / n``.

    Parameters
    ----------
    successes, n
        Successes and trials (``0 <= successes <= n``). With ``n == 0`` the interval is
        ``(0.0, 1.0)``: no trials tell nothing.
    level
        Interval level.

    Returns
    -------
    tuple of float
        Lower and upper end.

    Examples
    --------
    >>> [round(end, 3) for end in wilson_interval(8, 10)]
    [0.49, 0.943]

    """
    _check_level(level)
    if not 0 <= successes <= n:
        raise ConfigError(f"successes must be from 0 to n, got {successes} of {n}")
    if n == 0:
        return (0.0, 1.0)
    z = float(stats.norm.ppf(0.5 + level / 2))
    p, z2 = successes / n, z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * float(np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)))
    return (max(0.0, centre - half), min(1.0, centre + half))


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    if missing := [c for c in columns if c not in frame.columns]:
        raise InputError(f"{name}: missing column(s) {', '.join(map(repr, missing))}")


def _column(frame: pd.DataFrame, name: str, column: str, wanted: str, at: str = "") -> pd.Series:
    """Column ``column`` as ``wanted`` (booleans, 0/1 codes or counts), or a one-line error.

    The error names the table, the first bad row's theme (and ``at``: its stratum or document)
    and the value found.
    """
    raw = frame[column]
    if wanted == "True or False":
        values, bad = raw, ~raw.isin([True, False]) | raw.isna()
    else:
        values = pd.to_numeric(raw, errors="coerce")
        bad = ~values.isin([0, 1]) if wanted == "0 or 1" else values.isna() | (values < 0)
        bad |= values % 1 != 0
    if bad.any():
        row = frame[bad].iloc[0]
        place = f", {at} {_show(row[at])}" if at else ""
        raise InputError(
            f"{name}: theme {_show(row['theme'])}{place}: column {column!r} must be {wanted}, "
            f"got {_show(row[column])}"
        )
    return values.astype(bool if wanted == "True or False" else float)


def _first_duplicate(frame: pd.DataFrame, keys: list[str]) -> pd.Series | None:
    dup = frame.duplicated(keys)
    return frame[dup].iloc[0] if dup.any() else None


def _coded_once(frame: pd.DataFrame, name: str) -> None:
    """Raise :class:`InputError` naming the first document ``name`` codes twice for a theme."""
    if (row := _first_duplicate(frame, ["theme", "doc_id"])) is not None:
        raise InputError(
            f"{name}: theme {_show(row['theme'])}: document {_show(row['doc_id'])} is coded twice; "
            "keep one row per theme and document"
        )


def _checked(level: float, n_boot: int, random_state: int) -> tuple[float, int, int]:
    """Return the interval level, bootstrap draws and seed, each checked."""
    level = _check_level(level)
    return level, check_count(n_boot, "n_boot", most=MAX_BOOT), check_seed(random_state)


def _theme_strata(coded: pd.DataFrame, strata: pd.DataFrame) -> dict[Hashable, _Strata]:
    """Each coded theme's strata, checked (see :func:`theme_scores` for the errors)."""
    _require(coded, ("theme", "doc_id", "stratum", "hit", "code"), "coded")
    _require(strata, ("theme", "stratum", "hit", "N"), "strata")
    c = coded.assign(
        code=_column(coded, "coded", "code", "0 or 1", "doc_id").astype(int),
        hit=_column(coded, "coded", "hit", "True or False"),
    )
    s = strata.assign(
        hit=_column(strata, "strata", "hit", "True or False"),
        N=_column(strata, "strata", "N", "a count of documents", "stratum"),
    )
    _coded_once(c, "coded")
    if (row := _first_duplicate(s, ["theme", "stratum"])) is not None:
        raise InputError(
            f"strata: theme {_show(row['theme'])}: stratum {_show(row['stratum'])} has two rows"
        )
    counts = c.groupby(["theme", "stratum"], sort=False).agg(
        n=("code", "size"), k=("code", "sum"), hits=("hit", "sum")
    )
    table = counts.reset_index().merge(s, on=["theme", "stratum"], how="left")
    for theme, stratum, n, hits, hit, size in table[
        ["theme", "stratum", "n", "hits", "hit", "N"]
    ].itertuples(index=False):
        where = f"coded: theme {_show(theme)}, stratum {_show(stratum)}"
        if pd.isna(size):
            raise InputError(f"{where}: no row in strata; give the stratum's hit and N there")
        if hits not in (0, n) or bool(hits) != hit:
            raise InputError(f"{where}: column 'hit' differs from the stratum's in strata")
        if n > size:
            raise InputError(f"{where}: {n} coded documents but N = {size:g} in strata")
    out: dict[Hashable, _Strata] = {}
    for theme in pd.unique(c["theme"]):
        rows = s[(s["theme"] == theme) & (s["N"] > 0)]
        rows = rows.merge(counts.loc[theme], left_on="stratum", right_index=True, how="left")
        n = rows["n"].fillna(0).to_numpy(float)
        hit = rows["hit"].to_numpy(bool)
        if not (n[hit] > 0).any():
            raise InputError(
                f"theme {_show(theme)}: no coded measured hits; precision cannot be estimated — "
                "code some documents of the hit stratum"
            )
        for kind, mask in (("hit", hit), ("miss", ~hit)):
            if (n[mask] > 0).any() and (n[mask] == 0).any():
                empty = rows["stratum"].to_numpy()[mask & (n == 0)][0]
                raise InputError(
                    f"theme {_show(theme)}: {kind} stratum {_show(empty)} holds documents but "
                    "none is coded; code some of them or merge the stratum into another"
                )
        out[theme] = _Strata(rows["N"].to_numpy(float), n, rows["k"].fillna(0).to_numpy(float), hit)
    return out


def _rates(strata: _Strata, p: Floats) -> dict[str, Floats]:
    """Precision, sensitivity, specificity, prevalence from stratum positive rates ``(…, S)``.

    A stratum with no coded documents has rate NaN, which makes the scores that need it NaN.
    """
    pos, neg = p * strata.size, (1 - p) * strata.size
    tp, fp = pos[..., strata.hit].sum(-1), neg[..., strata.hit].sum(-1)
    fn, tn = pos[..., ~strata.hit].sum(-1), neg[..., ~strata.hit].sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "precision": tp / (tp + fp),
            "sensitivity": tp / (tp + fn),
            "specificity": tn / (tn + fp),
            "prevalence": (tp + fn) / strata.size.sum(),
        }


def _stratum_draws(strata: _Strata, n_boot: int, rng: np.random.Generator) -> Floats:
    """Bayesian-bootstrap draws of each stratum's positive rate with Jeffreys pseudo-counts.

    Dirichlet(1, …, 1) weights on ``n`` coded 0/1 documents plus two half-weight
    pseudo-documents (one 0, one 1) give a weighted rate of exactly ``Beta(k + ½, n − k + ½)``.
    """
    draws = rng.beta(strata.k + 0.5, strata.n - strata.k + 0.5, size=(n_boot, len(strata.n)))
    return np.where(strata.n > 0, draws, np.nan)


def _theme_rng(random_state: int, *keys: object) -> np.random.Generator:
    """Return a generator that depends only on the seed and the keys (theme, period)."""
    spawn = tuple(zlib.crc32(str(key).encode()) for key in keys)
    return np.random.default_rng(np.random.SeedSequence(random_state, spawn_key=spawn))


def _percentile(draws: Floats, point: float, level: float) -> tuple[float, float]:
    """Percentile interval of ``draws``, widened to hold ``point`` (NaN when it is NaN)."""
    if np.isnan(point):
        return (np.nan, np.nan)
    tail = (1 - level) / 2
    lo, hi = np.quantile(draws, [tail, 1 - tail])
    return (min(float(lo), point), max(float(hi), point))


def score_draws(
    coded: pd.DataFrame,
    strata: pd.DataFrame,
    *,
    n_boot: int = defaults.VALIDATION_BOOT,
    random_state: int = defaults.SEED,
) -> ScoreDraws:
    """Each theme's point scores and their stratified-bootstrap draws.

    :func:`theme_scores` summarises these draws, and
    :func:`.correction.corrected_prevalence` needs them to carry the validation's
    uncertainty. The inputs, checks and errors are those of :func:`theme_scores`. A theme's
    draws depend only on ``random_state`` and the theme, not on the other themes.

    Returns
    -------
    ScoreDraws
        Point estimates and draws (see the module docstring for the bootstrap).

    """
    n_boot = check_count(n_boot, "n_boot", most=MAX_BOOT)
    seed = check_seed(random_state)
    return _draw_scores(_theme_strata(coded, strata), n_boot, seed)


def _draw_scores(strata_of: dict[Hashable, _Strata], n_boot: int, seed: int) -> ScoreDraws:
    points, draws = [], []
    for theme, st in strata_of.items():
        hit_n = st.n[st.hit].sum()
        rates = np.divide(st.k, st.n, out=np.full_like(st.n, np.nan), where=st.n > 0)
        point = _rates(st, rates)
        points.append(
            {"theme": theme, "n": int(st.n.sum()), "n_hits_coded": int(hit_n)}
            | {"n_misses_coded": int(st.n.sum() - hit_n)}
            | {name: float(value) for name, value in point.items()}
        )
        drawn = _rates(st, _stratum_draws(st, n_boot, _theme_rng(seed, theme)))
        draws.append(pd.DataFrame({"theme": theme, "draw": np.arange(n_boot)} | drawn))
    columns = ["theme", "n", "n_hits_coded", "n_misses_coded", *_SCORES]
    empty = pd.DataFrame(columns=["theme", "draw", *_SCORES])
    all_draws = pd.concat(draws, ignore_index=True) if draws else empty
    return ScoreDraws(pd.DataFrame(points, columns=columns), all_draws)


def theme_scores(
    coded: pd.DataFrame,
    strata: pd.DataFrame,
    *,
    level: float = defaults.LEVEL,
    n_boot: int = defaults.VALIDATION_BOOT,
    random_state: int = defaults.SEED,
) -> pd.DataFrame:
    """Precision, recall, specificity and prevalence per theme, weighted back to the corpus.

    Parameters
    ----------
    coded
        One row per coded document and theme: ``theme, doc_id, stratum, hit, code``, where
        ``hit`` (bool) says whether the measure detected the document, and ``code`` is the
        human code (1 = about the theme, 0 = not).
    strata
        ``theme, stratum, hit, N``: whether each stratum holds measured hits or misses, and
        its number of documents in the corpus. Strata with ``N == 0`` are ignored. So are
        themes with no coded documents.
    level
        Interval level.
    n_boot
        Bootstrap draws (see the module docstring for the bootstrap).
    random_state
        Seed of the bootstrap. A theme's draws depend only on it and the theme.

    Returns
    -------
    DataFrame
        :data:`SCORE_COLUMNS`, one row per theme in order of first appearance in ``coded``.
        ``recall`` and ``sensitivity`` are the same number. ``f1`` has no interval. If none of a
        theme's measured misses is coded, its recall, specificity, prevalence and f1 are NaN.

    Raises
    ------
    InputError
        A missing column, a code other than 0/1, a document coded twice, a coded
        (theme, stratum) with no row in ``strata`` or a different ``hit`` there, a stratum
        with more coded documents than ``N``, a theme with no coded measured hits, or a stratum
        left uncoded while others of its kind (hit/miss) are coded.

    """
    level, n_boot, seed = _checked(level, n_boot, random_state)
    strata_of = _theme_strata(coded, strata)
    result = _draw_scores(strata_of, n_boot, seed)
    by_theme = dict(iter(result.draws.groupby("theme", sort=False)))
    rows = []
    for point in result.point.to_dict("records"):
        theme, drawn = point["theme"], by_theme[point["theme"]]
        row = dict(point)
        for name in ("sensitivity", "specificity", "prevalence"):
            row[f"{name}_lo"], row[f"{name}_hi"] = _percentile(
                drawn[name].to_numpy(float), point[name], level
            )
        st = strata_of[theme]
        if (one := st.hit & (st.n > 0)).sum() == 1:
            interval = wilson_interval(int(st.k[one][0]), int(st.n[one][0]), level)
        else:
            interval = _percentile(drawn["precision"].to_numpy(float), point["precision"], level)
        row["precision_lo"], row["precision_hi"] = interval
        row |= {f"recall{end}": row[f"sensitivity{end}"] for end in ("", "_lo", "_hi")}
        p, r = row["precision"], row["recall"]
        row["f1"] = 2 * p * r / (p + r) if p + r > 0 else (np.nan if np.isnan(r) else 0.0)
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
    table.attrs["level"] = level
    return table
