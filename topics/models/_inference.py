"""Variational inference of document–topic proportions given fitted LDA topics.

Every LDA backend ends in the same representation — topic–word pseudo-counts ``λ`` (K × V) and a
document–topic prior ``α`` — so unseen documents are inferred the same way whichever backend fit
the topics, before and after the model is saved and loaded.

The E-step is the standard mean-field update (Blei, Ng & Jordan 2003; Hoffman et al. 2010),
vectorised over documents with sparse matrices::

    γ_d ← α + exp(E[log θ_d]) ⊙ Σ_w n_dw · exp(E[log β_w]) / φnorm_dw

Each document iterates until the mean absolute change of its ``γ`` falls below ``tol``;
documents stop independently, so a document's result does not depend on which other documents
were inferred with it.

:func:`likelihood_shares` is the same fixed-point iteration without priors, for the NMF
families: the topic mixture that maximises a document's (weighted) word likelihood under fixed
topic–word distributions — PLSA's fold-in (Hofmann 1999), the EM update
``θ_dk ← θ_dk Σ_w n_dw β_kw / Σ_j θ_dj β_jw``, concave in ``θ`` so its maximum does not depend
on the start.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.special import digamma

__all__ = [
    "count_ratio",
    "dirichlet_expectation",
    "infer_doc_topics",
    "infer_gamma",
    "least_squares_shares",
    "likelihood_shares",
    "row_shares",
]

_EPS = 1e-100
_CHUNK_NNZ = 1 << 19


def dirichlet_expectation(alpha: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``E[log X]`` for ``X ~ Dir(alpha)``, row-wise."""
    return np.asarray(digamma(alpha) - digamma(alpha.sum(axis=-1, keepdims=True)), dtype=np.float64)


def row_shares(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Rows scaled to sum to 1; a row without mass becomes the uniform distribution."""
    totals = values.sum(axis=1, keepdims=True)
    shares = np.where(totals > 0, values / np.where(totals > 0, totals, 1.0), 1.0 / values.shape[1])
    return np.asarray(shares, dtype=np.float64)


def least_squares_shares(W: npt.ArrayLike, H: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Each topic's share of the fit ``X ≈ W H``'s mass: ``θ_dk ∝ W_dk Σ_w H_kw``."""
    return row_shares(np.asarray(W, dtype=np.float64) * H.sum(axis=1)[None, :])


def count_ratio(
    counts: sp.csr_matrix,
    exp_elog_theta: npt.NDArray[np.float64],
    exp_elog_beta: npt.NDArray[np.float64],
    eps: float = _EPS,
) -> sp.csr_matrix:
    """Sparse ``n_dw / φnorm_dw``, ``φnorm_dw = Σ_k exp(E[log θ_dk]) exp(E[log β_kw]) + eps``."""
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    phinorm = np.einsum("nk,kn->n", exp_elog_theta[rows], exp_elog_beta[:, counts.indices]) + eps
    return sp.csr_matrix((counts.data / phinorm, counts.indices, counts.indptr), shape=counts.shape)


def infer_gamma(
    counts: sp.csr_matrix,
    exp_elog_beta: npt.NDArray[np.float64],
    alpha: npt.NDArray[np.float64],
    max_iter: int,
    tol: float,
) -> npt.NDArray[np.float64]:
    """Variational ``γ`` (documents × K) of ``counts`` under fixed topics (see module docstring)."""
    n_docs = counts.shape[0]
    gamma = np.ones((n_docs, len(alpha)), dtype=np.float64)
    active = np.arange(n_docs)
    for _ in range(max_iter):
        if active.size == 0:
            break
        exp_elog_theta = np.exp(dirichlet_expectation(gamma[active]))
        ratio = count_ratio(counts[active], exp_elog_theta, exp_elog_beta)
        updated = alpha + exp_elog_theta * np.asarray(ratio @ exp_elog_beta.T)
        change = np.abs(updated - gamma[active]).mean(axis=1)
        gamma[active] = updated
        active = active[change >= tol]
    return gamma


def _by_chunks(
    csr: sp.csr_matrix, k: int, solve: Callable[[sp.csr_matrix], npt.NDArray[np.float64]]
) -> npt.NDArray[np.float64]:
    """``solve`` row ranges of about ``_CHUNK_NNZ`` stored values each (at least one row)."""
    n_docs, start = csr.shape[0], 0
    out = np.empty((n_docs, k), dtype=np.float64)
    while start < n_docs:
        limit = csr.indptr[start] + _CHUNK_NNZ
        stop = max(int(np.searchsorted(csr.indptr, limit, side="right")) - 1, start + 1)
        out[start:stop] = solve(csr[start:stop])
        start = stop
    return out


def _fold_in(
    counts: sp.csr_matrix, topic_word: npt.NDArray[np.float64], max_iter: int, tol: float
) -> npt.NDArray[np.float64]:
    """EM for the shares of ``counts`` (one chunk) under fixed ``topic_word``."""
    n_docs, k = counts.shape[0], topic_word.shape[0]
    theta = np.full((n_docs, k), 1.0 / k)
    active = np.flatnonzero(np.diff(counts.indptr) > 0)  # an empty document stays uniform
    for _ in range(max_iter):
        if active.size == 0:
            break
        ratio = count_ratio(counts[active], theta[active], topic_word)
        updated = row_shares(theta[active] * np.asarray(ratio @ topic_word.T))
        change = np.abs(updated - theta[active]).max(axis=1)
        theta[active] = updated
        active = active[change >= tol]
    return theta


def likelihood_shares(
    weights: sp.csr_matrix,
    topic_word: npt.NDArray[np.float64],
    *,
    max_iter: int = 1000,
    tol: float = 1e-4,
) -> npt.NDArray[np.float64]:
    """Return the topic shares that make each document's words most likely (rows sum to 1).

    Parameters
    ----------
    weights
        Documents × terms non-negative weights (counts or tf-idf, CSR).
    topic_word
        Topic–word distributions (K × V, rows sum to 1).
    max_iter, tol
        Per-document stopping rule: the largest change of a share below ``tol``. Documents
        stop independently, so a document's shares do not depend on the others.

    Notes
    -----
    A document with no weight on any topic's words gets the uniform distribution.

    """
    beta = np.asarray(topic_word, dtype=np.float64)
    csr = sp.csr_matrix(weights, dtype=np.float64)
    return _by_chunks(csr, beta.shape[0], lambda part: _fold_in(part, beta, max_iter, tol))


def infer_doc_topics(
    counts: sp.csr_matrix,
    topic_word_counts: npt.NDArray[np.float64],
    alpha: npt.NDArray[np.float64],
    *,
    max_iter: int = 200,
    tol: float = 1e-4,
) -> npt.NDArray[np.float64]:
    """Return document–topic proportions (rows sum to 1) for ``counts`` under fitted topics.

    Parameters
    ----------
    counts
        Documents × terms counts (CSR).
    topic_word_counts
        ``λ``, the variational Dirichlet parameters of the topics (K × V, positive).
    alpha
        Document–topic prior, shape (K,).
    max_iter, tol
        Per-document stopping rule (mean absolute change of ``γ``).

    """
    exp_elog_beta = np.exp(dirichlet_expectation(np.asarray(topic_word_counts, dtype=np.float64)))
    csr = sp.csr_matrix(counts, dtype=np.float64)
    out = _by_chunks(
        csr, len(alpha), lambda part: infer_gamma(part, exp_elog_beta, alpha, max_iter, tol)
    )
    return np.asarray(out / out.sum(axis=1, keepdims=True), dtype=np.float64)
