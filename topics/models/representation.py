"""Topic words: relevance and FREX rankings and the tidy ``topic, rank, term, weight`` frame.

Relevance (Sievert & Shirley 2014) ranks a word in a topic by
``λ log P(w | topic) + (1 − λ) log(P(w | topic) / P(w))``: λ = 1 is plain probability, lower
values favour words distinctive of the topic over words frequent everywhere. Global top terms
(:meth:`TopicModel.top_terms`), a topic's words per period (:func:`topics.dynamic.topic_evolution`)
and a theme's context words per period (:func:`topics.dynamic.theme_terms`) all rank with
:func:`relevance`; defaults are :data:`topics.defaults.RELEVANCE_LAMBDA` and
:data:`topics.defaults.PERIOD_RELEVANCE_LAMBDA`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import logsumexp

from ..errors import ConfigError

__all__ = ["RANKINGS", "TERM_COLUMNS", "check_lambda", "frex", "relevance", "tidy_terms"]

TERM_COLUMNS = ("topic", "rank", "term", "weight")
#: How :meth:`TopicModel.top_terms` can rank words within a topic.
RANKINGS = ("relevance", "probability", "frex")


def check_lambda(value: float, name: str = "relevance_lambda") -> float:
    """Return ``value`` as a float in [0, 1], or raise naming the setting."""
    lam = float(value)
    if not 0.0 <= lam <= 1.0:
        raise ConfigError(f"{name} must be in [0, 1], got {value!r}")
    return lam


def relevance(prob: npt.ArrayLike, marginal: npt.ArrayLike, lam: float) -> npt.NDArray[np.float64]:
    """Relevance of words: ``λ log p + (1 − λ) log(p / marginal)`` (arrays broadcast)."""
    p = np.maximum(np.asarray(prob, dtype=np.float64), 1e-300)
    m = np.maximum(np.asarray(marginal, dtype=np.float64), 1e-300)
    lam = check_lambda(lam)
    return np.asarray(lam * np.log(p) + (1.0 - lam) * np.log(p / m), dtype=np.float64)


def tidy_terms(
    scores: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64],
    vocabulary: Sequence[str],
    n: int,
    *,
    topics: Sequence[object] | None = None,
    keep_zero: bool = True,
    extra: dict[str, object] | None = None,
) -> pd.DataFrame:
    """Return the top ``n`` words of each row of ``scores`` (K × V) as a tidy frame.

    Words are ordered by score (ties by column, so the table is deterministic); ``weight`` is
    the word's entry in ``weights``. Rows whose weight is 0 are left out unless ``keep_zero``.
    ``extra`` adds constant columns (e.g. the period).
    """
    scores = np.atleast_2d(scores)
    weights = np.atleast_2d(weights)
    n = min(n, scores.shape[1])
    order = np.argsort(-scores, axis=1, kind="stable")[:, :n]
    names = list(range(scores.shape[0])) if topics is None else list(topics)
    rows = np.repeat(np.arange(scores.shape[0]), n)
    cols = order.ravel()
    frame = pd.DataFrame(
        {
            "topic": [names[r] for r in rows],
            "rank": np.tile(np.arange(1, n + 1), scores.shape[0]),
            "term": [vocabulary[int(j)] for j in cols],
            "weight": weights[rows, cols].astype(np.float64),
        }
    )
    if not keep_zero:
        frame = frame[frame["weight"] > 0].reset_index(drop=True)
    for name, value in (extra or {}).items():
        frame.insert(1, name, [value] * len(frame))
    return frame


def _ecdf_rows(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Row-wise empirical CDF: the share of entries in the row ≤ each entry."""
    order = np.argsort(values, axis=1, kind="stable")
    ranks = np.empty_like(values)
    n = values.shape[1]
    rows = np.arange(values.shape[0])[:, None]
    sorted_vals = np.take_along_axis(values, order, axis=1)
    # ties share the highest rank, as R's ecdf does
    counts = np.empty_like(sorted_vals)
    for r in range(values.shape[0]):
        counts[r] = np.searchsorted(sorted_vals[r], sorted_vals[r], side="right")
    ranks[rows, order] = counts / n
    return ranks


def frex(topic_word: npt.NDArray[np.float64], weight: float = 0.5) -> npt.NDArray[np.float64]:
    """FREX score of every word in every topic (K × V), stm's ``calcfrex``.

    Parameters
    ----------
    topic_word
        Topic–word distributions (rows sum to 1, positive).
    weight
        Weight on exclusivity (stm's default for labels is 0.5; for ``exclusivity`` 0.7).

    """
    if not 0.0 <= weight <= 1.0:
        raise ConfigError(f"weight must be in [0, 1], got {weight}")
    log_beta = np.log(np.maximum(topic_word, 1e-300))
    exclusive = log_beta - logsumexp(log_beta, axis=0, keepdims=True)
    freq_rank = _ecdf_rows(log_beta)
    excl_rank = _ecdf_rows(exclusive)
    return np.asarray(1.0 / (weight / excl_rank + (1.0 - weight) / freq_rank), dtype=np.float64)
