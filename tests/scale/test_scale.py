"""Corpora beyond memory: the streaming path gives the in-memory answers (exact where stated).

Most tests run the engine's workers as threads of this process (quick to start); one runs a real
``LocalCluster`` of worker processes, as `topics` does by default.
"""

from __future__ import annotations

import gzip
import json

import numpy as np
import pandas as pd
import pytest
from planted import PLANTED_THEMES, match_topics, planted_corpus, planted_theme_corpus
from scipy.optimize import linear_sum_assignment

import topics
from topics.errors import ConfigError, InputError, PersistenceError
from topics.io.ingestion import ingest
from topics.models import LDA, NMF
from topics.outputs import verify_outputs
from topics.paths import data_dir
from topics.scale import (
    CorpusDataset,
    Engine,
    StreamedThemes,
    fit_dataset,
    ingest_dataset,
    stream_themes,
    transform_dataset,
    vectorize_dataset,
)
from topics.text.preprocess import PreprocessConfig
from topics.text.vectorizer import Vectorizer
from topics.themes import analyze_themes
from topics.trends.merge import merge_tables
from topics.trends.units import UnitTable, unit_draws, unit_table


@pytest.fixture(scope="module")
def engine():
    with Engine(workers=2, processes=False) as running:
        yield running


@pytest.fixture(scope="module")
def articles() -> topics.Corpus:
    """Planted themes in articles of three paragraphs each (the units of the bootstrap).

    Eleven months: the step at month 9 leaves 16 articles after it, a testable segment.
    """
    corpus, _ = planted_theme_corpus(seed=3, months=11, docs_per_month=24, length=45)
    texts = corpus.texts
    frame = corpus.to_frame()
    joined = ["\n\n".join(texts[i : i + 3]) for i in range(0, len(texts) - 2, 3)]
    documents = topics.Corpus.from_texts(
        joined, dates=frame["date"].iloc[::3].dt.strftime("%Y-%m").tolist()[: len(joined)]
    )
    return documents.segment("paragraphs")


def _sorted(frame: pd.DataFrame, key: str = "id") -> pd.DataFrame:
    """Rows in ``key`` order; missing metadata as None (a Parquet round trip makes it NaN)."""
    ordered = frame.sort_values(key).reset_index(drop=True)
    for column in ordered.columns:
        if ordered[column].dtype == object or pd.api.types.is_string_dtype(ordered[column]):
            values = ordered[column].astype(object)
            ordered[column] = values.where(values.notna(), None)
    return ordered


# -- the dataset ------------------------------------------------------------------------------
def test_dataset_keeps_every_document_and_never_splits_an_article(articles, tmp_path):
    data = CorpusDataset.from_corpus(articles, tmp_path / "ds", chunk_rows=7)
    assert len(data) == len(articles)
    assert len(data.chunks) > 10
    assert all(c.rows <= 7 for c in data.chunks)  # three-paragraph articles fit in 7 rows
    seen: dict[str, int] = {}
    for index in range(len(data.chunks)):
        piece = data.read(index)
        months = piece["date"].dt.strftime("%Y-%m").unique()
        assert list(months) == [data.chunks[index].partition]
        for parent in piece["parent_id"].unique():
            assert parent not in seen, f"article {parent} is in chunks {seen[parent]} and {index}"
            seen[parent] = index
    pd.testing.assert_frame_equal(
        _sorted(data.to_corpus().to_frame()), _sorted(articles.to_frame())
    )
    again = CorpusDataset.open(tmp_path / "ds")
    assert again.fingerprint == data.fingerprint
    (tmp_path / "ds" / data.chunks[0].path).unlink()
    with pytest.raises(PersistenceError, match="missing"):
        CorpusDataset.open(tmp_path / "ds")
    with pytest.raises(PersistenceError, match="not a dataset"):
        CorpusDataset.open(tmp_path)


# -- ingest -----------------------------------------------------------------------------------
def _compare_ingest(paths, tmp_path, engine, **settings):
    memory = ingest(paths, **settings)
    streamed = ingest_dataset(
        paths, tmp_path / "ds", engine=engine, batch_files=2, chunk_rows=40, **settings
    )
    pd.testing.assert_frame_equal(
        _sorted(streamed.report.frame, "input"), _sorted(memory.report.frame, "input")
    )
    assert set(streamed.report.notes) == set(memory.report.notes)
    pd.testing.assert_frame_equal(
        streamed.duplicates.reset_index(drop=True),
        memory.duplicates.reset_index(drop=True),
        check_dtype=False,
    )
    pd.testing.assert_frame_equal(
        _sorted(streamed.dataset.to_corpus().to_frame()),
        _sorted(memory.corpus.to_frame()),
        check_dtype=False,
    )
    assert dict(streamed.summary) == dict(memory.documents.summary())
    return memory, streamed


def test_ingest_of_articles_equals_the_in_memory_ingest(seeds_dir, tmp_path, engine):
    # batch_files=2: the seeds folder is read by three tasks, so the folder's date order is
    # decided by the first pass over its datelines
    memory, _streamed = _compare_ingest(seeds_dir, tmp_path, engine, segment="paragraphs")
    assert len(memory.corpus) > 20
    manifest = json.loads((tmp_path / "ds" / "manifest.json").read_text())
    assert manifest["kind"] == "dataset"
    assert {o["path"] for o in manifest["outputs"]} >= {"dataset.json", "report.csv"}


def test_nested_folders_are_reported_in_the_in_memory_order_with_one_note(tmp_path, engine):
    rng = np.random.default_rng(5)
    words = ["sanctions", "corridor", "transport", "minister", "trade", "energy", "talks"]

    def article(day: int, long: bool) -> str:
        sentences = [" ".join(rng.choice(words, 12)).capitalize() + "." for _ in range(60)]
        body = " ".join(sentences) if long else "\n\n".join(sentences[:6])
        return f" date 2022-03-{day:02d} Title\n\n{body}\n"

    root = tmp_path / "in"
    (root / "m").mkdir(parents=True)
    for name, day, long in [("a1", 1, True), ("a2", 2, False), ("m/b1", 3, True),
                            ("m/b2", 4, False), ("z1", 5, False), ("z2", 6, True)]:  # fmt: skip
        (root / f"{name}.txt").write_text(article(day, long), encoding="utf-8")
    settings = {"segment": "paragraphs"}
    memory = ingest(root, **settings)
    streamed = ingest_dataset(root, tmp_path / "ds", engine=engine, batch_files=2, **settings)
    assert list(streamed.report.frame["input"]) == list(memory.report.frame["input"])
    assert list(streamed.report.notes) == list(memory.report.notes)
    assert any(n.startswith("3 of 6 documents have no blank line") for n in memory.report.notes)


def test_streaming_ingest_checks_settings_and_paths_before_reading(tmp_path, seeds_dir):
    with pytest.raises(ConfigError, match="threshold"):
        ingest_dataset(seeds_dir, tmp_path / "ds", dedupe=True, threshold=0.0,
                       engine=Engine(workers=1, processes=False))  # fmt: skip
    remote = Engine("tcp://127.0.0.1:9")  # never started: the paths are refused first
    with pytest.raises(ConfigError, match="relative"):
        ingest_dataset("data/seeds", tmp_path / "ds", engine=remote)


def test_renumbering_a_chunk_twice_leaves_it_as_once(articles, tmp_path, engine):
    from topics.scale.vocabulary import _renumber_chunk

    data = CorpusDataset.from_corpus(articles, tmp_path / "ds", chunk_rows=200)
    matrices = vectorize_dataset(data, Vectorizer(min_df=2), tmp_path / "m", engine=engine)
    before = matrices.load(0).counts.copy()
    assert _renumber_chunk(matrices.path(0), matrices.vectorizer.vocabulary_) == before.shape[0]
    assert (matrices.load(0).counts != before).nnz == 0


def test_a_batch_of_rows_reads_what_the_whole_chunk_holds_for_them(articles, tmp_path, engine):
    import scipy.sparse as sp

    from topics.scale.vocabulary import load_rows
    from topics.text.vectorizer import DocTermMatrix

    data = CorpusDataset.from_corpus(articles, tmp_path / "ds", chunk_rows=200)
    matrices = vectorize_dataset(data, Vectorizer(min_df=2), tmp_path / "m", engine=engine)
    vocabulary = matrices.vectorizer.vocabulary_
    path, rows = matrices.path(0), matrices.rows[0]
    with np.load(path) as saved:  # the whole chunk, read the plain way
        whole = DocTermMatrix(
            sp.csr_matrix((saved["data"], saved["indices"], saved["indptr"]),
                          shape=(rows, len(vocabulary))),
            vocabulary, tuple(map(str, saved["doc_ids"])),
        )  # fmt: skip
    for start, stop in ((0, None), (0, rows)):
        assert (load_rows(path, vocabulary, start, stop).counts != whole.counts).nnz == 0
    assert rows >= 10
    for start, stop in ((0, rows), (0, 1), (rows // 3, 2 * rows // 3), (rows - 3, rows), (5, 5)):
        part = load_rows(path, vocabulary, start, stop)
        expected = whole.select(np.arange(start, stop))
        assert part.counts.shape == expected.counts.shape
        assert (part.counts != expected.counts).nnz == 0
        assert part.counts.dtype == expected.counts.dtype
        assert part.doc_ids == expected.doc_ids
    broken = tmp_path / "broken.npz"
    broken.write_bytes(path.read_bytes()[:200])
    with pytest.raises(PersistenceError, match=r"broken\.npz"):
        load_rows(broken, vocabulary, 0, 1)
    np.savez_compressed(tmp_path / "packed.npz", **dict(np.load(path)))
    with pytest.raises(PersistenceError, match="compressed"):
        load_rows(tmp_path / "packed.npz", vocabulary, 0, 1)


def test_dedupe_across_chunks_equals_the_in_memory_dedupe(tmp_path, engine):
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(400)]
    originals = [" ".join(rng.choice(words, 120)) for _ in range(30)]
    first, second = tmp_path / "in" / "a", tmp_path / "in" / "b"
    first.mkdir(parents=True)
    second.mkdir()
    rows_a = [{"id": f"a{i}", "text": t, "date": f"2022-0{1 + i % 6}-1{i % 9}"}
              for i, t in enumerate(originals)]  # fmt: skip
    rows_b = []
    for i, text in enumerate(originals[:12]):
        tokens = text.split()
        if i % 3 == 0:  # an exact copy, dated earlier: it is kept, the original absorbed
            rows_b.append({"id": f"b{i}", "text": text, "date": "2021-12-01"})
        elif i % 3 == 1:  # a near copy: three words changed
            tokens[10:13] = ["x", "y", "z"]
            rows_b.append({"id": f"b{i}", "text": " ".join(tokens), "date": "2022-07-01"})
        else:  # different enough to stay
            tokens[::3] = ["q"] * len(tokens[::3])
            rows_b.append({"id": f"b{i}", "text": " ".join(tokens), "date": "2022-07-01"})
    with gzip.open(first / "one.jsonl.gz", "wt") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in rows_a)
    (second / "two.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows_b))
    _memory, streamed = _compare_ingest(tmp_path / "in", tmp_path, engine, dedupe=True)
    found = streamed.duplicates.set_index("id")
    assert set(found.index) == {"a0", "a3", "a6", "a9", "b1", "b4", "b7", "b10"}
    assert found.loc["a0", "duplicate_of"] == "b0"
    assert found.loc["a0", "exact"]
    assert found.loc["b1", "duplicate_of"] == "a1"
    assert not found.loc["b1", "exact"]
    assert 0.8 <= found.loc["b1", "similarity"] < 1
    kept = streamed.dataset.to_corpus().to_frame().set_index("id")
    assert kept.loc["b0", "absorbed_ids"] == ["a0"]


def test_ingest_of_a_table_split_in_row_chunks(tmp_path, engine):
    corpus, _ = planted_theme_corpus(seed=1, months=6, docs_per_month=15)
    frame = corpus.to_frame()[["id", "text", "date"]]
    frame["date"] = frame["date"].dt.strftime("%d/%m/%Y")
    frame.to_csv(tmp_path / "press.csv", index=False)
    _, streamed = _compare_ingest(tmp_path / "press.csv", tmp_path, engine)
    assert len(streamed.dataset.chunks) >= 6  # one month a chunk at least


# -- vocabulary -------------------------------------------------------------------------------
@pytest.mark.parametrize("phrases", [False, True])
def test_vocabulary_and_matrices_equal_the_in_memory_vectorizer(
    articles, tmp_path, engine, phrases
):
    config = PreprocessConfig(phrases=phrases, phrase_min_count=3, phrase_threshold=0.1)
    data = CorpusDataset.from_corpus(articles, tmp_path / "ds", chunk_rows=25)
    streamed = Vectorizer(config, min_df=2, max_df=0.9)
    matrices = vectorize_dataset(data, streamed, tmp_path / "m", engine=engine)
    memory = Vectorizer(config, min_df=2, max_df=0.9)
    whole = memory.fit_transform(articles)
    assert streamed.vocabulary_ == memory.vocabulary_
    assert streamed._preprocessor().phrases_ == memory._preprocessor().phrases_
    if phrases:
        assert memory._preprocessor().phrases_, "the planted corpus has collocations"
    pd.testing.assert_frame_equal(streamed.pruned_, memory.pruned_)
    rows = {doc: i for i, doc in enumerate(whole.doc_ids)}
    for index in range(len(matrices)):
        chunk = matrices.load(index)
        expected = whole.counts[[rows[d] for d in chunk.doc_ids]]
        assert (chunk.counts != expected).nnz == 0
    assert matrices.document_frequency.tolist() == whole.document_frequency().tolist()


# -- themes and trends ------------------------------------------------------------------------
def test_streamed_themes_equal_the_in_memory_analysis_exactly(articles, tmp_path, engine):
    settings = {"freq": "month", "n_boot": 300, "n_perm": 199}
    memory = analyze_themes(articles, PLANTED_THEMES, **settings)
    results = []
    for chunk_rows in (4, 60):  # the bootstrap does not depend on the chunking
        data = CorpusDataset.from_corpus(
            articles, tmp_path / f"ds{chunk_rows}", chunk_rows=chunk_rows
        )
        results.append(stream_themes(data, PLANTED_THEMES, engine=engine, **settings))
    for streamed in results:
        pd.testing.assert_frame_equal(streamed.trends, memory.trends)  # intervals included
        pd.testing.assert_frame_equal(streamed.health, memory.health)
        pd.testing.assert_frame_equal(streamed.changes, memory.changes)
        pd.testing.assert_frame_equal(streamed.change_test.themes, memory.change_test.themes)
        for theme in PLANTED_THEMES.names:
            pd.testing.assert_frame_equal(streamed.passages(theme), memory.passages(theme))
    assert "sanctions" in set(memory.changes["theme"])  # the planted step is found
    written = results[0].save(tmp_path / "out")
    assert {p.name for p in written} >= {"trends.csv", "changes.csv", "passages.csv"}


def test_one_call_runs_in_memory_or_in_chunks_with_equal_numbers(articles, tmp_path, engine):
    """`topics.analyze_themes` picks the engine from what it is given; the numbers agree."""
    settings = {"freq": "month", "n_boot": 200, "n_perm": 199}
    corpus_file = tmp_path / "corpus.parquet"
    articles.to_parquet(corpus_file)
    folder = tmp_path / "ds"
    CorpusDataset.from_corpus(articles, folder, chunk_rows=30)
    results = [
        topics.analyze_themes(source, PLANTED_THEMES, engine=engine, **settings)
        for source in (articles, corpus_file, folder)
    ]
    assert isinstance(results[0], topics.ThemeAnalysis)
    assert isinstance(results[1], topics.ThemeAnalysis)
    assert isinstance(results[2], StreamedThemes)
    for result in results[1:]:
        pd.testing.assert_frame_equal(result.trends, results[0].trends)
        pd.testing.assert_frame_equal(result.changes, results[0].changes)
        assert result.settings == results[0].settings
    with pytest.raises(topics.ConfigError, match="dictionary measure; 'seeded'"):
        topics.analyze_themes(folder, PLANTED_THEMES, measure="seeded")
    with pytest.raises(topics.InputError, match="not a corpus file or a dataset folder"):
        topics.analyze_themes(tmp_path / "missing", PLANTED_THEMES)


def test_one_ingest_and_one_fit_call_for_memory_and_for_chunks(seeds_dir, tmp_path, engine):
    """`topics.ingest` and `topics.fit` choose the engine; answers share their fields."""
    opts = {"segment": "paragraphs", "dedupe": True}
    said: list[str] = []
    in_memory = topics.ingest(seeds_dir, tmp_path / "c.parquet", echo=said.append, **opts)
    streamed = topics.ingest(
        seeds_dir, tmp_path / "ds", dataset=True, chunk_rows=8, engine=engine, **opts
    )
    assert isinstance(streamed, topics.scale.DatasetIngest)
    assert said[0].startswith("inputs: ")
    assert said[1].startswith("segments (paragraphs): ")
    assert dict(streamed.summary) == dict(in_memory.summary)
    pd.testing.assert_frame_equal(streamed.report.frame, in_memory.report.frame)
    written = json.loads((tmp_path / "c.manifest.json").read_text())
    assert written["config"] == {**in_memory.settings, "columns": written["config"]["columns"]}
    assert written["config"]["dedupe"] is True
    assert len(topics.Corpus.read_parquet(tmp_path / "c.parquet")) == len(streamed.dataset)

    kwargs = {"family": "nmf", "n_topics": 3, "min_df": 1, "random_state": 2}
    memory = topics.fit(tmp_path / "c.parquet", output=tmp_path / "m", **kwargs)
    chunks = topics.fit(tmp_path / "ds", output=tmp_path / "s", engine=engine, **kwargs)
    assert memory.doc_topics is not None
    assert chunks.history is not None
    assert memory.shape == chunks.shape
    assert memory.vectorizer.vocabulary_ == chunks.vectorizer.vocabulary_
    for name in ("m", "s"):
        manifest = json.loads((tmp_path / name / "manifest.json").read_text())
        assert manifest["config"]["n_topics"] == 3
        assert manifest["config"]["family"] == "nmf"
        assert manifest["random_state"] == 2
    assert (tmp_path / "m" / "topic_info.csv").exists()
    assert (tmp_path / "s" / "doc_topics").is_dir()
    with pytest.raises(topics.ConfigError, match="give output=FOLDER"):
        topics.fit(tmp_path / "ds", **kwargs)
    with pytest.raises(topics.ConfigError, match="give output=FOLDER"):
        topics.ingest(seeds_dir, dataset=True)


def test_units_split_over_chunks_merge_to_the_whole_table(articles):
    shares = topics.themes.measures.dictionary.dictionary_shares(
        PLANTED_THEMES.compile().tokenize(articles.texts), articles.ids, PLANTED_THEMES
    )
    periods = topics.corpus.assign_periods(articles, "month")
    units = pd.Series(articles.column("parent_id").to_numpy(), index=articles.ids)
    whole = unit_table(shares, periods, units=units)
    # cut mid-article: the two halves of an article's unit are added up
    ids = articles.ids
    halves = [set(ids[: len(ids) // 2 + 1]), set(ids[len(ids) // 2 + 1 :])]
    parts = [
        unit_table(shares[shares["doc_id"].isin(h)], periods[periods["id"].isin(h)], units=units)
        for h in halves
    ]
    merged = merge_tables(parts)
    assert merged.axis == whole.axis
    assert merged.themes == whole.themes
    assert np.array_equal(merged.keys, whole.keys)
    assert np.array_equal(merged.period, whole.period)
    np.testing.assert_allclose(merged.sums, whole.sums, rtol=1e-12)
    np.testing.assert_array_equal(merged.n_docs, whole.n_docs)
    # and the draws of a subset of periods are those of the whole table
    numer, denom = unit_draws(whole, whole.period, len(whole.axis), n_boot=50, random_state=3)
    keep = whole.period < 4
    sub = UnitTable(whole.themes, whole.axis, whole.period[keep], whole.keys[keep],
                    whole.sums[:, keep], whole.size[keep], whole.n_docs[keep], 0)  # fmt: skip
    n_sub, d_sub = unit_draws(sub, sub.period, len(whole.axis), n_boot=50, random_state=3)
    np.testing.assert_array_equal(n_sub[:, :4], numer[:, :4])
    np.testing.assert_array_equal(d_sub[:, :4], denom[:, :4])


def test_unit_table_round_trips_and_refuses_other_files(articles, tmp_path):
    shares = topics.themes.measures.dictionary.dictionary_shares(
        PLANTED_THEMES.compile().tokenize(articles.texts), articles.ids, PLANTED_THEMES
    )
    table = unit_table(shares, topics.corpus.assign_periods(articles, "month"))
    table.save(tmp_path / "units.npz")
    again = UnitTable.load(tmp_path / "units.npz")
    np.testing.assert_array_equal(again.sums, table.sums)
    assert again.axis == [str(p) for p in table.axis]
    (tmp_path / "bad.npz").write_bytes(b"not an archive")
    with pytest.raises(PersistenceError):
        UnitTable.load(tmp_path / "bad.npz")


def test_streaming_themes_need_the_dictionary_measure(articles, tmp_path, engine):
    data = CorpusDataset.from_corpus(articles, tmp_path / "ds")
    with pytest.raises(ConfigError, match="dictionary measure"):
        stream_themes(data, PLANTED_THEMES, engine=engine, measure="seeded")


# -- models -----------------------------------------------------------------------------------
def _match(first: np.ndarray, second: np.ndarray) -> float:
    a = first / np.linalg.norm(first, axis=1, keepdims=True)
    b = second / np.linalg.norm(second, axis=1, keepdims=True)
    similarity = a @ b.T
    rows, cols = linear_sum_assignment(-similarity)
    return float(similarity[rows, cols].mean())


def test_partial_fit_recovers_planted_topics():

    planted = planted_corpus(n_topics=5, n_docs=600, seed=4)
    matrix = planted.matrix
    for model in (NMF(5, random_state=0), LDA(5, random_state=0)):
        for _ in range(15):
            for start in range(0, 600, 100):
                model.partial_fit(matrix.select(np.arange(start, start + 100)), n_documents=600)
        assert min(match_topics(model.top_terms(10), planted.blocks)) >= 0.9, type(model)
        assert model.n_batches_ == 90


def test_partial_fit_rejects_a_batch_with_other_columns():

    matrix = planted_corpus(n_docs=40).matrix
    model = NMF(3).partial_fit(matrix)
    with pytest.raises(ValueError, match="features"):
        model.partial_fit(matrix.counts[:, :10])
    with pytest.raises(ConfigError, match="guide"):
        NMF(3, guide=np.ones((3, matrix.shape[1]))).partial_fit(matrix)


def test_models_without_mini_batches_have_no_partial_fit_and_are_refused(articles, tmp_path):
    assert not hasattr(topics.DMM(3), "partial_fit")
    assert not hasattr(topics.CoocNMF(3), "partial_fit")
    data = CorpusDataset.from_corpus(articles, tmp_path / "ds", chunk_rows=40)
    with Engine(workers=1, processes=False) as engine:
        matrices = vectorize_dataset(data, Vectorizer(min_df=2), tmp_path / "m", engine=engine)
        with pytest.raises(ConfigError, match="DMM cannot be fitted chunk by chunk"):
            fit_dataset(matrices, "dmm", n_topics=3, engine=engine)


def test_streamed_nmf_is_within_tolerance_of_the_in_memory_fit(bbc, tmp_path, engine):
    """On BBC News (K = 10): NPMI within 0.02 and matched topics of cosine ≥ 0.8 on average."""
    from topics.evaluation.coherence import ReferenceCorpus
    from topics.evaluation.metrics import top_word_lists

    texts = [" ".join(tokens) for tokens in bbc.tokens]
    corpus = topics.Corpus.from_texts(texts, ids=list(bbc.matrix.doc_ids))
    data = CorpusDataset.from_corpus(corpus, tmp_path / "ds", chunk_rows=600)
    config = PreprocessConfig(stop_words="none", lemmatize=False, min_token_length=1)
    matrices = vectorize_dataset(data, Vectorizer(config, min_df=1, max_df=1.0), tmp_path / "m",
                                 engine=engine)  # fmt: skip
    streamed = fit_dataset(matrices, NMF(10), engine=engine, batch_rows=512).model
    memory = NMF(10).fit(Vectorizer(config, min_df=1, max_df=1.0).fit_transform(corpus))
    reference = ReferenceCorpus(bbc.tokens)

    def npmi(model: NMF) -> float:
        lists = top_word_lists(model.top_terms(10, ranking="probability"))
        return float(reference.score(lists, "c_npmi")["coherence"].mean())

    assert abs(npmi(streamed) - npmi(memory)) <= 0.02
    assert _match(streamed.topic_word_, memory.topic_word_) >= 0.8


def test_the_start_sample_is_drawn_from_every_chunk_whatever_the_chunking(articles, tmp_path):
    from topics.scale.fitting import _start_sample

    samples = []
    with Engine(workers=1, processes=False) as engine:
        for rows in (30, 70):
            data = CorpusDataset.from_corpus(articles, tmp_path / f"d{rows}", chunk_rows=rows)
            matrices = vectorize_dataset(data, Vectorizer(min_df=2), tmp_path / f"m{rows}",
                                         engine=engine)  # fmt: skip
            sample = _start_sample(matrices, 40, random_state=3, engine=engine)
            assert sample.shape == (40, len(matrices.vectorizer.vocabulary_))
            chunks = [set(matrices.load(i).doc_ids) for i in range(len(matrices))]
            assert all(chunk & set(sample.doc_ids) for chunk in chunks), rows
            whole = {d: i for i, d in enumerate(d for c in range(len(matrices))
                                                for d in matrices.load(c).doc_ids)}  # fmt: skip
            for j, doc in enumerate(sample.doc_ids):  # the rows are the documents' own counts
                chunk = next(c for c in range(len(matrices)) if doc in chunks[c])
                part = matrices.load(chunk)
                row = part.doc_ids.index(doc)
                assert (part.counts[row] != sample.counts[j]).nnz == 0
            samples.append((sample.doc_ids, len(whole)))
    assert samples[0] == samples[1]


def test_fits_on_chunks_do_not_depend_on_the_number_of_workers(articles, tmp_path):
    data = CorpusDataset.from_corpus(articles, tmp_path / "ds", chunk_rows=40)
    fitted = []
    for workers in (1, 2):
        with Engine(workers=workers, processes=False) as engine:
            matrices = vectorize_dataset(data, Vectorizer(min_df=2), tmp_path / f"m{workers}",
                                         engine=engine)  # fmt: skip
            fit = fit_dataset(matrices, "nmf", n_topics=4, engine=engine, batch_rows=30, epochs=3)
            paths = transform_dataset(matrices, fit.model, tmp_path / f"t{workers}", engine=engine)
            fitted.append((fit.model.components_, pd.concat(pd.read_parquet(p) for p in paths)))
    np.testing.assert_array_equal(fitted[0][0], fitted[1][0])
    pd.testing.assert_frame_equal(fitted[0][1], fitted[1][1])


# -- a real local cluster ---------------------------------------------------------------------
def test_local_cluster_of_processes_runs_the_pipeline(articles, tmp_path):
    data = CorpusDataset.from_corpus(articles, tmp_path / "ds", chunk_rows=30)
    with Engine(workers=2) as engine:
        assert engine.describe()["workers"] == 2
        streamed = stream_themes(data, PLANTED_THEMES, engine=engine, freq="month", n_boot=100)
        with pytest.raises(InputError, match="boom"):
            list(engine.map(_fail, [1, 2]))
        assert list(engine.map(abs, [-3, 1, -2])) == [3, 1, 2]
    memory = analyze_themes(articles, PLANTED_THEMES, freq="month", n_boot=100)
    pd.testing.assert_frame_equal(streamed.trends, memory.trends)


def _fail(value: int) -> int:
    raise InputError(f"boom {value}")


def test_engine_refuses_bad_settings():
    with pytest.raises(ConfigError, match="workers"):
        Engine(workers=0)
    with pytest.raises(ConfigError, match="scheduler"):
        Engine("tcp://127.0.0.1:9", timeout=1).start()


# -- front doors: the command line and the report --------------------------------------------
def test_commands_on_a_dataset_write_the_bytes_of_the_in_memory_commands(seeds_dir, tmp_path):
    from topics.app.cli import main

    themes = str(data_dir() / "themes.toml")
    common = ["--segment", "paragraphs", "--dedupe"]
    assert main(["ingest", str(seeds_dir), "-o", str(tmp_path / "c.parquet"), *common]) == 0
    assert main(["ingest", str(seeds_dir), "-o", str(tmp_path / "ds"), "--dataset",
                 "--chunk-rows", "8", "--workers", "1", *common]) == 0  # fmt: skip
    for source, name in ((tmp_path / "c.parquet", "m"), (tmp_path / "ds", "s")):
        extra = ["--workers", "1"] if name == "s" else []
        assert main(["trends", str(source), "--themes", themes, "--freq", "month",
                     "-o", str(tmp_path / f"{name}.csv"), *extra]) == 0  # fmt: skip
        changes = ["-o", str(tmp_path / f"{name}.changes.csv"), "--permutations", "99"]
        assert main(["changes", str(tmp_path / f"{name}.csv"), *changes]) == 0
    assert (tmp_path / "s.units.npz").exists()
    assert (tmp_path / "s.csv").read_bytes() == (tmp_path / "m.csv").read_bytes()
    assert (tmp_path / "s.changes.csv").read_bytes() == (tmp_path / "m.changes.csv").read_bytes()
    assert main(["fit", str(tmp_path / "ds"), "--model", "nmf", "--n-topics", "3", "--min-df", "1",
                 "--workers", "1", "-o", str(tmp_path / "model")]) == 0  # fmt: skip
    model = topics.load_model(tmp_path / "model")
    shares = pd.concat(
        pd.read_parquet(p) for p in sorted((tmp_path / "model" / "doc_topics").iterdir())
    )
    assert shares["doc_id"].nunique() == len(CorpusDataset.open(tmp_path / "ds"))
    assert model.n_batches_ >= 1


def test_a_streaming_report_has_the_in_memory_tables_and_figures(tmp_path):
    from topics.app.report import ReportConfig, run_report

    source = (data_dir() / "report.toml").read_text()
    folder = data_dir()
    configs = {}
    for name, engine in (("memory", ""), ("stream", "[engine]\nstreaming = true\nworkers = 1\n")):
        text = source.replace('path = "seeds"', f'path = "{folder / "seeds"}"')
        text = text.replace('codebook = "themes.toml"', f'codebook = "{folder / "themes.toml"}"')
        text = text.replace('folder = "../build/report"', f'folder = "{tmp_path / name}"')
        text = text.replace("[output]", engine + "[output]")
        (tmp_path / f"{name}.toml").write_text(text)
        configs[name] = run_report(ReportConfig.from_toml(tmp_path / f"{name}.toml"))
    for name in ("trends.csv", "changes.csv", "passages.csv", "theme_health.csv",
                 "prevalence.svg", "heatmap.svg", "timeline.svg"):  # fmt: skip
        assert (tmp_path / "stream" / name).read_bytes() == (
            tmp_path / "memory" / name
        ).read_bytes(), name
    assert "explorer.html" not in {p.name for p in (tmp_path / "stream").iterdir()}
    assert any("explorer" in note for note in configs["stream"]["notes"])
    assert verify_outputs(tmp_path / "stream" / "manifest.json") == []


def test_a_saved_partial_fit_resumes_from_its_topics(tmp_path):
    matrix = planted_corpus(n_docs=200, seed=2).matrix
    model = LDA(5, random_state=0)
    for start in range(0, 200, 50):
        model.partial_fit(matrix.select(np.arange(start, start + 50)), n_documents=200)
    model.save(tmp_path / "lda")
    loaded = topics.load_model(tmp_path / "lda")
    assert loaded.n_batches_ == 4
    np.testing.assert_allclose(loaded.transform(matrix), model.transform(matrix))
    loaded.partial_fit(matrix.select(np.arange(50)), n_documents=200)
    assert loaded.n_batches_ == 5
    with pytest.raises(ConfigError, match="first batch"):
        NMF(3).batch_statistics(matrix)


@pytest.mark.parametrize("family", [NMF, LDA])
def test_the_statistics_view_computes_the_same_statistics_and_leaves_the_model_whole(family):
    """What workers receive each update: only the state statistics read, same numbers."""
    import pickle

    matrix = planted_corpus(n_docs=200, seed=4).matrix
    model = family(4, random_state=0).partial_fit(matrix.select(np.arange(100)), n_documents=200)
    view = model.statistics_view()
    batch = matrix.select(np.arange(100, 200))
    ours, theirs = model.batch_statistics(batch), view.batch_statistics(batch)
    assert ours.loss == theirs.loss
    np.testing.assert_array_equal(ours.totals, theirs.totals)
    assert not hasattr(view, "topic_word_")
    assert not hasattr(view, "term_frequency_")
    assert hasattr(model, "topic_word_")  # the model itself keeps everything
    assert len(pickle.dumps(view)) < len(pickle.dumps(model))
    if family is NMF:
        assert not hasattr(view, "_numerator")
        np.testing.assert_array_equal(ours.numer, theirs.numer)
    with pytest.raises(ConfigError, match="first batch"):
        family(4).statistics_view()
