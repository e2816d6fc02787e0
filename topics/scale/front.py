"""The front doors: ingest and themes, whether the corpus fits in memory or not.

The library, not the caller, picks the engine (:func:`topics.scale.models.fit` does the same
for topic models). :func:`ingest` reads files into a corpus in memory, or — with ``dataset`` —
streams them into a dataset folder; both answers share :class:`Ingested`.

:func:`analyze_themes` takes a :class:`~topics.Corpus`, a corpus file (``topics ingest`` →
Parquet) or a dataset folder (``topics ingest --dataset``, :class:`CorpusDataset`) and returns
a :class:`~topics.themes.results.ThemeResults`: a corpus is analysed in memory
(:func:`topics.themes.analysis.analyze_themes`), a dataset chunk by chunk on an :class:`Engine`
(:func:`stream_themes`) — with equal numbers where both fit. Code written against the result
runs on five documents and on fifty million.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from .. import defaults
from ..corpus.corpus import Corpus
from ..errors import ConfigError, InputError
from ..io.ingestion import IngestReport, IngestResult, input_paths
from ..io.ingestion import ingest as ingest_in_memory
from ..outputs import Outputs
from ..text.preprocess import PreprocessConfig
from ..themes.analysis import ThemeSettings
from ..themes.analysis import analyze_themes as analyze_in_memory
from ..themes.codebook import Codebook
from ..themes.measures import ThemeMeasure
from ..themes.results import ThemeResults
from .chunked_ingest import DatasetIngest, ingest_dataset
from .dataset import CorpusDataset, is_dataset, read_corpus
from .engine import Engine
from .themes import stream_themes

__all__ = ["Ingested", "analyze_themes", "ingest"]


class Ingested(Protocol):
    """What :func:`ingest` returns either way: the report, the duplicates, the corpus's summary."""

    @property
    def report(self) -> IngestReport:
        """One line per input."""

    @property
    def duplicates(self) -> pd.DataFrame:
        """Absorbed documents: ``id, duplicate_of, similarity, exact``."""

    @property
    def summary(self) -> Mapping[str, Any]:
        """Documents (before segmentation), dated, per year, date precision and source."""


def ingest(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    output: str | os.PathLike[str] | None = None,
    *,
    dataset: bool = False,
    report: str | os.PathLike[str] | None = None,
    chunk_rows: int = defaults.CHUNK_ROWS,
    engine: Engine | None = None,
    echo: Callable[[str], None] | None = None,
    progress: bool | None = None,
    **options: Any,
) -> IngestResult | DatasetIngest:
    """Read, clean, date, de-duplicate and segment files: into memory, a Parquet file or a dataset.

    Parameters
    ----------
    paths
        Files and folders (see :func:`topics.io.ingest`).
    output
        Where to write the corpus (Parquet, with a manifest beside it), or the dataset folder;
        ``None`` keeps the corpus in memory only.
    dataset
        Stream the inputs into a dataset folder at ``output`` (chunks of at most
        ``chunk_rows`` documents, read on ``engine``): for corpora larger than memory.
    report
        Also write the per-input report as CSV (with its manifest).
    chunk_rows
        A dataset's most documents per chunk.
    engine
        Where a dataset's inputs are read (default: a local cluster for this call).
    echo
        Called with the rendered report once the inputs are read (e.g. ``print``).
    progress
        Progress bars while reading into memory (a dataset's engine shows its own).
    **options
        :func:`topics.io.ingest`'s settings (``columns``, ``segment``, ``dedupe`` …).

    Returns
    -------
    IngestResult or DatasetIngest
        Both have ``report``, ``duplicates`` and ``summary`` (:class:`Ingested`); the first
        holds the corpus, the second the dataset.

    """
    if dataset and output is None:
        raise ConfigError("a dataset is written to a folder: give output=FOLDER")
    if (
        report is not None
        and output is not None
        and Path(report).absolute() == Path(output).absolute()
    ):
        raise ConfigError("the report and the output name the same file; give it its own name")
    targets = input_paths(paths)
    with Outputs(inputs=targets) as out:
        corpus_file = out.file(output) if output is not None and not dataset else None
        part_of = output if corpus_file is not None else None
        report_file = out.file(report, part_of=part_of) if report is not None else None
        if dataset:
            assert output is not None
            result: IngestResult | DatasetIngest = ingest_dataset(
                targets, output, chunk_rows=chunk_rows, engine=engine, **options
            )
        else:
            result = ingest_in_memory(targets, progress=progress, **options)
        if echo is not None:
            echo(result.report.render(summary=result.summary, report_file=report))
            if options.get("segment"):
                n = len(result.dataset) if isinstance(result, DatasetIngest) else len(result.corpus)
                echo(f"segments ({options['segment']}): {n}")
        seed = options.get("random_state", defaults.SEED)
        if isinstance(result, IngestResult) and len(result.corpus) == 0 and corpus_file:
            raise InputError(
                "no document was kept (see the report), so no corpus was written; check the "
                "text column and the inputs"
            )
        if report_file is not None and report is not None:
            result.report.to_csv(report_file)
            if part_of is None:
                out.manifest(
                    report, "ingest_report", config={"dataset": str(output)}, inputs=targets,
                    random_state=seed, extra={"counts": result.report.counts()},
                )  # fmt: skip
        if isinstance(result, IngestResult) and corpus_file is not None and output is not None:
            result.corpus.to_parquet(corpus_file)
            out.manifest(
                output, "corpus", config=result.settings, fingerprint=result.corpus.fingerprint(),
                inputs=result.inputs, random_state=seed,
                extra={"counts": result.report.counts(), "notes": list(result.report.notes),
                       "summary": dict(result.summary), "segments": len(result.corpus)},
            )  # fmt: skip
    return result


def analyze_themes(
    source: Corpus | CorpusDataset | str | os.PathLike[str],
    codebook: Codebook,
    settings: ThemeSettings | None = None,
    *,
    measure: str | ThemeMeasure | None = None,
    preprocess: PreprocessConfig | None = None,
    engine: Engine | None = None,
    progress: bool | None = None,
    **overrides: Any,
) -> ThemeResults:
    """Measure every theme per document and per period, with intervals; changes on demand.

    Parameters
    ----------
    source
        A :class:`~topics.Corpus`, the Parquet file ``topics ingest`` wrote, or a dataset
        (:class:`CorpusDataset` or its folder).
    codebook
        The themes and their seed terms.
    settings
        A :class:`~topics.themes.ThemeSettings` (default: the defaults).
    measure
        A registered measure name or a measure object (a dataset takes ``"dictionary"``).
    preprocess
        Base preprocessing; the codebook's phrases are added as protected terms.
    engine
        Where a dataset's chunks run (default: a local cluster for this call); unused for a
        corpus in memory.
    progress
        Progress bars for the long in-memory steps.
    **overrides
        Fields of :class:`~topics.themes.ThemeSettings` to replace (e.g. ``freq="month"``).

    Returns
    -------
    ThemeResults
        A :class:`~topics.themes.ThemeAnalysis` (in memory) or a :class:`StreamedThemes`
        (chunks); both offer ``trends``, ``changes``, ``health``, ``passages``, ``event`` and
        ``save``.

    """
    if isinstance(source, Corpus):
        corpus = source
    elif isinstance(source, CorpusDataset) or is_dataset(source):
        if measure is not None and measure != "dictionary":
            name = measure if isinstance(measure, str) else type(measure).__name__
            raise ConfigError(
                f"a dataset is measured chunk by chunk with the dictionary measure; {name!r} "
                "fits one model on the whole corpus — analyse a corpus that fits in memory, or "
                "fit a topic model on the dataset with `topics fit`"
            )
        return stream_themes(
            source if isinstance(source, CorpusDataset) else Path(source),
            codebook,
            settings,
            engine=engine,
            preprocess=preprocess,
            **overrides,
        )
    else:
        corpus = read_corpus(source)
    return analyze_in_memory(
        corpus, codebook, settings, measure=measure, preprocess=preprocess, progress=progress,
        **overrides,
    )  # fmt: skip
