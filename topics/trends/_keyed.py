"""Random numbers that are a pure function of a key: the same draws whatever the data order.

A stateful generator gives a unit different weights when the data are read in another order or
split into chunks; these uniforms are computed from (seed, salt, key, draw) alone with the
splitmix64 finaliser, so a unit keeps its bootstrap weights wherever and whenever it is seen.
"""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt

__all__ = [
    "SALT_CUBE",
    "SALT_PRIOR_PICK",
    "SALT_PRIOR_WEIGHT",
    "SALT_UNIT",
    "stable_key",
    "stream",
    "uniforms",
]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MUL1 = np.uint64(0xBF58476D1CE4E5B9)
_MUL2 = np.uint64(0x94D049BB133111EB)
SALT_UNIT, SALT_PRIOR_PICK, SALT_PRIOR_WEIGHT, SALT_CUBE = 1, 2, 3, 4


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Splitmix64 finaliser: a bijective scramble of 64-bit integers (wraps by design)."""
    z = values + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MUL1
    z = (z ^ (z >> np.uint64(27))) * _MUL2
    return np.asarray(z ^ (z >> np.uint64(31)), dtype=np.uint64)


def stable_key(text: str) -> np.uint64:
    """Return a 64-bit key of ``text``, the same on every machine and Python run."""
    return np.uint64(int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big"))


def stream(seed: int, salt: int) -> npt.NDArray[np.uint64]:
    """Return the 64-bit start of the draws of ``seed`` for one purpose (``salt``)."""
    return _mix(np.asarray([seed & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64) ^ np.uint64(salt))


def uniforms(
    keys: npt.NDArray[np.uint64], n_draws: int, seed: int, salt: int
) -> npt.NDArray[np.float64]:
    """Uniforms in (0, 1), shape ``(len(keys), n_draws)``, a pure function of each key."""
    base = _mix(keys ^ stream(seed, salt))
    draws = _mix(np.arange(n_draws, dtype=np.uint64) * _GOLDEN)
    bits = _mix(base[:, None] ^ draws[None, :])
    return ((bits >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
