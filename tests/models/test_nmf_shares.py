"""NMF document shares by likelihood (PLSA fold-in), and topics of function words flagged."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import normalized_mutual_info_score

import topics
from topics.errors import ConfigError, TopicsWarning
from topics.models import NMF
from topics.models._inference import likelihood_shares
from topics.models.pipeline import function_word_topics
from topics.paths import shared_path


def _planted(n_docs: int = 300, length: int = 400, seed: int = 0):
    """Three topics on their own 20 words plus a broad one spread thinly over all 60."""
    rng = np.random.default_rng(seed)
    beta = np.zeros((4, 60))
    for k in range(3):
        beta[k, 20 * k : 20 * (k + 1)] = rng.dirichlet(np.ones(20))
    beta[3] = 1.0 / 60
    theta = rng.dirichlet([0.3, 0.3, 0.3, 0.3], size=n_docs)
    counts = np.stack([rng.multinomial(length, th @ beta) for th in theta])
    return sp.csr_matrix(counts.astype(float)), beta, theta


def test_likelihood_shares_recover_planted_mixtures():
    counts, beta, theta = _planted()
    shares = likelihood_shares(counts, beta)
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    assert np.abs(shares - theta).mean() < 0.03  # 400 words a document
    # a document's shares do not depend on the documents inferred with it
    np.testing.assert_array_equal(likelihood_shares(counts[:7], beta), shares[:7])


def test_a_document_without_topic_words_is_uniform():
    beta = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5]])
    counts = sp.csr_matrix(np.array([[0.0, 0.0, 0.0], [3.0, 0.0, 0.0], [0.0, 0.0, 2.0]]))
    shares = likelihood_shares(counts, beta)
    np.testing.assert_allclose(shares[0], [0.5, 0.5])
    np.testing.assert_allclose(shares[1], [1.0, 0.0], atol=1e-3)
    np.testing.assert_allclose(shares[2], [0.0, 1.0], atol=1e-3)


def test_nmf_shares_switch_and_agree_on_clear_documents():
    counts, _, theta = _planted()
    likelihood = NMF(4, random_state=0, max_iter=1000).fit(counts)
    least = NMF(4, random_state=0, max_iter=1000, shares="least-squares").fit(counts)
    np.testing.assert_array_equal(likelihood.components_, least.components_)
    a, b = likelihood.transform(counts), least.transform(counts)
    assert not np.allclose(a, b)
    clear = theta.max(axis=1) > 0.8  # one topic clearly dominates: both rules agree
    assert (a[clear].argmax(axis=1) == b[clear].argmax(axis=1)).mean() > 0.95
    with pytest.raises(ValueError, match="shares"):
        NMF(4, shares="mass").fit(counts)


def test_bbc_dominant_topics_follow_the_sections_better(bbc):
    model = NMF(10, random_state=0).fit(bbc.matrix)
    likelihood = model.transform(bbc.matrix).argmax(axis=1)
    least = model.set_params(shares="least-squares").transform(bbc.matrix).argmax(axis=1)
    gain = normalized_mutual_info_score(bbc.labels, likelihood) - normalized_mutual_info_score(
        bbc.labels, least
    )
    assert gain > 0.005  # measured 0.650 → 0.662


def _news_texts() -> list[str]:
    path = shared_path("corpora", "news_2017", "news_articles_2016_2017.csv.gz")
    if path is None:
        pytest.skip("news_2017 not found: put it at ../shared/corpora/news_2017/")
    import pandas as pd

    return pd.read_csv(path)["text"].dropna().tolist()


def test_no_topic_takes_a_third_of_ordinary_news():
    """Issue 30: at K = 10 the default model's largest topic was 38 % of news_2017's articles."""
    texts = _news_texts()
    corpus = topics.Corpus.from_texts(texts)
    matrix, _ = topics.vectorize(corpus, min_df=2, max_df=0.95)
    model = topics.MODELS.get(topics.models.choose_family(matrix).family)(10, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=Warning)  # convergence notes are not the point
        model.fit(matrix)
    largest = np.bincount(model.transform(matrix).argmax(axis=1), minlength=10).max()
    assert largest / len(texts) < 1 / 3
    least = model.set_params(shares="least-squares").transform(matrix).argmax(axis=1)
    assert np.bincount(least, minlength=10).max() / len(texts) > 1 / 3  # the old rule failed


def test_pipeline_names_topics_of_function_words():
    texts = _news_texts()[:1500]
    with pytest.warns(TopicsWarning, match=r"topic\(s\) of function words .*stop_words="):
        topics.topic_pipeline(CountVectorizer(), NMF(10, random_state=0)).fit(texts)
    vectoriser = CountVectorizer(min_df=2, stop_words=topics.stop_words("en"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", TopicsWarning)
        pipe = topics.topic_pipeline(vectoriser, NMF(10, random_state=0)).fit(texts)
    assert function_word_topics(pipe[-1]) == {}


def test_function_words_are_found_in_russian_too():
    rng = np.random.default_rng(0)
    function = ["и", "в", "не", "на", "что", "он", "с", "как"]
    content = ["санкции", "эмбарго", "нефть", "экспорт", "банк", "запрет", "пошлина", "рынок"]
    names = function + content
    rows = [
        np.concatenate([rng.poisson(6, 8), np.zeros(8)])
        if i % 2
        else np.concatenate([np.zeros(8), rng.poisson(3, 8)])
        for i in range(40)
    ]
    model = NMF(2, random_state=0).fit(np.array(rows, dtype=float), feature_names=names)
    found = function_word_topics(model)
    assert len(found) == 1
    assert set(next(iter(found.values()))) <= set(function)


def test_stop_words_lists_each_language():
    assert {"the", "and"} <= set(topics.stop_words("en"))
    assert {"и", "что"} <= set(topics.stop_words("ru"))
    assert {"және", "үшін"} <= set(topics.stop_words("kk"))
    assert "санкции" not in topics.stop_words()
    assert topics.stop_words("en") == sorted(topics.stop_words("en"))
    with pytest.raises(ConfigError, match="no stop words for \\['english'\\]"):
        topics.stop_words("english")
