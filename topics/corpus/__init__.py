"""The corpus layer: immutable dated documents, their periods, de-duplication, segments.

* :mod:`.corpus` — :class:`Corpus` (documents with honest dates and their precision);
* :mod:`.dates` — date parsing that a column agrees on (day/month order, precision, time zones);
* :mod:`.periods` — documents to calendar periods or custom bins without inventing precision;
* :mod:`.dedupe` — exact and near duplicates (MinHash + LSH, verified), from the word
  shingles of :mod:`.shingles`;
* :mod:`.segment` — paragraphs, sentences and sentence windows with character offsets;
* :mod:`.languages` — each document's language (ISO 639-1), detected offline.
"""

from __future__ import annotations

from . import periods
from .corpus import CORE_COLUMNS, Corpus
from .periods import *  # noqa: F403 - the names of ``periods.__all__``

__all__ = ["CORE_COLUMNS", "Corpus"]
__all__ += periods.__all__
