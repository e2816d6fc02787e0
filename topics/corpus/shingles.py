"""Word shingles of documents, their MinHash signatures and exact Jaccard similarity.

Documents are compared as sets of word ``k``-shingles (lower-cased word ``k``-grams), each
shingle a 64-bit hash built from stable word hashes — the same in every chunk, process and run,
so shingles and signatures computed apart can be merged.

Memory stays bounded on hostile input (one 50 MB document): texts are tokenised in pieces of at
most 1 MiB, shingles are hashed in slices, and a document keeps at most :data:`MAX_SHINGLES`
shingle hashes — the smallest ones, a bottom-k sketch. Two documents that both fit are compared
exactly; when one was capped, their Jaccard similarity is estimated from the sketches (standard
error below 0.001 at this size). MinHash signatures are computed in blocks of at most
32,768 shingles.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["MAX_SHINGLES", "jaccard", "minhash", "shingle_hashes", "shingle_sets"]

_TOKEN = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W")
_CHUNK = 1 << 15  # shingles per MinHash block: the block is num_perm × _CHUNK × 8 bytes
_PIECE = 1 << 18  # characters tokenised at once
_BATCH = 1 << 18  # tokens factorised at once
_SLICE = 1 << 20  # tokens hashed into shingles at once
MAX_SHINGLES = 1 << 18
"""Most shingle hashes kept per document (the smallest: a bottom-k sketch)."""


def shingle_hashes(
    token_ids: npt.NDArray[np.uint64], size: int, cap: int | None = None
) -> npt.NDArray[np.uint64]:
    """Return the sorted unique 64-bit hashes of the word ``size``-grams of one document.

    Documents shorter than ``size`` words are one shingle (all their words). With ``cap``, only
    the ``cap`` smallest hashes are kept (computed slice by slice, in bounded memory).
    """
    n = len(token_ids)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    width = min(size, n)
    count = n - width + 1
    base = np.uint64(1_000_003)
    kept: npt.NDArray[np.uint64] | None = None
    for start in range(0, count, _SLICE):
        stop = min(start + _SLICE, count)
        acc = np.zeros(stop - start, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for offset in range(width):
                acc = acc * base + token_ids[start + offset : stop + offset] + np.uint64(1)
            acc ^= acc >> np.uint64(29)
            acc *= np.uint64(0xBF58476D1CE4E5B9)
            acc ^= acc >> np.uint64(32)
        acc = np.unique(acc)
        kept = acc if kept is None else np.union1d(kept, acc)
        if cap is not None:
            kept = kept[:cap]
    assert kept is not None
    return kept


def _word_hash(word: str) -> int:
    """Return a stable 64-bit hash of a (lower-cased) word, never 0."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big") or 1


def _pieces(text: str) -> Iterator[str]:
    """Cut a text into lower-cased pieces of about ``_PIECE`` characters, between words."""
    start = 0
    while start < len(text) or start == 0:
        stop = start + _PIECE
        if stop < len(text):
            match = _NON_WORD.search(text, stop)
            stop = match.start() if match else len(text)
        yield text[start:stop].lower()
        start = max(stop, 1)


class _Shingler:
    """One document's shingle hashes (capped) and exact key, fed its word ids part by part."""

    def __init__(self, size: int, cap: int) -> None:
        self.size, self.cap = size, cap
        self.tail = np.empty(0, dtype=np.uint64)
        self.kept: npt.NDArray[np.uint64] | None = None
        self.key = hashlib.sha1()

    def add(self, ids: npt.NDArray[np.uint64]) -> None:
        self.key.update(ids.tobytes())
        window = np.concatenate([self.tail, ids]) if len(self.tail) else ids
        if len(window) < self.size:  # still shorter than one shingle
            self.tail = window
            return
        hashes = shingle_hashes(window, self.size, self.cap)
        self.kept = hashes if self.kept is None else np.union1d(self.kept, hashes)[: self.cap]
        self.tail = window[len(window) - self.size + 1 :]

    def finish(self) -> tuple[npt.NDArray[np.uint64], bytes]:
        if self.kept is None:  # the whole document is shorter than one shingle
            self.kept = shingle_hashes(self.tail, self.size)
        return self.kept, self.key.digest()


def shingle_sets(
    texts: Sequence[str], size: int, cap: int
) -> Iterator[tuple[npt.NDArray[np.uint64], bytes]]:
    """Yield each text's shingle hashes (at most ``cap``) and an exact-duplicate key, in order.

    Every word is represented by a stable 64-bit hash of its lower-cased form
    (``_word_hash``), the same in every chunk, process and run, so equal word sequences have
    equal keys and the shingles of a document do not depend on which other documents were read
    with it (what lets chunks of a corpus be de-duplicated apart and their signatures merged).
    Tokens are factorised in batches of about a million and fed to the documents' shinglers as
    they come, so neither the tokens of the corpus nor those of one huge document are ever held
    at once.
    """
    vocabulary: dict[str, int] = {}
    open_docs: dict[int, _Shingler] = {}
    batch: list[tuple[int, list[str]]] = []
    size_now = 0
    done = 0

    def flush() -> None:
        nonlocal batch, size_now
        if not batch:
            return
        codes, uniques = pd.factorize(
            pd.Series([t for _, tokens in batch for t in tokens], dtype=object)
        )
        ids = np.fromiter(
            (vocabulary.get(u) or vocabulary.setdefault(u, _word_hash(u)) for u in uniques),
            dtype=np.uint64,
            count=len(uniques),
        )
        mapped = ids[codes] if len(codes) else np.empty(0, dtype=np.uint64)
        bounds = np.cumsum([0, *(len(tokens) for _, tokens in batch)])
        for k, (doc, _) in enumerate(batch):
            open_docs.setdefault(doc, _Shingler(size, cap)).add(mapped[bounds[k] : bounds[k + 1]])
        batch, size_now = [], 0

    def ready(upto: int) -> Iterator[tuple[npt.NDArray[np.uint64], bytes]]:
        nonlocal done
        while done < upto:
            yield open_docs.pop(done, _Shingler(size, cap)).finish()
            done += 1

    for doc, text in enumerate(texts):
        for piece in _pieces(text):
            tokens = _TOKEN.findall(piece)
            batch.append((doc, tokens))
            size_now += len(tokens)
            if size_now >= _BATCH:
                flush()
                yield from ready(doc)  # every earlier text is complete
    flush()
    yield from ready(len(texts))


def minhash(
    shingles: list[npt.NDArray[np.uint64]], num_perm: int, rng: np.random.Generator
) -> npt.NDArray[np.uint32]:
    """MinHash signatures (n_docs × num_perm) with multiply-shift hashes.

    Each permutation is ``h(x) = (a·x + b) mod 2^64 >> 32`` for a random odd ``a`` — a
    universal family that needs no modulo and keeps the signature in 32 bits.
    """
    a = rng.integers(0, np.iinfo(np.uint64).max, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, np.iinfo(np.uint64).max, size=num_perm, dtype=np.uint64)
    sizes = np.array([len(s) for s in shingles], dtype=np.int64)
    signatures = np.full((len(shingles), num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    for i in np.flatnonzero(sizes > _CHUNK):  # a large document, in bounded slices
        for start in range(0, int(sizes[i]), _CHUNK):
            values = shingles[i][start : start + _CHUNK]
            hashed = np.empty((num_perm, len(values)), dtype=np.uint64)
            np.multiply(a[:, None], values[None, :], out=hashed)
            hashed += b[:, None]
            hashed >>= np.uint64(32)
            signatures[i] = np.minimum(signatures[i], hashed.min(axis=1))
    nonempty = np.flatnonzero((sizes > 0) & (sizes <= _CHUNK))
    start = 0
    while start < len(nonempty):
        stop, total = start, 0
        while stop < len(nonempty) and (total == 0 or total + sizes[nonempty[stop]] <= _CHUNK):
            total += int(sizes[nonempty[stop]])
            stop += 1
        block = nonempty[start:stop]
        values = np.concatenate([shingles[i] for i in block])
        hashed = np.empty((num_perm, len(values)), dtype=np.uint64)  # permutations × shingles
        np.multiply(a[:, None], values[None, :], out=hashed)
        hashed += b[:, None]
        hashed >>= np.uint64(32)
        offsets = np.concatenate([[0], np.cumsum(sizes[block])[:-1]])
        signatures[block] = np.minimum.reduceat(hashed, offsets, axis=1).T
        start = stop
    return signatures


def jaccard(x: npt.NDArray[np.uint64], y: npt.NDArray[np.uint64], capped: bool = False) -> float:
    """Exact Jaccard similarity of two shingle sets, or its bottom-k estimate when capped."""
    if len(x) == 0 or len(y) == 0:
        return 0.0
    if capped:  # the k smallest of the union, and how many of them both sketches hold
        k = min(len(x), len(y))
        union = np.union1d(x, y)[:k]
        both = np.intersect1d(x, y, assume_unique=True)
        return float(np.isin(union, both, assume_unique=True).sum()) / len(union)
    inter = len(np.intersect1d(x, y, assume_unique=True))
    return inter / (len(x) + len(y) - inter)
