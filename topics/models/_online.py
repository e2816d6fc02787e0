"""The maths of fitting topic models on mini-batches (``partial_fit``), as small pure functions.

Both models follow the same pattern, which is what lets chunks be processed on several workers:

1. **statistics** of one batch given the current topics — computed wherever the batch is
   (:func:`nmf_statistics`, :func:`lda_statistics`); the statistics of several batches add up;
2. an **update** of the topics from the summed statistics, on one machine
   (:func:`nmf_update`, :func:`lda_update`).

NMF (Frobenius loss) follows online dictionary learning (Mairal et al. 2010, as in
scikit-learn's ``MiniBatchNMF``): with ``H`` fixed, each batch's ``W`` is solved by coordinate
descent (HALS); ``A = Σ Wᵀ X`` and ``B = Σ Wᵀ W`` are accumulated with a forgetting factor and
``H`` takes several multiplicative steps ``H ← H ∘ A / (B H)`` on them.

LDA follows online variational Bayes (Hoffman, Blei & Bach 2010): each batch's E-step gives the
expected topic–word counts (``sstats``); ``λ ← (1 − ρ) λ + ρ (η + D / |S| · sstats)`` with the
step size ``ρ = (τ₀ + t)^(−κ)``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.utils.extmath import randomized_svd

from ._base import matrix_fingerprint
from ._inference import count_ratio, dirichlet_expectation, infer_gamma

__all__ = [
    "BatchStatistics",
    "lda_start",
    "lda_statistics",
    "lda_update",
    "nmf_kl_statistics",
    "nmf_start",
    "nmf_statistics",
    "nmf_update",
    "solve_w",
]

_EPS = 1e-12


@dataclass(frozen=True)
class BatchStatistics:
    """What one batch contributes to an update; batches add up (``+``).

    Attributes
    ----------
    numer
        NMF: ``Wᵀ X`` (K × V). LDA: the expected topic–word counts ``sstats`` (K × V).
    gram
        NMF: ``Wᵀ W`` (K × K). LDA: unused (zeros).
    rows
        Documents in the batch(es).
    loss
        NMF: squared Frobenius error of the batch. LDA: 0.
    totals
        Term totals of the raw counts (for the corpus term frequencies).
    fingerprint
        SHA-256 over the batch(es) (chained in order when added).

    """

    numer: npt.NDArray[np.float64]
    gram: npt.NDArray[np.float64]
    rows: int
    loss: float
    totals: npt.NDArray[np.float64]
    fingerprint: str = ""

    def __add__(self, other: BatchStatistics) -> BatchStatistics:
        return BatchStatistics(
            self.numer + other.numer,
            self.gram + other.gram,
            self.rows + other.rows,
            self.loss + other.loss,
            self.totals + other.totals,
            hashlib.sha256(f"{self.fingerprint}:{other.fingerprint}".encode()).hexdigest(),
        )


def _batch(
    X: sp.csr_matrix, numer: npt.NDArray[np.float64], gram: npt.NDArray[np.float64], loss: float
) -> BatchStatistics:
    """Return batch ``X``'s statistics (``X``: raw counts, for its rows, totals and fingerprint)."""
    totals = np.asarray(X.sum(axis=0), dtype=np.float64).ravel()
    return BatchStatistics(numer, gram, X.shape[0], max(loss, 0.0), totals, matrix_fingerprint(X))


# -- NMF --------------------------------------------------------------------------------------
def nmf_start(X: sp.csr_matrix, k: int, random_state: int | None) -> npt.NDArray[np.float64]:
    """Return a starting ``H`` (K × V): NNDSVDa of a batch (Boutsidis & Gallopoulos 2008).

    Falls back to a scaled random start when the batch has fewer rows or terms than topics.
    """
    rng = np.random.default_rng(random_state)
    avg = float(np.sqrt(max(X.mean(), _EPS) / k))
    if k > min(X.shape):
        return np.abs(avg * rng.standard_normal((k, X.shape[1])))
    U, S, V = randomized_svd(X, k, random_state=random_state)
    H = np.zeros((k, X.shape[1]))
    H[0] = np.sqrt(S[0]) * np.abs(V[0])
    for j in range(1, k):
        x, y = U[:, j], V[j]
        xp, xn = np.maximum(x, 0), np.maximum(-x, 0)
        yp, yn = np.maximum(y, 0), np.maximum(-y, 0)
        pos = np.linalg.norm(xp) * np.linalg.norm(yp)
        neg = np.linalg.norm(xn) * np.linalg.norm(yn)
        if pos >= neg:
            v, sigma = yp / max(np.linalg.norm(yp), _EPS), pos
        else:
            v, sigma = yn / max(np.linalg.norm(yn), _EPS), neg
        H[j] = np.sqrt(S[j] * sigma) * v
    H[H < _EPS] = avg  # NNDSVDa: zeros become the mean, so updates can move them
    return H


def solve_w(
    X: sp.csr_matrix, H: npt.NDArray[np.float64], *, max_iter: int = 50, tol: float = 1e-4
) -> npt.NDArray[np.float64]:
    """Solve ``min ‖X − W H‖²`` over ``W ≥ 0`` with ``H`` fixed.

    Hierarchical alternating least squares (HALS: exact coordinate descent over the columns of
    ``W``, Cichocki & Phan 2009) — far fewer sweeps than multiplicative updates.
    """
    XHt = np.asarray(X @ H.T)
    HHt = H @ H.T
    W = np.full((X.shape[0], H.shape[0]), float(np.sqrt(max(X.mean(), _EPS) / H.shape[0])))
    for _ in range(max_iter):
        moved = 0.0
        for k in range(H.shape[0]):
            if HHt[k, k] > 0:
                column = np.maximum(W[:, k] + (XHt[:, k] - W @ HHt[:, k]) / HHt[k, k], 0.0)
                moved += float(np.square(column - W[:, k]).sum())
                W[:, k] = column
        # sums of squares in numpy, not BLAS: a norm through BLAS is slow on busy machines
        if moved <= tol**2 * max(float(np.square(W).sum()), _EPS):
            break
    return W


def nmf_statistics(
    X: sp.csr_matrix, weighted: sp.csr_matrix, H: npt.NDArray[np.float64], *, max_iter: int
) -> BatchStatistics:
    """One batch's ``Wᵀ X``, ``Wᵀ W`` and error under ``H`` (``X``: raw counts, for totals)."""
    W = solve_w(weighted, H, max_iter=max_iter)
    numer = np.asarray((weighted.T @ W).T)
    gram = W.T @ W
    # ‖X − WH‖² = ‖X‖² − 2 tr(Wᵀ X Hᵀ) + tr(Wᵀ W H Hᵀ)
    squares = float(weighted.multiply(weighted).sum())
    loss = squares - 2 * float(np.sum(numer * H)) + float(np.sum(gram * (H @ H.T)))
    return _batch(X, numer, gram, loss)


def nmf_kl_statistics(
    X: sp.csr_matrix, weighted: sp.csr_matrix, H: npt.NDArray[np.float64], *, max_iter: int
) -> BatchStatistics:
    """One batch's statistics for the Kullback–Leibler loss under ``H``.

    ``W`` by multiplicative updates; ``numer = Wᵀ (X / WH)`` (K × V) and ``gram = Wᵀ 1``
    (K × 1): the numerator and denominator of the multiplicative step of ``H``.
    """
    W = np.full((X.shape[0], H.shape[0]), float(max(weighted.mean(), _EPS)))
    rows = np.repeat(np.arange(X.shape[0]), np.diff(weighted.indptr))
    cols = H[:, weighted.indices]
    column_sums = H.sum(axis=1)
    for _ in range(max_iter):
        fitted = np.einsum("nk,kn->n", W[rows], cols) + _EPS
        ratio = sp.csr_matrix(
            (weighted.data / fitted, weighted.indices, weighted.indptr), shape=weighted.shape
        )
        previous = W
        W = W * np.asarray(ratio @ H.T) / np.maximum(column_sums, _EPS)
        change = float(np.square(W - previous).sum()) / max(float(np.square(W).sum()), _EPS)
        if change < 1e-8:
            break
    fitted = np.einsum("nk,kn->n", W[rows], cols) + _EPS
    ratio = sp.csr_matrix(
        (weighted.data / fitted, weighted.indices, weighted.indptr), shape=weighted.shape
    )
    numer = np.asarray((ratio.T @ W).T)
    loss = float((weighted.data * np.log(np.maximum(weighted.data, _EPS) / fitted)).sum())
    loss += float(W.sum(axis=0) @ column_sums) - float(weighted.data.sum())
    return _batch(X, numer * H, W.sum(axis=0)[:, None], loss)


def nmf_update(
    H: npt.NDArray[np.float64],
    A: npt.NDArray[np.float64],
    B: npt.NDArray[np.float64],
    *,
    steps: int = 10,
) -> npt.NDArray[np.float64]:
    """Update ``H`` from the accumulated ``A = Σ Wᵀ X``, ``B = Σ Wᵀ W`` (multiplicative steps).

    ``A`` and ``B`` summarise every batch's part of the loss in ``H``
    (``‖X − WH‖² = ‖X‖² − 2 tr(Hᵀ A) + tr(Hᵀ B H)``), so several steps cost no data pass.
    """
    H = np.array(H, dtype=np.float64)  # a copy: updated in place below
    below = np.empty_like(H)
    for _ in range(steps):  # H ← H A / max(B H, ε), in place (the serial part of an update)
        np.matmul(B, H, out=below)
        np.maximum(below, _EPS, out=below)
        np.multiply(H, A, out=H)
        np.divide(H, below, out=H)
    return H


# -- LDA --------------------------------------------------------------------------------------
def lda_start(k: int, n_terms: int, random_state: int | None) -> npt.NDArray[np.float64]:
    """Return a starting ``λ`` (K × V): Gamma(100, 1/100) draws, as online LDA does."""
    rng = np.random.default_rng(random_state)
    return rng.gamma(100.0, 1.0 / 100.0, (k, n_terms))


def lda_statistics(
    X: sp.csr_matrix,
    lam: npt.NDArray[np.float64],
    alpha: npt.NDArray[np.float64],
    *,
    max_iter: int = 100,
    tol: float = 1e-3,
) -> BatchStatistics:
    """Run the E-step of one batch: expected topic–word counts under ``λ``."""
    exp_elog_beta = np.exp(dirichlet_expectation(lam))
    k = lam.shape[0]
    gamma = infer_gamma(X, exp_elog_beta, alpha, max_iter, tol)  # each document to its own tol
    exp_elog_theta = np.exp(dirichlet_expectation(gamma))
    ratio = count_ratio(X, exp_elog_theta, exp_elog_beta, _EPS)
    sstats = exp_elog_beta * np.asarray((ratio.T @ exp_elog_theta).T)
    return _batch(X, sstats, np.zeros((k, k)), 0.0)


def lda_update(
    lam: npt.NDArray[np.float64],
    stats: BatchStatistics,
    *,
    eta: float | npt.NDArray[np.float64],
    n_documents: int,
    step: int,
    offset: float,
    decay: float,
) -> npt.NDArray[np.float64]:
    """``λ ← (1 − ρ) λ + ρ (η + D / |S| · sstats)`` with ``ρ = (offset + step)^(−decay)``."""
    rho = (offset + step) ** (-decay)
    scale = n_documents / max(stats.rows, 1)
    return np.asarray((1 - rho) * lam + rho * (eta + scale * stats.numer), dtype=np.float64)
