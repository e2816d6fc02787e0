"""Topics from the word co-occurrence network, for short texts (titles, headlines, posts).

A document of five words carries too few words for a per-document topic mixture, but a corpus
of many short documents carries a great deal about which words go *together*. Like the word
network topic model (Zuo, Zhao & Xu 2016) and SeaNMF (Shi et al. 2018), this model learns topics
from the word–word co-occurrence statistics of the whole corpus instead of from documents:

1. ``C_ij`` = number of documents holding both words ``i`` and ``j`` (``i ≠ j``); pairs seen
   together in fewer than ``min_count`` documents are dropped (a single co-occurrence of two
   rare words is noise, and gives the largest PMI of all);
2. the positive pointwise mutual information ``PPMI_ij = max(0, log(C_ij · D / (df_i df_j)))``;
3. an NMF of that V × V matrix, ``PPMI ≈ W H`` with K components (coordinate descent, NNDSVD
   start; deterministic); topic–word ``β_k`` = row ``k`` of ``H`` normalised to sum to 1.

A document's topic shares are inferred from its binary word vector with ``H`` fixed (a
non-negative least-squares fit solved to 1e-10, so each document's result does not depend on
the others) and normalised as :class:`~topics.models.NMF` does with ``shares="least-squares"``.

Suited to documents shorter than the 10-token windows of NPMI, where a document is its own
context; on long documents (news articles) document-level co-occurrence is too coarse and
:class:`~topics.models.NMF` gives more coherent topics (``benchmarks/octis_all.py``). Note that
the NPMI of the benchmarks is computed from the same kind of co-occurrence counts on the same
corpus: the model fits what the measure rewards, as BTM and WNTM do by design.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.utils._param_validation import Interval

from .. import defaults
from ..progress import elapsed
from ._base import COMMON_CONSTRAINTS, TopicModel, register_model
from ._inference import least_squares_shares, row_shares

__all__ = ["CoocNMF", "ppmi_matrix"]


def ppmi_matrix(X: sp.csr_matrix, min_count: int = 2) -> sp.csr_matrix:
    """Positive PMI of word pairs by document co-occurrence (V × V, zero diagonal, sparse).

    Parameters
    ----------
    X
        Documents × terms counts; only presence matters.
    min_count
        Pairs that occur together in fewer documents are left out.

    """
    present = _presence(X)
    n_docs = max(present.shape[0], 1)
    df = np.asarray(present.sum(axis=0), dtype=np.float64).ravel()
    together = sp.coo_matrix(present.T @ present)
    keep = (together.row != together.col) & (together.data >= min_count)
    rows, cols, counts = together.row[keep], together.col[keep], together.data[keep]
    pmi = np.log(counts * n_docs / (df[rows] * df[cols]))
    positive = pmi > 0
    return sp.csr_matrix(
        (pmi[positive], (rows[positive], cols[positive])), shape=(X.shape[1], X.shape[1])
    )


def _presence(X: sp.csr_matrix) -> sp.csr_matrix:
    """Binary copy of ``X``: 1 where a document holds a term."""
    present = sp.csr_matrix(X, dtype=np.float64, copy=True)
    present.eliminate_zeros()
    present.data[:] = 1.0
    return present


@register_model("cooc")
class CoocNMF(TopicModel):
    """NMF of the positive-PMI word co-occurrence matrix: topics for short texts.

    Parameters
    ----------
    n_topics
        Number of topics K.
    min_count
        Fewest documents a word pair must share to count (see the module docstring).
    max_iter, tol
        Stopping rule of the coordinate-descent NMF.
    random_state
        Seed (the NNDSVD start is deterministic; kept for the common interface).
    ranking, relevance_lambda
        How :meth:`top_terms` ranks words in a topic: ``"probability"`` (default: the
        co-occurrence loadings already favour words specific to a topic), ``"relevance"``
        (weight ``relevance_lambda`` on probability) or ``"frex"``.
    {progress}

    Attributes
    ----------
    components_ : ndarray (K, V)
        ``H`` of the co-occurrence factorisation.
    topic_word_ : ndarray (K, V)
        Rows of ``H`` normalised to sum to 1 (uniform for a topic with no mass).
    n_pairs_ : int
        Word pairs in the co-occurrence matrix (each counted in both orders).

    """

    _array_shapes: ClassVar[dict[str, tuple[str, ...]]] = {"components_": ("K", "V")}
    _json_attributes: ClassVar[tuple[str, ...]] = ("n_pairs_", "n_iter_")
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **COMMON_CONSTRAINTS,
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        n_topics: int = 10,
        *,
        min_count: int = 2,
        max_iter: int = 400,
        tol: float = 1e-4,
        random_state: int | None = 0,
        ranking: str = "probability",
        relevance_lambda: float = defaults.RELEVANCE_LAMBDA,
        progress: bool | None = None,
    ) -> None:
        self.n_topics = n_topics
        self.min_count = min_count
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.ranking = ranking
        self.relevance_lambda = relevance_lambda
        self.progress = progress

    def depends_on_seed(self, shape: tuple[int, int] | None = None) -> bool:
        """Return whether the seed matters: only for a random start (more topics than terms)."""
        return shape is not None and self.n_topics > shape[1]

    def _fit(self, X: sp.csr_matrix) -> None:
        from sklearn.decomposition import NMF as SkNMF

        ppmi = ppmi_matrix(X, self.min_count)
        self.n_pairs_ = int(ppmi.nnz)
        n_terms = X.shape[1]
        if ppmi.nnz == 0:  # no pair occurs together often enough: nothing to factorise
            self.components_ = np.zeros((self.n_topics, n_terms))
            self.n_iter_ = 0
        else:
            estimator = SkNMF(
                n_components=self.n_topics, init="nndsvd" if self.n_topics <= n_terms else "random",
                solver="cd", max_iter=self.max_iter, tol=self.tol, random_state=self.random_state,
            )  # fmt: skip
            with elapsed(f"fitting co-occurrence NMF (K={self.n_topics})", enabled=self.progress):
                estimator.fit(ppmi)
            self.components_ = np.asarray(estimator.components_, dtype=np.float64)
            self.n_iter_ = int(estimator.n_iter_)
        self.topic_word_ = row_shares(self.components_)

    def _transform(self, X: sp.csr_matrix) -> npt.NDArray[np.float64]:
        from sklearn.decomposition import non_negative_factorization

        n_docs, k = X.shape[0], self.n_topics
        if not self.components_.any():
            return np.full((n_docs, k), 1.0 / k)
        W, _, _ = non_negative_factorization(
            _presence(X), H=self.components_, n_components=k, update_H=False, solver="cd",
            max_iter=2000, tol=1e-10, random_state=self.random_state,
        )  # fmt: skip
        return least_squares_shares(W, self.components_)
