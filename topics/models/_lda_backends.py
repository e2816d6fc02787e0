"""The LDA backends: each fits on a validated matrix and returns topic pseudo-counts.

One function per library (scikit-learn, gensim, tomotopy), registered by name in
:data:`LDA_BACKENDS`; :class:`~topics.models.LDA` picks one by its ``backend`` setting and turns
its result into the one state every backend ends in (see :mod:`topics.models.lda`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ..errors import ConfigError
from ..progress import elapsed, progress_enabled, stepper
from ..registry import Registry

if TYPE_CHECKING:
    from .lda import LDA

__all__ = ["DETERMINISTIC_BACKENDS", "LDA_BACKENDS"]


@dataclass(frozen=True)
class _Priors:
    alpha: npt.NDArray[np.float64]  # (K,)
    eta: npt.NDArray[np.float64]  # (K, V)
    eta_is_scalar: bool


@dataclass(frozen=True)
class _Fitted:
    components: npt.NDArray[np.float64]  # λ, K × V, positive
    n_iter: int
    doc_topic: npt.NDArray[np.float64] | None = None  # the fit's own θ (N × K), if it has one


def _fit_sklearn(X: sp.csr_matrix, model: LDA, priors: _Priors, online: bool) -> _Fitted:
    from sklearn.decomposition import LatentDirichletAllocation

    if not np.allclose(priors.alpha, priors.alpha[0]):
        raise ConfigError(
            "the sklearn backends support only a symmetric alpha; use gensim or tomotopy"
        )
    if not priors.eta_is_scalar:
        raise ConfigError(
            "the sklearn backends support only a scalar eta; "
            "use gensim or tomotopy for per-word priors"
        )
    estimator = LatentDirichletAllocation(
        n_components=model.n_topics,
        doc_topic_prior=float(priors.alpha[0]),
        topic_word_prior=float(priors.eta[0, 0]),
        learning_method="online" if online else "batch",
        max_iter=model._max_iter(),
        random_state=model.random_state,
        n_jobs=1,
    )
    with elapsed(f"fitting LDA (sklearn, K={model.n_topics})", enabled=model.progress):
        estimator.fit(X)
    return _Fitted(np.asarray(estimator.components_, dtype=np.float64), int(estimator.n_iter_))


def _fit_gensim(X: sp.csr_matrix, model: LDA, priors: _Priors, multicore: bool) -> _Fitted:
    from gensim.models import LdaModel, LdaMulticore

    bow = [
        list(zip(X.indices[a:b].tolist(), X.data[a:b].tolist(), strict=True))
        for a, b in zip(X.indptr[:-1], X.indptr[1:], strict=True)
    ]
    common = {
        "corpus": bow,
        "id2word": {i: f"w{i}" for i in range(X.shape[1])},
        "num_topics": model.n_topics,
        "alpha": priors.alpha,
        "eta": float(priors.eta[0, 0]) if priors.eta_is_scalar else priors.eta,
        "passes": model._max_iter(),
        "iterations": 50,
        "chunksize": 2000,
        "random_state": model.random_state,
        "eval_every": None,
        **({"workers": model.n_jobs or 1} if multicore else {}),
    }
    cls = LdaMulticore if multicore else LdaModel
    with _gensim_progress(progress_enabled(model.progress)):
        if priors.eta_is_scalar:
            lda = cls(**common)
        else:
            # gensim's first E-step uses its random start without the prior; let a per-word prior
            # shape the start too (λ = η + random statistics), as guided LDA does, then train.
            lda = cls(**{**common, "corpus": None})
            lda.sync_state()
            lda.update(bow)
    return _Fitted(np.asarray(lda.state.get_lambda(), dtype=np.float64), model._max_iter())


@contextmanager
def _gensim_progress(enabled: bool) -> Iterator[None]:
    """Show gensim's per-pass log lines on stderr for the duration of one fit, if asked."""
    if not enabled:
        yield
        return
    logger = logging.getLogger("gensim.models.ldamodel")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("gensim: %(message)s"))
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def _fit_tomotopy(X: sp.csr_matrix, model: LDA, priors: _Priors) -> _Fitted:
    try:
        import tomotopy as tp
    except ImportError as exc:
        raise ConfigError(
            "backend 'tomotopy' needs the optional extra: pip install 'topic-trends[gibbs]'"
        ) from exc
    n_terms = X.shape[1]
    terms = [f"w{j}" for j in range(n_terms)]
    seed = 0 if model.random_state is None else int(model.random_state)
    lda = tp.LDAModel(
        k=model.n_topics,
        alpha=[float(a) for a in priors.alpha],
        eta=float(priors.eta.mean()) if not priors.eta_is_scalar else float(priors.eta[0, 0]),
        seed=seed,
    )
    # tomotopy re-estimates alpha every 10 sweeps by default; keep the prior the user set, so
    # ``alpha_`` is the prior the fit used (as for every other backend) and sweeps are cheaper.
    lda.optim_interval = 0
    if not priors.eta_is_scalar:
        for j in range(n_terms):
            column = priors.eta[:, j]
            if not np.allclose(column, column[0]):
                lda.set_word_prior(terms[j], [float(v) for v in column])
    if not np.allclose(X.data, np.rint(X.data)):
        raise ValueError(
            "backend 'tomotopy' samples tokens and needs integer counts; the input has "
            "fractional values (use a variational backend or NMF for weighted input)"
        )
    counts = X.astype(np.int64)
    added: list[int] = []
    for row, (a, b) in enumerate(zip(counts.indptr[:-1], counts.indptr[1:], strict=True)):
        words = [
            terms[j]
            for j, c in zip(counts.indices[a:b], counts.data[a:b], strict=True)
            for _ in range(c)
        ]
        if words:
            lda.add_doc(words)
            added.append(row)
    if not added:
        raise ValueError("backend 'tomotopy' needs at least one document with tokens")
    sweeps = model._max_iter()
    with stepper(
        sweeps, desc=f"Gibbs sweeps (K={model.n_topics})", enabled=model.progress
    ) as advance:
        # our own callback: tomotopy's show_progress recurses without end (0.13–0.14)
        lda.train(
            sweeps, workers=1, callback_interval=max(1, sweeps // 100),
            callback=lambda _model, done, _total: advance(done),
        )  # fmt: skip
    # θ of the final sample: topic counts of each document smoothed by α (documents without
    # tokens get the prior's mean). Iterate lda.docs: indexing it fails in tomotopy 0.14.
    doc_topic = np.tile(priors.alpha / priors.alpha.sum(), (X.shape[0], 1))
    for row, doc in zip(added, lda.docs, strict=True):
        assigned = np.bincount(np.asarray(doc.topics), minlength=model.n_topics)
        doc_topic[row] = (assigned + priors.alpha) / (assigned.sum() + priors.alpha.sum())
    lam = np.array(priors.eta, dtype=np.float64)  # K × V, a scalar prior already filled in
    used = np.asarray([int(w[1:]) for w in lda.used_vocabs], dtype=np.int64)
    totals = np.asarray(lda.get_count_by_topics(), dtype=np.float64)
    for k in range(model.n_topics):
        dist = np.asarray(lda.get_topic_word_dist(k), dtype=np.float64)
        lam[k, used] = dist * (totals[k] + lam[k].sum()) if dist.sum() > 0 else lam[k, used]
    return _Fitted(lam, model._max_iter(), doc_topic)


#: LDA backends by name: each fits on a validated matrix and returns the topic pseudo-counts.
LDA_BACKENDS: Registry[Callable[[sp.csr_matrix, LDA, _Priors], _Fitted]] = Registry("LDA backend")
LDA_BACKENDS.add("sklearn", lambda X, m, p: _fit_sklearn(X, m, p, online=False))
LDA_BACKENDS.add("sklearn-online", lambda X, m, p: _fit_sklearn(X, m, p, online=True))
LDA_BACKENDS.add("gensim", lambda X, m, p: _fit_gensim(X, m, p, multicore=False))
LDA_BACKENDS.add("gensim-multicore", lambda X, m, p: _fit_gensim(X, m, p, multicore=True))
LDA_BACKENDS.add("tomotopy", _fit_tomotopy)
DETERMINISTIC_BACKENDS = ("sklearn", "sklearn-online", "gensim", "tomotopy")
