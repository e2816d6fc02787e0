"""The one theme-over-time pipeline: settings in, :class:`ThemeAnalysis` out.

:func:`analyze_themes` runs the chain a researcher would otherwise wire by hand — compile the
codebook under the preprocessing (its phrases protected), measure every theme in every document
with a registered :data:`~topics.themes.MEASURES` plug-in, aggregate per period with
Bayesian-bootstrap intervals, check seed-term coverage — and returns a :class:`ThemeAnalysis`
(whose change test runs when first asked for). ``topics trends``, ``topics report`` and the
notebooks are thin adapters over it, so they cannot drift apart. Every setting, with its
default, is a field of :class:`ThemeSettings`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import defaults
from ..choices import Correction, Frequency, WeekStart, Weighting
from ..config import settings_from
from ..corpus.corpus import Corpus
from ..corpus.periods import assign_periods, period_code
from ..errors import ConfigError, InputError
from ..limits import MAX_BOOT, MAX_PERM, SEED_MAX
from ..text.preprocess import PreprocessConfig
from ..trends import ChangeSettings, prevalence
from .codebook import Codebook
from .health import theme_health
from .measures import MEASURES, ThemeMeasure, build_measure
from .results import ThemeAnalysis, units_of

__all__ = ["ThemeSettings", "analyze_themes"]


@dataclass(frozen=True)
class ThemeSettings:
    """Every setting of :func:`analyze_themes`, with its default (one place for each).

    Parameters
    ----------
    freq, week_start
        Period length; weeks start on ``week_start`` (ISO: Monday). Documents dated more
        coarsely than ``freq`` are left out and counted.
    measure, measure_options
        A registered theme measure (``"dictionary"``, ``"seeded"``, ``"mapped"`` or a plug-in)
        and its settings (e.g. ``{"n_free": 10}`` for ``"seeded"``).
    weighting
        ``"documents"`` (each document counts once) or ``"tokens"``.
    n_boot, level, min_docs
        Bootstrap draws and interval level; periods with fewer units are flagged ``few_docs``.
    alpha, correction, n_perm, min_size, max_changes
        The change test (:class:`topics.trends.ChangeSettings`).
    random_state
        Seed of the model, the bootstrap and the permutations.

    """

    freq: Frequency = defaults.FREQ  # type: ignore[assignment]
    week_start: WeekStart = defaults.WEEK_START  # type: ignore[assignment]
    measure: str = "dictionary"
    measure_options: Mapping[str, Any] = field(default_factory=dict)
    weighting: Weighting = "documents"
    n_boot: int = defaults.N_BOOT
    level: float = defaults.LEVEL
    min_docs: int = defaults.MIN_DOCS
    alpha: float = defaults.ALPHA
    correction: Correction = defaults.CORRECTION  # type: ignore[assignment]
    n_perm: int = defaults.N_PERM
    min_size: int = defaults.MIN_SIZE
    max_changes: int = defaults.MAX_CHANGES
    random_state: int = defaults.SEED

    @classmethod
    def from_mapping(
        cls,
        values: Mapping[str, Any],
        where: str = "settings",
        names: Mapping[str, str] | None = None,
    ) -> ThemeSettings:
        """Build from a plain mapping (a TOML table, options); errors name ``where`` and the key.

        ``names`` says how to call a field in errors (e.g. ``{"freq": "periods.freq"}``).
        """
        settings = settings_from(cls, values, where, names)
        settings.validate(where, names)
        return settings

    def validate(self, where: str = "settings", names: Mapping[str, str] | None = None) -> None:
        """Raise :class:`~topics.errors.ConfigError` naming the first invalid setting."""
        label = dict(names or {})
        lowest = {"n_boot": 1, "n_perm": 1, "min_size": 1, "max_changes": 1, "min_docs": 0,
                  "random_state": 0}  # fmt: skip
        highest = {"n_boot": MAX_BOOT, "n_perm": MAX_PERM, "random_state": SEED_MAX}
        for key, least in lowest.items():
            if getattr(self, key) < least:
                raise ConfigError(
                    f"{where}: {label.get(key, key)} must be {least} or more, "
                    f"got {getattr(self, key)}"
                )
            if key in highest and getattr(self, key) > highest[key]:
                raise ConfigError(
                    f"{where}: {label.get(key, key)} must be at most {highest[key]:,}, "
                    f"got {getattr(self, key)}"
                )
        checks: tuple[tuple[tuple[str, ...], Callable[[], object]], ...] = (
            (("freq", "week_start"), lambda: period_code(self.freq, self.week_start)),
            (("measure", "measure_options"), lambda: build_measure(self.measure, self.options)),
            (("alpha", "correction", "n_perm", "level"), self.change_settings().validate),
        )
        for keys, check in checks:
            try:
                check()
            except ConfigError as exc:
                field = " / ".join(label.get(k, k) for k in keys)
                raise ConfigError(f"{where}: {field}: {exc}") from None

    @property
    def options(self) -> dict[str, Any]:
        """The measure's own settings, as a plain dict."""
        return dict(self.measure_options)

    def change_settings(self) -> ChangeSettings:
        """Return the change test's settings (bootstrap, weighting, seed shared with trends)."""
        return ChangeSettings(
            alpha=self.alpha,
            correction=self.correction,
            n_perm=self.n_perm,
            min_size=self.min_size,
            max_changes=self.max_changes,
            n_boot=self.n_boot,
            level=self.level,
            weighting=self.weighting,
            random_state=self.random_state,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as JSON values."""
        out = dataclasses.asdict(self)
        out["measure_options"] = dict(self.measure_options)
        return out


def analyze_themes(
    corpus: Corpus,
    codebook: Codebook,
    settings: ThemeSettings | None = None,
    *,
    measure: str | ThemeMeasure | None = None,
    preprocess: PreprocessConfig | None = None,
    progress: bool | None = None,
    **overrides: Any,
) -> ThemeAnalysis:
    """Measure every theme per document and per period, with intervals; changes on demand.

    Parameters
    ----------
    corpus
        Dated documents (articles or their paragraphs; paragraphs are resampled and permuted
        by article).
    codebook
        The themes and their seed terms.
    settings
        A :class:`ThemeSettings` (default: the defaults).
    measure
        A registered measure name, or a measure object (any class with a ``measure`` method
        returning :class:`~topics.themes.MeasureResult`); default ``settings.measure``.
    preprocess
        Base preprocessing; the codebook's phrases are added as protected terms.
    progress
        Show progress bars for the long steps.
    **overrides
        Fields of :class:`ThemeSettings` to replace, e.g. ``freq="month",
        measure_options={"n_free": 5}``.

    Returns
    -------
    ThemeAnalysis

    """
    _check_overrides(overrides)
    chosen = dataclasses.replace(settings or ThemeSettings(), **overrides)
    if isinstance(measure, str):
        chosen = dataclasses.replace(chosen, measure=measure)
    chosen.validate()
    if len(corpus) == 0:
        raise InputError("the corpus is empty: nothing to analyse")
    measurer = (
        build_measure(chosen.measure, chosen.measure_options)
        if measure is None or isinstance(measure, str)
        else measure
    )
    compiled = codebook.compile(preprocess)
    periods = assign_periods(corpus, chosen.freq, week_start=chosen.week_start)
    tokens = compiled.tokenize(corpus.texts, progress=progress)
    result = measurer.measure(corpus, compiled, tokens=tokens, random_state=chosen.random_state)
    shares = _checked(result.shares, corpus, codebook)
    units = units_of(corpus)
    trends = prevalence(
        shares,
        periods,
        weighting=chosen.weighting,
        n_boot=chosen.n_boot,
        level=chosen.level,
        min_docs=chosen.min_docs,
        random_state=chosen.random_state,
        dates=corpus.dates,
        units=units,
    )
    placed = periods.set_index("id")["period"].reindex(corpus.ids)
    health = theme_health(tokens, [None if pd.isna(p) else p for p in placed], compiled)
    name = chosen.measure if measure is None or isinstance(measure, str) else _name(measure)
    return ThemeAnalysis(
        corpus=corpus,
        codebook=codebook,
        settings=dataclasses.replace(chosen, measure=name),
        periods=periods,
        shares=shares,
        trends=trends,
        health=health,
        info=dict(result.info),
        preprocess=compiled.config,
        model=result.model,
    )


def _check_overrides(overrides: Mapping[str, Any]) -> None:
    """Unknown keyword settings are one error that says where they belong now."""
    known = {f.name for f in dataclasses.fields(ThemeSettings)}
    for key in overrides:
        if key in known:
            continue
        if key == "method":
            raise ConfigError(
                "analyze_themes: 'method' is called 'measure' (e.g. measure='seeded')"
            )
        raise ConfigError(
            f"analyze_themes: unknown setting {key!r}; settings of a measure go in "
            f"measure_options (e.g. measure_options={{{key!r}: ...}}); known: {sorted(known)}"
        )


def _name(measure: ThemeMeasure) -> str:
    for name in MEASURES:
        if type(measure) is MEASURES.get(name):
            return name
    return type(measure).__name__


def _checked(shares: pd.DataFrame, corpus: Corpus, codebook: Codebook) -> pd.DataFrame:
    """Return a measure's shares after checking their shape, themes and documents."""
    missing = {"doc_id", "theme", "share", "weight"} - set(shares.columns)
    if missing:
        raise InputError(f"the theme measure returned no columns {sorted(missing)}")
    unknown = sorted(set(shares["theme"]) - set(codebook.names))
    if unknown:
        raise InputError(f"the theme measure returned themes {unknown} not in the codebook")
    strays = sorted(set(shares["doc_id"]) - set(corpus.ids))[:3]
    if strays:
        raise InputError(f"the theme measure returned documents not in the corpus: {strays}")
    return shares
