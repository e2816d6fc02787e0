"""The corpus layer: immutable dated documents, their periods, de-duplication, segments.

* :mod:`.corpus` — :class:`Corpus` (documents with honest dates and their precision);
* :mod:`.dates` — date parsing that a column agrees on (day/month order, precision, time zones);
* :mod:`.periods` — documents to calendar periods or custom bins without inventing precision;
* :mod:`.dedupe` — exact and near duplicates (MinHash + LSH, verified), from the word
  shingles of :mod:`.shingles`;
* :mod:`.segment` — paragraphs, sentences and sentence windows with character offsets.
"""

from __future__ import annotations

from .corpus import CORE_COLUMNS, Corpus
from .periods import (
    PERIOD_CODES,
    WEEKDAYS,
    Frequency,
    WeekStart,
    assign_bins,
    assign_periods,
    assign_year_bins,
    documents_per_period,
    period_code,
)

__all__ = [
    "CORE_COLUMNS",
    "PERIOD_CODES",
    "WEEKDAYS",
    "Corpus",
    "Frequency",
    "WeekStart",
    "assign_bins",
    "assign_periods",
    "assign_year_bins",
    "documents_per_period",
    "period_code",
]
