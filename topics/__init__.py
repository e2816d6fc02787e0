"""topics — topic and trend modelling of dated text.

The flow is one way, and the sub-packages follow it::

    io/ → corpus/ → text/ → models/, themes/ → validation/, trends/, dynamic/, evaluation/ →
    plots/ → app/

raw files are read into a :class:`Corpus`, turned into a document–term matrix, measured by topic
models or theme measures, aggregated into trends and changes, and drawn. Imports point down
this order (``tests/test_layers.py`` walks the source and fails on any that points up):

    root modules (errors, defaults, config, registry, paths, progress, tidy, limits, files,
    manifest, outputs, spreadsheet) < corpus < io < text < models < evaluation < trends
    < themes < validation < dynamic < scale < plots < app

— ``io`` builds a ``Corpus``, so it sits above ``corpus``; the theme analysis runs trends, so
``themes`` sits above ``trends``; ``validation`` checks a theme measure against human coding;
``scale`` picks in-memory or chunked work for the layers
below. The public API is re-exported here and loaded lazily: ``import topics`` imports nothing
heavy (no scikit-learn, no gensim) until a name is first used. Nothing runs at import time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    ConfigError,
    IngestWarning,
    InputError,
    PersistenceError,
    TopicsError,
    TopicsWarning,
)

__version__ = "0.1.0"

# public name → the module that defines it (loaded on first use)
_LAZY: dict[str, str] = {
    "Corpus": "topics.corpus",
    "assign_bins": "topics.corpus",
    "assign_periods": "topics.corpus",
    "assign_year_bins": "topics.corpus",
    "ingest": "topics.scale",
    "IngestReport": "topics.io",
    "IngestResult": "topics.io",
    "ColumnMap": "topics.io",
    "PreprocessConfig": "topics.text",
    "Preprocessor": "topics.text",
    "DocTermMatrix": "topics.text",
    "Vectorizer": "topics.text",
    "vectorize": "topics.text",
    "stop_words": "topics.text",
    "LDA": "topics.models",
    "DMM": "topics.models",
    "CoocNMF": "topics.models",
    "NMF": "topics.models",
    "MODELS": "topics.models",
    "TopicModel": "topics.models",
    "load_model": "topics.models",
    "topic_info": "topics.models",
    "topic_pipeline": "topics.models",
    "ModelSpec": "topics.evaluation",
    "sweep": "topics.evaluation",
    "Codebook": "topics.themes",
    "Theme": "topics.themes",
    "MEASURES": "topics.themes",
    "ThemeAnalysis": "topics.themes",
    "ThemeSettings": "topics.themes",
    "analyze_themes": "topics.scale",
    "fit": "topics.scale",
    "TopicFit": "topics.scale",
    "ThemeResults": "topics.themes.results",
    "dictionary_shares": "topics.themes",
    "seeded_model": "topics.themes",
    "ChangeResult": "topics.trends",
    "detect_changes": "topics.trends",
    "event_study": "topics.trends",
    "prevalence": "topics.trends",
    "topics_over_time": "topics.trends",
    "DynamicNMF": "topics.dynamic",
    "align_windows": "topics.dynamic",
    "term_turnover": "topics.dynamic",
    "topic_evolution": "topics.dynamic",
    "CodingSheet": "topics.validation",
    "Validation": "topics.validation",
    "corrected_trends": "topics.validation",
    "validate_gold": "topics.validation",
    "validate_sample": "topics.validation",
    "validate_scores": "topics.validation",
    "ReportConfig": "topics.app.report",
    "run_report": "topics.app.report",
}

__all__ = [
    "DMM",
    "LDA",
    "MEASURES",
    "MODELS",
    "NMF",
    "ChangeResult",
    "Codebook",
    "CodingSheet",
    "ColumnMap",
    "ConfigError",
    "CoocNMF",
    "Corpus",
    "DocTermMatrix",
    "DynamicNMF",
    "IngestReport",
    "IngestResult",
    "IngestWarning",
    "InputError",
    "ModelSpec",
    "PersistenceError",
    "PreprocessConfig",
    "Preprocessor",
    "ReportConfig",
    "Theme",
    "ThemeAnalysis",
    "ThemeResults",
    "ThemeSettings",
    "TopicFit",
    "TopicModel",
    "TopicsError",
    "TopicsWarning",
    "Validation",
    "Vectorizer",
    "align_windows",
    "analyze_themes",
    "assign_bins",
    "assign_periods",
    "assign_year_bins",
    "corrected_trends",
    "detect_changes",
    "dictionary_shares",
    "event_study",
    "fit",
    "ingest",
    "load_model",
    "prevalence",
    "run_report",
    "seeded_model",
    "stop_words",
    "sweep",
    "term_turnover",
    "topic_evolution",
    "topic_info",
    "topic_pipeline",
    "topics_over_time",
    "validate_gold",
    "validate_sample",
    "validate_scores",
    "vectorize",
]


def __getattr__(name: str) -> Any:
    """Load a public name (or a sub-package such as ``topics.plots``) on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module 'topics' has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .app.report import ReportConfig, run_report
    from .corpus import Corpus, assign_bins, assign_periods, assign_year_bins
    from .dynamic import DynamicNMF, align_windows, term_turnover, topic_evolution
    from .evaluation import ModelSpec, sweep
    from .io import ColumnMap, IngestReport, IngestResult, ingest
    from .models import (
        DMM,
        LDA,
        MODELS,
        NMF,
        CoocNMF,
        TopicModel,
        load_model,
        topic_info,
        topic_pipeline,
    )
    from .text import DocTermMatrix, PreprocessConfig, Preprocessor, Vectorizer, vectorize
    from .themes import (
        MEASURES,
        Codebook,
        Theme,
        ThemeAnalysis,
        ThemeSettings,
        analyze_themes,
        dictionary_shares,
        seeded_model,
    )
    from .trends import ChangeResult, detect_changes, event_study, prevalence, topics_over_time
    from .validation import (
        CodingSheet,
        Validation,
        corrected_trends,
        validate_gold,
        validate_sample,
        validate_scores,
    )
