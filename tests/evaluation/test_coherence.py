"""Our coherence equals gensim's CoherenceModel to 1e-6 (synthetic texts; BBC when present)."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel

from topics import ConfigError, InputError
from topics.evaluation.coherence import MEASURES, ReferenceCorpus, coherence
from topics.evaluation.metrics import top_word_lists
from topics.models import LDA, NMF


def _gensim(topics, texts, measure):
    dictionary = Dictionary(texts)
    model = CoherenceModel(
        topics=topics, texts=texts, dictionary=dictionary, coherence=measure, processes=1
    )
    return np.asarray(model.get_coherence_per_topic())


def _synthetic_texts(seed=0, n_docs=120):
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}" for i in range(40)]
    texts = []
    for _ in range(n_docs):
        length = int(rng.integers(0, 40))  # includes empty and short (< window) texts
        topic = int(rng.integers(0, 4))
        words = rng.choice(vocab[topic * 10 : topic * 10 + 10] + vocab, size=length)
        texts.append([str(w) for w in words])  # repeated words inside windows are common
    return texts


@pytest.mark.parametrize("measure", list(MEASURES))
def test_equals_gensim_on_synthetic_texts_with_repeats_and_empty_docs(measure):
    texts = _synthetic_texts()
    topics = [[f"w{i}" for i in range(t * 10, t * 10 + 6)] for t in range(4)]
    topics.append(["w3", "w17", "w25", "w39"])
    ours = coherence(topics, texts, measure)["coherence"].to_numpy()
    np.testing.assert_allclose(ours, _gensim(topics, texts, measure), atol=1e-6, rtol=0)


@pytest.mark.parametrize("window", [1, 3, 50])
def test_equals_gensim_for_other_window_sizes(window):
    texts = _synthetic_texts(seed=3)
    topics = [["w1", "w2", "w5"], ["w11", "w30", "w12", "w2"]]
    ours = coherence(topics, texts, "c_npmi", window=window)["coherence"].to_numpy()
    dictionary = Dictionary(texts)
    cm = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence="c_npmi",
                        window_size=window, processes=1)  # fmt: skip
    np.testing.assert_allclose(ours, cm.get_coherence_per_topic(), atol=1e-6, rtol=0)


@pytest.fixture(scope="module")
def bbc_models(bbc):
    return [
        NMF(10, random_state=0).fit(bbc.matrix),
        NMF(10, solver="mu", beta_loss="kullback-leibler", random_state=21).fit(bbc.matrix),
        LDA(10, backend="gensim", max_iter=2, random_state=42).fit(bbc.matrix),
    ]


@pytest.mark.parametrize("measure", list(MEASURES))
def test_equals_gensim_on_bbc_for_three_models(bbc, bbc_models, measure):
    reference = ReferenceCorpus(bbc.tokens)
    for model in bbc_models:
        topics = top_word_lists(model.top_terms(10))
        ours = reference.score(topics, measure)["coherence"].to_numpy()
        np.testing.assert_allclose(ours, _gensim(topics, bbc.tokens, measure), atol=1e-6, rtol=0)


def test_awkward_input_is_clear():
    texts = [["a", "b", "c"], [], ["a", "c"]]
    with pytest.raises(InputError, match=r"never seen.*'zzz'"):
        coherence([["a", "zzz"]], texts)
    with pytest.raises(ConfigError, match="at least 2"):
        coherence([["a"]], texts)
    with pytest.raises(InputError, match="no tokens"):
        ReferenceCorpus([[], []])
    with pytest.raises(InputError, match="token lists"):
        ReferenceCorpus(["a plain string"])
    with pytest.raises(ConfigError, match="measure must be one of"):
        coherence([["a", "b"]], texts, "c_w2v")
    assert np.isfinite(coherence([["a", "b"]], texts, "c_v")["coherence"]).all()


def test_planted_topics_beat_shuffled_ones():
    rng = np.random.default_rng(5)
    blocks = [[f"b{t}w{i}" for i in range(8)] for t in range(4)]
    texts = [[str(w) for w in rng.choice(blocks[d % 4], size=30)] for d in range(200)]
    mixed = [
        [blocks[j][i] for j in range(4)] + [blocks[j][i + 4] for j in range(4)] for i in range(4)
    ]
    reference = ReferenceCorpus(texts)
    good = reference.score(blocks)["coherence"]
    bad = reference.score(mixed)["coherence"]
    assert good.min() > 0.3
    assert bad.max() < 0.0
