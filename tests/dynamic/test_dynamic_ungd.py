"""Dynamic topics on the real UN debates 2006–2015 (slow: run with ``make slow``).

The benchmark's tuned route (``benchmarks/un_dtm.py``) on one seed: its quality, and events whose
dates are known — words that belong to 2014–2015 must appear only in those bins (no look-ahead).
"""

from __future__ import annotations

import pytest

from topics.dynamic import topic_evolution
from topics.evaluation.coherence import ReferenceCorpus
from topics.evaluation.datasets import DynamicBenchmark, load_ungd_dynamic
from topics.evaluation.metrics import topic_diversity
from topics.models import LDA

pytestmark = pytest.mark.slow

BIN_2014 = 7  # 9 equal-width bins over 2006–2015: bin 0 is 2006–2007, then one year each


@pytest.fixture(scope="module")
def data(ungd_path) -> DynamicBenchmark:
    return load_ungd_dynamic(ungd_path)


@pytest.fixture(scope="module")
def terms(data):
    model = LDA(50, alpha=0.1, eta=0.2, max_iter=300, random_state=0)
    theta = model.fit_transform(data.matrix)
    return topic_evolution(
        model, data.matrix, data.periods, n=5, relevance_lambda=0.4, doc_topic=theta
    )


def test_protocol_data(data):
    assert data.matrix.shape == (58_592, 7_123)
    assert sorted(data.periods["period"].unique()) == list(range(9))
    assert len(data.tokens) == data.matrix.shape[0]


def test_per_bin_words_are_coherent_and_diverse(data, terms):
    reference = ReferenceCorpus(data.tokens)
    npmis, tds = [], []
    for _, group in terms.groupby("period"):
        lists = [list(g.sort_values("rank")["term"]) for _, g in group.groupby("topic")]
        npmis.append(reference.score(lists)["coherence"].mean())
        tds.append(topic_diversity(lists, 5))
    assert sum(npmis) / len(npmis) >= 0.245  # measured 0.253 (benchmark target 0.25 over 3 seeds)
    assert sum(tds) / len(tds) >= 0.9  # measured 0.967


@pytest.mark.parametrize("word", ["ebola", "isil"])
def test_events_of_2014_appear_only_from_2014(terms, word):
    bins = set(terms.loc[terms["term"] == word, "period"])
    assert bins, f"{word!r} is in no topic's per-bin words"
    assert min(bins) >= BIN_2014, bins


def test_paris_joins_the_climate_topic_before_the_paris_agreement(terms):
    paris = terms[terms["term"] == "paris"]
    assert set(paris["period"]) <= {BIN_2014, BIN_2014 + 1}
    topic = paris["topic"].iloc[0]
    assert "climate" in set(terms.loc[terms["topic"] == topic, "term"])
