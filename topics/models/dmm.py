"""Dirichlet-multinomial mixture (GSDMM) for short texts: one topic per document.

Yin & Wang (2014), "A Dirichlet multinomial mixture model-based approach for short text
clustering": every document is drawn from a single topic ``z_d ~ Mult(π)``, ``π ~ Dir(α)``, and
all its words from that topic's ``φ_z ~ Dir(β)``. A title or a headline of five words rarely
mixes topics, and LDA has too few words per document to estimate a mixture — which is why this
model suits short texts. The collapsed Gibbs conditional of a document with counts ``n_dw`` and
length ``N_d``, given every other document's assignment, is::

    p(z_d = k | …) ∝ (m_k + α) · Π_w Γ(n_kw + β + n_dw) / Γ(n_kw + β)
                               / [Γ(n_k + Vβ + N_d) / Γ(n_k + Vβ)]

with ``m_k`` documents, ``n_kw`` occurrences of word ``w`` and ``n_k`` tokens in topic ``k``.

Sampling is vectorised over blocks of documents (numpy, no compiled code): each sweep visits the
documents in a random order, ``block_size`` at a time; a block's documents are removed from the
counts, their conditionals computed together against the counts of all other documents, sampled
(Gumbel-max) and added back. With blocks much smaller than a topic this is the sequential
sampler up to the few documents of a block not seeing each other's new assignment — the same
approximation as AD-LDA's, with a fixed seed it repeats exactly. The sampler starts, as GSDMM
does, from every document in a topic drawn uniformly at random.

Counts may be fractional (the Γ ratios are defined for any non-negative count), so weighted
input is accepted. ``topic_word_`` is ``(n_kw + β)`` normalised; :meth:`DMM.transform` gives a
document's posterior over topics under the fitted topics and mixture weights (each row on its
own, so a document's result does not depend on the others transformed with it).
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.special import gammaln
from sklearn.utils._param_validation import Interval

from .. import defaults
from ..progress import stepper
from ._base import COMMON_CONSTRAINTS, TopicModel, register_model

__all__ = ["DMM"]


def _log_rising(
    base: npt.NDArray[np.float64], count: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """``log Γ(base + count) − log Γ(base)`` (``log base`` where the count is exactly 1)."""
    ones = count == 1.0
    if ones.all():
        return np.asarray(np.log(base), dtype=np.float64)
    out = gammaln(base + count) - gammaln(base)
    if ones.any():
        out[ones] = np.log(base[ones])
    return np.asarray(out, dtype=np.float64)


@register_model("dmm")
class DMM(TopicModel):
    """Dirichlet-multinomial mixture (GSDMM) topic model for short texts.

    Parameters
    ----------
    n_topics
        Number of topics K (an upper bound in GSDMM: topics that lose all their documents
        stay empty; ``n_active_`` counts the others).
    alpha
        Prior on the topics' shares of documents (pseudo-documents per topic). Larger values
        keep more topics alive.
    beta
        Prior on a topic's words (pseudo-count per word). Smaller values give more topics
        with sharper word lists.
    max_iter
        Gibbs sweeps over the corpus.
    block_size
        Documents sampled together (see the module docstring); ``None``: about 1 % of the
        corpus, between 16 and 512.
    random_state
        Seed of the sampler; the same data, parameters and seed give identical results.
    {ranking}
    {progress}

    Attributes
    ----------
    components_ : ndarray (K, V)
        Topic–word pseudo-counts ``n_kw + β``.
    topic_word_ : ndarray (K, V)
        Rows of ``components_`` normalised.
    doc_counts_ : ndarray (K,)
        Training documents assigned to each topic in the final sample.
    weights_ : ndarray (K,)
        Mixture weights ``(m_k + α) / (D + Kα)``.
    n_active_ : int
        Topics with at least one document.

    """

    _array_shapes: ClassVar[dict[str, tuple[str, ...]]] = {
        "components_": ("K", "V"),
        "doc_counts_": ("K",),
        "weights_": ("K",),
    }
    _json_attributes: ClassVar[tuple[str, ...]] = ("n_active_", "n_iter_")
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **COMMON_CONSTRAINTS,
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "beta": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "block_size": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        n_topics: int = 10,
        *,
        alpha: float = 0.1,
        beta: float = 0.1,
        max_iter: int = 50,
        block_size: int | None = None,
        random_state: int | None = 0,
        ranking: str = "relevance",
        relevance_lambda: float = defaults.RELEVANCE_LAMBDA,
        progress: bool | None = None,
    ) -> None:
        self.n_topics = n_topics
        self.alpha = alpha
        self.beta = beta
        self.max_iter = max_iter
        self.block_size = block_size
        self.random_state = random_state
        self.ranking = ranking
        self.relevance_lambda = relevance_lambda
        self.progress = progress

    def _block(self, n_docs: int) -> int:
        return int(self.block_size or min(512, max(16, n_docs // 100)))

    def _log_conditional(
        self,
        block: sp.csr_matrix,
        lengths: npt.NDArray[np.float64],
        word_topic: npt.NDArray[np.float64],
        topic_tokens: npt.NDArray[np.float64],
        topic_docs: npt.NDArray[np.float64],
    ) -> npt.NDArray[np.float64]:
        """``log p(z_d = k | …)`` up to a constant, documents of ``block`` × K.

        ``word_topic`` is V × K (``n_kw + β``, transposed so a word's K values are contiguous).
        """
        n_block, k = block.shape[0], len(topic_docs)
        rows = np.repeat(np.arange(n_block), np.diff(block.indptr))
        gathered = word_topic[block.indices]  # (nnz, K)
        terms = _log_rising(gathered, np.broadcast_to(block.data[:, None], gathered.shape))
        per_doc = sp.csr_matrix(
            (np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(n_block, len(rows))
        )
        logp = np.asarray(per_doc @ terms, dtype=np.float64)
        logp -= _log_rising(
            np.broadcast_to(topic_tokens[None, :], (n_block, k)),
            np.broadcast_to(lengths[:, None], (n_block, k)),
        )
        logp += np.log(topic_docs + self.alpha)[None, :]
        return logp

    def _fit(self, X: sp.csr_matrix) -> None:
        rng = np.random.default_rng(self.random_state)
        n_docs, n_terms = X.shape
        k = self.n_topics
        beta = float(self.beta)
        lengths = np.asarray(X.sum(axis=1), dtype=np.float64).ravel()
        word_topic = np.full((n_terms, k), beta)  # n_kw + β, V × K
        topic_tokens = np.full(k, n_terms * beta)  # n_k + Vβ
        topic_docs = np.zeros(k)  # m_k
        counts = (word_topic, topic_tokens, topic_docs)
        # GSDMM's start: every document in a topic drawn uniformly at random
        assign = rng.integers(0, k, size=n_docs).astype(np.intp)
        self._move(X, assign, lengths, *counts, 1.0)
        size = self._block(n_docs)
        with stepper(self.max_iter, desc=f"DMM sweeps (K={k})", enabled=self.progress) as advance:
            for sweep in range(self.max_iter):
                order = rng.permutation(n_docs)
                for start in range(0, n_docs, size):
                    docs = np.sort(order[start : start + size])
                    block = X[docs]
                    old = assign[docs]
                    # take the block's documents out of the counts, sample, put them back
                    self._move(block, old, lengths[docs], *counts, -1.0)
                    logp = self._log_conditional(block, lengths[docs], *counts)
                    new = np.argmax(logp - np.log(-np.log(rng.random(logp.shape))), axis=1)
                    assign[docs] = new
                    self._move(block, new, lengths[docs], *counts, 1.0)
                advance(sweep + 1)
        self.n_iter_ = int(self.max_iter)
        self.components_ = np.ascontiguousarray(word_topic.T)
        self.doc_counts_ = np.bincount(assign, minlength=k).astype(np.int64)
        self.weights_ = (self.doc_counts_ + self.alpha) / (n_docs + k * self.alpha)
        self.n_active_ = int((self.doc_counts_ > 0).sum())
        self.topic_word_ = self.components_ / self.components_.sum(axis=1, keepdims=True)

    @staticmethod
    def _move(
        block: sp.csr_matrix,
        topics: npt.NDArray[np.intp],
        lengths: npt.NDArray[np.float64],
        word_topic: npt.NDArray[np.float64],
        topic_tokens: npt.NDArray[np.float64],
        topic_docs: npt.NDArray[np.float64],
        sign: float,
    ) -> None:
        """Add (``sign = 1``) or remove (``-1``) the block's documents from their topics."""
        rows = np.repeat(np.arange(block.shape[0]), np.diff(block.indptr))
        np.add.at(word_topic, (block.indices, topics[rows]), sign * block.data)
        np.add.at(topic_tokens, topics, sign * lengths)
        np.add.at(topic_docs, topics, sign)

    def _transform(self, X: sp.csr_matrix) -> npt.NDArray[np.float64]:
        log_phi = np.log(self.topic_word_)  # K × V
        logp = np.asarray(X @ log_phi.T) + np.log(self.weights_)[None, :]
        logp -= logp.max(axis=1, keepdims=True)
        prob = np.exp(logp)
        return np.asarray(prob / prob.sum(axis=1, keepdims=True), dtype=np.float64)
