"""topics — topic and trend modelling of dated text.

The flow is one way: raw texts → :class:`Corpus` → document-term matrix → topic models →
evaluation / themes / trends → tidy DataFrames → figures. Nothing runs at import time.
"""

from __future__ import annotations

from .analysis import ThemeAnalysis, analyse_themes
from .corpus import Corpus
from .dynamic import DynamicNMF, align_windows, term_turnover, topic_evolution
from .errors import (
    ConfigError,
    IngestWarning,
    InputError,
    PersistenceError,
    TopicsError,
    TopicsWarning,
)
from .ingest import IngestReport, IngestResult, ingest
from .models import LDA, NMF, TopicModel, load_model
from .periods import assign_bins, assign_periods, assign_year_bins
from .preprocess import PreprocessConfig, Preprocessor
from .readers import ColumnMap
from .report import ReportConfig, run_report
from .sweep import ModelSpec, sweep
from .themes import Codebook, Theme, dictionary_shares, seeded_model
from .trends import ChangeResult, detect_changes, prevalence
from .vectorize import DocTermMatrix, Vectorizer, vectorize

__all__ = [
    "LDA",
    "NMF",
    "ChangeResult",
    "Codebook",
    "ColumnMap",
    "ConfigError",
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
    "TopicModel",
    "TopicsError",
    "TopicsWarning",
    "Vectorizer",
    "align_windows",
    "analyse_themes",
    "assign_bins",
    "assign_periods",
    "assign_year_bins",
    "detect_changes",
    "dictionary_shares",
    "ingest",
    "load_model",
    "prevalence",
    "run_report",
    "seeded_model",
    "sweep",
    "term_turnover",
    "topic_evolution",
    "vectorize",
]

__version__ = "0.1.0"
