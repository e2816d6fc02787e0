"""Model quality beyond coherence: diversity, exclusivity (FREX), and stability across runs.

* :func:`topic_diversity` — unique words among all top-``n`` lists / (``n`` · K).
* :func:`frex` / :func:`exclusivity` — Bischof & Airoldi's FREX, as in R's stm: per topic, the
  weighted harmonic mean of a word's within-topic rank (ECDF) of frequency and of exclusivity
  ``β_kw / Σ_j β_jw``; a topic's exclusivity is the sum of FREX over its top words.
* :func:`average_jaccard`, :func:`agreement` and :func:`stability` — Greene, O'Callaghan &
  Cunningham (2014): two ranked top-``t`` lists agree by the mean Jaccard similarity of their
  prefixes of depth 1…t; two models agree by matching topics one-to-one (Hungarian algorithm,
  maximising average Jaccard) and averaging over matched pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ..errors import ConfigError
from ..models.representation import frex

__all__ = [
    "agreement",
    "average_jaccard",
    "exclusivity",
    "frex",
    "stability",
    "top_word_lists",
    "topic_diversity",
]


def top_word_lists(top_terms: pd.DataFrame) -> list[list[str]]:
    """Turn a tidy ``topic, rank, term`` frame into one ranked word list per topic."""
    ordered = top_terms.sort_values(["topic", "rank"], kind="stable")
    return [list(group["term"]) for _, group in ordered.groupby("topic", sort=True)]


def topic_diversity(topics: Sequence[Sequence[str]], n: int = 10) -> float:
    """Share of unique words among the top ``n`` words of all topics (1 = no overlap)."""
    if not topics:
        raise ConfigError("no topics given")
    heads = [list(t)[:n] for t in topics]
    total = sum(len(h) for h in heads)
    return len({w for h in heads for w in h}) / total


def exclusivity(
    topic_word: npt.NDArray[np.float64], n: int = 10, weight: float = 0.7
) -> npt.NDArray[np.float64]:
    """Per-topic exclusivity as in stm: the sum of FREX over the topic's ``n`` words."""
    scores = frex(topic_word, weight)
    top = np.argsort(-topic_word, axis=1, kind="stable")[:, :n]
    return np.asarray(np.take_along_axis(scores, top, axis=1).sum(axis=1), dtype=np.float64)


def average_jaccard(first: Sequence[str], second: Sequence[str], depth: int | None = None) -> float:
    """Mean Jaccard similarity of the prefixes of depth 1…t of two ranked lists.

    >>> average_jaccard(["a", "b", "c"], ["a", "b", "c"])
    1.0
    >>> round(average_jaccard(["a", "b"], ["b", "a"]), 3)
    0.5
    """
    t = min(len(first), len(second)) if depth is None else depth
    if t < 1:
        raise ConfigError("ranked lists must hold at least one word")
    total = 0.0
    seen_a: set[str] = set()
    seen_b: set[str] = set()
    for d in range(t):
        seen_a.add(first[d])
        seen_b.add(second[d])
        total += len(seen_a & seen_b) / len(seen_a | seen_b)
    return total / t


def agreement(
    reference: Sequence[Sequence[str]], other: Sequence[Sequence[str]], depth: int | None = None
) -> tuple[float, npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Agreement of two topic sets: Hungarian-matched mean average Jaccard.

    Returns
    -------
    (score, per_topic, match)
        The model-level agreement, the matched average Jaccard of each reference topic, and
        the index of the ``other`` topic matched to each reference topic.

    """
    if len(reference) != len(other):
        raise ConfigError(f"topic sets differ in size: {len(reference)} vs {len(other)}")
    matrix = np.array([[average_jaccard(a, b, depth) for b in other] for a in reference])
    rows, cols = linear_sum_assignment(-matrix)
    per_topic = matrix[rows, cols]
    return float(per_topic.mean()), per_topic, cols.astype(np.int64)


def stability(
    reference: Sequence[Sequence[str]],
    runs: Sequence[Sequence[Sequence[str]]],
    depth: int | None = None,
) -> pd.DataFrame:
    """Stability of each reference topic across other runs (seeds or resamples).

    Returns a frame ``topic, stability`` (mean matched average Jaccard over runs); its mean is
    the model-level stability of Greene et al. (2014).
    """
    if not runs:
        raise ConfigError("stability needs at least one other run")
    per_topic = np.mean([agreement(reference, run, depth)[1] for run in runs], axis=0)
    return pd.DataFrame({"topic": np.arange(len(reference)), "stability": per_topic})
