"""The validation of a theme measure as one result: scores, their draws, agreement; saved whole.

:func:`validate_scores` scores a coded sheet (and a second coder's), :func:`validate_gold` a
label column a corpus already has; both return a :class:`Validation`, which
:func:`corrected_trends` uses to correct each period's share of documents about a theme for
the measured misclassification (Rogan–Gladen), carrying the validation's uncertainty into the
intervals.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from scipy import stats

from .. import defaults
from ..errors import InputError
from .correction import corrected_prevalence
from .intercoder import agreement
from .scores import ScoreDraws, score_draws, theme_scores
from .sheets import CodingSheet, coding_sheet, gold_codes, read_gold_spec, read_sheet

if TYPE_CHECKING:
    from ..corpus.corpus import Corpus
    from ..themes.codebook import Codebook
    from ..themes.results import ThemeAnalysis

__all__ = [
    "Validation",
    "corrected_series",
    "corrected_trends",
    "validate_gold",
    "validate_sample",
    "validate_scores",
]


@dataclass(frozen=True)
class Validation:
    """How well a theme measure agrees with human (or gold) codes.

    Attributes
    ----------
    scores
        Per theme: ``n``, precision, recall, F1, sensitivity, specificity and prevalence with
        95 % intervals (:data:`~topics.validation.scores.SCORE_COLUMNS`).
    draws
        Their bootstrap draws (what :func:`corrected_trends` carries into its intervals).
    agreement
        With a second coder: per theme Cohen's κ and Krippendorff's α (else ``None``).
    disagreements
        With a second coder: the documents the coders disagree on, to resolve.
    settings
        Where the codes came from (``source``), ``n_boot``, ``level``, ``random_state``.

    """

    scores: pd.DataFrame
    draws: ScoreDraws
    agreement: pd.DataFrame | None = None
    disagreements: pd.DataFrame | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """Say in words what the scores are and how their intervals were made."""
        source = self.settings.get("source", "codes")
        return (
            f"validated against {source}: precision = share of measured hits coded about the "
            "theme; recall (sensitivity) and specificity weighted back to the corpus by each "
            "stratum's sampling rate; intervals "
            f"{int(100 * float(self.settings.get('level', 0.95)))} % (Wilson for precision "
            "with one hit stratum, else a stratified Bayesian bootstrap with Jeffreys "
            f"pseudo-counts, {self.settings.get('n_boot')} draws)"
        )

    def save(self, path: str | Path) -> list[Path]:
        """Write the scores CSV, its draws and disagreements beside it, and a manifest."""
        from ..outputs import Outputs
        from ..spreadsheet import write_csv

        target = Path(path)
        draws_path = target.with_name(f"{target.stem}.draws.parquet")
        pairs_path = target.with_name(f"{target.stem}.disagreements.csv")
        with Outputs() as out:
            write_csv(self.scores, out.file(target), float_format="%.6g")
            point = self.draws.point.rename(columns=lambda c: c if c == "theme" else f"point_{c}")
            both = self.draws.draws.merge(point, on="theme")
            both.to_parquet(out.file(draws_path, part_of=target), index=False)
            written = [target, draws_path]
            if self.disagreements is not None:
                write_csv(self.disagreements, out.file(pairs_path, part_of=target))
                written.append(pairs_path)
            extra: dict[str, Any] = {"draws": draws_path.name}
            if self.agreement is not None:
                extra["agreement"] = self.agreement.to_dict(orient="records")
            seed = int(self.settings.get("random_state", 0))
            manifest = out.manifest(
                target, "validation", config=dict(self.settings), random_state=seed, extra=extra
            )
            written.append(manifest)
        return written

    @classmethod
    def load(cls, path: str | Path) -> Validation:
        """Read a saved validation (its scores, draws and settings)."""
        from ..files import manifest_path
        from ..spreadsheet import read_csv

        target = Path(path)
        draws_path = target.with_name(f"{target.stem}.draws.parquet")
        manifest = manifest_path(target, folder=False)
        for needed in (target, draws_path, manifest):
            if not needed.exists():
                raise InputError(
                    f"{needed} not found: a validation is {target.name}, {draws_path.name} and "
                    f"{manifest.name}, written together by `topics validate`"
                )
        both = pd.read_parquet(draws_path)
        point_cols = [c for c in both.columns if c.startswith("point_")]
        point = both.drop_duplicates("theme")[["theme", *point_cols]]
        point.columns = ["theme", *(c.removeprefix("point_") for c in point_cols)]
        draws = ScoreDraws(point.reset_index(drop=True), both.drop(columns=point_cols))
        settings = json.loads(manifest.read_text(encoding="utf-8")).get("config", {})
        return cls(read_csv(target), draws, settings=settings)


def validate_sample(
    source: Corpus | str | Path,
    codebook: Codebook,
    *,
    measure: str | None = None,
    themes: list[str] | None = None,
    per_theme: int = 40,
    random_state: int = defaults.SEED,
) -> CodingSheet:
    """Measure the themes and draw a coding sheet of each theme's hits and misses.

    ``source`` is a corpus or the Parquet file ``topics ingest`` wrote; ``measure`` the theme
    measure (default: the dictionary). See :func:`~topics.validation.sheets.coding_sheet`.
    """
    from ..corpus.corpus import Corpus
    from ..themes.analysis import analyze_themes

    corpus = source if isinstance(source, Corpus) else Corpus.read_parquet(source)
    options: dict[str, Any] = {"measure": measure} if measure else {}
    analysis = analyze_themes(corpus, codebook, random_state=random_state, **options)
    return coding_sheet(analysis, themes=themes, per_theme=per_theme, random_state=random_state)


def _validation(
    coded: pd.DataFrame,
    strata: pd.DataFrame,
    source: str,
    *,
    level: float,
    n_boot: int,
    random_state: int,
) -> Validation:
    options = {"n_boot": n_boot, "random_state": random_state}
    scores = theme_scores(coded, strata, level=level, **options)
    draws = score_draws(coded, strata, **options)
    settings = {"source": source, "level": level, **options}
    return Validation(scores, draws, settings=settings)


def validate_scores(
    sheet: str | Path,
    *,
    second: str | Path | None = None,
    level: float = defaults.LEVEL,
    n_boot: int = defaults.VALIDATION_BOOT,
    random_state: int = defaults.SEED,
) -> Validation:
    """Score a coded sheet (:func:`~topics.validation.sheets.coding_sheet`, then coded).

    Parameters
    ----------
    sheet
        The coded CSV; its manifest (the sampling design) must sit beside it.
    second
        A second coder's copy of the same sheet: agreement (κ, α) per theme and the
        disagreements are added; the scores use the first coder's codes.
    level, n_boot, random_state
        Interval level, bootstrap draws and seed.

    """
    coded, strata = read_sheet(sheet)
    result = _validation(
        coded, strata, f"coding sheet {Path(sheet).name}",
        level=level, n_boot=n_boot, random_state=random_state,
    )  # fmt: skip
    if second is None:
        return result
    other, _ = read_sheet(second)
    table, pairs = agreement(coded, other)
    settings = {**result.settings, "second": Path(second).name}
    return Validation(result.scores, result.draws, table, pairs, settings)


def validate_gold(
    analysis: ThemeAnalysis,
    gold: str,
    *,
    sep: str = ";",
    level: float = defaults.LEVEL,
    n_boot: int = defaults.VALIDATION_BOOT,
    random_state: int = defaults.SEED,
) -> Validation:
    """Score the measure against labels the corpus already carries (no hand coding).

    ``gold`` is ``COLUMN:theme=Label|Other label;theme2=…``: a document is about a theme when
    its ``COLUMN`` (labels separated by ``sep``) holds one of the theme's labels. Every
    document is coded, so the scores describe the whole corpus.
    """
    column, mapping = read_gold_spec(gold)
    coded, strata = gold_codes(analysis, column, mapping, sep=sep)
    return _validation(
        coded, strata, f"gold labels {gold}", level=level, n_boot=n_boot,
        random_state=random_state,
    )  # fmt: skip


def corrected_trends(
    analysis: ThemeAnalysis,
    validation: Validation,
    *,
    level: float = defaults.LEVEL,
    n_boot: int = defaults.VALIDATION_BOOT,
    random_state: int = defaults.SEED,
) -> pd.DataFrame:
    """Each period's share of documents about each validated theme, corrected (Rogan–Gladen).

    The measured quantity is the share of a period's documents the measure detects
    (``detected``: theme share > 0), the quantity the validation scored; ``corrected`` is
    ``(detected + specificity − 1) / (sensitivity + specificity − 1)``, clipped to [0, 1].

    Returns
    -------
    DataFrame
        ``period, theme, n_docs, detected, detected_lo, detected_hi, corrected, corrected_lo,
        corrected_hi`` for the themes the validation scored (``detected``'s interval is the
        Jeffreys binomial one). Assumes sensitivity and specificity do not change
        across periods (validate on a sample spanning them); the intervals carry both the
        validation's uncertainty and each period's binomial one.

    """
    themes = list(validation.draws.point["theme"])
    shares = analysis.shares[analysis.shares["theme"].isin(themes)]
    placed = analysis.periods.set_index("id")["period"]
    frame = shares.assign(period=placed.reindex(shares["doc_id"]).to_numpy())
    frame = frame[frame["period"].notna()]
    observed = (
        frame.assign(hit=frame["share"] > 0)
        .groupby(["period", "theme"], sort=True, observed=True)
        .agg(n_docs=("hit", "size"), detected=("hit", "mean"))
        .reset_index()
    )
    hits = observed["detected"] * observed["n_docs"]
    jeffreys = stats.beta(hits + 0.5, observed["n_docs"] - hits + 0.5)
    tail = (1 - level) / 2
    observed["detected_lo"], observed["detected_hi"] = jeffreys.ppf(tail), jeffreys.ppf(1 - tail)
    return corrected_prevalence(
        observed, validation.draws, level=level, n_boot=n_boot, random_state=random_state
    )


#: Names of the two series :func:`corrected_series` returns.
MEASURED, CORRECTED = "measured (documents with a term)", "corrected (Rogan-Gladen)"


def corrected_series(corrected: pd.DataFrame) -> pd.DataFrame:
    """Return the measured and the corrected share as two series per theme, for a figure.

    ``group, period, theme, share, lo, hi`` (:func:`topics.plots.plot_prevalence_by_group`
    draws it): :data:`MEASURED` with its Jeffreys interval, :data:`CORRECTED` with the
    interval that carries the validation's uncertainty.
    """
    columns = ["group", "period", "theme", "share", "lo", "hi"]
    frames = [
        corrected.assign(group=group, share=corrected[stem], lo=corrected[f"{stem}_lo"],
                         hi=corrected[f"{stem}_hi"])[columns]
        for group, stem in ((MEASURED, "detected"), (CORRECTED, "corrected"))
    ]  # fmt: skip
    return pd.concat(frames, ignore_index=True)
