"""Dictionary measure: the share of a document's tokens that are a theme's seed terms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...corpus.corpus import Corpus
from ...errors import InputError
from ...text.preprocess import PreprocessConfig
from ...tidy import long_frame
from ..codebook import Codebook, CompiledCodebook, as_compiled
from .base import MEASURES, MeasureResult, Tokens

__all__ = ["DictionaryMeasure", "dictionary_shares"]


def dictionary_shares(
    tokens: Sequence[Sequence[str]],
    doc_ids: Sequence[str],
    codebook: Codebook | CompiledCodebook,
    config: PreprocessConfig | None = None,
) -> pd.DataFrame:
    """Share of each document's tokens that belong to each theme.

    Returns ``doc_id, theme, share, weight`` where ``weight`` is the document's token count
    (for token-weighted aggregation); a document without tokens has share 0 and weight 0.
    """
    if len(tokens) != len(doc_ids):
        raise InputError(f"got {len(doc_ids)} ids for {len(tokens)} documents")
    book = as_compiled(codebook, config).expand({t for doc in tokens for t in doc})
    lookup = book.lookup
    hits = np.zeros((len(tokens), len(book.names)))
    lengths = np.zeros(len(tokens))
    for row, doc in enumerate(tokens):
        lengths[row] = len(doc)
        for token in doc:
            for index in lookup.get(token, ()):
                hits[row, index] += 1
    shares = np.divide(hits, lengths[:, None], out=np.zeros_like(hits), where=lengths[:, None] > 0)
    return long_frame(shares, list(doc_ids), book.names, per_row={"weight": lengths})


@MEASURES.register("dictionary")
@dataclass(frozen=True)
class DictionaryMeasure:
    """A theme's share of a document is the share of its tokens that are the theme's seed terms.

    Transparent and works on a handful of documents; a theme is only what its terms say.
    """

    def measure(
        self, corpus: Corpus, compiled: CompiledCodebook, *, tokens: Tokens, random_state: int
    ) -> MeasureResult:
        """Count seed tokens per document."""
        return MeasureResult(dictionary_shares(tokens, corpus.ids, compiled))
