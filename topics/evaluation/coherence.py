"""Topic coherence (NPMI, C_V, UMass, UCI) with gensim's exact definitions, computed fast.

A :class:`ReferenceCorpus` makes one pass over the reference texts and keeps, for every word,
the windows it is present in (as intervals) and the documents it occurs in. Scoring a set of
topics then builds a sparse windows × words presence matrix for just their words and gets all
co-occurrence counts from one sparse product, so a K × seed sweep pays the corpus pass once.

Definitions (those of gensim's ``CoherenceModel``, which the tests check to 1e-6):

* **Windows** (``c_npmi``, ``c_uci``: 10 tokens; ``c_v``: 110): every document of length
  ``L ≥ w`` gives ``L − w + 1`` windows; a shorter document — an empty one included — is one
  window. Tokens that are not topic words still take up positions. ``N`` is the number of
  windows. Presence follows gensim's sliding rule exactly: in a document's first window a
  word is present if it occurs in it; each slide marks the token leaving the window absent and
  then the token entering present. (So a word that leaves while another copy of it is still
  inside is counted absent until it enters again — gensim's behaviour, reproduced for
  comparability and documented here.)
* **Probabilities**: ``p(w) = n(w)/N``, ``p(w₁, w₂) = n(w₁, w₂)/N``, ``ε = 1e-12``.
* ``c_uci``: mean over ordered pairs ``i ≠ j`` of ``log((p(wᵢ, wⱼ) + ε) / (p(wᵢ) p(wⱼ)))``.
* ``c_npmi``: the same ratio divided by ``−log(p(wᵢ, wⱼ) + ε)``.
* ``u_mass``: document co-occurrence (``N`` = documents); mean over pairs ``j < i`` (in topic
  order) of ``log((p(wᵢ, wⱼ) + ε) / p(wⱼ))``.
* ``c_v``: windows of 110; each word's context vector is its NPMI with every topic word
  (itself included), the topic's vector is the sum of those; mean cosine similarity of each
  word's vector with the topic's.

Handling of awkward input (never a hang, never a silent NaN): a topic word that never occurs
in the reference texts raises :class:`~topics.errors.InputError` naming it (gensim silently
drops it); a topic with fewer than two words raises :class:`~topics.errors.ConfigError`; empty
texts count as one window each (as in gensim); a reference with no tokens at all is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from ..errors import ConfigError, InputError

__all__ = ["MEASURES", "ReferenceCorpus", "coherence"]

Measure = Literal["c_npmi", "c_uci", "u_mass", "c_v"]
MEASURES: dict[str, int | None] = {"c_npmi": 10, "c_uci": 10, "c_v": 110, "u_mass": None}
EPSILON = 1e-12


@dataclass(frozen=True)
class _Windows:
    """Presence intervals of every word in the windows of size ``size``."""

    size: int
    n_windows: int
    word_ptr: npt.NDArray[np.int64]  # intervals of word v: [word_ptr[v], word_ptr[v+1])
    starts: npt.NDArray[np.int64]  # global window index where presence starts
    ends: npt.NDArray[np.int64]  # … and ends (exclusive)


class ReferenceCorpus:
    """Tokenised reference texts indexed once for fast coherence of many topic sets.

    Parameters
    ----------
    texts
        Token lists (the reference corpus, e.g. the preprocessed training documents).

    Examples
    --------
    >>> ref = ReferenceCorpus([["a", "b", "c"], ["a", "b"], ["c", "d"]])
    >>> round(float(ref.score([["a", "b"]], "c_npmi")["coherence"].iloc[0]), 6)  # always together
    1.0

    """

    def __init__(self, texts: Iterable[Sequence[str]]) -> None:
        lengths: list[int] = []
        flat: list[str] = []
        for text in texts:
            if isinstance(text, str):
                raise InputError("reference texts must be token lists, not strings")
            lengths.append(len(text))
            flat.extend(text)
        if not lengths:
            raise InputError("the reference corpus has no texts")
        if not flat:
            raise InputError("the reference corpus has no tokens")
        codes, uniques = pd.factorize(pd.Series(flat, dtype=object), sort=False)
        self.vocabulary: dict[str, int] = {str(w): i for i, w in enumerate(uniques)}
        self.n_texts = len(lengths)
        self._lengths = np.asarray(lengths, dtype=np.int64)
        self._codes = codes.astype(np.int64)
        self._doc_of = np.repeat(np.arange(self.n_texts), self._lengths)
        self._pos = np.arange(len(flat)) - np.repeat(
            np.cumsum(self._lengths) - self._lengths, self._lengths
        )
        # occurrences sorted by word, then by position in the corpus (a stable sort keeps order)
        self._order = np.argsort(self._codes, kind="stable")
        self._windows: dict[int, _Windows] = {}

    # -- one pass per window size --------------------------------------------------------
    def _window_index(self, size: int) -> _Windows:
        cached = self._windows.get(size)
        if cached is not None:
            return cached
        n_per_doc = np.maximum(self._lengths - size + 1, 1)
        offsets = np.cumsum(n_per_doc) - n_per_doc
        order = self._order
        words = self._codes[order]
        docs = self._doc_of[order]
        pos = self._pos[order]
        n_windows_doc = n_per_doc[docs]
        # group = (word, document); occurrences within a group are in position order
        new_group = np.ones(len(order), dtype=bool)
        new_group[1:] = (words[1:] != words[:-1]) | (docs[1:] != docs[:-1])
        group = np.cumsum(new_group) - 1
        start = np.maximum(pos - size + 1, 0)
        # gensim's rule: presence entered at `start` ends at the first leave (p + 1) of an
        # occurrence of the same word at or after `start` — the earliest such occurrence.
        key = group * (int(pos.max()) + size + 2) + pos
        first = np.searchsorted(key, group * (int(pos.max()) + size + 2) + start, side="left")
        end = np.minimum(pos[first] + 1, n_windows_doc)
        start = np.minimum(start, n_windows_doc - 1)
        # merge overlapping intervals within a group (starts and ends are non-decreasing)
        prev_end = np.empty_like(end)
        prev_end[0] = -1
        prev_end[1:] = end[:-1]
        opens = new_group | (start > prev_end)
        run_first = np.flatnonzero(opens)
        run_last = np.append(run_first[1:], len(order)) - 1
        merged_start = start[run_first] + offsets[docs[run_first]]
        merged_end = end[run_last] + offsets[docs[run_first]]
        run_word = words[run_first]
        word_ptr = np.searchsorted(run_word, np.arange(len(self.vocabulary) + 1), side="left")
        index = _Windows(
            size, int(n_per_doc.sum()), word_ptr.astype(np.int64), merged_start, merged_end
        )
        self._windows[size] = index
        return index

    @cached_property
    def _documents(self) -> sp.csc_matrix:
        data = np.ones(len(self._codes), dtype=np.float64)
        matrix = sp.csc_matrix(
            (data, (self._doc_of, self._codes)), shape=(self.n_texts, len(self.vocabulary))
        )
        matrix.data[:] = 1.0  # boolean: duplicates were summed
        return matrix

    # -- counts for a word set ------------------------------------------------------------
    def _ids(self, topics: Sequence[Sequence[str]]) -> tuple[list[str], list[list[int]]]:
        words: dict[str, int] = {}
        local: list[list[int]] = []
        for number, topic in enumerate(topics):
            if len(topic) < 2:
                raise ConfigError(
                    f"topic {number} has {len(topic)} word(s); coherence needs at least 2"
                )
            missing = [w for w in topic if w not in self.vocabulary]
            if missing:
                raise InputError(
                    f"topic {number}: words never seen in the reference texts: {missing[:10]}"
                )
            local.append([words.setdefault(w, len(words)) for w in topic])
        return list(words), local

    def counts(
        self, words: Sequence[str], window: int | None
    ) -> tuple[npt.NDArray[np.float64], float]:
        """Return ``(co-occurrence matrix, N)`` for ``words``: windows of ``window`` or documents.

        The diagonal holds each word's own count (windows or documents it is present in).
        """
        ids = np.asarray([self.vocabulary[w] for w in words], dtype=np.int64)
        if window is None:
            presence, n = self._documents[:, ids], self.n_texts
        else:
            index = self._window_index(window)
            # every presence interval of the words, and the column of the word it belongs to
            spans = [np.arange(index.word_ptr[w], index.word_ptr[w + 1]) for w in ids]
            interval = np.concatenate([np.zeros(0, dtype=np.int64), *spans])
            lengths = index.ends[interval] - index.starts[interval]
            cols = np.repeat(np.repeat(np.arange(len(ids)), [len(s) for s in spans]), lengths)
            rows = np.repeat(index.starts[interval] - (np.cumsum(lengths) - lengths), lengths)
            rows += np.arange(int(lengths.sum()))
            n = index.n_windows
            presence = sp.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(ids)))
        return np.asarray((presence.T @ presence).toarray(), dtype=np.float64), float(n)

    # -- measures -------------------------------------------------------------------------
    def score(
        self,
        topics: Sequence[Sequence[str]],
        measure: Measure = "c_npmi",
        *,
        window: int | None = None,
    ) -> pd.DataFrame:
        """Coherence of each topic: a DataFrame ``topic, coherence`` (topic numbers from 0).

        Parameters
        ----------
        topics
            Top words of each topic, best first (order matters for ``u_mass``).
        measure
            ``"c_npmi"``, ``"c_uci"``, ``"u_mass"`` or ``"c_v"``.
        window
            Sliding-window size; defaults to gensim's (10, 10, —, 110).

        """
        if measure not in MEASURES:
            raise ConfigError(f"measure must be one of {sorted(MEASURES)}, got {measure!r}")
        if len(topics) == 0:
            raise ConfigError("no topics to score")
        size = MEASURES[measure] if window is None else window
        if measure == "u_mass":
            size = None
        elif size is None or size < 1:
            raise ConfigError(f"window must be a positive int, got {window!r}")
        words, local = self._ids(topics)
        co, n = self.counts(words, size)
        values = [_topic_score(co, n, np.asarray(ids), measure) for ids in local]
        return pd.DataFrame({"topic": np.arange(len(topics)), "coherence": values})


def _npmi_matrix(
    co: npt.NDArray[np.float64], n: float, *, normalise: bool
) -> npt.NDArray[np.float64]:
    p = np.diag(co) / n
    joint = co / n + EPSILON
    with np.errstate(divide="ignore"):
        ratio = np.log(joint / np.outer(p, p))
        if normalise:
            ratio = ratio / -np.log(joint)
    return np.asarray(ratio, dtype=np.float64)


def _topic_score(
    co: npt.NDArray[np.float64], n: float, ids: npt.NDArray[np.int64], measure: str
) -> float:
    sub = co[np.ix_(ids, ids)]
    k = len(ids)
    if measure in ("c_npmi", "c_uci"):
        matrix = _npmi_matrix(sub, n, normalise=measure == "c_npmi")
        off = ~np.eye(k, dtype=bool)
        return float(matrix[off].mean())
    if measure == "u_mass":
        i, j = np.tril_indices(k, -1)  # pairs (w_i, w_j) with j < i: w_j ranks higher
        values = np.log((sub[i, j] / n + EPSILON) / (np.diag(sub)[j] / n))
        return float(values.mean())
    # c_v: context vectors of NPMI with every topic word (gamma = 1)
    npmi = _npmi_matrix(sub, n, normalise=True)
    topic_vector = npmi.sum(axis=0)
    norms = np.sqrt((npmi**2).sum(axis=1)) * np.sqrt((topic_vector**2).sum())
    cosines = (npmi @ topic_vector) / norms
    return float(cosines.mean())


def coherence(
    topics: Sequence[Sequence[str]],
    texts: Iterable[Sequence[str]] | ReferenceCorpus,
    measure: Measure = "c_npmi",
    *,
    window: int | None = None,
) -> pd.DataFrame:
    """Per-topic coherence of ``topics`` against reference ``texts`` (see module docstring).

    Pass a :class:`ReferenceCorpus` to reuse its index across calls.
    """
    reference = texts if isinstance(texts, ReferenceCorpus) else ReferenceCorpus(texts)
    return reference.score(topics, measure, window=window)
