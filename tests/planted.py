"""Synthetic corpora whose true topics are known, shared by the model and evaluation tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment

import topics
from topics.text.vectorizer import DocTermMatrix
from topics.themes import Codebook, Theme


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


# --- a dated corpus with planted theme trends ---------------------------------------------

PLANTED_THEMES = Codebook(
    (
        Theme("sanctions", "Sanctions", ("sanction", "embargo", "restriction")),
        Theme("corridor", "Connectivity", ("corridor", "transit", "railway")),
        Theme("minerals", "Raw materials", ("lithium", "battery", "mining")),
    )
)
_FILLER = [f"filler{i}" for i in range(60)]


def planted_theme_corpus(
    seed: int = 0, months: int = 18, docs_per_month: int = 40, length: int = 60
):
    """Documents whose theme shares per month are set here (the truth)."""
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    truth = {
        "sanctions": np.where(t >= 9, 0.12, 0.01),  # a step at month 9
        "corridor": 0.02 + 0.004 * t,  # a steady rise
        "minerals": np.full(months, 0.05),  # flat
    }
    words = {"sanctions": ["sanction", "embargo", "restriction"],
             "corridor": ["corridor", "transit", "railway"],
             "minerals": ["lithium", "battery", "mining"]}  # fmt: skip
    texts, dates = [], []
    for m in range(months):
        probs = np.array([truth[k][m] for k in words])
        for _ in range(docs_per_month):
            # each document has its own mix around the month's truth (documents differ)
            doc_probs = rng.dirichlet(probs * 200 + 1e-3) * probs.sum()
            choice = rng.random(length)
            cum = np.cumsum(doc_probs)
            tokens = []
            for u in choice:
                theme = int(np.searchsorted(cum, u, side="right"))
                pool = words[list(words)[theme]] if theme < len(words) else _FILLER
                tokens.append(str(rng.choice(pool)))
            texts.append(" ".join(tokens) + ".")
            dates.append(f"{2021 + m // 12}-{m % 12 + 1:02d}")
    corpus = topics.Corpus.from_texts(texts, dates=dates)
    months_index = pd.period_range("2021-01", periods=months, freq="M")
    truth_frame = pd.DataFrame(
        [{"period": months_index[m], "theme": k, "truth": truth[k][m]}
         for k in truth for m in range(months)]
    )  # fmt: skip
    return corpus, truth_frame
