"""Preprocessing, vocabulary pruning and the DocTermMatrix."""

from __future__ import annotations

import numpy as np
import pytest

import topics
from topics import ConfigError, PersistenceError
from topics.text.preprocess import PreprocessConfig, Preprocessor
from topics.text.vectorizer import DocTermMatrix, Vectorizer, vectorize

TEXTS = [
    "The EU and Kazakhstan discussed sanctions against Russia and the Middle Corridor.",
    "President Kassym-Jomart Tokayev spoke of the Trans-Caspian route and the Global Gateway.",
    "Critical raw materials, batteries and renewable hydrogen were on the agenda in 2022.",
    "Sanctions against Russia affected trade; the Middle Corridor gained importance.",
    "The Global Gateway funds transport corridors across Central Asia.",
    "Sanctions and transport corridors dominated the talks on raw materials.",
]


PHRASES = PreprocessConfig(
    protected_terms=("Global Gateway", "Middle Corridor", "raw materials", "critical raw materials")
)


def test_no_domain_phrases_by_default():
    """Domain phrases come from a codebook or a config, never from generic defaults."""
    assert PreprocessConfig().protected_terms == ()
    tokens = Preprocessor().fit([]).transform(TEXTS[1:2])[0]
    assert "global" in tokens
    assert "gateway" in tokens


def test_tokeniser_keeps_hyphenated_names_and_joins_protected_terms():
    tokens = Preprocessor(PHRASES).fit([]).transform(TEXTS[:3])
    assert "kassym-jomart" in tokens[1]
    assert "trans-caspian" in tokens[1]
    assert "global_gateway" in tokens[1]
    assert "middle_corridor" in tokens[0]
    assert "critical_raw_materials" in tokens[2]  # the longest protected match wins
    assert "2022" not in tokens[2]  # numbers dropped by default
    assert "the" not in tokens[0]
    assert "sanction" in tokens[0]  # lemmatised offline
    assert "battery" in tokens[2]


def test_config_options_and_toml(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        '[preprocess]\nlemmatize = false\nkeep_numbers = true\nextra_stop_words = ["eu"]\n'
        'min_token_length = 3\nprotected_terms = ["transport corridors"]\n'
    )
    config = PreprocessConfig.from_toml(path)
    tokens = Preprocessor(config).fit([]).transform(TEXTS)
    assert "2022" in tokens[2]
    assert "eu" not in tokens[0]
    assert "sanctions" in tokens[0]
    assert "transport_corridors" in tokens[4]
    assert "global_gateway" not in tokens[4]  # protected list replaced
    with pytest.raises(ConfigError, match="unknown preprocess settings"):
        PreprocessConfig.from_dict({"lemmatise": True})
    (tmp_path / "bad.toml").write_text("x = [")
    with pytest.raises(ConfigError, match="not valid TOML"):
        PreprocessConfig.from_toml(tmp_path / "bad.toml")


def test_phrases_learnt_with_npmi():
    texts = ["green hydrogen value chains matter"] * 12 + ["value of trade"] * 3 + ["green fields"]
    config = PreprocessConfig(
        phrases=True, phrase_min_count=3, phrase_threshold=0.5, protected_terms=()
    )
    pre = Preprocessor(config).fit(texts)
    assert "green_hydrogen" in pre.phrases_ or "hydrogen_value" in pre.phrases_
    assert all(-1 <= score <= 1 for score in pre.phrases_.values())
    assert any("_" in t for t in pre.transform(texts[:1])[0])


def test_pruning_reports_each_rule_and_never_drops_protected_terms():
    vectorizer = Vectorizer(PHRASES, min_df=2, max_df=0.6, keep_terms=["lithium", "hydrogen"])
    matrix = vectorizer.fit_transform(TEXTS)
    vocab = set(matrix.vocabulary)
    assert "hydrogen" in vocab  # df = 1 but kept: a theme term
    assert "global_gateway" in vocab  # protected
    assert "tokayev" not in vocab  # df = 1 → min_df
    pruned = vectorizer.pruned_.set_index("term")
    assert pruned.loc["tokayev", "rule"] == "min_df"
    assert "lithium" in vectorizer.missing_keep_terms_  # never seen: reported, not hidden
    report = vectorizer.pruning_report().set_index("rule")["n_terms"]
    assert report["min_df"] == (vectorizer.pruned_["rule"] == "min_df").sum() > 0
    small = Vectorizer(min_df=1, max_features=5, keep_terms=["hydrogen"]).fit_transform(TEXTS)
    assert "hydrogen" in small.vocabulary


def test_gensim_conversion_keeps_ids():
    matrix, _ = vectorize(topics.Corpus.from_texts(TEXTS), min_df=1)
    dictionary, bow = matrix.to_gensim()
    for term_id, term in enumerate(matrix.vocabulary):
        assert dictionary[term_id] == term
        assert dictionary.token2id[term] == term_id
    dense = matrix.counts.toarray()
    for row, doc in enumerate(bow):
        for term_id, count in doc:
            assert dense[row, term_id] == count
    assert dictionary.num_docs == len(TEXTS)


def test_transform_new_documents_with_fitted_vocabulary():
    vectorizer = Vectorizer(min_df=1)
    matrix = vectorizer.fit_transform(TEXTS)
    new = vectorizer.transform(["Sanctions on Russia and unknownword."], doc_ids=["n1"])
    assert new.vocabulary == matrix.vocabulary
    assert new.doc_ids == ("n1",)
    assert new.counts[0, new.term_id("sanction")] == 1
    assert new.counts.sum() == 2  # "sanction", "russia"; the unknown word is ignored


def test_tfidf_view_rows_are_unit_length():
    matrix = Vectorizer(min_df=1).fit_transform(TEXTS)
    tfidf = matrix.tfidf()
    np.testing.assert_allclose(np.sqrt(tfidf.multiply(tfidf).sum(axis=1)).A.ravel(), 1.0)


def test_save_load_round_trip_and_corruption(tmp_path):
    matrix = Vectorizer(min_df=1).fit_transform(TEXTS, doc_ids=[f"d{i}" for i in range(6)])
    matrix.save(tmp_path / "dtm")
    again = DocTermMatrix.load(tmp_path / "dtm")
    assert again.vocabulary == matrix.vocabulary
    assert again.doc_ids == matrix.doc_ids
    assert (again.counts != matrix.counts).nnz == 0
    (tmp_path / "dtm.npz").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(PersistenceError, match="corrupt or truncated"):
        DocTermMatrix.load(tmp_path / "dtm")


def test_bad_thresholds():
    with pytest.raises(ConfigError, match="min_df"):
        Vectorizer(min_df=5, max_df=2).fit_transform(TEXTS)
    with pytest.raises(topics.InputError, match="no terms left"):
        Vectorizer(PreprocessConfig(protected_terms=()), min_df=6, max_df=1.0).fit_transform(
            TEXTS[:3] + ["x"] * 3
        )


def test_vectorizer_save_load_transforms_identically(tmp_path):
    texts = ["green hydrogen value chains matter"] * 12 + ["value of trade"] * 3 + TEXTS
    config = PreprocessConfig(phrases=True, phrase_min_count=3, phrase_threshold=0.5)
    vectorizer = Vectorizer(config, min_df=1)
    matrix = vectorizer.fit_transform(texts)
    vectorizer.save(tmp_path / "vectorizer.json")
    again = Vectorizer.load(tmp_path / "vectorizer.json")
    assert again.vocabulary_ == vectorizer.vocabulary_
    new = again.transform(texts)
    assert (new.counts != matrix.counts).nnz == 0
    assert again.pruning_report().equals(vectorizer.pruning_report())


def test_a_matrix_refuses_repeated_terms_and_finds_each_term_of_a_shared_vocabulary():
    import scipy.sparse as sp

    from topics import InputError

    with pytest.raises(InputError, match="vocabulary terms must be unique"):
        DocTermMatrix(sp.csr_matrix((1, 3)), ("санкции", "санкции", "дәліз"), ("d1",))
    vocabulary = ("санкции", "дәліз", "sanctions")
    first = DocTermMatrix(sp.csr_matrix((2, 3)), vocabulary, ("d1", "d2"))
    batch = DocTermMatrix(sp.csr_matrix((1, 3)), list(vocabulary), ("d3",))  # type: ignore[arg-type]
    assert [batch.term_id(t) for t in vocabulary] == [0, 1, 2]
    assert [first.term_id(t) for t in vocabulary] == [0, 1, 2]
    with pytest.raises(InputError, match="'corridor' is not in the vocabulary"):
        batch.term_id("corridor")
