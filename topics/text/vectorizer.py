"""Document-term matrices with a stable vocabulary and an account of what pruning removed.

:class:`Vectorizer` fits a vocabulary on token streams (from
:class:`~topics.text.preprocess.Preprocessor`)
and prunes it by document frequency and size — never dropping protected or theme terms — and
records, per threshold, which terms went. :class:`DocTermMatrix` holds the sparse counts with
their vocabulary and document ids; it converts to gensim's ``Dictionary`` / bag-of-words with
*the same* ids, gives a tf-idf view, and saves/loads as ``.npz`` + JSON.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from .. import defaults
from ..corpus.corpus import Corpus
from ..errors import ConfigError, InputError, PersistenceError
from ..manifest import atomic_write_bytes, atomic_write_text, dumps, package_versions
from .preprocess import PreprocessConfig, Preprocessor, term_token

__all__ = ["DocTermMatrix", "TermCounts", "Vectorizer", "vectorize"]

FORMAT_VERSION = 1


def vocabulary_hash(vocabulary: Sequence[str]) -> str:
    """SHA-256 of the vocabulary in order (ids included, since order is the id)."""
    return hashlib.sha256("\n".join(vocabulary).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=4)
def _term_index(vocabulary: tuple[str, ...]) -> dict[str, int]:
    """Return each term's column, built once per vocabulary (read only, never changed).

    A matrix of a few rows (a batch of a chunk) would otherwise pay for a dict of the whole
    vocabulary each time it is made.
    """
    return {t: i for i, t in enumerate(vocabulary)}


@dataclass(frozen=True)
class DocTermMatrix:
    """Sparse document × term counts with their vocabulary and document ids.

    Attributes
    ----------
    counts
        CSR matrix (n_docs × n_terms) of int64 counts.
    vocabulary
        Terms in id order: term ``vocabulary[j]`` is column ``j`` everywhere (gensim included).
    doc_ids
        Row ids.

    """

    counts: sp.csr_matrix
    vocabulary: tuple[str, ...]
    doc_ids: tuple[str, ...]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.counts.shape != (len(self.doc_ids), len(self.vocabulary)):
            raise InputError(
                f"counts shape {self.counts.shape} does not match {len(self.doc_ids)} ids × "
                f"{len(self.vocabulary)} terms"
            )
        index = _term_index(tuple(self.vocabulary))
        if len(index) != len(self.vocabulary):
            raise InputError("vocabulary terms must be unique")
        object.__setattr__(self, "_index", index)

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_docs, n_terms)``."""
        return (int(self.counts.shape[0]), int(self.counts.shape[1]))

    def term_id(self, term: str) -> int:
        """Return the column of ``term`` (KeyError-free: raises InputError naming the term)."""
        try:
            return self._index[term]
        except KeyError as exc:
            raise InputError(f"term {term!r} is not in the vocabulary") from exc

    def tfidf(self, *, sublinear: bool = True, norm: str | None = "l2") -> sp.csr_matrix:
        """Return a tf-idf view: smooth idf ``ln((1+n)/(1+df)) + 1``, optional log tf, L2 rows."""
        from sklearn.feature_extraction.text import TfidfTransformer

        transformer = TfidfTransformer(sublinear_tf=sublinear, norm=norm, smooth_idf=True)
        return sp.csr_matrix(transformer.fit_transform(self.counts))

    def document_frequency(self) -> npt.NDArray[np.int64]:
        """Return the number of documents each term occurs in."""
        return np.asarray((self.counts > 0).sum(axis=0)).ravel().astype(np.int64)

    def to_gensim(self) -> tuple[Any, list[list[tuple[int, int]]]]:
        """Return ``(gensim Dictionary, bag-of-words corpus)`` with our term ids unchanged."""
        from gensim.corpora import Dictionary

        dictionary = Dictionary()
        dictionary.token2id = {term: i for i, term in enumerate(self.vocabulary)}
        dictionary.id2token = dict(enumerate(self.vocabulary))
        dfs = self.document_frequency()
        cfs = np.asarray(self.counts.sum(axis=0)).ravel()
        dictionary.dfs = {i: int(v) for i, v in enumerate(dfs)}
        dictionary.cfs = {i: int(v) for i, v in enumerate(cfs)}
        dictionary.num_docs = self.shape[0]
        dictionary.num_pos = int(cfs.sum())
        dictionary.num_nnz = int(self.counts.nnz)
        return dictionary, self.bow()

    def bow(self) -> list[list[tuple[int, int]]]:
        """Bag-of-words rows ``[(term_id, count), …]`` in gensim's format."""
        csr = self.counts
        return [
            list(zip(csr.indices[a:b].tolist(), csr.data[a:b].astype(int).tolist(), strict=True))
            for a, b in zip(csr.indptr[:-1], csr.indptr[1:], strict=True)
        ]

    def select(self, rows: Sequence[int] | npt.NDArray[np.intp]) -> DocTermMatrix:
        """Return the matrix restricted to some rows (same vocabulary)."""
        index = np.asarray(rows, dtype=np.intp)
        return DocTermMatrix(
            sp.csr_matrix(self.counts[index]),
            self.vocabulary,
            tuple(self.doc_ids[i] for i in index),
        )

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Save as ``<path>.npz`` (arrays only) + ``<path>.json``; return the ``.npz`` path."""
        stem = Path(path).with_suffix("")
        csr = self.counts
        import io

        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            data=csr.data.astype(np.int64),
            indices=csr.indices.astype(np.int64),
            indptr=csr.indptr.astype(np.int64),
            shape=np.asarray(csr.shape, dtype=np.int64),
            vocabulary=np.asarray(self.vocabulary, dtype=str),
            doc_ids=np.asarray(self.doc_ids, dtype=str),
        )
        atomic_write_bytes(stem.with_suffix(".npz"), buffer.getvalue())
        meta = {
            "format": "topics.DocTermMatrix",
            "format_version": FORMAT_VERSION,
            "shape": list(self.shape),
            "vocabulary_sha256": vocabulary_hash(self.vocabulary),
            "versions": package_versions(),
        }
        atomic_write_text(stem.with_suffix(".json"), dumps(meta))
        return stem.with_suffix(".npz")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> DocTermMatrix:
        """Load a matrix written by :meth:`save`, checking format, shape and vocabulary hash."""
        stem = Path(path).with_suffix("")
        meta = _read_json(stem.with_suffix(".json"), "topics.DocTermMatrix")
        arrays = _read_npz(
            stem.with_suffix(".npz"),
            ("data", "indices", "indptr", "shape", "vocabulary", "doc_ids"),
        )
        try:
            counts = sp.csr_matrix(
                (arrays["data"], arrays["indices"], arrays["indptr"]), shape=tuple(arrays["shape"])
            )
            matrix = cls(
                counts, tuple(map(str, arrays["vocabulary"])), tuple(map(str, arrays["doc_ids"]))
            )
        except (ValueError, InputError) as exc:
            raise PersistenceError(f"{stem}.npz is inconsistent: {exc}") from exc
        if vocabulary_hash(matrix.vocabulary) != meta.get("vocabulary_sha256"):
            raise PersistenceError(f"{stem}.npz vocabulary does not match its manifest hash")
        return matrix


def _read_json(path: Path, expected: str) -> dict[str, Any]:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PersistenceError(f"missing {path}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PersistenceError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(meta, dict) or meta.get("format") != expected:
        raise PersistenceError(f"{path} is not a {expected} manifest")
    if meta.get("format_version") != FORMAT_VERSION:
        raise PersistenceError(
            f"{path} has format version {meta.get('format_version')}; this package reads "
            f"version {FORMAT_VERSION}"
        )
    return meta


def _read_npz(path: Path, keys: Sequence[str]) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [k for k in keys if k not in archive.files]
            if missing:
                raise PersistenceError(f"{path} lacks arrays {missing}")
            return {k: archive[k] for k in archive.files}
    except FileNotFoundError as exc:
        raise PersistenceError(f"missing {path}") from exc
    except PersistenceError:
        raise
    except Exception as exc:  # zipfile.BadZipFile, ValueError (pickled objects), EOFError, …
        raise PersistenceError(f"{path} is corrupt or truncated: {exc}") from exc


@dataclass
class TermCounts:
    """Document and term frequencies of every token: what a vocabulary is pruned from.

    Counts of chunks of a corpus add up (``+``) to the counts of the whole corpus, which is how
    a vocabulary is learnt from data that does not fit in memory.
    """

    df: Counter[str] = field(default_factory=Counter)
    tf: Counter[str] = field(default_factory=Counter)
    n_docs: int = 0

    @classmethod
    def of(cls, streams: Iterable[Sequence[str]]) -> TermCounts:
        """Count tokenised documents."""
        counts = cls()
        for stream in streams:
            counts.df.update(set(stream))
            counts.tf.update(stream)
            counts.n_docs += 1
        return counts

    def __add__(self, other: TermCounts) -> TermCounts:
        total = TermCounts(Counter(self.df), Counter(self.tf), self.n_docs)
        total += other
        return total

    def __iadd__(self, other: TermCounts) -> TermCounts:
        self.df.update(other.df)
        self.tf.update(other.tf)
        self.n_docs += other.n_docs
        return self


class Vectorizer:
    """Fit a pruned vocabulary on texts and turn texts into a :class:`DocTermMatrix`.

    Parameters
    ----------
    preprocess
        Preprocessing configuration.
    min_df
        Minimum document frequency: an int (documents) or a float in (0, 1] (share of documents).
    max_df
        Maximum document frequency, int or share.
    max_features
        Keep at most this many terms (most frequent first; ties broken alphabetically).
    keep_terms
        Terms (e.g. theme seed terms) never pruned; multi-word terms are matched in their
        joined form ("raw materials" → ``raw_materials``).

    Attributes
    ----------
    vocabulary_
        Terms in id order (sorted alphabetically, so ids do not depend on document order).
    pruned_
        DataFrame ``term, df, rule`` of every term removed and the rule that removed it.

    """

    def __init__(
        self,
        preprocess: PreprocessConfig | None = None,
        *,
        min_df: float = 2,
        max_df: float = defaults.MAX_DF,
        max_features: int | None = None,
        keep_terms: Iterable[str] = (),
    ) -> None:
        self.preprocess = preprocess
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.keep_terms = tuple(keep_terms)

    def _threshold(self, value: float, n_docs: int, name: str) -> float:
        if isinstance(value, bool) or value < 0:
            raise ConfigError(
                f"{name} must be a non-negative int or a share in (0, 1], got {value!r}"
            )
        if isinstance(value, float) and value <= 1.0:
            return value * n_docs
        return float(value)

    def fit(self, texts: Iterable[str], *, progress: bool | None = None) -> Vectorizer:
        """Learn phrases and the pruned vocabulary from ``texts``."""
        self.fit_transform(texts, progress=progress)
        return self

    def fit_tokens(self, streams: Sequence[Sequence[str]]) -> Vectorizer:
        """Learn the pruned vocabulary from already tokenised documents."""
        return self.fit_counts(TermCounts.of(streams))

    def fit_counts(self, counts: TermCounts) -> Vectorizer:
        """Learn the pruned vocabulary from term counts (e.g. the sum of chunks' counts).

        The same vocabulary as :meth:`fit_tokens` on the documents the counts were made from.
        """
        if self.max_features is not None and self.max_features < 1:
            raise ConfigError(f"max_features must be ≥ 1, got {self.max_features}")
        n_docs = counts.n_docs
        if n_docs == 0:
            raise InputError("cannot fit a vocabulary on zero documents")
        low = self._threshold(self.min_df, n_docs, "min_df")
        high = self._threshold(self.max_df, n_docs, "max_df")
        if low > high:
            raise ConfigError(
                f"min_df ({self.min_df}) keeps fewer documents than max_df ({self.max_df}) allows"
            )
        df, tf = counts.df, counts.tf
        protected = set(self._protected_tokens())
        removed: list[tuple[str, int, str]] = []
        kept: list[str] = []
        for term in sorted(df):
            if term in protected:
                kept.append(term)
            elif df[term] < low:
                removed.append((term, df[term], "min_df"))
            elif df[term] > high:
                removed.append((term, df[term], "max_df"))
            else:
                kept.append(term)
        if self.max_features is not None and len(kept) > self.max_features:
            free = sorted((t for t in kept if t not in protected), key=lambda t: (-tf[t], t))
            budget = max(self.max_features - sum(t in protected for t in kept), 0)
            dropped = set(free[budget:])
            removed += [(t, df[t], "max_features") for t in sorted(dropped)]
            kept = [t for t in kept if t not in dropped]
        if not kept:
            raise InputError(
                f"no terms left after pruning (min_df={self.min_df}, max_df={self.max_df}); "
                "lower min_df or raise max_df"
            )
        self.vocabulary_ = tuple(kept)
        self.missing_keep_terms_ = tuple(sorted(t for t in protected if t not in df))
        self.pruned_ = pd.DataFrame(removed, columns=["term", "df", "rule"])
        self.n_docs_fit_ = n_docs
        self._index = {t: i for i, t in enumerate(self.vocabulary_)}
        return self

    def _protected_tokens(self) -> list[str]:
        protected = (self.preprocess or PreprocessConfig()).protected_terms
        return [term_token(t) for t in (*self.keep_terms, *protected)]

    def pruning_report(self) -> pd.DataFrame:
        """Return ``rule, n_terms`` — how many terms each threshold removed."""
        self._check_fitted()
        counts = self.pruned_["rule"].value_counts()
        rules = ["min_df", "max_df", "max_features"]
        return pd.DataFrame({"rule": rules, "n_terms": [int(counts.get(r, 0)) for r in rules]})

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Save the fitted vectoriser (configuration, phrases, vocabulary) as JSON."""
        self._check_fitted()
        payload = {
            "format": "topics.Vectorizer",
            "format_version": FORMAT_VERSION,
            "preprocess": (self.preprocess or PreprocessConfig()).to_dict(),
            "min_df": self.min_df,
            "max_df": self.max_df,
            "max_features": self.max_features,
            "keep_terms": list(self.keep_terms),
            "phrases": self._preprocessor().phrases_,
            "vocabulary": list(self.vocabulary_),
            "pruned": [
                [str(t), int(d), str(r)] for t, d, r in self.pruned_.itertuples(index=False)
            ],
            "missing_keep_terms": list(self.missing_keep_terms_),
            "n_docs_fit": self.n_docs_fit_,
            "vocabulary_sha256": vocabulary_hash(self.vocabulary_),
        }
        target = Path(path)
        atomic_write_text(target, dumps(payload))
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Vectorizer:
        """Load a vectoriser saved with :meth:`save`; it transforms texts exactly as before."""
        meta = _read_json(Path(path), "topics.Vectorizer")
        try:
            vectorizer = cls(
                PreprocessConfig.from_dict(meta["preprocess"], source=str(path)),
                min_df=meta["min_df"],
                max_df=meta["max_df"],
                max_features=meta["max_features"],
                keep_terms=meta["keep_terms"],
            )
            vocabulary = tuple(str(t) for t in meta["vocabulary"])
            phrases = dict(meta["phrases"])
            pruned = pd.DataFrame(meta["pruned"], columns=["term", "df", "rule"])
            missing = tuple(meta["missing_keep_terms"])
            n_docs = int(meta["n_docs_fit"])
        except (KeyError, TypeError, ConfigError) as exc:
            raise PersistenceError(f"{path} is not a valid saved Vectorizer: {exc}") from exc
        if vocabulary_hash(vocabulary) != meta.get("vocabulary_sha256"):
            raise PersistenceError(f"{path}: vocabulary does not match its hash")
        vectorizer._preprocessor().set_phrases(phrases)
        vectorizer.vocabulary_ = vocabulary
        vectorizer._index = {t: i for i, t in enumerate(vocabulary)}
        vectorizer.pruned_ = pruned
        vectorizer.missing_keep_terms_ = missing
        vectorizer.n_docs_fit_ = n_docs
        return vectorizer

    def _check_fitted(self) -> None:
        if not hasattr(self, "vocabulary_"):
            raise ConfigError("this Vectorizer is not fitted yet; call fit first")

    def _preprocessor(self) -> Preprocessor:
        if not hasattr(self, "_pre"):
            self._pre = Preprocessor(self.preprocess)
        return self._pre

    def tokens_to_matrix(
        self, streams: Sequence[Sequence[str]], doc_ids: Sequence[str]
    ) -> DocTermMatrix:
        """Count fitted-vocabulary terms in token streams (unknown terms are ignored)."""
        self._check_fitted()
        indptr = [0]
        indices: list[int] = []
        data: list[int] = []
        for stream in streams:
            counts = Counter(self._index[t] for t in stream if t in self._index)
            for column in sorted(counts):
                indices.append(column)
                data.append(counts[column])
            indptr.append(len(indices))
        matrix = sp.csr_matrix(
            (
                np.asarray(data, dtype=np.int64),
                np.asarray(indices, dtype=np.int64),
                np.asarray(indptr),
            ),
            shape=(len(streams), len(self.vocabulary_)),
        )
        return DocTermMatrix(matrix, self.vocabulary_, tuple(map(str, doc_ids)))

    def fit_transform(
        self,
        texts: Iterable[str],
        doc_ids: Sequence[str] | None = None,
        *,
        progress: bool | None = None,
    ) -> DocTermMatrix:
        """Fit on ``texts`` and return their matrix."""
        return self.fit_transform_tokens(texts, doc_ids, progress=progress)[0]

    def fit_transform_tokens(
        self,
        texts: Iterable[str],
        doc_ids: Sequence[str] | None = None,
        *,
        progress: bool | None = None,
    ) -> tuple[DocTermMatrix, list[list[str]]]:
        """Fit on ``texts``; return the matrix and the token streams (a coherence reference)."""
        text_list, ids = _texts_and_ids(texts, doc_ids)
        pre = self._preprocessor().fit(text_list, progress=progress)
        streams = pre.transform(text_list, progress=progress)
        self.fit_tokens(streams)
        return self.tokens_to_matrix(streams, ids), streams

    def transform(
        self,
        texts: Iterable[str],
        doc_ids: Sequence[str] | None = None,
        *,
        progress: bool | None = None,
    ) -> DocTermMatrix:
        """Turn new texts into a matrix over the fitted vocabulary."""
        self._check_fitted()
        text_list, ids = _texts_and_ids(texts, doc_ids)
        return self.tokens_to_matrix(
            self._preprocessor().transform(text_list, progress=progress), ids
        )


def _texts_and_ids(
    texts: Iterable[str], doc_ids: Sequence[str] | None
) -> tuple[list[str], list[str]]:
    if isinstance(texts, Corpus):
        return texts.texts, texts.ids if doc_ids is None else list(doc_ids)
    text_list = list(texts)
    ids = [str(i) for i in range(len(text_list))] if doc_ids is None else [str(i) for i in doc_ids]
    if len(ids) != len(text_list):
        raise InputError(f"got {len(ids)} ids for {len(text_list)} texts")
    return text_list, ids


def vectorize(
    corpus: Corpus,
    preprocess: PreprocessConfig | None = None,
    *,
    min_df: float = 2,
    max_df: float = defaults.MAX_DF,
    max_features: int | None = None,
    keep_terms: Iterable[str] = (),
    progress: bool | None = None,
) -> tuple[DocTermMatrix, Vectorizer]:
    """Fit a :class:`Vectorizer` on a corpus and return ``(matrix, vectorizer)``."""
    vectorizer = Vectorizer(
        preprocess, min_df=min_df, max_df=max_df, max_features=max_features, keep_terms=keep_terms
    )
    matrix = vectorizer.fit_transform(corpus, progress=progress)
    return matrix, vectorizer
