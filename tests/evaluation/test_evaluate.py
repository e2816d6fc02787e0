from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from planted import planted_corpus

from topics import ConfigError
from topics.evaluation.metrics import (
    agreement,
    average_jaccard,
    exclusivity,
    frex,
    stability,
    top_word_lists,
    topic_diversity,
)
from topics.models import NMF


def test_diversity():
    assert topic_diversity([["a", "b"], ["c", "d"]], 2) == 1.0
    assert topic_diversity([["a", "b"], ["a", "b"]], 2) == 0.5
    with pytest.raises(ConfigError):
        topic_diversity([])


def test_frex_prefers_exclusive_words():
    beta = np.array([[0.4, 0.4, 0.2], [0.05, 0.45, 0.5]])
    scores = frex(beta, weight=0.5)
    assert scores.shape == beta.shape
    assert scores[0, 0] > scores[0, 1]  # equally frequent in topic 0, but word 0 is exclusive
    assert np.all((scores > 0) & (scores <= 1))
    shared = np.full((3, 4), 0.25)
    assert exclusivity(shared, n=2).shape == (3,)
    planted = planted_corpus()
    model = NMF(5).fit(planted.matrix)
    assert exclusivity(model.topic_word_, 10).mean() > exclusivity(shared, 2).mean()


def test_average_jaccard_counts_rank_agreement():
    assert average_jaccard(list("abcd"), list("abcd")) == 1.0
    assert average_jaccard(list("abcd"), list("wxyz")) == 0.0
    late = average_jaccard(list("abcd"), list("abcx"))
    early = average_jaccard(list("abcd"), list("xbcd"))
    assert late > early  # disagreement at the top costs more


def test_stability_is_one_for_identical_runs_and_low_for_shuffled_topics():
    planted = planted_corpus()
    topics = top_word_lists(NMF(5, random_state=0).fit(planted.matrix).top_terms(10))
    same = stability(topics, [topics, list(reversed(topics))])
    assert list(same.columns) == ["topic", "stability"]
    np.testing.assert_allclose(same["stability"], 1.0)
    rng = np.random.default_rng(0)
    words = [w for t in topics for w in t]
    shuffled = [list(rng.permutation(words)[i * 10 : (i + 1) * 10]) for i in range(5)]
    assert stability(topics, [shuffled])["stability"].mean() < 0.4
    score, _, match = agreement(topics, list(reversed(topics)))
    assert score == 1.0
    assert match.tolist() == [4, 3, 2, 1, 0]


def test_top_word_lists_orders_by_rank():
    frame = pd.DataFrame(
        {"topic": [1, 0, 0, 1], "rank": [1, 2, 1, 2], "term": ["c", "b", "a", "d"]}
    )
    assert top_word_lists(frame) == [["a", "b"], ["c", "d"]]
