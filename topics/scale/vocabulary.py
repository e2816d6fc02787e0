"""Map-reduce vectorising: per-chunk counts merged into one vocabulary, then chunk matrices.

Three passes over the chunks, each a task per chunk on the engine:

1. (only with ``phrases=True``) count unigrams and adjacent pairs per chunk; the counts are
   added up and scored once, exactly as gensim's ``Phrases`` scores a corpus read whole;
2. tokenise each chunk once, keep its counts over the chunk's own terms on disk, and return
   its document and term frequencies (:class:`~topics.text.vectorizer.TermCounts`); the sum of
   all chunks' frequencies is pruned by :meth:`Vectorizer.fit_counts` — the same rules, so the
   same vocabulary as :meth:`Vectorizer.fit` on the whole corpus;
3. re-number each chunk's columns into the vocabulary (no second tokenisation): the chunk's
   :class:`~topics.text.DocTermMatrix`, equal to the corresponding rows of the in-memory one.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ..corpus.corpus import Corpus
from ..errors import PersistenceError
from ..text.preprocess import PreprocessConfig, Preprocessor
from ..text.vectorizer import DocTermMatrix, TermCounts, Vectorizer
from .dataset import CorpusDataset, read_chunk
from .engine import Engine

__all__ = [
    "ChunkMatrices",
    "learn_phrases",
    "load_rows",
    "tokenize_chunk",
    "vectorize_dataset",
]


def tokenize_chunk(
    texts: Sequence[str],
    config: PreprocessConfig,
    phrases: dict[str, float],
    langs: Sequence[str | None] | None = None,
) -> list[list[str]]:
    """Tokenise texts under ``config`` with learnt ``phrases`` (``{}``: none).

    ``langs``: each text's recorded language, when the chunk has a ``lang`` column.
    """
    return Preprocessor(config).set_phrases(phrases).transform(texts, langs=langs)


def _phrase_counts(path: Path, config: PreprocessConfig) -> tuple[dict[str, int], int, int]:
    """Return gensim ``Phrases`` vocabulary counts of one chunk: (counts, words, min_reduce)."""
    from gensim.models.phrases import Phrases

    pre = Preprocessor(config)
    streams = [pre.tokenize(t) for t in read_chunk(path, ["text"])["text"].tolist()]
    model = Phrases(streams, delimiter="_", connector_words=frozenset())
    return dict(model.vocab), int(model.corpus_word_count), int(model.min_reduce)


def learn_phrases(
    dataset: CorpusDataset, config: PreprocessConfig, engine: Engine
) -> dict[str, float]:
    """Learn collocations over all chunks: gensim's counts added up, scored once."""
    from gensim.models.phrases import Phrases

    merged = Phrases(
        min_count=config.phrase_min_count,
        threshold=config.phrase_threshold,
        scoring="npmi",
        delimiter="_",
        connector_words=frozenset(),
    )
    vocab: dict[str, int] = {}
    paths = [dataset.path(i) for i in range(len(dataset.chunks))]
    for counts, words, reduced in engine.map(_phrase_counts, paths, config, desc="phrases"):
        for key, count in counts.items():
            vocab[key] = vocab.get(key, 0) + count
        merged.corpus_word_count += words
        merged.min_reduce = max(merged.min_reduce, reduced)
    merged.vocab = vocab
    return {str(k): float(v) for k, v in merged.freeze().phrasegrams.items()}


def _save_arrays(path: Path, **arrays: Any) -> None:
    """Write arrays as ``.npz``, whole or not at all (a task rerun by Dask reads it again)."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(buffer.getvalue())
    partial.replace(path)


def _load_arrays(path: Path) -> dict[str, Any]:
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {k: archive[k] for k in archive.files}
    except (OSError, ValueError) as exc:
        raise PersistenceError(f"cannot read chunk matrix {path}: {exc}") from exc


def _count_chunk(
    job: tuple[Path, Path], config: PreprocessConfig, phrases: dict[str, float]
) -> TermCounts:
    """Tokenise one chunk, store its counts over its own terms, return its frequencies."""
    source, target = job
    corpus = Corpus(read_chunk(source, ["id", "text"]))
    streams = tokenize_chunk(corpus.texts, config, phrases)
    counts = TermCounts.of(streams)
    terms = sorted(counts.df)
    index = {t: i for i, t in enumerate(terms)}
    rows = np.repeat(np.arange(len(streams)), [len(s) for s in streams])
    columns = np.fromiter((index[t] for s in streams for t in s), dtype=np.int64, count=len(rows))
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, columns)), shape=(len(streams), len(terms))
    )
    matrix.sum_duplicates()
    _save_arrays(
        target,
        data=matrix.data,
        indices=matrix.indices,
        indptr=matrix.indptr,
        terms=np.asarray(terms, dtype=str),
        doc_ids=np.asarray(corpus.ids, dtype=str),
    )
    return counts


def _renumber_chunk(path: Path, vocabulary: tuple[str, ...]) -> int:
    """Re-number a chunk's local columns into ``vocabulary`` (pruned terms dropped).

    Safe to run twice (Dask reruns the task of a lost worker): a renumbered chunk has no
    ``terms`` and is left as it is.
    """
    arrays = _load_arrays(path)
    if "terms" not in arrays:
        return len(arrays["doc_ids"])
    index = {t: i for i, t in enumerate(vocabulary)}
    columns = np.array([index.get(str(t), -1) for t in arrays["terms"]], dtype=np.int64)
    local = sp.csr_matrix(
        (arrays["data"], arrays["indices"], arrays["indptr"]),
        shape=(len(arrays["doc_ids"]), len(arrays["terms"])),
    )
    keep = np.flatnonzero(columns >= 0)
    moved = sp.csr_matrix(
        (np.ones(len(keep), dtype=np.int64), (keep, columns[keep])),
        shape=(len(columns), len(vocabulary)),
    )
    counts = sp.csr_matrix(local @ moved, dtype=np.int64)
    counts.sort_indices()
    counts.eliminate_zeros()
    _save_arrays(
        path,
        data=counts.data,
        indices=counts.indices.astype(np.int64),
        indptr=counts.indptr.astype(np.int64),
        doc_ids=arrays["doc_ids"],
    )
    return int(counts.shape[0])


@dataclass(frozen=True)
class ChunkMatrices:
    """One document-term matrix per chunk of a dataset, over one fitted vocabulary.

    Attributes
    ----------
    folder
        Where the chunk matrices are (``chunk-NNNNNN.npz``, arrays only).
    vectorizer
        The fitted :class:`~topics.text.Vectorizer` (phrases and vocabulary).
    rows
        Documents in each chunk.
    document_frequency
        Documents each vocabulary term occurs in, over all chunks.

    """

    folder: Path
    vectorizer: Vectorizer
    rows: tuple[int, ...]
    document_frequency: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def n_docs(self) -> int:
        """Documents over all chunks."""
        return sum(self.rows)

    def path(self, index: int) -> Path:
        """Where chunk ``index``'s matrix is."""
        return self.folder / f"chunk-{index:06d}.npz"

    def load(self, index: int) -> DocTermMatrix:
        """Chunk ``index``'s :class:`~topics.text.DocTermMatrix`."""
        return load_matrix(self.path(index), self.vectorizer.vocabulary_)


def load_matrix(path: Path, vocabulary: tuple[str, ...]) -> DocTermMatrix:
    """Read one chunk matrix written by :func:`vectorize_dataset` (a worker calls this)."""
    return load_rows(path, vocabulary)


def load_rows(
    path: Path, vocabulary: tuple[str, ...], start: int = 0, stop: int | None = None
) -> DocTermMatrix:
    """Read rows ``start:stop`` (default: all) of one chunk matrix, and only their bytes.

    ``np.savez`` stores each array as an uncompressed ``.npy`` member, so the members are
    mapped rather than read: a batch of rows costs its own bytes, not its whole chunk's.
    """
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as handle:
            arrays = {
                name: _mapped(archive, handle, path, name)
                for name in ("indptr", "indices", "data", "doc_ids")
            }
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise PersistenceError(f"cannot read chunk matrix {path}: {exc}") from exc
    stop = len(arrays["doc_ids"]) if stop is None else stop
    indptr = np.array(arrays["indptr"][start : stop + 1])
    first, last = int(indptr[0]), int(indptr[-1])
    counts = sp.csr_matrix(
        (np.array(arrays["data"][first:last]), np.array(arrays["indices"][first:last]),
         indptr - first),
        shape=(len(indptr) - 1, len(vocabulary)),
    )  # fmt: skip
    ids = np.array(arrays["doc_ids"][start:stop]).tolist()  # one read, not one per id
    return DocTermMatrix(counts, vocabulary, tuple(ids))


def _mapped(archive: zipfile.ZipFile, handle: Any, path: Path, name: str) -> npt.NDArray[Any]:
    """Map the stored ``name.npy`` member of an ``.npz`` archive without reading it."""
    info = archive.getinfo(name + ".npy")
    if info.compress_type != zipfile.ZIP_STORED:
        raise ValueError(f"{name} is compressed")
    handle.seek(info.header_offset)
    local = handle.read(30)  # the member's local header: its name and extra field follow
    if local[:4] != b"PK\x03\x04":
        raise ValueError(f"no local header for {name}")
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    version = np.lib.format.read_magic(handle)
    header = np.lib.format.read_array_header_1_0 if version == (1, 0) else (
        np.lib.format.read_array_header_2_0)  # fmt: skip
    shape, fortran, dtype = header(handle)
    if fortran or dtype.hasobject:
        raise ValueError(f"{name} is not a plain array")
    if 0 in shape:
        return np.empty(shape, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r", offset=handle.tell(), shape=shape)


def vectorize_dataset(
    dataset: CorpusDataset,
    vectorizer: Vectorizer,
    folder: str | Path,
    *,
    engine: Engine,
) -> ChunkMatrices:
    """Fit ``vectorizer`` on every chunk of ``dataset`` and write each chunk's matrix.

    ``vectorizer`` is fitted in place (phrases, vocabulary, pruning report) — the same state
    :meth:`Vectorizer.fit` reaches on the whole corpus; its matrices go to ``folder``.
    """
    out = Path(folder).absolute()  # workers may run in another directory
    out.mkdir(parents=True, exist_ok=True)
    config = vectorizer.preprocess or PreprocessConfig()
    phrases = learn_phrases(dataset, config, engine) if config.phrases else {}
    vectorizer._preprocessor().set_phrases(phrases)
    jobs = [(dataset.path(i), out / f"chunk-{i:06d}.npz") for i in range(len(dataset.chunks))]
    total = TermCounts()
    for counts in engine.map(_count_chunk, jobs, config, phrases, desc="counting terms"):
        total += counts
    vectorizer.fit_counts(total)
    vocabulary = engine.share(vectorizer.vocabulary_)
    rows = tuple(
        engine.map(_renumber_chunk, [target for _, target in jobs], vocabulary, desc="matrices")
    )
    df = np.array([total.df[t] for t in vectorizer.vocabulary_], dtype=np.int64)
    return ChunkMatrices(out, vectorizer, rows, df)
