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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..corpus.corpus import Corpus
from ..corpus.languages import languages_present
from ..corpus.periods import assign_periods
from ..errors import ConfigError, InputError
from ..text.preprocess import PreprocessConfig
from ..trends import ChangeSettings, TrendSettings, prevalence
from ..trends.units import units_of
from .codebook import Codebook
from .health import theme_health
from .measures import MEASURES, ThemeMeasure, build_measure
from .results import ThemeAnalysis

__all__ = ["ThemeSettings", "analyze_themes"]


@dataclass(frozen=True)
class ThemeSettings(TrendSettings, ChangeSettings):
    """Every setting of :func:`analyze_themes`: the measure's, the trends', the change test's.

    Composed of :class:`~topics.trends.TrendSettings` (``freq``, ``week_start``, ``weighting``,
    ``n_boot``, ``level``, ``min_docs``, ``random_state``) and
    :class:`~topics.trends.ChangeSettings` (``alpha``, ``correction``, ``n_perm``,
    ``min_size``, ``max_changes``), whose fields, defaults and checks are declared there once;
    a ``ThemeSettings`` is either where one is expected.

    Parameters
    ----------
    measure, measure_options
        A registered theme measure (``"dictionary"``, ``"seeded"``, ``"mapped"`` or a plug-in)
        and its settings (e.g. ``{"n_free": 10}`` for ``"seeded"``).

    """

    measure: str = "dictionary"
    measure_options: Mapping[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        """Raise :class:`~topics.errors.ConfigError` naming the first invalid setting.

        The trend and change-test fields are checked by :class:`~topics.trends.TrendSettings`
        and :class:`~topics.trends.ChangeSettings` (one check per field), then the measure.
        """
        TrendSettings.validate(self)
        ChangeSettings.validate(self)
        build_measure(self.measure, self.options)

    @property
    def options(self) -> dict[str, Any]:
        """The measure's own settings, as a plain dict."""
        return dict(self.measure_options)

    @classmethod
    def resolve(cls, settings: ThemeSettings | None, overrides: Mapping[str, Any]) -> ThemeSettings:
        """Return ``settings`` (default: the defaults) with keyword ``overrides``, checked once.

        An unknown keyword is one error saying where it belongs (a measure's own settings go in
        ``measure_options``).
        """
        _check_overrides(overrides)
        chosen = dataclasses.replace(settings or cls(), **overrides)
        chosen.validate()
        return chosen

    def trend_settings(self) -> TrendSettings:
        """Return the trends' settings (periods, weighting, bootstrap)."""
        return TrendSettings.pick(dataclasses.asdict(self))

    def change_settings(self) -> ChangeSettings:
        """Return the change test's settings (bootstrap, weighting, seed shared with trends)."""
        return ChangeSettings.pick(dataclasses.asdict(self))

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
    if isinstance(measure, str):
        overrides = {**overrides, "measure": measure}
    chosen = ThemeSettings.resolve(settings, overrides)
    if len(corpus) == 0:
        raise InputError("the corpus is empty: nothing to analyse")
    if measure is None or isinstance(measure, str):
        measurer, name = build_measure(chosen.measure, chosen.measure_options), chosen.measure
    else:
        measurer, name = measure, _name(measure)
    compiled = codebook.compile(preprocess)
    periods = assign_periods(corpus, chosen.freq, week_start=chosen.week_start)
    langs = corpus.langs
    tokens = compiled.tokenize(corpus.texts, langs=langs, progress=progress)
    result = measurer.measure(corpus, compiled, tokens=tokens, random_state=chosen.random_state)
    shares = _checked(result.shares, corpus, codebook)
    units = units_of(corpus)
    trends = prevalence(
        shares, periods, settings=chosen.trend_settings(), dates=corpus.dates, units=units
    )
    placed = periods.set_index("id")["period"].reindex(corpus.ids)
    health = theme_health(
        tokens, [None if pd.isna(p) else p for p in placed], compiled,
        languages=languages_present(corpus.texts, langs),
    )  # fmt: skip
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
    """Return the registered name of a measure object's class (else the class's name)."""
    return next((n for n in MEASURES if type(measure) is MEASURES.get(n)), type(measure).__name__)


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
