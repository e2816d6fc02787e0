"""Mapped measure: unsupervised topics assigned to the theme whose seed terms they weigh most."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from ... import defaults
from ...corpus.corpus import Corpus
from ...models import MODELS, TopicModel
from ...text.preprocess import PreprocessConfig
from ...text.vectorizer import DocTermMatrix
from ..codebook import Codebook, CompiledCodebook, as_compiled
from .base import MEASURES, MeasureResult, Tokens, matrix_shares

__all__ = ["MappedMeasure", "map_topics", "mapped_theme_shares"]


def mapped_theme_shares(
    model: TopicModel, matrix: DocTermMatrix, mapping: pd.DataFrame, names: Sequence[str]
) -> pd.DataFrame:
    """Theme shares from unsupervised topics mapped by :func:`map_topics` (tidy shape).

    A theme's share in a document is the sum of the shares of the topics mapped to it (0 when
    no topic maps to it).
    """
    theta = model.transform(matrix)
    topics = [mapping["topic"][mapping["theme"] == name].to_numpy(dtype=int) for name in names]
    columns = [theta[:, t].sum(axis=1) if len(t) else np.zeros(len(theta)) for t in topics]
    return matrix_shares(np.column_stack(columns), matrix, names)


def map_topics(
    topic_word: npt.NDArray[np.float64],
    vocabulary: Sequence[str],
    codebook: Codebook | CompiledCodebook,
    *,
    threshold: float = 0.05,
    config: PreprocessConfig | None = None,
) -> pd.DataFrame:
    """Map each topic to the theme whose seed terms carry most of its weight.

    ``similarity`` is the share of the topic's probability mass on the theme's seed terms
    (0…1). A topic whose best similarity is below ``threshold`` maps to ``"unmatched"``.
    Returns ``topic, theme, similarity`` plus one column per theme with its similarity.
    """
    index = {t: i for i, t in enumerate(vocabulary)}
    mapping = as_compiled(codebook, config).tokens
    scores = {}
    for name, terms in mapping.items():
        cols = [index[t] for t in terms if t in index]
        scores[name] = topic_word[:, cols].sum(axis=1) if cols else np.zeros(topic_word.shape[0])
    table = pd.DataFrame(scores)
    best = table.idxmax(axis=1)
    similarity = table.max(axis=1)
    result = pd.DataFrame(
        {
            "topic": np.arange(topic_word.shape[0]),
            "theme": np.where(similarity >= threshold, best, "unmatched"),
            "similarity": similarity.to_numpy(),
        }
    )
    return pd.concat([result, table.add_prefix("sim_")], axis=1)


@MEASURES.register("mapped")
@dataclass(frozen=True)
class MappedMeasure:
    """Theme shares from an unsupervised model whose topics are mapped to themes.

    Parameters
    ----------
    n_topics
        Number of topics (``k`` before 0.3, still read with a ``DeprecationWarning``).
    family
        Model family, a name in :data:`topics.models.MODELS` (``model`` before 0.3).
    threshold
        Least share of a topic's mass on a theme's seeds for the topic to map to it.
    min_df
        Fewest documents a vocabulary term occurs in (seed terms are always kept).

    """

    size_option: ClassVar[str] = "n_topics"  # what ``topics trends --k`` sets
    renamed: ClassVar[Mapping[str, str]] = {"k": "n_topics", "model": "family"}

    n_topics: int = 10
    family: str = "nmf"
    threshold: float = 0.05
    min_df: int = defaults.MIN_DF

    def measure(
        self, corpus: Corpus, compiled: CompiledCodebook, *, tokens: Tokens, random_state: int
    ) -> MeasureResult:
        """Fit the model, map its topics, sum each theme's topics per document."""
        vectorizer = compiled.vectorizer(min_df=self.min_df).fit_tokens(tokens)
        matrix = vectorizer.tokens_to_matrix(tokens, corpus.ids)
        fitted = MODELS.get(self.family)(self.n_topics, random_state=random_state).fit(matrix)
        mapping = map_topics(
            fitted.topic_word_, matrix.vocabulary, compiled, threshold=self.threshold
        )
        shares = mapped_theme_shares(fitted, matrix, mapping, compiled.names)
        info = {
            "mapping": {
                int(t): str(m) for t, m in zip(mapping["topic"], mapping["theme"], strict=True)
            }
        }
        return MeasureResult(shares, info, fitted)
