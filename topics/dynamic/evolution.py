"""A fitted model's topics, period by period: words per period and their turnover.

:func:`topic_evolution` re-estimates a fitted (global) model's topics per period from the word
counts each topic explains in that period (each occurrence shared among topics by its posterior
responsibility ``θ_dk β_kw / Σ_j θ_dj β_jw``), ranked by relevance against the period's own word
frequencies. Fast, every topic has words in every period, but the topics themselves were learnt
from all periods (as BERTopic's default). :func:`term_turnover` says how much a topic's words
change from period to period.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from .. import defaults
from ..errors import ConfigError, InputError
from ..models import TopicModel
from ..models.representation import relevance, tidy_terms
from ..text.vectorizer import DocTermMatrix

__all__ = ["period_rows", "term_turnover", "topic_evolution"]

PERIOD_TERM_COLUMNS = ["topic", "period", "rank", "term", "weight"]


def period_rows(
    matrix: DocTermMatrix, periods: pd.DataFrame
) -> list[tuple[object, npt.NDArray[np.intp]]]:
    """Return the matrix rows of each period, in period order (unplaced documents left out)."""
    index = {doc: i for i, doc in enumerate(matrix.doc_ids)}
    placed = periods.dropna(subset=["period"])
    placed = placed[placed["id"].isin(index)]
    if placed.empty:
        raise InputError("no document of the matrix has a period")
    return [
        (p, np.asarray([index[d] for d in placed.loc[placed["period"] == p, "id"]], dtype=np.intp))
        for p in sorted(placed["period"].unique())
    ]


def _attributed_counts(
    counts: sp.csr_matrix, theta: npt.NDArray[np.float64], beta: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Word counts attributed to topics by their posterior responsibility (K × V).

    An occurrence of word ``w`` in document ``d`` is shared among topics in proportion to
    ``θ_dk β_kw`` — the E-step of a mixture model — so a topic is credited with the words it
    explains, not with every word of the documents it appears in.
    """
    csr = sp.csr_matrix(counts)
    doc_of = np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr))
    out = np.zeros_like(beta)
    step = max(1, 4_000_000 // max(beta.shape[0], 1))
    for start in range(0, csr.nnz, step):
        stop = min(start + step, csr.nnz)
        words = csr.indices[start:stop]
        weights = theta[doc_of[start:stop]] * beta[:, words].T  # nnz × K
        totals = weights.sum(axis=1, keepdims=True)
        weights = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
        weights *= csr.data[start:stop, None]
        for k in range(beta.shape[0]):
            out[k] += np.bincount(words, weights=weights[:, k], minlength=beta.shape[1])
    return out


def topic_evolution(
    model: TopicModel,
    matrix: DocTermMatrix,
    periods: pd.DataFrame,
    *,
    n: int = 10,
    relevance_lambda: float = defaults.PERIOD_RELEVANCE_LAMBDA,
    names: Sequence[str] | None = None,
    doc_topic: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Per-period words of each topic of a fitted model (see module docstring).

    Returns tidy ``topic, period, rank, term, weight`` where ``weight`` is the topic's
    per-period word distribution. With ``names`` (e.g. a seeded model's ``topic_names_``)
    the ``topic`` column holds names, so a named theme's words can be read per period.
    ``doc_topic`` takes the documents' topic proportions when they are already known — e.g.
    ``model.fit_transform(matrix)``, which for a Gibbs-sampled LDA costs nothing extra —
    instead of inferring them with ``model.transform(matrix)``.
    """
    if doc_topic is None:
        theta = model.transform(matrix)
    else:
        theta = np.asarray(doc_topic, dtype=np.float64)
        expected_shape = (matrix.shape[0], model.topic_word_.shape[0])
        if theta.shape != expected_shape:
            raise ConfigError(
                f"doc_topic has shape {theta.shape}; expected {expected_shape} "
                "(documents of the matrix × topics of the model)"
            )
    beta_global = np.asarray(model.topic_word_, dtype=np.float64)
    frames = []
    counts = sp.csr_matrix(matrix.counts, dtype=np.float64)
    for period, docs in period_rows(matrix, periods):
        expected = _attributed_counts(counts[docs], theta[docs], beta_global)  # K × V
        totals = expected.sum(axis=1, keepdims=True)
        beta = np.divide(expected, totals, out=np.zeros_like(expected), where=totals > 0)
        marginal = np.asarray(counts[docs].sum(axis=0)).ravel()
        marginal = marginal / max(marginal.sum(), 1.0)
        scores = relevance(beta, marginal, relevance_lambda)
        frames.append(
            tidy_terms(
                scores, beta, matrix.vocabulary, n, keep_zero=False, extra={"period": period}
            )
        )
    frame = pd.concat(frames, ignore_index=True)[PERIOD_TERM_COLUMNS]
    if names is not None:
        if len(names) < int(frame["topic"].max()) + 1:
            raise ConfigError(f"got {len(names)} names for {int(frame['topic'].max()) + 1} topics")
        frame["topic"] = [names[int(k)] for k in frame["topic"]]
    return frame


def term_turnover(terms: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """How much each topic's top words change from period to period.

    Parameters
    ----------
    terms
        Tidy ``topic, period, rank, term, weight`` from any dynamic method.
    n
        Top words compared.

    Returns
    -------
    DataFrame
        ``topic, n_periods, turnover, entered, left`` sorted by decreasing turnover:
        ``turnover`` is the mean Jaccard distance between the top-``n`` word sets of
        consecutive periods (0 = the same words throughout, 1 = all new words every period);
        ``entered`` / ``left`` list the words in the last period's top ``n`` but not the
        first's, and the reverse.

    """
    missing = {"topic", "period", "rank", "term"} - set(terms.columns)
    if missing:
        raise InputError(f"terms lack columns {sorted(missing)}")
    top = terms[terms["rank"] <= n]
    rows = []
    for topic, group in top.groupby("topic", sort=True):
        sets = [set(g["term"]) for _, g in group.groupby("period", sort=True)]
        distances = [1 - len(a & b) / len(a | b) for a, b in pairwise(sets)]
        first, last = sets[0], sets[-1]
        rows.append(
            {
                "topic": topic,
                "n_periods": len(sets),
                "turnover": float(np.mean(distances)) if distances else 0.0,
                "entered": ", ".join(sorted(last - first)),
                "left": ", ".join(sorted(first - last)),
            }
        )
    frame = pd.DataFrame(rows, columns=["topic", "n_periods", "turnover", "entered", "left"])
    return frame.sort_values(["turnover", "n_periods"], ascending=False, kind="stable").reset_index(
        drop=True
    )
