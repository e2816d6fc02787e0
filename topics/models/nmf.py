"""Non-negative matrix factorisation as a topic model.

``X ≈ W H`` with ``W`` (documents × K) and ``H`` (K × terms), fit by scikit-learn's ``NMF``
(coordinate descent for the Frobenius loss, multiplicative updates for Kullback–Leibler) or
``MiniBatchNMF``.

Normalisation into distributions (documented, because NMF factors have no scale of their own):
with ``s_k = Σ_w H_kw``,

* topic–word ``β_k = H_k / s_k`` (rows sum to 1);
* document–topic ``θ_d`` (``shares=``): ``"likelihood"`` (default) — the mixture of the
  ``β_k`` under which document ``d``'s weighted words are most likely (PLSA's fold-in,
  :func:`~topics.models._inference.likelihood_shares`); ``"least-squares"`` — ``θ_dk ∝ W_dk ·
  s_k``, the share of the least-squares reconstruction's mass that topic ``k`` contributes
  (the only rule before 0.3). Least squares lets a broad topic of many small weights take a
  little of every document: on ``news_2017`` at K = 10 one such topic ("man, child, police")
  was the largest share of 38 % of the articles, 29 % under the likelihood; dominant-topic
  agreement with the labels of OCTIS BBC rises too (``benchmarks/octis_all.py``). A document
  the model gives no mass gets the uniform distribution.

Input weighting (``weighting=``): ``"tfidf"`` (``log(1 + tf)`` × smooth idf learnt at fit,
L2 rows — the
usual choice for NMF topics) or ``"counts"``. New documents are weighted with the idf learnt
at fit.
"""

from __future__ import annotations

import warnings
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from sklearn.utils._param_validation import Interval, StrOptions

from .. import defaults
from ..errors import ConfigError
from ..progress import elapsed
from ._base import COMMON_CONSTRAINTS, TopicModel, register_model
from ._inference import least_squares_shares, likelihood_shares, row_shares
from ._online import (
    BatchStatistics,
    nmf_kl_statistics,
    nmf_start,
    nmf_statistics,
    nmf_update,
)
from ._partial import PartialFitMixin

__all__ = ["NMF"]

_SOLVERS = ("cd", "mu", "minibatch")
_LOSSES = ("frobenius", "kullback-leibler")
_INITS = ("nndsvd", "nndsvda", "nndsvdar", "random")
_WEIGHTINGS = ("tfidf", "counts")
_SHARES = ("likelihood", "least-squares")
_BATCH_W_ITER = 50  # most coordinate-descent sweeps of a batch's W in partial_fit
_CD_BLOCK = 10  # iterations between two checks of the objective (solver "cd")


@register_model("nmf")
class NMF(PartialFitMixin, TopicModel):
    """NMF topic model (see module docstring for the normalisation).

    Parameters
    ----------
    n_topics
        Number of topics K.
    solver
        ``"cd"`` (coordinate descent, Frobenius only), ``"mu"`` (multiplicative updates) or
        ``"minibatch"`` (scikit-learn ``MiniBatchNMF``).
    beta_loss
        ``"frobenius"`` or ``"kullback-leibler"``.
    init
        ``"nndsvd"``, ``"nndsvda"``, ``"nndsvdar"``, ``"random"``, or ``None``: ``"nndsvd"`` for
        ``solver="cd"`` and ``"nndsvda"`` otherwise (multiplicative updates cannot move the
        exact zeros NNDSVD puts in its start); ``"random"`` when there are fewer documents or
        terms than topics (NNDSVD cannot start from fewer singular vectors than topics).
    weighting
        ``"tfidf"`` or ``"counts"``.
    shares
        How a document's topic shares are inferred: ``"likelihood"`` or ``"least-squares"``
        (see the module docstring).
    max_iter, tol
        Stopping rule of the solver. With ``solver="cd"`` (unguided) the fit stops when ten
        more iterations lower the objective by less than ``tol`` (relative; ``None``: 1e-6);
        the other solvers use scikit-learn's rule (``None``: 1e-4). The objective rule stops
        at fewer iterations for the same topics (OCTIS BBC, K = 10…50: 80–170 iterations
        against scikit-learn's 99–321, NPMI within ±0.002) and its iteration count varies
        less between corpora of one kind (synthetic 100k-document halves of one corpus: 50
        and 70 against 55 and 81), which keeps the fit's cost about linear in the documents.
    l1_ratio, alpha_W, alpha_H
        Regularisation, as in scikit-learn (``alpha_H="same"`` uses ``alpha_W``).
    random_state
        Seed (used by random/nndsvdar init and minibatch sampling).
    guide
        Optional K × V non-negative seed weights for a guided start (keyword-seeded NMF): topic
        ``k`` starts concentrated on the terms with positive ``guide[k]``, so a seeded topic
        keeps its index (and name). Overrides ``init``. With ``solver="mu"`` a guided topic
        stays restricted to its seed terms (multiplicative updates cannot leave zero); with
        ``"cd"`` it may also take up other terms (and can drift when its seeds are rare).
    {ranking}
    {progress}

    Attributes
    ----------
    components_ : ndarray (K, V)
        ``H``.
    topic_word_ : ndarray (K, V)
        ``H`` rows normalised to sum to 1.
    idf_ : ndarray (V,)
        Inverse document frequencies learnt at fit (ones for ``weighting="counts"``).
    reconstruction_err_ : float
        Final β-divergence between the weighted input and ``W H``.

    """

    _array_shapes: ClassVar[dict[str, tuple[str, ...]]] = {
        "components_": ("K", "V"),
        "idf_": ("V",),
    }
    _json_attributes: ClassVar[tuple[str, ...]] = ("n_iter_",)
    _update_state: ClassVar[tuple[str, ...]] = ("_numerator", "_gram")
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **COMMON_CONSTRAINTS,
        "solver": [StrOptions(set(_SOLVERS))],
        "beta_loss": [StrOptions(set(_LOSSES))],
        "init": [StrOptions(set(_INITS)), None],
        "weighting": [StrOptions(set(_WEIGHTINGS))],
        "shares": [StrOptions(set(_SHARES))],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "alpha_W": [Interval(Real, 0, None, closed="left")],
        "alpha_H": [Interval(Real, 0, None, closed="left"), StrOptions({"same"})],
        "guide": ["array-like", None],
    }

    def __init__(
        self,
        n_topics: int = 10,
        *,
        solver: str = "cd",
        beta_loss: str = "frobenius",
        init: str | None = None,
        weighting: str = "tfidf",
        shares: str = "likelihood",
        max_iter: int = 400,
        tol: float | None = None,
        l1_ratio: float = 0.0,
        alpha_W: float = 0.0,
        alpha_H: float | str = "same",
        random_state: int | None = 0,
        ranking: str = "relevance",
        relevance_lambda: float = defaults.RELEVANCE_LAMBDA,
        guide: npt.ArrayLike | None = None,
        progress: bool | None = None,
    ) -> None:
        self.n_topics = n_topics
        self.solver = solver
        self.beta_loss = beta_loss
        self.init = init
        self.weighting = weighting
        self.shares = shares
        self.max_iter = max_iter
        self.tol = tol
        self.l1_ratio = l1_ratio
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.random_state = random_state
        self.ranking = ranking
        self.relevance_lambda = relevance_lambda
        self.guide = guide
        self.progress = progress

    def _check_params(self) -> None:
        if self.solver == "cd" and self.beta_loss != "frobenius":
            raise ConfigError("solver='cd' supports only beta_loss='frobenius'; use solver='mu'")

    def _init(self, shape: tuple[int, int] | None = None) -> str:
        if self.init is not None:
            return str(self.init)
        if shape is not None and self.n_topics > min(shape):
            return "random"
        return "nndsvd" if self.solver == "cd" else "nndsvda"

    @classmethod
    def backend_params(cls, backend: str | None) -> dict[str, Any]:
        """``--backend`` names the solver: ``cd`` (Frobenius), ``mu`` or ``minibatch`` (KL)."""
        solver = backend or "cd"
        if solver not in _SOLVERS:
            raise ConfigError(f"--backend for nmf must be cd, mu or minibatch, got {solver!r}")
        return {
            "solver": solver,
            "beta_loss": "frobenius" if solver == "cd" else "kullback-leibler",
        }

    def depends_on_seed(self, shape: tuple[int, int] | None = None) -> bool:
        """Whether the fit changes with ``random_state``: not for NNDSVD(a) starts with cd or mu.

        Minibatch sampling, random and NNDSVDar starts and the guided start use the seed.
        """
        if self.guide is not None or self.solver == "minibatch":
            return True
        return self._init(shape) in ("random", "nndsvdar")

    def _learn_idf(self, X: sp.csr_matrix, document_frequency: npt.ArrayLike | None = None) -> None:
        """Learn the smooth idf from ``X``, or from the corpus's ``document_frequency``."""
        if self.weighting != "tfidf":
            self.idf_ = np.ones(X.shape[1])
            return
        if document_frequency is None:
            df, n = np.bincount(X.indices, minlength=X.shape[1]), X.shape[0]
        else:
            df = np.asarray(document_frequency, dtype=np.float64)
            if df.shape != (X.shape[1],) or self.n_documents_ is None:
                raise ConfigError(
                    f"document_frequency needs one value per term ({X.shape[1]}) and n_documents"
                )
            n = self.n_documents_
        self.idf_ = np.log((1.0 + n) / (1.0 + df)) + 1.0

    def _weight(self, X: sp.csr_matrix) -> sp.csr_matrix:
        if self.weighting == "counts":
            return X
        tf = X.copy()
        tf.data = np.log1p(tf.data)
        weighted = sp.csr_matrix(tf @ sp.diags(self.idf_))
        return sp.csr_matrix(normalize(weighted, norm="l2", axis=1))

    def _sklearn(self, init: str) -> Any:
        from sklearn.decomposition import NMF as SkNMF
        from sklearn.decomposition import MiniBatchNMF

        common: dict[str, Any] = {
            "n_components": self.n_topics,
            "init": init,
            "beta_loss": self.beta_loss,
            "max_iter": self.max_iter,
            "tol": 1e-4 if self.tol is None else self.tol,
            "l1_ratio": self.l1_ratio,
            "alpha_W": self.alpha_W,
            "alpha_H": self.alpha_H,
            "random_state": self.random_state,
        }
        if self.solver == "minibatch":
            return MiniBatchNMF(**common)
        return SkNMF(solver=self.solver, **common)

    def _fit(self, X: sp.csr_matrix) -> None:
        self._learn_idf(X)
        weighted = self._weight(X)
        init = self._init(weighted.shape)
        if init.startswith("nndsvd") and self.n_topics > min(weighted.shape):
            raise ConfigError(
                f"init={init!r} needs n_topics ≤ min(n_docs, n_terms) = {min(weighted.shape)}; "
                "use init='random' or fewer topics"
            )
        with elapsed(f"fitting NMF (K={self.n_topics})", enabled=self.progress):
            if self.guide is not None:
                W0, H0 = self._guided_start(weighted)
                estimator = self._sklearn("custom").fit(weighted, W=W0, H=H0)
            elif self.solver == "cd":
                estimator = self._fit_cd(weighted, init)
            else:
                estimator = self._sklearn(init).fit(weighted)
        self.components_ = np.asarray(estimator.components_, dtype=np.float64)
        self.reconstruction_err_ = float(estimator.reconstruction_err_)
        self.n_iter_ = int(estimator.n_iter_)
        self.topic_word_ = row_shares(self.components_)

    def _fit_cd(self, X: sp.csr_matrix, init: str) -> Any:
        """Coordinate descent in blocks of ten iterations until the objective flattens.

        Restarting from the previous ``(W, H)`` repeats exactly what one long run does (the
        updates carry no state), so only the stopping rule differs from scikit-learn's.
        """
        from sklearn.exceptions import ConvergenceWarning

        tol = 1e-6 if self.tol is None else float(self.tol)
        done, previous = 0, np.inf
        W: npt.NDArray[np.float64] | None = None
        H: npt.NDArray[np.float64] | None = None
        while done < self.max_iter:
            step = min(_CD_BLOCK, self.max_iter - done)
            estimator = self._sklearn(init if W is None else "custom").set_params(
                max_iter=step, tol=0.0
            )
            with warnings.catch_warnings():  # each block ends at its max_iter by design
                warnings.simplefilter("ignore", ConvergenceWarning)
                W = estimator.fit_transform(X, W=W, H=H)
            H = estimator.components_
            done += int(estimator.n_iter_)
            error = float(estimator.reconstruction_err_) ** 2
            if np.isfinite(previous) and previous - error <= tol * previous:
                break
            previous = error
        else:
            warnings.warn(
                f"NMF: the objective still fell by more than tol={tol} over the last "
                f"{_CD_BLOCK} of max_iter={self.max_iter} iterations; raise max_iter",
                ConvergenceWarning,
                stacklevel=4,
            )
        estimator.n_iter_ = done
        return estimator

    def _guided_start(
        self, X: sp.csr_matrix
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Return a start ``(W, H)`` that puts each guided topic's mass on its seed terms."""
        guide = np.asarray(self.guide, dtype=np.float64)
        if guide.shape != (self.n_topics, X.shape[1]) or (guide < 0).any():
            raise ConfigError(
                f"guide must be a non-negative {self.n_topics} × {X.shape[1]} array, "
                f"got {guide.shape}"
            )
        rng = np.random.default_rng(self.random_state)
        scale = float(np.sqrt(X.mean() / self.n_topics)) or 1e-3
        H0 = scale * (0.05 + 0.05 * rng.random(guide.shape))
        peaks = guide.max(axis=1, keepdims=True)
        seeded = peaks[:, 0] > 0
        if self.solver == "mu":
            # multiplicative updates keep exact zeros: a guided topic stays on its seed terms
            H0[seeded] = 20 * scale * guide[seeded] / peaks[seeded]
        else:
            H0[seeded] += 20 * scale * guide[seeded] / peaks[seeded]
        W0 = np.full((X.shape[0], self.n_topics), scale)
        return W0, H0

    def _infer_weights(self, weighted: sp.csr_matrix) -> npt.NDArray[np.float64]:
        """Solve for ``W`` with ``H`` fixed (the fitted topics)."""
        from sklearn.decomposition import non_negative_factorization

        W, _, _ = non_negative_factorization(
            weighted,
            H=self.components_,
            n_components=self.n_topics,
            update_H=False,
            solver="mu" if self.solver == "minibatch" else self.solver,
            beta_loss=self.beta_loss,
            # W given H is a convex problem per document: solve it tightly so that a document's
            # shares do not depend on which other documents are transformed with it.
            max_iter=max(self.max_iter, 2000),
            tol=1e-10 if self.tol is None else min(self.tol, 1e-10),
            l1_ratio=self.l1_ratio,
            alpha_W=self.alpha_W,
            alpha_H=self.alpha_H,
            random_state=self.random_state,
        )
        return np.asarray(W, dtype=np.float64)

    def _transform(self, X: sp.csr_matrix) -> npt.NDArray[np.float64]:
        if self.shares == "likelihood":
            return likelihood_shares(self._weight(X), self.topic_word_)
        return least_squares_shares(self._infer_weights(self._weight(X)), self.components_)

    # -- mini-batches (partial_fit) ---------------------------------------------------------
    def _partial_begin(self, X: sp.csr_matrix, document_frequency: npt.ArrayLike | None) -> None:
        """Check the settings mini-batches support; learn the idf; start ``H``."""
        if self.guide is not None:
            raise ConfigError("partial_fit does not take a guide; fit a guided NMF in one batch")
        if self.l1_ratio or self.alpha_W or self.alpha_H not in ("same", 0, 0.0):
            raise ConfigError("partial_fit does not regularise: leave alpha_W, alpha_H at 0")
        if not hasattr(self, "idf_"):
            self._learn_idf(X, document_frequency)
        if not hasattr(self, "components_"):
            self.components_ = nmf_start(self._weight(X), self.n_topics, self.random_state)
        self._numerator = np.zeros_like(self.components_)
        width = self.n_topics if self.beta_loss == "frobenius" else 1
        self._gram = np.zeros((self.n_topics, width))

    def _partial_statistics(self, X: sp.csr_matrix) -> BatchStatistics:
        statistics = nmf_statistics if self.beta_loss == "frobenius" else nmf_kl_statistics
        return statistics(
            X, self._weight(X), self.components_, max_iter=min(self.max_iter, _BATCH_W_ITER)
        )

    def _partial_update(self, stats: BatchStatistics) -> None:
        corpus = self.n_documents_ or self.n_documents_seen_
        forget = defaults.FORGET_FACTOR ** (stats.rows / max(corpus, 1))
        self._numerator = forget * self._numerator + stats.numer
        self._gram = forget * self._gram + stats.gram
        if self.beta_loss == "frobenius":
            self.components_ = nmf_update(self.components_, self._numerator, self._gram)
        else:  # one multiplicative step: the numerator depends on H
            self.components_ = self._numerator / np.maximum(self._gram, 1e-12)
        self.topic_word_ = row_shares(self.components_)
        self.reconstruction_err_ = float(np.sqrt(stats.loss))
        self.n_iter_ = self.n_batches_ + 1

    def reconstruction_error(self, X: Any) -> float:
        """Frobenius norm ``‖X_w − W H‖`` for documents ``X`` (weighted as at fit, H fixed)."""
        weighted = self._weight(self._validate(X, reset=False))
        W = self._infer_weights(weighted)
        residual = weighted - sp.csr_matrix(W @ self.components_)
        return float(sp.linalg.norm(residual))
