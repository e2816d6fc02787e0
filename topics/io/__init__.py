"""Reading what researchers have: article folders, tables, odd encodings — every input reported.

* :mod:`.ingestion` — :func:`ingest`: files and folders → :class:`~topics.corpus.Corpus` plus a
  report with one line per input;
* :mod:`.readers` — folder scanning and article files; :mod:`.tables` — CSV / JSONL / Parquet;
* :mod:`.articles` — article headers, datelines and body dates; :mod:`.encodings`;
  :mod:`.cleaning` — mojibake, Unicode, PDF line breaks, page furniture.
"""

from __future__ import annotations

from .ingestion import STATUSES, IngestReport, IngestResult, ingest
from .readers import ColumnMap

__all__ = ["STATUSES", "ColumnMap", "IngestReport", "IngestResult", "ingest"]
