"""The researcher's path: topics over time, topic tables, scikit-learn interop, progress, and
every silent acceptance turned into a message."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from planted import PLANTED_THEMES as THEMES
from planted import planted_theme_corpus

import topics
from topics import ConfigError, InputError, TopicsWarning
from topics.app.cli import main
from topics.paths import data_dir
from topics.text import DocTermMatrix

BLOCK = 15


def _topics_corpus(seed: int = 0, months: int = 12, docs: int = 40):
    """Four planted topics (disjoint word blocks) whose prevalence per month is set here."""
    rng = np.random.default_rng(seed)
    t = np.arange(months) / max(months - 1, 1)
    truth = np.column_stack(
        [0.1 + 0.5 * t, 0.6 - 0.5 * t, np.where(t > 0.5, 0.4, 0.1), np.full(months, 0.2)]
    )
    truth /= truth.sum(axis=1, keepdims=True)
    vocabulary = [
        f"{name}{j:02d}" for name in ("alpha", "bravo", "charlie", "delta") for j in range(BLOCK)
    ]
    rows, ids, dates, texts = [], [], [], []
    for m in range(months):
        for d in range(docs):
            theta = rng.dirichlet(truth[m] * 8)
            topic = rng.choice(4, size=60, p=theta)
            words = topic * BLOCK + rng.integers(0, BLOCK, size=60)
            rows.append(np.bincount(words, minlength=4 * BLOCK))
            ids.append(f"m{m:02d}d{d:02d}")
            dates.append(f"{2021 + m // 12}-{m % 12 + 1:02d}")
            texts.append(" ".join(vocabulary[w] for w in words))
    matrix = DocTermMatrix(sp.csr_matrix(np.vstack(rows)), tuple(vocabulary), tuple(ids))
    corpus = topics.Corpus.from_texts(texts, ids=ids, dates=dates)
    months_index = pd.period_range("2021-01", periods=months, freq="M")
    return matrix, corpus, pd.DataFrame(truth, index=months_index)


def test_topics_over_time_recovers_planted_prevalence():
    matrix, corpus, truth = _topics_corpus()
    model = topics.NMF(4, random_state=0).fit(matrix)
    result = topics.topics_over_time(model, matrix, corpus, freq="month", n_boot=200, n_perm=199)
    info = result.info.set_index("topic")
    found, planted = [], []
    for k, label in enumerate(result.labels):
        block = info.loc[k, "words"].split(", ")[0][:-2]  # "alpha03" → "alpha"
        column = ["alpha", "bravo", "charlie", "delta"].index(block)
        series = result.trends[result.trends["theme"] == label].set_index("period")["share"]
        found.append(series.to_numpy())
        planted.append(truth[column].to_numpy())
        if column < 3:  # the three topics that move: each recovered on its own
            assert np.corrcoef(found[-1], planted[-1])[0, 1] >= 0.9, label
    assert info["words"].str[:5].nunique() == 4  # one planted block per topic
    assert np.corrcoef(np.concatenate(found), np.concatenate(planted))[0, 1] >= 0.9
    # the step in "charlie" is found as a rise, by the same calibrated test as themes
    charlie = next(lab for lab in result.labels if "charlie" in lab)
    rows = result.changes[result.changes["theme"] == charlie]
    assert (rows["shift"] > 0).any()
    assert (rows["p_adj"] < 0.05).all()


def test_topics_over_time_takes_a_pipeline_and_texts_as_the_readme_shows():
    from sklearn.feature_extraction.text import CountVectorizer

    _, corpus, _ = _topics_corpus(months=6, docs=20)
    pipe = topics.topic_pipeline(CountVectorizer(), topics.NMF(4, random_state=0))
    pipe.fit(corpus.texts)
    options = {"freq": "month", "n_boot": 50, "n_perm": 49}
    from_texts = topics.topics_over_time(pipe, corpus.texts, corpus, **options)
    implied = topics.topics_over_time(pipe, None, corpus, **options)
    pd.testing.assert_frame_equal(from_texts.trends, implied.trends)
    assert set(from_texts.trends["period"].astype(str)) == {f"2021-0{m}" for m in range(1, 7)}
    counts = pipe[:-1].transform(corpus.texts)  # an array a user made, one row a document
    direct = topics.topics_over_time(pipe[-1], counts, corpus, **options)
    pd.testing.assert_frame_equal(direct.trends, from_texts.trends)
    with pytest.raises(InputError, match="texts need a vectoriser"):
        topics.topics_over_time(pipe[-1], corpus.texts, corpus, **options)


def test_topic_info_and_labels():
    matrix, corpus, _ = _topics_corpus(months=4, docs=20)
    model = topics.NMF(4, random_state=0).fit(matrix)
    texts = dict(zip(corpus.ids, corpus.texts, strict=True))
    info = topics.topic_info(model, matrix, texts=texts, n=5, n_docs=2)
    assert list(info.columns) == [
        "topic",
        "label",
        "size",
        "share",
        "words",
        "documents",
        "example",
    ]
    assert info["size"].sum() == matrix.shape[0]
    assert info["size"].is_monotonic_decreasing
    theta = model.transform(matrix)
    for _, row in info.iterrows():
        best = matrix.doc_ids[int(np.argmax(theta[:, row["topic"]]))]
        assert row["documents"].split("; ")[0] == best  # most representative first
        assert row["example"] == " ".join(texts[best].split())[:200]
        assert row["label"].startswith(f"{row['topic']}: ")
    named = topics.topic_info(model, matrix, labels={0: "first"})
    assert "first" in set(named["label"])
    with pytest.raises(ConfigError, match="labels must name topics 0 … 3"):
        topics.topic_info(model, matrix, labels={7: "nope"})


@pytest.mark.parametrize("family", ["nmf", "lda"])
def test_scikit_learn_matrices_and_pipelines_keep_real_words(family):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.pipeline import make_pipeline

    texts = ["sanctions embargo export controls", "railway corridor transit port",
             "lithium battery mining cobalt"] * 10  # fmt: skip
    params = {"backend": "sklearn"} if family == "lda" else {}
    vectorizer = CountVectorizer()
    counts = vectorizer.fit_transform(texts)
    model = topics.MODELS.get(family)(3, **params)
    model.fit(counts, feature_names=vectorizer.get_feature_names_out())
    assert set(model.top_terms(4)["term"]) <= set(vectorizer.get_feature_names_out())
    again = topics.MODELS.get(family)(3, **params)
    doc_topic = again.fit_transform(counts, feature_names=vectorizer.get_feature_names_out())
    assert doc_topic.shape == (30, 3)
    assert set(again.top_terms(4)["term"]) <= set(vectorizer.get_feature_names_out())
    pipe = topics.topic_pipeline(CountVectorizer(), topics.MODELS.get(family)(3, **params))
    shares = pipe.fit_transform(texts)
    assert shares.shape == (30, 3)
    assert "embargo" in set(pipe[-1].top_terms(4)["term"])
    plain = make_pipeline(CountVectorizer(), topics.MODELS.get(family)(3, **params)).fit(texts)
    assert plain[-1].top_terms(1)["term"].str.match(r"w\d+").all()  # no names without help
    with pytest.raises(ConfigError, match="feature names for"):
        model.set_feature_names(["a", "b"])


@pytest.mark.parametrize("backend", ["sklearn", "sklearn-online", "gensim", "tomotopy"])
def test_progress_works_with_every_lda_backend(backend, capsys):
    matrix, _, _ = _topics_corpus(months=2, docs=10)
    model = topics.LDA(4, backend=backend, max_iter=5, progress=True).fit(matrix)
    assert model.topic_word_.shape == (4, 4 * BLOCK)


def test_progress_is_on_for_terminals_only(monkeypatch):
    from topics.progress import progress_enabled

    assert progress_enabled(True) is True
    assert progress_enabled(False) is False
    assert progress_enabled(None) is False  # pytest is running
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    monkeypatch.setenv("TOPICS_PROGRESS", "1")
    assert progress_enabled(None) is True
    monkeypatch.setenv("TOPICS_PROGRESS", "0")
    assert progress_enabled(None) is False


def test_nmf_progress_does_not_flood_the_terminal(capsys):
    matrix, _, _ = _topics_corpus(months=2, docs=20)
    topics.NMF(4, progress=True).fit(matrix)
    captured = capsys.readouterr()
    assert "violation" not in captured.out + captured.err


def test_more_topics_than_documents_is_an_error():
    matrix, _, _ = _topics_corpus(months=1, docs=5)
    with pytest.raises(ConfigError, match="20 topics for 5 documents"):
        topics.NMF(20, init="random").fit(matrix)


def test_header_only_csv_is_one_error_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "empty.csv").write_text("id,text,date\n")
    out = tmp_path / "c.parquet"
    assert main(["ingest", str(tmp_path / "empty.csv"), "-o", str(out)]) == 2
    assert "no document was kept" in capsys.readouterr().err
    assert not out.exists()
    with pytest.warns(topics.IngestWarning, match="no document was kept"):
        topics.ingest(tmp_path / "empty.csv")


def test_several_text_columns_are_joined_from_the_command_line(tmp_path):
    table = tmp_path / "heads.jsonl"
    table.write_text(
        '{"id": "a", "headline": "Sanctions widen", "summary": "An embargo on exports.", '
        '"date": "2022-03-01"}\n'
    )
    out = tmp_path / "c.parquet"
    assert main(["ingest", str(table), "--text-col", "headline", "summary", "-o", str(out)]) == 0
    text = topics.Corpus.read_parquet(out).texts[0]
    assert text == "Sanctions widen\n\nAn embargo on exports."
    assert main(["ingest", str(table), "--text-col", "headline", "nope", "-o", str(out)]) == 2


def test_text_without_blank_lines_falls_back_to_sentence_windows():
    long = " ".join(f"Sentence number {i} talks about sanctions." for i in range(80))
    corpus = topics.Corpus.from_texts([long, "Short.\n\nTwo paragraphs."], ids=["long", "short"])
    with pytest.warns(topics.IngestWarning, match="1 of 2 documents have no blank line"):
        parts = corpus.segment("paragraphs")
    ids = parts.ids
    assert "long#w1" in ids
    assert "short#p2" in ids
    assert sum(i.startswith("long#w") for i in ids) > 10


def test_themes_that_never_occur_are_named_and_measured_as_zero():
    corpus, _ = planted_theme_corpus(months=6, docs_per_month=10)
    ghost = topics.Theme("ghost", "Ghost", ("unicorn",))
    codebook = topics.Codebook((*THEMES.themes, ghost))
    with pytest.warns(TopicsWarning, match=r"never occur.*ghost"):
        analysis = topics.analyze_themes(corpus, codebook, freq="month", n_boot=20)
    assert (analysis.trends.loc[analysis.trends["theme"] == "ghost", "share"] == 0).all()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        seeded = topics.analyze_themes(
            corpus, codebook, freq="month", n_boot=20, measure="seeded",
            measure_options={"n_free": 1, "max_iter": 30, "min_df": 1},
        )  # fmt: skip
    messages = " ".join(str(w.message) for w in caught)
    assert "get no seeded topic and a share of 0: ghost" in messages
    assert (seeded.trends.loc[seeded.trends["theme"] == "ghost", "share"] == 0).all()
    assert seeded.info["absent_themes"] == ["ghost"]
    assert "ghost" not in seeded.model.topic_names_
    empty = topics.Codebook((ghost,))
    with pytest.raises(InputError, match="no theme's terms occur"):
        topics.analyze_themes(corpus, empty, measure="seeded", n_boot=20)


def test_sweep_with_one_seed_does_not_cite_a_stability_it_never_measured(tmp_path, capsys):
    corpus = tmp_path / "c.parquet"
    from topics.paths import data_dir

    assert (
        main(["ingest", str(data_dir() / "seeds"), "-o", str(corpus), "--segment", "paragraphs"])
        == 0
    )
    out = tmp_path / "sweep.csv"
    assert main(["sweep", str(corpus), "--n-topics", "2,3", "--seeds", "0", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "stability unknown — it needs two or more seeds per K" in printed


def test_a_seeded_theme_without_vocabulary_says_what_to_do():
    from topics.themes import seeded_model

    matrix, _, _ = _topics_corpus(months=2, docs=10)
    with pytest.raises(InputError, match="drop these themes from the codebook"):
        seeded_model(matrix, THEMES, n_free=1)


def test_the_readme_path_runs_on_a_jsonl_pandas_wrote_with_its_defaults(tmp_path):
    """`DataFrame.to_json(lines=True)` writes dates as epoch milliseconds: they must just work."""
    rng = np.random.default_rng(0)
    published = pd.Timestamp("2022-01-03") + pd.to_timedelta(rng.integers(0, 360, 120), "D")
    stories = ["New sanctions and an oil embargo were announced.",
               "The railway corridor and the port of Aktau expanded transit.",
               "Lithium and rare earths were discussed with the EU."]  # fmt: skip
    frame = pd.DataFrame({
        "url": [f"https://example.org/{i}" for i in range(120)],
        "title": [f"Release {i}" for i in range(120)],
        "body": [stories[i % 3] for i in range(120)],
        "published": published,
    })  # fmt: skip
    path = tmp_path / "my_press.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' own notice that its default will change
        frame.to_json(path, orient="records", lines=True)
    assert str(int(published[0].value // 10**6)) in path.read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not one warning per row, nor one at all
        result = topics.ingest(
            path, columns={"text": ["title", "body"], "date": "published", "id": "url"},
            segment="paragraphs",
        )  # fmt: skip
    assert result.documents.dates.notna().all()
    assert (result.documents.dates.sort_values().to_numpy()[0]) == published.min().to_numpy()
    codebook = topics.Codebook.from_toml(data_dir() / "themes.toml")
    analysis = topics.analyze_themes(result.corpus, codebook, freq="month", n_boot=50)
    sanctions = analysis.trends[analysis.trends["theme"] == "sanctions"]
    assert len(sanctions) == 12
    assert (sanctions["share"] > 0).sum() >= 9  # a third of the releases, every month
