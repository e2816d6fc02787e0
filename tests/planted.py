"""Synthetic corpora whose true topics are known, shared by the model and evaluation tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment

from topics.vectorize import DocTermMatrix


@dataclass(frozen=True)
class Planted:
    matrix: DocTermMatrix
    blocks: list[list[str]]  # the words of each planted topic
    theta: np.ndarray  # true document-topic proportions


def planted_corpus(
    n_topics: int = 5,
    words_per_topic: int = 20,
    n_docs: int = 300,
    doc_length: int = 80,
    seed: int = 0,
) -> Planted:
    """Documents drawn from LDA's generative model with disjoint word blocks per topic."""
    rng = np.random.default_rng(seed)
    vocabulary = [f"t{k}w{j:02d}" for k in range(n_topics) for j in range(words_per_topic)]
    beta = np.zeros((n_topics, len(vocabulary)))
    for k in range(n_topics):
        weights = rng.dirichlet(np.full(words_per_topic, 5.0))
        beta[k, k * words_per_topic : (k + 1) * words_per_topic] = weights
    theta = rng.dirichlet(np.full(n_topics, 0.2), size=n_docs)
    counts = np.vstack([rng.multinomial(doc_length, row @ beta) for row in theta])
    matrix = DocTermMatrix(
        sp.csr_matrix(counts), tuple(vocabulary), tuple(f"d{i}" for i in range(n_docs))
    )
    blocks = [vocabulary[k * words_per_topic : (k + 1) * words_per_topic] for k in range(n_topics)]
    return Planted(matrix, blocks, theta)


def match_topics(top_terms, blocks, n: int = 10) -> list[float]:
    """Match fitted topics to planted ones (Hungarian on top-n overlap); return overlaps."""
    fitted = [
        set(group.sort_values("rank")["term"].head(n)) for _, group in top_terms.groupby("topic")
    ]
    overlap = np.array([[len(f & set(b)) / n for b in blocks] for f in fitted])
    rows, cols = linear_sum_assignment(-overlap)
    return [float(overlap[r, c]) for r, c in zip(rows, cols, strict=True)]
