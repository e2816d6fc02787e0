"""Beyond one machine's memory: a corpus on disk in chunks, and a Dask engine to work on them.

The streaming path mirrors the in-memory one step for step, each step a task per chunk on an
:class:`Engine` (a local Dask cluster by default, or any scheduler's address):

* :func:`ingest_dataset` — files → a month-partitioned Parquet :class:`CorpusDataset`, with the
  same report and de-duplication across chunks (MinHash signatures merge);
* :func:`vectorize_dataset` — the vocabulary from merged per-chunk counts (the same pruning,
  the same vocabulary), then one matrix per chunk (:class:`ChunkMatrices`);
* :func:`fit_dataset` — topic models through ``partial_fit`` (mini-batch NMF, online LDA),
  chunk statistics computed on the workers; :func:`transform_dataset` for any chunk;
* :func:`stream_themes` — dictionary theme shares per chunk, summed per article and period,
  merged; prevalence with the Bayesian bootstrap (keyed weights: the same draws whatever the
  chunking) and the change test on the merged sums (:class:`StreamedThemes`).

:func:`analyze_themes` is the one front door: given a corpus it runs in memory, given a
dataset it streams (:class:`~topics.themes.results.ThemeResults` either way).

Modules: :mod:`.analysis` (the front door), :mod:`.dataset` (:class:`CorpusDataset`),
:mod:`.engine` (:class:`Engine`), :mod:`.ingest`, :mod:`.dedupe` (across chunks),
:mod:`.vocabulary`, :mod:`.fitting`, :mod:`.themes` and :mod:`.results` (:class:`StreamedThemes`).

On a corpus that fits in memory the answers equal the in-memory pipeline's (see the README,
"When your corpus outgrows memory", for what is exact and what is within a tolerance).
"""

from __future__ import annotations

from .analysis import analyze_themes
from .dataset import Chunk, CorpusDataset, is_dataset
from .engine import Engine
from .fitting import StreamingFit, fit_dataset, transform_dataset
from .ingest import DatasetIngest, ingest_dataset
from .results import StreamedThemes
from .themes import stream_themes
from .vocabulary import ChunkMatrices, vectorize_dataset

__all__ = [
    "Chunk",
    "ChunkMatrices",
    "CorpusDataset",
    "DatasetIngest",
    "Engine",
    "StreamedThemes",
    "StreamingFit",
    "analyze_themes",
    "fit_dataset",
    "ingest_dataset",
    "is_dataset",
    "stream_themes",
    "transform_dataset",
    "vectorize_dataset",
]
