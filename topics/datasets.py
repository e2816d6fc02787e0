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
import scipy.sparse as sp

from .errors import InputError
from .paths import shared_path
from .vectorize import DocTermMatrix

__all__ = ["OctisCorpus", "load_octis_bbc"]


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
    folder = Path(path) if path is not None else shared_path("corpora", "octis_bbc")
    if folder is None or not (folder / "corpus.tsv").exists():
        raise InputError(
            "OCTIS BBC News not found: pass its folder, or put it at "
            "../shared/corpora/octis_bbc (or set TOPICS_SHARED)"
        )
    vocabulary = tuple(
        w.strip()
        for w in (folder / "vocabulary.txt").read_text(encoding="utf-8").split("\n")
        if w.strip()
    )
    index = {w: i for i, w in enumerate(vocabulary)}
    tokens: list[list[str]] = []
    labels: list[str] = []
    partitions: list[str] = []
    for number, line in enumerate(
        (folder / "corpus.tsv").read_text(encoding="utf-8").split("\n"), 1
    ):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 1:
            raise InputError(f"{folder / 'corpus.tsv'}, line {number}: empty")
        tokens.append(parts[0].split())
        partitions.append(parts[1] if len(parts) > 1 else "")
        labels.append(parts[2] if len(parts) > 2 else "")
    rows, cols = [], []
    for row, doc in enumerate(tokens):
        for word in doc:
            column = index.get(word)
            if column is not None:
                rows.append(row)
                cols.append(column)
    counts = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(len(tokens), len(vocabulary))
    )
    counts.sum_duplicates()
    matrix = DocTermMatrix(counts, vocabulary, tuple(f"bbc{i}" for i in range(len(tokens))))
    return OctisCorpus(tokens=tokens, labels=labels, partitions=partitions, matrix=matrix)
