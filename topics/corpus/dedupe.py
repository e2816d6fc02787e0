"""Exact and near-duplicate detection with MinHash + LSH, verified by exact Jaccard.

Republished press releases must not count twice in a trend. Documents are compared as sets of
word ``k``-shingles (lower-cased word ``k``-grams). MinHash signatures and locality-sensitive
hashing (banding) propose candidate pairs cheaply; every candidate is then *verified* with the
exact Jaccard similarity of the two shingle sets, so the reported similarity is exact and the
threshold means what it says. Clusters are the connected components of verified pairs.

Which document a cluster keeps is decided by the caller's priority (by default: earliest date,
then longest text, then smallest id); the others are recorded as absorbed by it.

Shingling, MinHash and Jaccard live in :mod:`.shingles` (bounded memory on hostile input).
The steps are separate functions — :func:`signatures`, :func:`candidate_pairs`,
:func:`cluster_keepers` — so that chunks of a corpus too large for memory can be signed apart,
their signatures concatenated and the same pairs and clusters found
(:mod:`topics.scale.dedupe`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .. import defaults
from ..errors import ConfigError
from .shingles import MAX_SHINGLES, jaccard, minhash, shingle_hashes, shingle_sets

__all__ = [
    "MAX_SHINGLES",
    "DuplicateClusters",
    "Signatures",
    "candidate_pairs",
    "cluster_keepers",
    "document_shingles",
    "find_duplicates",
    "shingle_hashes",
    "signatures",
]


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


@dataclass(frozen=True, slots=True)
class Signatures:
    """What LSH needs of each document, mergeable across chunks (concatenate in order).

    Attributes
    ----------
    bands
        ``(n, n_bands)`` digests of the MinHash signature's bands.
    exact
        ``(n, 2)`` first 128 bits of the SHA-1 of the document's word sequence (exact key).
    live
        Whether the document has any shingle (empty documents are never duplicates).

    """

    bands: npt.NDArray[np.uint64]
    exact: npt.NDArray[np.uint64]
    live: npt.NDArray[np.bool_]

    @classmethod
    def concat(cls, parts: Sequence[Signatures]) -> Signatures:
        """Return the signatures of chunks, one after the other."""
        return cls(
            np.concatenate([p.bands for p in parts]),
            np.concatenate([p.exact for p in parts]),
            np.concatenate([p.live for p in parts]),
        )


def check_settings(threshold: float, shingle_size: int, num_perm: int) -> None:
    """Raise :class:`~topics.errors.ConfigError` for settings that cannot work."""
    if not 0.0 < threshold <= 1.0:
        raise ConfigError(f"threshold must be in (0, 1], got {threshold}")
    if shingle_size < 1:
        raise ConfigError(f"shingle_size must be ≥ 1, got {shingle_size}")
    if num_perm < 1:
        raise ConfigError(f"num_perm must be ≥ 1, got {num_perm}")


def document_shingles(
    texts: Sequence[str], shingle_size: int
) -> tuple[list[npt.NDArray[np.uint64]], list[bytes], npt.NDArray[np.bool_]]:
    """Each text's shingle hashes (at most :data:`MAX_SHINGLES`), exact key and capped flag."""
    shingles: list[npt.NDArray[np.uint64]] = []
    keys: list[bytes] = []
    capped = np.zeros(len(texts), dtype=bool)
    for i, (hashes, key) in enumerate(shingle_sets(texts, shingle_size, MAX_SHINGLES + 1)):
        keys.append(key)
        shingles.append(hashes)
        if len(hashes) > MAX_SHINGLES:
            shingles[-1], capped[i] = hashes[:MAX_SHINGLES], True
    return shingles, keys, capped


def signatures(
    shingles: Sequence[npt.NDArray[np.uint64]],
    keys: Sequence[bytes],
    *,
    threshold: float,
    num_perm: int,
    random_state: int,
) -> Signatures:
    """MinHash band digests and exact keys of documents (see :class:`Signatures`)."""
    n = len(shingles)
    signed = minhash(list(shingles), num_perm, np.random.default_rng(random_state))
    rows = _bands(num_perm, threshold)
    bands = np.zeros((n, num_perm // rows), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(num_perm // rows):
            digest = np.zeros(n, dtype=np.uint64)
            for column in range(band * rows, (band + 1) * rows):
                digest = digest * np.uint64(0x9E3779B97F4A7C15) + signed[:, column]
            bands[:, band] = digest
    exact = np.array(
        [np.frombuffer(k[:16].ljust(16, b"\0"), dtype=np.uint64) for k in keys], dtype=np.uint64
    ).reshape(n, 2)
    live = np.array([len(s) > 0 for s in shingles], dtype=bool)
    return Signatures(bands, exact, live)


def _grouped(values: npt.NDArray[Any], live: npt.NDArray[np.bool_]) -> Iterator[npt.NDArray[Any]]:
    """Yield the indices of live rows with equal ``values``: sorted groups of two or more."""
    members = np.flatnonzero(live)
    if values.ndim == 1:
        order = np.argsort(values[members], kind="stable")
    else:
        order = np.lexsort(values[members].T[::-1])
    members = members[order]
    ordered = values[members]
    change = ordered[1:] != ordered[:-1]
    boundaries = np.flatnonzero(change if change.ndim == 1 else change.any(axis=1)) + 1
    for group in np.split(members, boundaries):
        if len(group) >= 2:
            yield np.sort(group)


def candidate_pairs(found: Signatures) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, that share an exact key or an LSH band, sorted.

    In a bucket of more than 50 documents only the pairs with its first member are proposed
    (a star: linear cost; the connected components are the same once pairs are verified).
    """
    pairs: set[tuple[int, int]] = set()
    for group in _grouped(found.exact, found.live):
        pairs.update((int(group[0]), int(j)) for j in group[1:])
    for band in range(found.bands.shape[1]):
        for group in _grouped(found.bands[:, band], found.live):
            if len(group) <= 50:
                pairs.update((int(i), int(j)) for k, i in enumerate(group) for j in group[k + 1 :])
            else:
                pairs.update((int(group[0]), int(j)) for j in group[1:])
    return sorted(pairs)


def cluster_keepers(
    n: int, edges: Sequence[tuple[int, int]], rank: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Return, for each of ``n`` documents, the member of its cluster that is kept.

    Clusters are the connected components of the verified ``edges``; each keeps the member with
    the lowest ``rank`` (ties: the lowest index).
    """
    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    graph = sp.coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, roots = connected_components(graph, directed=False)
    keeper = np.arange(n, dtype=np.int64)
    order = np.argsort(roots, kind="stable")
    splits = np.flatnonzero(np.diff(roots[order])) + 1
    for members in np.split(order, splits):
        if len(members) >= 2:
            keeper[members] = int(members[np.lexsort((members, rank[members]))[0]])
    return keeper


def find_duplicates(
    texts: Sequence[str],
    priority: Sequence[int] | npt.NDArray[np.int64] | None = None,
    *,
    threshold: float = defaults.DEDUPE_THRESHOLD,
    shingle_size: int = 5,
    num_perm: int = 128,
    random_state: int = defaults.SEED,
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
    check_settings(threshold, shingle_size, num_perm)
    n = len(texts)
    rank = np.arange(n) if priority is None else np.asarray(priority, dtype=np.int64)
    if rank.shape != (n,):
        raise ConfigError(f"priority must have one entry per text ({n}), got {rank.shape}")
    shingles, keys, capped = document_shingles(texts, shingle_size)
    found = signatures(
        shingles, keys, threshold=threshold, num_perm=num_perm, random_state=random_state
    )

    def similar(i: int, j: int) -> float:
        return jaccard(shingles[i], shingles[j], bool(capped[i] or capped[j]))

    edges = [
        (i, j)
        for i, j in candidate_pairs(found)
        if keys[i] == keys[j] or similar(i, j) >= threshold
    ]
    keeper = cluster_keepers(n, edges, rank)
    absorbed = np.flatnonzero(keeper != np.arange(n))
    exact = np.zeros(n, dtype=bool)
    similarity = np.ones(n)
    for member in absorbed:
        keep = int(keeper[member])
        exact[member] = keys[member] == keys[keep]
        similarity[member] = 1.0 if exact[member] else similar(int(member), keep)
    return DuplicateClusters(keeper=keeper, similarity=similarity, exact=exact)
