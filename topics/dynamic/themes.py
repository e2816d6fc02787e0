"""A named theme's words in each period, from the documents that use its seed terms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import defaults
from ..errors import ConfigError, InputError
from ..models.representation import check_lambda, relevance, tidy_terms
from ..text.preprocess import PreprocessConfig
from ..themes.codebook import Codebook, CompiledCodebook

__all__ = ["theme_terms"]


def theme_terms(
    tokens: Sequence[Sequence[str]],
    doc_periods: Sequence[object],
    codebook: Codebook | CompiledCodebook,
    *,
    config: PreprocessConfig | None = None,
    n: int = defaults.TOP_TERMS,
    relevance_lambda: float = defaults.PERIOD_RELEVANCE_LAMBDA,
    min_count: int = 3,
) -> pd.DataFrame:
    """List a named theme's words in each period: the words of the documents using its seeds.

    For theme ``T`` and period ``p`` the context is every document of ``p`` containing at least
    one of ``T``'s seed terms; its words are ranked by relevance against all of ``p``'s words
    (λ · log P(w | context) + (1 − λ) · log lift), so a word counts when it is frequent *and*
    characteristic of the theme's context in that period. Unlike a seeded topic model this
    cannot drift away from the seeds when they are rare: every word listed co-occurs with them.

    Parameters
    ----------
    tokens
        Token lists of the documents (preprocessed with the codebook's config, so phrases such
        as ``global_gateway`` are single tokens).
    doc_periods
        The period of each document (``None``/NaN for unplaced ones, which are skipped).
    codebook
        The themes.
    config
        Preprocessing the seed terms are normalised with (default: the codebook's).
    n
        Words per theme and period.
    relevance_lambda
        Weight on probability against lift (1 = plain frequency in the context).
    min_count
        Fewest occurrences in the context for a word to be listed (rare words have noisy lift).

    Returns
    -------
    DataFrame
        ``topic, period, rank, term, weight, n_docs`` — ``topic`` holds the theme name,
        ``weight`` is the word's share of the context's tokens and ``n_docs`` the number of
        context documents (periods where the theme is absent have no rows).

    """
    if len(tokens) != len(doc_periods):
        raise InputError(f"got {len(doc_periods)} periods for {len(tokens)} documents")
    if n < 1 or min_count < 1:
        raise ConfigError("n and min_count must be ≥ 1")
    check_lambda(relevance_lambda)
    book = codebook if isinstance(codebook, CompiledCodebook) else codebook.compile(config)
    mapping = book.expand({t for doc in tokens for t in doc}).tokens
    by_period: dict[str, list[int]] = {}
    labels: dict[str, object] = {}
    for i, period in enumerate(doc_periods):
        if period is None or pd.isna(period):  # type: ignore[call-overload]
            continue
        by_period.setdefault(str(period), []).append(i)
        labels[str(period)] = period
    frames = []
    for key in sorted(by_period):
        docs = by_period[key]
        overall = Counter(token for i in docs for token in tokens[i])
        total = sum(overall.values())
        for theme, seeds in mapping.items():
            context = [i for i in docs if not seeds.keys().isdisjoint(tokens[i])]
            if not context:
                continue
            counts = Counter(token for i in context for token in tokens[i])
            size = sum(counts.values())
            words = sorted(w for w, c in counts.items() if c >= min_count)  # ties: by word
            if not words:
                continue
            prob = np.asarray([counts[w] / size for w in words])
            share = np.asarray([overall[w] / total for w in words])
            frame = tidy_terms(
                relevance(prob, share, relevance_lambda)[None, :], prob[None, :], words, n,
                topics=[theme], extra={"period": labels[key]},
            )  # fmt: skip
            frames.append(frame.assign(n_docs=len(context)))
    columns = ["topic", "period", "rank", "term", "weight", "n_docs"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
