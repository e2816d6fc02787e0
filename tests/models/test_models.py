"""LDA and NMF: planted topics recovered by every backend, determinism, inference, persistence."""

from __future__ import annotations

import json

import numpy as np
import pytest
from planted import match_topics, planted_corpus

from topics import ConfigError, PersistenceError
from topics.models import LDA, NMF, load_model

DETERMINISTIC = ["sklearn", "sklearn-online", "gensim", "tomotopy"]
MODELS = {
    **{f"lda-{b}": (lambda b=b: LDA(5, backend=b)) for b in DETERMINISTIC},
    "lda-gensim-multicore": lambda: LDA(5, backend="gensim-multicore", n_jobs=2),
    "nmf-cd-tfidf": lambda: NMF(5),
    "nmf-mu-kl-counts": lambda: NMF(
        5, solver="mu", beta_loss="kullback-leibler", weighting="counts"
    ),
    "nmf-minibatch": lambda: NMF(5, solver="minibatch"),
}


@pytest.fixture(scope="module")
def planted():
    return planted_corpus()


@pytest.fixture(scope="module")
def fitted(planted):
    return {name: make().fit(planted.matrix) for name, make in MODELS.items()}


@pytest.mark.parametrize("name", list(MODELS))
def test_every_backend_recovers_planted_topics(fitted, planted, name):
    overlaps = match_topics(fitted[name].top_terms(10), planted.blocks)
    assert min(overlaps) >= 0.8, overlaps


@pytest.mark.parametrize("name", list(MODELS))
def test_distributions_sum_to_one_and_unseen_documents(fitted, planted, name):
    model = fitted[name]
    assert model.topic_word_.shape == (5, 100)
    np.testing.assert_allclose(model.topic_word_.sum(axis=1), 1.0)
    unseen = planted_corpus(seed=1)
    theta = model.transform(unseen.matrix)
    np.testing.assert_allclose(theta.sum(axis=1), 1.0)
    # inferred proportions track the truth of documents the model never saw
    overlaps = match_topics(model.top_terms(10), unseen.blocks)
    assert min(overlaps) >= 0.8
    order = [int(np.argmax([len(set(g["term"]) & set(b)) for b in unseen.blocks]))
             for _, g in model.top_terms(10).groupby("topic")]  # fmt: skip
    truth = unseen.theta[:, order]
    assert np.corrcoef(theta.ravel(), truth.ravel())[0, 1] > 0.9


@pytest.mark.parametrize("name", list(MODELS))
def test_fit_transform_gives_the_training_documents_topics(planted, name):
    model = MODELS[name]()
    theta = model.fit_transform(planted.matrix)
    assert theta.shape == (planted.matrix.shape[0], 5)
    np.testing.assert_allclose(theta.sum(axis=1), 1.0)
    # the fit's own estimate (Gibbs: final sample's topic counts) agrees with inference
    assert np.abs(theta - model.transform(planted.matrix)).mean() < 0.05


def test_gibbs_fit_transform_is_the_samples_smoothed_counts(planted):
    counts = planted.matrix.counts.tolil()
    counts[0, :] = 0  # a document without tokens is not sampled: it gets the prior's mean
    alpha = np.array([0.5, 0.2, 0.1, 0.1, 0.1])
    model = LDA(5, backend="tomotopy", alpha=alpha, max_iter=200, random_state=1)
    theta = model.fit_transform(counts.tocsr())
    np.testing.assert_allclose(theta[0], alpha / alpha.sum())
    # each row is (topic counts + α) / (tokens + Σα): multiplying back gives whole counts
    lengths = np.asarray(planted.matrix.counts.sum(axis=1)).ravel()[1:]
    assigned = theta[1:] * (lengths + alpha.sum())[:, None] - alpha
    np.testing.assert_allclose(assigned, np.rint(assigned), atol=1e-6)
    np.testing.assert_allclose(np.rint(assigned).sum(axis=1), lengths)
    again = LDA(5, backend="tomotopy", alpha=alpha, max_iter=200, random_state=1)
    np.testing.assert_array_equal(again.fit_transform(counts.tocsr()), theta)


@pytest.mark.parametrize("backend", DETERMINISTIC)
def test_deterministic_backends_repeat_exactly(planted, backend):
    first = LDA(5, backend=backend, random_state=7).fit(planted.matrix)
    second = LDA(5, backend=backend, random_state=7).fit(planted.matrix)
    np.testing.assert_array_equal(first.components_, second.components_)
    np.testing.assert_array_equal(first.transform(planted.matrix), second.transform(planted.matrix))


@pytest.mark.parametrize("solver", ["cd", "mu", "minibatch"])
def test_nmf_repeats_exactly(planted, solver):
    first = NMF(5, solver=solver, random_state=3).fit(planted.matrix)
    second = NMF(5, solver=solver, random_state=3).fit(planted.matrix)
    np.testing.assert_array_equal(first.components_, second.components_)


def test_top_terms_is_tidy(fitted):
    frame = fitted["nmf-cd-tfidf"].top_terms(3, ranking="probability")
    assert list(frame.columns) == ["topic", "rank", "term", "weight"]
    assert len(frame) == 15
    assert frame.groupby("topic")["rank"].apply(list).tolist() == [[1, 2, 3]] * 5
    assert (frame.groupby("topic")["weight"].diff().dropna() <= 0).all()


@pytest.mark.parametrize("name", ["lda-gensim", "lda-tomotopy", "nmf-cd-tfidf"])
def test_save_load_round_trip(tmp_path, fitted, planted, name):
    model = fitted[name]
    model.save(tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert type(loaded) is type(model)
    assert loaded.get_params() == model.get_params()
    np.testing.assert_array_equal(loaded.topic_word_, model.topic_word_)
    np.testing.assert_array_equal(loaded.transform(planted.matrix), model.transform(planted.matrix))
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    assert meta["random_state"] == 0
    assert meta["data_fingerprint"] == model.data_fingerprint_


def test_load_errors_are_clear(tmp_path, fitted):
    fitted["lda-sklearn"].save(tmp_path / "m")
    with pytest.raises(PersistenceError, match=r"no model\.json"):
        load_model(tmp_path / "nothing")
    data = (tmp_path / "m" / "model.npz").read_bytes()
    (tmp_path / "m" / "model.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(PersistenceError, match="corrupt or truncated"):
        load_model(tmp_path / "m")
    fitted["lda-sklearn"].save(tmp_path / "v")
    meta = json.loads((tmp_path / "v" / "model.json").read_text())
    meta["format_version"] = 99
    (tmp_path / "v" / "model.json").write_text(json.dumps(meta))
    with pytest.raises(PersistenceError, match="format 99"):
        load_model(tmp_path / "v")


def test_pickled_arrays_are_refused(tmp_path, fitted):
    fitted["lda-sklearn"].save(tmp_path / "m")
    np.savez(tmp_path / "m" / "model.npz", topic_word=np.array([object()], dtype=object))
    with pytest.raises(PersistenceError, match="corrupt"):
        load_model(tmp_path / "m")


@pytest.mark.parametrize("backend", ["gensim", "tomotopy"])
def test_per_word_prior_pulls_words_into_a_named_topic(planted, backend):
    eta = np.full((5, 100), 0.01)
    seed_words = [planted.matrix.term_id(w) for w in planted.blocks[3][:5]]
    eta[0, seed_words] = 50.0  # topic 0 is seeded with five words of planted block 3
    model = LDA(5, backend=backend, eta=eta).fit(planted.matrix)
    top = set(model.top_terms(10).query("topic == 0")["term"])
    assert len(top & set(planted.blocks[3])) >= 8


def test_asymmetric_alpha(planted):
    model = LDA(5, backend="gensim", alpha="asymmetric").fit(planted.matrix)
    assert model.alpha_[0] > model.alpha_[-1]
    np.testing.assert_allclose(model.alpha_.sum(), 1.0)


def test_sklearn_backend_rejects_what_it_cannot_do(planted):
    with pytest.raises(ConfigError, match="per-word priors"):
        LDA(5, backend="sklearn", eta=np.ones((5, 100))).fit(planted.matrix)
    with pytest.raises(ConfigError, match="symmetric alpha"):
        LDA(5, backend="sklearn", alpha="asymmetric").fit(planted.matrix)
    with pytest.raises(ConfigError, match="The 'backend' parameter of LDA must be"):
        LDA(5, backend="mallet").fit(planted.matrix)
    with pytest.raises(ConfigError, match="n_jobs applies only"):
        LDA(5, n_jobs=2).fit(planted.matrix)


def test_auto_backend_prefers_gibbs_and_records_it(tmp_path, planted):
    model = LDA(5, max_iter=200).fit(planted.matrix)
    assert model.backend_ == "tomotopy"
    model.save(tmp_path / "m")
    assert load_model(tmp_path / "m").backend_ == "tomotopy"


def test_tomotopy_refuses_fractional_counts(planted):
    weighted = planted.matrix.tfidf()
    with pytest.raises(ValueError, match="integer counts"):
        LDA(5, backend="tomotopy").fit(weighted)


def test_vocabulary_mismatch_is_refused(fitted):
    other = planted_corpus(n_topics=4, seed=2).matrix
    with pytest.raises((ConfigError, ValueError)):
        fitted["lda-sklearn"].transform(other)


def test_perplexity_and_reconstruction_error(fitted, planted):
    good = fitted["lda-sklearn"].perplexity(planted.matrix)
    assert 15 < good < 100  # 100 words, 5 blocks of 20: about 20 when topics are right
    assert fitted["nmf-cd-tfidf"].reconstruction_error(planted.matrix) > 0


def test_relevance_ranking_demotes_common_words():
    planted = planted_corpus()
    # a word that occurs everywhere ("the"): add it to every document
    counts = planted.matrix.counts.tolil()
    counts[:, 0] = 8
    from topics.text.vectorizer import DocTermMatrix

    matrix = DocTermMatrix(counts.tocsr(), planted.matrix.vocabulary, planted.matrix.doc_ids)
    model = NMF(5, weighting="counts").fit(matrix)
    common = planted.matrix.vocabulary[0]
    by_probability = model.top_terms(5, ranking="probability")
    by_relevance = model.top_terms(5, ranking="relevance")
    assert (by_probability["term"] == common).sum() > (by_relevance["term"] == common).sum()
    assert model.set_params(ranking="frex").top_terms(3)["term"].nunique() == 15
    with pytest.raises(ConfigError, match="ranking must be"):
        model.top_terms(3, ranking="tfidf")


def test_negative_seed_and_a_model_json_without_keys_are_one_line_errors(tmp_path):
    import json

    from planted import planted_corpus

    from topics import LDA, NMF, ConfigError, PersistenceError, load_model

    matrix = planted_corpus(n_topics=3, n_docs=60).matrix
    for model in (LDA(3, random_state=-1, backend="sklearn"), NMF(3, random_state=-1)):
        with pytest.raises(ConfigError, match=r"'random_state' parameter of \w+ must be an int"):
            model.fit(matrix)
    NMF(3, random_state=0).fit(matrix).save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    del meta["n_topics"], meta["vocabulary_sha256"]
    (tmp_path / "m" / "model.json").write_text(json.dumps(meta))
    with pytest.raises(PersistenceError, match="lacks n_topics, vocabulary_sha256"):
        load_model(tmp_path / "m")


def test_shared_parameter_descriptions_are_filled_into_every_model_docstring():
    import pydoc

    from topics.models import DMM, CoocNMF

    for model in (LDA, NMF, CoocNMF, DMM):
        text = pydoc.render_doc(model, renderer=pydoc.plaintext)
        assert "{" + "progress}" not in text
        assert "Show the fit's progress" in text
    assert "keeps corpus-wide frequent words" in pydoc.render_doc(LDA, renderer=pydoc.plaintext)
