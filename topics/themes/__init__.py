"""Themes: a codebook, measures as plug-ins, and the one theme-over-time pipeline.

* :mod:`.codebook` — :class:`Codebook` (TOML) and its compiled form;
* :mod:`.measures` — the :data:`MEASURES` registry: ``dictionary``, ``seeded``, ``mapped``;
* :mod:`.analysis` — :func:`analyze_themes` and :class:`ThemeSettings`;
* :mod:`.results` — :class:`ThemeAnalysis` (tables, passages, groups, ``save``/``load``);
* :mod:`.health`, :mod:`.passages`, :mod:`.realtime` — seed-term coverage, keyword in
  context, shares without look-ahead.
"""

from __future__ import annotations

from .analysis import ThemeSettings, analyze_themes
from .codebook import Codebook, CompiledCodebook, Theme
from .health import theme_health
from .measures import (
    MEASURES,
    SEED_MASS_WARNING,
    DictionaryMeasure,
    MappedMeasure,
    MeasureResult,
    SeededMeasure,
    ThemeMeasure,
    build_measure,
    dictionary_shares,
    map_topics,
    mapped_theme_shares,
    model_theme_shares,
    seeded_model,
)
from .passages import keyword_in_context
from .realtime import no_look_ahead_shares
from .results import ThemeAnalysis

__all__ = [
    "MEASURES",
    "SEED_MASS_WARNING",
    "Codebook",
    "CompiledCodebook",
    "DictionaryMeasure",
    "MappedMeasure",
    "MeasureResult",
    "SeededMeasure",
    "Theme",
    "ThemeAnalysis",
    "ThemeMeasure",
    "ThemeSettings",
    "analyze_themes",
    "build_measure",
    "dictionary_shares",
    "keyword_in_context",
    "map_topics",
    "mapped_theme_shares",
    "model_theme_shares",
    "no_look_ahead_shares",
    "seeded_model",
    "theme_health",
]
