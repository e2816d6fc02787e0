from __future__ import annotations

import pandas as pd
import pytest

import topics
from topics import Corpus, InputError, PersistenceError


@pytest.fixture
def corpus(seeds_dir):
    return topics.ingest(seeds_dir, dedupe=True).documents


def test_parquet_round_trip_is_exact(tmp_path, corpus):
    path = tmp_path / "c.parquet"
    corpus.to_parquet(path)
    again = Corpus.read_parquet(path)
    pd.testing.assert_frame_equal(again.to_frame(), corpus.to_frame())
    assert again == corpus
    assert again.fingerprint() == corpus.fingerprint()


def test_segmented_round_trip(tmp_path, corpus):
    paragraphs = corpus.segment("windows", window=2)
    path = tmp_path / "p.parquet"
    paragraphs.to_parquet(path)
    pd.testing.assert_frame_equal(Corpus.read_parquet(path).to_frame(), paragraphs.to_frame())


def test_write_is_byte_deterministic(tmp_path, corpus):
    corpus.to_parquet(tmp_path / "a.parquet")
    corpus.to_parquet(tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_corpus_is_immutable(corpus):
    with pytest.raises(AttributeError, match="immutable"):
        corpus.extra = 1  # type: ignore[attr-defined]
    frame = corpus.to_frame()
    frame.loc[0, "text"] = "changed"
    assert corpus.to_frame().loc[0, "text"] != "changed"


def test_corpus_iterates_over_texts(corpus):
    assert list(corpus) == corpus.texts
    assert len(corpus) == 5


def test_schema(corpus):
    frame = corpus.to_frame()
    assert list(frame.columns[:9]) == list(topics.corpus.CORE_COLUMNS)
    assert topics.corpus.CORE_COLUMNS == (
        "id", "text", "raw_text", "date", "date_precision", "date_source", "title", "outlet",
        "path",
    )  # fmt: skip
    assert frame["date"].dtype == "datetime64[ns]"


def test_sentence_segments_and_windows(corpus):
    sentences = corpus.segment("sentences")
    windows = corpus.segment("windows", window=3)
    assert len(sentences) > len(windows) > len(corpus)
    assert all(i.split("#")[1].startswith("s") for i in sentences.ids)
    with pytest.raises(topics.ConfigError, match="already segmented"):
        sentences.segment()


def test_corrupt_parquet_is_a_persistence_error(tmp_path):
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"PAR1 truncated")
    with pytest.raises(PersistenceError, match=r"bad\.parquet"):
        Corpus.read_parquet(path)
    with pytest.raises(PersistenceError, match="no corpus file"):
        Corpus.read_parquet(tmp_path / "missing.parquet")


def test_invalid_frames_are_rejected():
    with pytest.raises(InputError, match="duplicate id"):
        Corpus(pd.DataFrame({"id": ["a", "a"], "text": ["x", "y"]}))
    with pytest.raises(InputError, match="needs the columns"):
        Corpus(pd.DataFrame({"text": ["x"]}))


def test_fingerprint_and_dedupe_read_texts_from_arrow_buffers_as_written():
    """Texts are hashed and shingled from their Arrow bytes: same values as the Python strings."""
    from topics.manifest import text_fingerprint

    texts = ["Санкции против России.", "", "naïve café — “quotes”", "plain ascii text here"]
    corpus = Corpus.from_texts(texts, ids=["a", "b", "c", "d"], dates=["2022-01-03"] * 4)
    expected = text_fingerprint(
        item
        for triple in zip(corpus.ids, corpus.texts, ["2022-01-03"] * 4, strict=True)
        for item in triple
    )
    assert corpus.fingerprint() == expected
    tail = corpus.select([False, True, True, True])  # Arrow data that no longer starts at 0
    assert tail.texts == texts[1:]
    assert (
        tail.fingerprint()
        == Corpus.from_texts(texts[1:], ids=["b", "c", "d"], dates=["2022-01-03"] * 3).fingerprint()
    )
    doubled = Corpus.from_texts([texts[2], texts[2], texts[0]], ids=["x", "y", "z"])
    kept, table = doubled.dedupe()
    assert kept.ids == ["x", "z"]
    assert table["duplicate_of"].tolist() == ["x"]


def test_segment_notes_go_to_a_list_when_given_instead_of_a_warning():
    """Threads of a worker segment at once: their notes must not pass through warnings."""
    import warnings

    from topics import IngestWarning

    long = " ".join(f"Sentence number {i} talks about sanctions." for i in range(120))
    corpus = Corpus.from_texts([long, "Short one.\n\nSecond paragraph."], ids=["a", "b"])
    with pytest.warns(IngestWarning, match="1 of 2 documents have no blank line"):
        warned = corpus.segment("paragraphs")
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        noted = corpus.segment("paragraphs", notes=notes)
    assert len(notes) == 1
    assert notes[0].startswith("1 of 2 documents have no blank line")
    assert noted == warned
