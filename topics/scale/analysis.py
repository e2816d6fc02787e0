"""One call for themes whether the corpus fits in memory or not: the library picks the engine.

:func:`analyze_themes` takes a :class:`~topics.Corpus`, a corpus file (``topics ingest`` →
Parquet) or a dataset folder (``topics ingest --dataset``, :class:`CorpusDataset`) and returns
a :class:`~topics.themes.results.ThemeResults`: a corpus is analysed in memory
(:func:`topics.themes.analysis.analyze_themes`), a dataset chunk by chunk on an :class:`Engine`
(:func:`stream_themes`) — with equal numbers where both fit. Code written against the result
runs on five documents and on fifty million.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..corpus.corpus import Corpus
from ..errors import ConfigError, InputError
from ..text.preprocess import PreprocessConfig
from ..themes.analysis import ThemeSettings
from ..themes.analysis import analyze_themes as analyze_in_memory
from ..themes.codebook import Codebook
from ..themes.measures import ThemeMeasure
from ..themes.results import ThemeResults
from .dataset import CorpusDataset, is_dataset
from .engine import Engine
from .themes import stream_themes

__all__ = ["analyze_themes"]


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
        return analyze_in_memory(
            source, codebook, settings, measure=measure, preprocess=preprocess,
            progress=progress, **overrides,
        )  # fmt: skip
    if isinstance(source, CorpusDataset) or is_dataset(source):
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
    path = Path(source)
    if not path.is_file():
        raise InputError(
            f"{path}: not a corpus file or a dataset folder — give what `topics ingest` wrote "
            "(a .parquet file, or a folder with --dataset)"
        )
    corpus = Corpus.read_parquet(path)
    return analyze_in_memory(
        corpus, codebook, settings, measure=measure, preprocess=preprocess, progress=progress,
        **overrides,
    )  # fmt: skip
