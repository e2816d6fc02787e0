"""Exact and near-duplicate detection with MinHash + LSH, verified by exact Jaccard.

Republished press releases must not count twice in a trend. Documents are compared as sets of
word ``k``-shingles (lower-cased word ``k``-grams). MinHash signatures and locality-sensitive
hashing (banding) propose candidate pairs cheaply; every candidate is then *verified* with the
exact Jaccard similarity of the two shingle sets, so the reported similarity is exact and the
threshold means what it says. Clusters are the connected components of verified pairs.

Which document a cluster keeps is decided by the caller's priority (by default: earliest date,
then longest text, then smallest id); the others are recorded as absorbed by it.

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
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import ConfigError

__all__ = ["MAX_SHINGLES", "DuplicateClusters", "find_duplicates", "shingle_hashes"]

_TOKEN = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W")
_CHUNK = 1 << 15  # shingles per MinHash block: the block is num_perm × _CHUNK × 8 bytes
_PIECE = 1 << 18  # characters tokenised at once
_BATCH = 1 << 18  # tokens factorised at once
_SLICE = 1 << 20  # tokens hashed into shingles at once
MAX_SHINGLES = 1 << 18
"""Most shingle hashes kept per document (the smallest: a bottom-k sketch)."""


@dataclass(frozen=True, slots=True)
class DuplicateClusters:
    """Result of :func:`find_duplicates` for ``n`` documents.

    Attributes
    ----------
    keeper
        For each document, the index of the document its cluster keeps (itself if kept).
    similarity
        Exact Jaccard similarity of each document's shingles to its keeper's (1.0 for keepers).
    exact
        Whether each absorbed document is an exact duplicate (same normalised text).

    """

    keeper: npt.NDArray[np.int64]
    similarity: npt.NDArray[np.float64]
    exact: npt.NDArray[np.bool_]


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


def _shingle_sets(
    texts: Sequence[str], size: int, cap: int
) -> Iterator[tuple[npt.NDArray[np.uint64], bytes]]:
    """Yield each text's shingle hashes (at most ``cap``) and an exact-duplicate key, in order.

    Every word gets a corpus-wide id in first-seen order, so equal word sequences have equal
    keys. Tokens are factorised in batches of about a million and fed to the documents' shinglers
    as they come, so neither the tokens of the corpus nor those of one huge document are ever
    held at once.
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
            (vocabulary.setdefault(u, len(vocabulary)) for u in uniques),
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


def _minhash(
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


def _bands(num_perm: int, threshold: float) -> int:
    """Rows per LSH band: the most selective banding whose S-curve still admits ``threshold``.

    With ``b`` bands of ``r`` rows, a pair of similarity ``s`` becomes a candidate with
    probability ``1 − (1 − s^r)^b``. We pick the largest ``r`` (fewest false candidates) for
    which a pair at ``threshold − 0.1`` is still proposed with probability ≥ 0.99.
    """
    best = 1
    target = max(threshold - 0.1, 0.05)
    for rows in range(1, num_perm + 1):
        if num_perm % rows:
            continue
        bands = num_perm // rows
        if 1 - (1 - target**rows) ** bands >= 0.99:
            best = rows
    return best


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = int(self.parent[root])
        while self.parent[i] != root:
            self.parent[i], i = root, int(self.parent[i])
        return root

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def _jaccard(x: npt.NDArray[np.uint64], y: npt.NDArray[np.uint64], capped: bool = False) -> float:
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


def find_duplicates(
    texts: Sequence[str],
    priority: Sequence[int] | npt.NDArray[np.int64] | None = None,
    *,
    threshold: float = 0.8,
    shingle_size: int = 5,
    num_perm: int = 128,
    random_state: int = 0,
) -> DuplicateClusters:
    """Cluster exact and near-duplicate texts.

    Parameters
    ----------
    texts
        The documents.
    priority
        Rank of each document for keeping (lower is kept first); defaults to input order.
    threshold
        Minimum exact Jaccard similarity of word shingles for two documents to be duplicates.
    shingle_size
        Words per shingle.
    num_perm
        MinHash permutations (more: fewer missed candidates, slower).
    random_state
        Seed of the MinHash permutations. Results are verified exactly, so the seed can only
        change which borderline candidates are proposed, never a reported similarity.

    Returns
    -------
    DuplicateClusters

    """
    if not 0.0 < threshold <= 1.0:
        raise ConfigError(f"threshold must be in (0, 1], got {threshold}")
    if shingle_size < 1:
        raise ConfigError(f"shingle_size must be ≥ 1, got {shingle_size}")
    if num_perm < 1:
        raise ConfigError(f"num_perm must be ≥ 1, got {num_perm}")
    n = len(texts)
    rank = np.arange(n) if priority is None else np.asarray(priority, dtype=np.int64)
    if rank.shape != (n,):
        raise ConfigError(f"priority must have one entry per text ({n}), got {rank.shape}")
    # Corpus-wide word ids: equal word sequences have equal id sequences (the exact key).
    shingles = []
    exact_keys = []
    capped = np.zeros(n, dtype=bool)
    for i, (hashes, key) in enumerate(_shingle_sets(texts, shingle_size, MAX_SHINGLES + 1)):
        exact_keys.append(key)
        shingles.append(hashes)
        if len(shingles[-1]) > MAX_SHINGLES:
            shingles[-1], capped[i] = shingles[-1][:MAX_SHINGLES], True

    uf = _UnionFind(n)
    pairs: set[tuple[int, int]] = set()
    first_of: dict[bytes, int] = {}
    for i, key in enumerate(exact_keys):
        if len(shingles[i]) == 0:
            continue
        if key in first_of:
            pairs.add((first_of[key], i))
        else:
            first_of[key] = i

    rng = np.random.default_rng(random_state)
    signatures = _minhash(shingles, num_perm, rng)
    rows = _bands(num_perm, threshold)
    live = np.array([len(s) > 0 for s in shingles])
    for band in range(num_perm // rows):
        keys = signatures[:, band * rows : (band + 1) * rows]
        digest = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for column in range(rows):
                digest = digest * np.uint64(0x9E3779B97F4A7C15) + keys[:, column]
        order = np.argsort(digest[live], kind="stable")
        members = np.flatnonzero(live)[order]
        sorted_digest = digest[members]
        boundaries = np.flatnonzero(np.diff(sorted_digest)) + 1
        for group in np.split(members, boundaries):
            if len(group) < 2:
                continue
            group = np.sort(group)
            if len(group) <= 50:
                pairs.update((int(i), int(j)) for k, i in enumerate(group) for j in group[k + 1 :])
            else:  # very large buckets: a star around the first member keeps the cost linear
                pairs.update((int(group[0]), int(j)) for j in group[1:])

    for i, j in sorted(pairs):
        if uf.find(i) == uf.find(j):
            continue
        similar = _jaccard(shingles[i], shingles[j], capped[i] or capped[j]) >= threshold
        if exact_keys[i] == exact_keys[j] or similar:
            uf.union(i, j)

    roots = np.array([uf.find(i) for i in range(n)])
    keeper = np.arange(n)
    similarity = np.ones(n)
    exact = np.zeros(n, dtype=bool)
    order = np.argsort(roots, kind="stable")
    splits = np.flatnonzero(np.diff(roots[order])) + 1
    for members in np.split(order, splits):
        if len(members) < 2:
            continue
        keep = int(members[np.lexsort((members, rank[members]))[0]])
        for member in members:
            if member == keep:
                continue
            keeper[member] = keep
            exact[member] = exact_keys[member] == exact_keys[keep]
            similarity[member] = (
                1.0
                if exact[member]
                else _jaccard(shingles[member], shingles[keep], capped[member] or capped[keep])
            )
    return DuplicateClusters(keeper=keeper, similarity=similarity, exact=exact)
