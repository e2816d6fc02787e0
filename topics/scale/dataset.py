"""A corpus on disk that is read chunk by chunk: Parquet files partitioned by month.

A :class:`CorpusDataset` is a folder::

    dataset.json                      what is where (chunks in order, counts, settings)
    manifest.json                     the manifest: config, fingerprint, every file's SHA-256
    report.csv, duplicates.csv        the ingest report (one line per input) and what was absorbed
    part/month=2021-11/c000003-0.parquet
    part/month=undated/c000007-0.parquet

Each file is one *chunk*: at most ``chunk_rows`` documents of one calendar month (or of the
undated documents), written by one ingest task. The documents of one article (its paragraphs)
never straddle two chunks, so anything summed per article can be summed per chunk. Chunks are
listed in the order they were ingested. Every streaming step reads one chunk at a time, so the
memory a step needs is set by the chunk size, not by the corpus.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..corpus.corpus import Corpus
from ..errors import InputError, PersistenceError

__all__ = [
    "DATASET_FILE",
    "Chunk",
    "CorpusDataset",
    "dataset_documents_per_period",
    "is_dataset",
    "write_pieces",
]

DATASET_FILE = "dataset.json"
FORMAT = "topics.CorpusDataset"
FORMAT_VERSION = 1
UNDATED = "undated"


@dataclass(frozen=True)
class Chunk:
    """One Parquet file of a dataset.

    Attributes
    ----------
    path
        Relative to the dataset folder.
    rows
        Documents (or segments) in it.
    partition
        Its month (``"2021-11"``) or ``"undated"``.
    fingerprint
        SHA-256 over its ids, texts and dates (as :meth:`Corpus.fingerprint`).

    """

    path: str
    rows: int
    partition: str
    fingerprint: str


def is_dataset(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a dataset folder (it holds a ``dataset.json``)."""
    return (Path(path) / DATASET_FILE).is_file()


def read_corpus(source: str | os.PathLike[str]) -> Corpus:
    """Read the corpus file ``topics ingest`` wrote (a path that is neither is refused)."""
    path = Path(source)
    if not path.is_file():
        raise InputError(
            f"{path}: not a corpus file or a dataset folder — give what `topics ingest` wrote "
            "(a .parquet file, or a folder with --dataset)"
        )
    return Corpus.read_parquet(path)


def _pieces(frame: pd.DataFrame, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Split ``frame`` into pieces of at most ``chunk_rows`` rows, never splitting an article.

    An article longer than ``chunk_rows`` paragraphs is one piece of its own.
    """
    if "parent_id" not in frame.columns:
        for start in range(0, len(frame), chunk_rows):
            yield frame.iloc[start : start + chunk_rows]
        return
    parents = frame["parent_id"].astype(str).to_numpy()
    starts = [*np.flatnonzero(np.r_[True, parents[1:] != parents[:-1]]).tolist(), len(frame)]
    begin = 0
    for first, after in pairwise(starts):
        if after - begin > chunk_rows and first > begin:  # the next article would not fit
            yield frame.iloc[begin:first]
            begin = first
    if begin < len(frame):
        yield frame.iloc[begin:]


def write_pieces(
    frame: pd.DataFrame, folder: str | os.PathLike[str], stem: str, chunk_rows: int
) -> list[Chunk]:
    """Write a frame of documents as month-partitioned chunks under ``folder/part``.

    Rows keep their order within a month; months are written in time order (undated last).
    Returns the chunks written, in that order.
    """
    root = Path(folder)
    months = pd.Series(frame["date"].dt.strftime("%Y-%m").fillna(UNDATED), index=frame.index)
    written: list[Chunk] = []
    for month in sorted(months.unique(), key=lambda m: (m == UNDATED, m)):
        part = frame[(months == month).to_numpy()]
        for number, piece in enumerate(_pieces(part, chunk_rows)):
            relative = f"part/month={month}/{stem}-{number}.parquet"
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            corpus = Corpus(piece)
            buffer = io.BytesIO()
            stats = [c for c in corpus.columns if c not in ("text", "raw_text")]
            corpus.to_frame().to_parquet(
                buffer, index=False, compression="zstd", write_statistics=stats
            )
            target.write_bytes(buffer.getbuffer())
            written.append(Chunk(relative, len(piece), month, corpus.fingerprint()))
    return written


class CorpusDataset:
    """A corpus stored as month-partitioned Parquet chunks (see the module docstring).

    Open one with :meth:`open`; make one with :func:`topics.scale.ingest_dataset` (from files)
    or :meth:`from_corpus` (from a corpus in memory).
    """

    def __init__(self, root: Path, chunks: Sequence[Chunk], info: dict[str, Any]) -> None:
        self.root = Path(root).absolute()  # workers may run in another directory
        self.chunks = tuple(chunks)
        self.info = info

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def open(cls, root: str | os.PathLike[str]) -> CorpusDataset:
        """Open a dataset folder; every chunk it lists must be there."""
        folder = Path(root)
        path = folder / DATASET_FILE
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise PersistenceError(
                f"{folder} is not a dataset (no {DATASET_FILE}); make one with "
                "`topics ingest --dataset` or topics.scale.ingest_dataset"
            ) from exc
        except (OSError, ValueError) as exc:
            raise PersistenceError(f"cannot read {path}: {exc}") from exc
        if not isinstance(info, dict) or info.get("format") != FORMAT:
            raise PersistenceError(f"{path} is not a {FORMAT} description")
        try:
            chunks = [Chunk(**entry) for entry in info["chunks"]]
        except (KeyError, TypeError) as exc:
            raise PersistenceError(f"{path}: malformed chunk list ({exc})") from exc
        missing = [c.path for c in chunks if not (folder / c.path).is_file()]
        if missing:
            raise PersistenceError(
                f"{folder}: chunk {missing[0]} is missing ({len(missing)} in all)"
            )
        return cls(folder, chunks, info)

    @classmethod
    def from_corpus(
        cls,
        corpus: Corpus,
        root: str | os.PathLike[str],
        *,
        chunk_rows: int = 20_000,
        config: dict[str, Any] | None = None,
    ) -> CorpusDataset:
        """Write an in-memory corpus as a dataset (its documents kept in order within a month)."""
        from ..outputs import Outputs

        with Outputs() as outputs:
            staged = outputs.folder(root, "dataset")
            chunks = write_pieces(corpus.to_frame(), staged, "c000000", chunk_rows)
            info = describe(chunks, config or {}, documents=len(corpus))
            write_description(staged, info)
            outputs.manifest(
                root, "dataset", config=info["settings"], fingerprint=info["fingerprint"]
            )
        return cls.open(root)

    # -- reading ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return sum(c.rows for c in self.chunks)

    def __repr__(self) -> str:
        return f"CorpusDataset({self.root}, {len(self)} documents in {len(self.chunks)} chunks)"

    @property
    def fingerprint(self) -> str:
        """SHA-256 over the chunks' fingerprints, in order."""
        return str(self.info["fingerprint"])

    def path(self, index: int) -> Path:
        """Absolute path of chunk ``index``."""
        return self.root / self.chunks[index].path

    def read(self, index: int, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Read chunk ``index`` as a frame (only ``columns``, if given)."""
        return read_chunk(self.path(index), columns)

    def corpus(self, index: int) -> Corpus:
        """Read chunk ``index`` as a :class:`Corpus`."""
        return Corpus(self.read(index))

    def __iter__(self) -> Iterator[Corpus]:
        """Iterate over the chunks as corpora, in order."""
        for index in range(len(self.chunks)):
            yield self.corpus(index)

    def to_corpus(self) -> Corpus:
        """Read every chunk into one in-memory corpus (for data that fits)."""
        frames = [self.read(i) for i in range(len(self.chunks))]
        if not frames:
            return Corpus(pd.DataFrame({"id": [], "text": []}))
        return Corpus(pd.concat(frames, ignore_index=True))


def _documents_per_period(path: Path, freq: Any) -> pd.DataFrame:
    """:func:`~topics.corpus.periods.documents_per_period` of one chunk's documents (articles)."""
    from ..corpus.periods import documents_per_period

    frame = read_chunk(path)
    key = "parent_id" if "parent_id" in frame.columns else "id"
    documents = frame.drop_duplicates(key).assign(id=lambda f: f[key].astype(str))
    return documents_per_period(Corpus(documents), freq)


def dataset_documents_per_period(dataset: CorpusDataset, freq: Any, engine: Any) -> pd.DataFrame:
    """Documents (articles, not paragraphs) per period and date precision, over all chunks."""
    paths = [dataset.path(i) for i in range(len(dataset.chunks))]
    parts = [p for p in engine.map(_documents_per_period, paths, freq) if len(p)]
    if not parts:
        return pd.DataFrame(columns=["period", "date_precision", "n_docs"])
    merged = pd.concat(parts, ignore_index=True)
    counts = merged.groupby(["period", "date_precision"], dropna=False, observed=True)["n_docs"]
    return pd.DataFrame(
        counts.sum()
        .reset_index()
        .sort_values(["period", "date_precision"], na_position="last", kind="stable")
        .reset_index(drop=True)
    )


def read_chunk(path: Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read one chunk file (a worker calls this; errors name the file)."""
    try:
        return pd.read_parquet(path, columns=list(columns) if columns is not None else None)
    except FileNotFoundError as exc:
        raise PersistenceError(f"chunk {path} is missing") from exc
    except Exception as exc:  # pyarrow's errors for corrupt files have no common base
        raise PersistenceError(f"cannot read chunk {path}: {exc}") from exc


def describe(chunks: Sequence[Chunk], settings: dict[str, Any], **counts: Any) -> dict[str, Any]:
    """Return the ``dataset.json`` payload for ``chunks`` (in order)."""
    digest = hashlib.sha256("".join(c.fingerprint for c in chunks).encode())
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "partition": "month",
        "rows": sum(c.rows for c in chunks),
        **counts,
        "fingerprint": digest.hexdigest(),
        "settings": settings,
        "chunks": [asdict(c) for c in chunks],
    }


def write_description(folder: Path, info: dict[str, Any]) -> None:
    """Write ``dataset.json`` into a (staged) dataset folder."""
    from ..manifest import dumps

    (folder / DATASET_FILE).write_text(dumps(info), encoding="utf-8")
