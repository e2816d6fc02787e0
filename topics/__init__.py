"""topics — topic and trend modelling of dated text.

The flow is one way: raw texts → :class:`Corpus` → document-term matrix → topic models →
evaluation / themes / trends → tidy DataFrames → figures. Nothing runs at import time.
"""

from __future__ import annotations

from .corpus import Corpus
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
from .preprocess import PreprocessConfig, Preprocessor
from .readers import ColumnMap
from .vectorize import DocTermMatrix, Vectorizer, vectorize

__all__ = [
    "LDA",
    "NMF",
    "ColumnMap",
    "ConfigError",
    "Corpus",
    "DocTermMatrix",
    "IngestReport",
    "IngestResult",
    "IngestWarning",
    "InputError",
    "PersistenceError",
    "PreprocessConfig",
    "Preprocessor",
    "TopicModel",
    "TopicsError",
    "TopicsWarning",
    "Vectorizer",
    "ingest",
    "load_model",
    "vectorize",
]

__version__ = "0.1.0"
