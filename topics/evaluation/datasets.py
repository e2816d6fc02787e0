"""Loaders for the shared benchmark corpora (never copied into the project).

Each loader takes an explicit path or finds the corpus under the shared folder
(``$TOPICS_SHARED`` or ``../shared``) and raises :class:`~topics.errors.InputError` saying where
it looked when the corpus is absent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..corpus.corpus import Corpus
from ..errors import InputError
from ..paths import shared_path
from ..text.vectorizer import DocTermMatrix

__all__ = [
    "OCTIS_DATASETS",
    "PARALLEL_FILES",
    "UNGD_PHRASES",
    "DynamicBenchmark",
    "OctisCorpus",
    "load_octis",
    "load_octis_bbc",
    "load_parallel_addresses",
    "load_ungd_dynamic",
]


@dataclass(frozen=True)
class OctisCorpus:
    """An OCTIS preprocessed dataset: tokens, labels and the matrix over its fixed vocabulary."""

    tokens: list[list[str]]
    labels: list[str]
    partitions: list[str]
    matrix: DocTermMatrix


def load_octis_bbc(path: str | os.PathLike[str] | None = None) -> OctisCorpus:
    """Load OCTIS's preprocessed BBC News (2,225 documents, 2,949-word vocabulary).

    Parameters
    ----------
    path
        The folder holding ``corpus.tsv`` and ``vocabulary.txt``; default
        ``<shared>/corpora/octis_bbc``.

    """
    return load_octis("bbc", path)


#: OCTIS datasets under ``<shared>/corpora/octis_<name>``: BBC News (long texts), and M10 and
#: DBLP, paper titles of about 5–6 words (the standard short-text benchmarks).
OCTIS_DATASETS = ("bbc", "m10", "dblp")


def load_octis(name: str, path: str | os.PathLike[str] | None = None) -> OctisCorpus:
    """Load an OCTIS preprocessed dataset: ``"bbc"``, ``"m10"`` or ``"dblp"``.

    Parameters
    ----------
    name
        Which dataset (see :data:`OCTIS_DATASETS`).
    path
        The folder holding ``corpus.tsv`` and ``vocabulary.txt``; default
        ``<shared>/corpora/octis_<name>``.

    """
    if name not in OCTIS_DATASETS:
        raise InputError(f"unknown OCTIS dataset {name!r}: use one of {list(OCTIS_DATASETS)}")
    folder = Path(path) if path is not None else shared_path("corpora", f"octis_{name}")
    if folder is None or not (folder / "corpus.tsv").exists():
        raise InputError(
            f"OCTIS dataset {name!r} not found: pass its folder, or put it at "
            f"../shared/corpora/octis_{name} (or set TOPICS_SHARED)"
        )
    vocabulary = tuple(
        w.strip()
        for w in (folder / "vocabulary.txt").read_text(encoding="utf-8").split("\n")
        if w.strip()
    )
    index = {w: i for i, w in enumerate(vocabulary)}
    # a line is "words<TAB>partition<TAB>label"; a missing partition or label is ""
    fields = [
        [*line.split("\t"), "", ""][:3]
        for line in (folder / "corpus.tsv").read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]
    tokens = [words.split() for words, _, _ in fields]
    partitions = [partition for _, partition, _ in fields]
    labels = [label for _, _, label in fields]
    rows = [row for row, doc in enumerate(tokens) for word in doc if word in index]
    cols = [index[word] for doc in tokens for word in doc if word in index]
    counts = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(len(tokens), len(vocabulary))
    )
    counts.sum_duplicates()
    matrix = DocTermMatrix(counts, vocabulary, tuple(f"{name}{i}" for i in range(len(tokens))))
    return OctisCorpus(tokens=tokens, labels=labels, partitions=partitions, matrix=matrix)


@dataclass(frozen=True)
class DynamicBenchmark:
    """The BERTopic paper's dynamic-topic data: UN paragraphs, their tokens and time bins."""

    matrix: DocTermMatrix
    tokens: list[list[str]]
    periods: pd.DataFrame  # id, period (bin number 0 … n_bins − 1)


#: Multi-word names kept as one token in the UN speeches benchmark (the phrases its published
#: numbers were measured with).
UNGD_PHRASES: tuple[str, ...] = (
    "raw materials",
    "critical raw materials",
    "Global Gateway",
    "Middle Corridor",
    "Trans-Caspian International Transport Route",
    "Enhanced Partnership and Cooperation Agreement",
    "European Union",
    "European Commission",
    "European Council",
    "Central Asia",
    "United Nations",
    "human rights",
    "rule of law",
    "climate change",
    "green hydrogen",
    "rare earths",
)


def load_ungd_dynamic(
    path: str | os.PathLike[str] | None = None,
    *,
    years: tuple[int, int] = (2006, 2015),
    n_bins: int = 9,
) -> DynamicBenchmark:
    """Load UN General Debate paragraphs as the BERTopic paper's dynamic benchmark uses them.

    Speeches of ``years`` (inclusive) are split into paragraphs of at least 40 characters,
    preprocessed by the package and counted over terms in ≥ 10 paragraphs and ≤ 50 % of them;
    the years are cut into ``n_bins`` equal-width bins (``pandas.cut``, as the paper's code
    does). With the defaults: 58,592 paragraphs, 7,123 terms, 9 bins.

    Parameters
    ----------
    path
        ``ungdc_2000_2024.jsonl.gz``; default ``<shared>/corpora/ungd/``.
    years
        First and last year kept.
    n_bins
        Number of time bins.

    """
    from ..io.ingestion import ingest
    from ..text.preprocess import PreprocessConfig
    from ..text.vectorizer import Vectorizer

    file = (
        Path(path)
        if path is not None
        else shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz")
    )
    if file is None or not file.exists():
        raise InputError(
            "UN General Debate corpus not found: pass the path of ungdc_2000_2024.jsonl.gz, or "
            "put it at ../shared/corpora/ungd (or set TOPICS_SHARED)"
        )
    docs = ingest(file, columns={"date": "year", "id": "id"}).documents
    year = docs.to_frame()["date"].dt.year
    docs = docs.select(((year >= years[0]) & (year <= years[1])).to_numpy())
    if len(docs) == 0:
        raise InputError(f"{file}: no speech dated {years[0]}–{years[1]}")
    paragraphs = docs.segment("paragraphs", min_chars=40)
    frame = paragraphs.to_frame()
    bins = pd.cut(frame["date"].dt.year, bins=n_bins, labels=False)
    periods = pd.DataFrame({"id": frame["id"], "period": bins.astype(int)})
    config = PreprocessConfig(protected_terms=UNGD_PHRASES)
    matrix, tokens = Vectorizer(config, min_df=10, max_df=0.5).fit_transform_tokens(paragraphs)
    return DynamicBenchmark(matrix=matrix, tokens=tokens, periods=periods)


#: The parallel corpus's two language versions, under ``<shared>/corpora/resistinua``.
PARALLEL_FILES = ("addresses_uk.jsonl", "addresses_en.jsonl")


def load_parallel_addresses(path: str | os.PathLike[str] | None = None) -> Corpus:
    """Load the parallel addresses (Ukrainian originals and English translations) as a corpus.

    Video addresses of Ukrainian officials, spring 2022 (GitHub Amice13/resistinua, CC0), each
    in both languages with the same source ``id`` and the publishers' topic ``labels``. The
    source gives one id to two addresses of 17 May, so rows are numbered (``file:row``) and the
    source's id is kept as ``id_input`` (with ``date``, it pairs the two versions); each
    document's ``lang`` is detected, as for any corpus.

    Raises
    ------
    InputError
        When the files are not found (the message says where it looked and how to get them).

    """
    from ..io import ingest

    folder = Path(path) if path is not None else shared_path("corpora", "resistinua")
    if folder is None or not all((folder / name).exists() for name in PARALLEL_FILES):
        where = folder or "<shared>/corpora/resistinua"
        raise InputError(
            f"The parallel corpus was not found in {where}. It is the resistinua addresses "
            "(GitHub Amice13/resistinua, CC0) as JSON lines addresses_uk.jsonl and "
            "addresses_en.jsonl with id, date, labels and text; put them in "
            "../shared/corpora/resistinua/ (or $TOPICS_SHARED/corpora/resistinua/) or pass "
            "their folder."
        )
    return ingest([folder / name for name in PARALLEL_FILES], columns={"id": "none"}).corpus
