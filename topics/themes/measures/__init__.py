"""Theme measures: one plug-in registry, one tidy shape ``doc_id, theme, share, weight``."""

from __future__ import annotations

from .base import MEASURES, MeasureResult, ThemeMeasure, build_measure
from .dictionary import DictionaryMeasure, dictionary_shares
from .mapped import MappedMeasure, map_topics, mapped_theme_shares
from .seeded import SEED_MASS_WARNING, SeededMeasure, model_theme_shares, seeded_model

__all__ = [
    "MEASURES",
    "SEED_MASS_WARNING",
    "DictionaryMeasure",
    "MappedMeasure",
    "MeasureResult",
    "SeededMeasure",
    "ThemeMeasure",
    "build_measure",
    "dictionary_shares",
    "map_topics",
    "mapped_theme_shares",
    "model_theme_shares",
    "seeded_model",
]
