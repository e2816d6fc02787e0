"""Short-text models (CoocNMF, DMM): planted topics from 6-word titles, repeats, persistence."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from planted import match_topics, planted_corpus

from topics.models import DMM, MODELS, CoocNMF, load_model
from topics.models.cooc import ppmi_matrix
from topics.text.vectorizer import DocTermMatrix


def short_corpus(n_docs: int = 800, length: int = 6, seed: int = 0, noise: float = 0.15):
    """Titles of ``length`` words, each from one of 5 disjoint 20-word topics, some noise words.

    Returns the matrix, the planted word blocks and each document's topic.
    """
    rng = np.random.default_rng(seed)
    k, per = 5, 20
    vocabulary = [f"t{t}w{j:02d}" for t in range(k) for j in range(per)] + [
        f"noise{j:02d}" for j in range(20)
    ]
    topic_of = rng.integers(0, k, size=n_docs)
    counts = np.zeros((n_docs, len(vocabulary)), dtype=np.int64)
    for d, t in enumerate(topic_of):
        for _ in range(length):
            if rng.random() < noise:
                counts[d, k * per + rng.integers(0, 20)] += 1
            else:
                counts[d, t * per + min(int(rng.zipf(1.5)) - 1, per - 1)] += 1
    matrix = DocTermMatrix(
        sp.csr_matrix(counts), tuple(vocabulary), tuple(f"d{i}" for i in range(n_docs))
    )
    blocks = [vocabulary[t * per : (t + 1) * per] for t in range(k)]
    return matrix, blocks, topic_of


@pytest.fixture(scope="module")
def short():
    return short_corpus()


SHORT_MODELS = {
    "cooc": lambda: CoocNMF(5),
    "dmm": lambda: DMM(5, max_iter=30),
}


@pytest.mark.parametrize("name", list(SHORT_MODELS))
def test_short_text_models_recover_planted_topics(short, name):
    matrix, blocks, topic_of = short
    model = SHORT_MODELS[name]().fit(matrix)
    overlaps = match_topics(model.top_terms(10, ranking="probability"), blocks)
    assert min(overlaps) >= 0.8, overlaps
    theta = model.transform(matrix)
    np.testing.assert_allclose(theta.sum(axis=1), 1.0)
    # documents go to the topic they were drawn from: most agree after matching labels
    top = model.top_terms(10, ranking="probability")
    label = {t: int(np.argmax([len(set(g["term"]) & set(b)) for b in blocks]))
             for t, g in top.groupby("topic")}  # fmt: skip
    predicted = np.array([label[t] for t in theta.argmax(axis=1)])
    assert (predicted == topic_of).mean() > 0.85


@pytest.mark.parametrize("name", list(SHORT_MODELS))
def test_short_text_models_repeat_exactly_for_a_seed(short, name):
    matrix = short[0]
    first = SHORT_MODELS[name]().set_params(random_state=3).fit(matrix)
    second = SHORT_MODELS[name]().set_params(random_state=3).fit(matrix)
    np.testing.assert_array_equal(first.components_, second.components_)
    np.testing.assert_array_equal(first.transform(matrix), second.transform(matrix))


def test_dmm_seed_changes_the_sample(short):
    matrix = short[0]
    a = DMM(5, max_iter=5, random_state=1).fit(matrix)
    b = DMM(5, max_iter=5, random_state=2).fit(matrix)
    assert not np.array_equal(a.components_, b.components_)


@pytest.mark.parametrize("name", list(SHORT_MODELS))
def test_short_text_models_save_and_load(tmp_path, short, name):
    matrix = short[0]
    model = SHORT_MODELS[name]().fit(matrix)
    model.save(tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert type(loaded) is type(model)
    assert loaded.get_params() == model.get_params()
    np.testing.assert_array_equal(loaded.components_, model.components_)
    np.testing.assert_array_equal(loaded.transform(matrix), model.transform(matrix))
    assert loaded.top_terms(5).equals(model.top_terms(5))


def test_registered_for_the_command_line():
    assert MODELS.get("cooc") is CoocNMF
    assert MODELS.get("dmm") is DMM


def test_ppmi_counts_pairs_of_documents():
    # words 0 and 1 always together (2 of 4 documents); word 2 alone; 3 once with 0
    counts = sp.csr_matrix(
        np.array([[1, 1, 0, 0], [2, 1, 0, 1], [0, 0, 1, 0], [0, 0, 1, 0]], dtype=float)
    )
    ppmi = ppmi_matrix(counts, min_count=1).toarray()
    np.testing.assert_allclose(ppmi[0, 1], np.log(2 * 4 / (2 * 2)))  # presence, not counts
    np.testing.assert_allclose(ppmi, ppmi.T)
    assert np.all(np.diag(ppmi) == 0)
    assert ppmi[0, 2] == 0  # never together
    assert ppmi_matrix(counts, min_count=2)[0, 3] == 0  # together once: dropped at 2


def test_dmm_puts_one_topic_on_each_long_planted_document():
    planted = planted_corpus(n_topics=3, n_docs=150, doc_length=40, seed=4)
    model = DMM(3, max_iter=20).fit(planted.matrix)
    assert model.n_active_ <= 3
    assert model.doc_counts_.sum() == 150
    np.testing.assert_allclose(model.weights_.sum(), 1.0)
