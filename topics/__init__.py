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
from .readers import ColumnMap

__all__ = [
    "ColumnMap",
    "ConfigError",
    "Corpus",
    "IngestReport",
    "IngestResult",
    "IngestWarning",
    "InputError",
    "PersistenceError",
    "TopicsError",
    "TopicsWarning",
    "ingest",
]

__version__ = "0.1.0"
