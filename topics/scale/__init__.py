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

:func:`ingest`, :func:`fit` and :func:`analyze_themes` are the front doors: given a corpus
they run in memory, given a dataset they stream — one call, one result type (or two sharing a
protocol) either way.

Modules: :mod:`.front` (:func:`ingest`, :func:`analyze_themes`), :mod:`.models` (:func:`fit`,
:class:`TopicFit`), :mod:`.dataset` (:class:`CorpusDataset`),
:mod:`.engine` (:class:`Engine`), :mod:`.chunked_ingest`, :mod:`.dedupe` (across chunks),
:mod:`.vocabulary`, :mod:`.fitting`, :mod:`.themes` and :mod:`.results` (:class:`StreamedThemes`).

On a corpus that fits in memory the answers equal the in-memory pipeline's (see the README,
"When your corpus outgrows memory", for what is exact and what is within a tolerance).
"""

from __future__ import annotations

from .chunked_ingest import DatasetIngest, ingest_dataset
from .dataset import Chunk, CorpusDataset, is_dataset
from .engine import Engine
from .fitting import StreamingFit, fit_dataset, transform_dataset
from .front import Ingested, analyze_themes, ingest
from .models import TopicFit, fit
from .results import StreamedThemes
from .themes import stream_themes
from .vocabulary import ChunkMatrices, vectorize_dataset

__all__ = [
    "Chunk",
    "ChunkMatrices",
    "CorpusDataset",
    "DatasetIngest",
    "Engine",
    "Ingested",
    "StreamedThemes",
    "StreamingFit",
    "TopicFit",
    "analyze_themes",
    "fit",
    "fit_dataset",
    "ingest",
    "ingest_dataset",
    "is_dataset",
    "stream_themes",
    "transform_dataset",
    "vectorize_dataset",
]
