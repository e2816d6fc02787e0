"""Theme shares summed per resampling unit, and the seeded Bayesian bootstrap over units.

Both the prevalence intervals and the change test work on *units*: the documents that move
together when dates are shuffled or data are resampled. A unit is a document, or — for a
segmented corpus — the article a paragraph came from (its paragraphs share a date and a
topic, so they are not independent evidence). A unit that spans several periods is split
into one unit per period.

The bootstrap weights are drawn from a counter-based generator keyed by (seed, unit id, draw)
rather than from a stateful stream, so a unit's weights do not depend on the order of the
data or on how it is split into chunks.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from ..corpus.corpus import Corpus
from ..defaults import WEIGHTINGS, Weighting
from ..errors import ConfigError, InputError, PersistenceError
from ..files import atomic_write_bytes
from ..limits import check_memory
from ._keyed import (
    SALT_CUBE,
    SALT_PRIOR_PICK,
    SALT_PRIOR_WEIGHT,
    SALT_UNIT,
    stable_key,
    stream,
    uniforms,
)

__all__ = [
    "Draws",
    "UnitTable",
    "Weighting",
    "bootstrap_means",
    "period_axis",
    "prior_draws",
    "unit_draws",
    "unit_table",
    "units_of",
]


@dataclass(frozen=True)
class UnitTable:
    """Weighted theme-share sums per (unit, period): the sufficient statistics of both tests.

    Attributes
    ----------
    themes
        Theme names, in the order of the last axis of :attr:`sums`.
    axis
        Every period in time order, including periods with no document (gaps).
    period
        ``(U,)`` index into :attr:`axis` of each unit's period.
    keys
        ``(U,)`` stable 64-bit key of each unit (its id and period).
    sums
        ``(C, U, J)`` sum of ``weight × share`` over each unit's documents, one slice per model
        seed (``C = 1`` for a deterministic measure).
    size
        ``(U,)`` sum of the documents' weights (documents: 1 each; tokens: token counts).
    n_docs
        ``(U,)`` documents in each unit.
    n_unplaced
        Documents with shares but no period.

    """

    themes: list[str]
    axis: list[object]
    period: npt.NDArray[np.intp]
    keys: npt.NDArray[np.uint64]
    sums: npt.NDArray[np.float64]
    size: npt.NDArray[np.float64]
    n_docs: npt.NDArray[np.int64]
    n_unplaced: int

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.size)

    def per_period(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Sum unit values ``(U, …)`` per period: ``(T, …)``."""
        onehot = sp.csr_matrix(
            (np.ones(self.n_units), (self.period, np.arange(self.n_units))),
            shape=(len(self.axis), self.n_units),
        )
        return np.asarray(onehot @ values, dtype=np.float64)

    def mean_sums(self) -> npt.NDArray[np.float64]:
        """``(U, J)`` sums averaged over model seeds."""
        return np.asarray(self.sums.mean(axis=0), dtype=np.float64)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the table as ``.npz`` (arrays only; periods as their labels)."""
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            themes=np.asarray(self.themes, dtype=str),
            axis=np.asarray([str(p) for p in self.axis], dtype=str),
            period=self.period.astype(np.int64),
            keys=self.keys,
            sums=self.sums,
            size=self.size,
            n_docs=self.n_docs,
            n_unplaced=np.asarray(self.n_unplaced, dtype=np.int64),
        )
        atomic_write_bytes(path, buffer.getvalue())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> UnitTable:
        """Read a table written by :meth:`save` (``allow_pickle=False``; periods as text)."""
        try:
            with np.load(path, allow_pickle=False) as found:
                return cls(
                    themes=[str(t) for t in found["themes"]],
                    axis=[str(p) for p in found["axis"]],
                    period=found["period"].astype(np.intp),
                    keys=found["keys"].astype(np.uint64),
                    sums=found["sums"].astype(np.float64),
                    size=found["size"].astype(np.float64),
                    n_docs=found["n_docs"].astype(np.int64),
                    n_unplaced=int(found["n_unplaced"]),
                )
        except FileNotFoundError as exc:
            raise PersistenceError(f"no unit table at {path}") from exc
        except (OSError, KeyError, ValueError) as exc:
            raise PersistenceError(f"{path} is not a readable unit table: {exc}") from exc


def period_axis(labels: Sequence[object]) -> list[object]:
    """All periods from the first to the last label, gaps included, in time order.

    Calendar periods (``pandas.Period`` of one frequency) are filled in, so that an empty month
    stays a gap between its neighbours; other labels (custom bins) are sorted as given.
    """
    present = list(dict.fromkeys(label for label in labels if not _missing(label)))
    if not present:
        return []
    calendar = [p for p in present if isinstance(p, pd.Period)]
    if len(calendar) == len(present) and len({p.freqstr for p in calendar}) == 1:
        first, last = min(calendar), max(calendar)
        return list(pd.period_range(first, last, freq=first.freq))
    return sorted(present, key=str)


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value))


def unit_table(
    shares: pd.DataFrame,
    periods: pd.DataFrame,
    *,
    weighting: Weighting = "documents",
    units: pd.Series | None = None,
    axis: Sequence[object] | None = None,
) -> UnitTable:
    """Sum document shares into units per period (see :class:`UnitTable`).

    Parameters
    ----------
    shares
        ``doc_id, theme, share, weight`` (and optionally ``seed``: one block per model seed).
    periods
        ``id, period``; documents without a period are left out and counted.
    weighting
        ``"documents"`` (each document weighs 1) or ``"tokens"`` (its ``weight``).
    units
        Unit id by document id (e.g. the ``parent_id`` of paragraphs); default: every document
        is its own unit.
    axis
        The complete ordered period axis; default :func:`period_axis` of the placed periods.

    """
    if weighting not in WEIGHTINGS:
        raise ConfigError(f"weighting must be one of {list(WEIGHTINGS)}, got {weighting!r}")
    missing = {"doc_id", "theme", "share", "weight"} - set(shares.columns)
    if missing:
        raise InputError(f"shares lack columns {sorted(missing)}")
    if shares["share"].isna().any():
        raise InputError("shares has missing values in column 'share'")
    theme_codes, theme_names = pd.factorize(shares["theme"])
    doc_codes, doc_names = pd.factorize(shares["doc_id"])
    seeds = np.sort(shares["seed"].unique()) if "seed" in shares.columns else np.zeros(1)
    seed_codes = (
        np.searchsorted(seeds, shares["seed"].to_numpy())
        if "seed" in shares.columns
        else np.zeros(len(shares), dtype=np.intp)
    )
    cube = np.zeros((len(seeds), len(doc_names), len(theme_names)))
    reverse = slice(None, None, -1)  # assign backwards: the first row of a duplicate wins
    cube[seed_codes[reverse], doc_codes[reverse], theme_codes[reverse]] = shares["share"].to_numpy(
        np.float64
    )[reverse]
    present = np.zeros((len(seeds), len(doc_names)), dtype=bool)
    present[seed_codes, doc_codes] = True
    if not present.all():
        raise InputError("every model seed must score the same documents")
    placed = periods.dropna(subset=["period"]).drop_duplicates("id").set_index("id")["period"]
    where = placed.index.get_indexer(pd.Index(doc_names))
    mask = where >= 0
    if not mask.any():
        raise InputError("no document has both theme shares and a period")
    labels = placed.array[where[mask]]
    full_axis = list(axis) if axis is not None else period_axis(list(pd.unique(labels)))
    doc_period = _positions(full_axis, labels)
    common = pd.Index(doc_names)[mask]
    if weighting == "tokens":
        first_row = np.unique(doc_codes, return_index=True)[1]
        doc_weight = shares["weight"].to_numpy(np.float64)[first_row][mask]
    else:
        doc_weight = np.ones(len(common))
    unit_ids = (
        common.to_numpy()
        if units is None
        else pd.Series(units).reindex(common).fillna(pd.Series(common, index=common)).to_numpy()
    )
    unit_codes, unit_names = pd.factorize(pd.Index(unit_ids).astype(str), sort=True)
    combined = doc_period.astype(np.int64) * len(unit_names) + unit_codes
    first_key, codes = np.unique(combined, return_inverse=True)
    n_units = len(first_key)
    unit_period = (first_key // len(unit_names)).astype(np.intp)
    unit_name = unit_names[first_key % len(unit_names)]
    keys = np.array(
        [stable_key(f"{u}\x1f{full_axis[p]}") for p, u in zip(unit_period, unit_name, strict=True)],
        dtype=np.uint64,
    )
    # units in (period, key) order: the order chunks of a corpus merge into (merge_tables)
    order = np.lexsort((keys, unit_period))
    rank = np.empty(n_units, dtype=np.intp)
    rank[order] = np.arange(n_units)
    codes, unit_period, keys = rank[codes], unit_period[order], keys[order]
    gather = sp.csr_matrix(
        (doc_weight, (codes, np.arange(len(common)))), shape=(n_units, len(common))
    )
    sums = np.stack([np.asarray(gather @ cube[c][mask]) for c in range(len(seeds))])
    return UnitTable(
        themes=[str(t) for t in theme_names],
        axis=full_axis,
        period=unit_period,
        keys=keys,
        sums=sums,
        size=np.bincount(codes, weights=doc_weight, minlength=n_units).astype(np.float64),
        n_docs=np.bincount(codes, minlength=n_units).astype(np.int64),
        n_unplaced=int((~mask).sum()),
    )


def _positions(
    axis: Sequence[object], labels: pd.api.extensions.ExtensionArray
) -> npt.NDArray[np.intp]:
    """Index of every label on the period axis (matched as text when the types differ)."""
    index = pd.Index(list(axis))
    found = index.get_indexer(pd.Index(labels))
    if (found < 0).any():
        found = pd.Index([str(p) for p in axis]).get_indexer(pd.Index(labels).astype(str))
    if (found < 0).any():
        stray = pd.Index(labels)[found < 0][0]
        raise InputError(f"period {stray!s} is not on the period axis")
    return np.asarray(found, dtype=np.intp)


def _cube_choice(n_cubes: int, n_boot: int, seed: int) -> npt.NDArray[np.intp]:
    """Return the model seed each bootstrap draw uses (all 0 for one seed)."""
    if n_cubes == 1:
        return np.zeros(n_boot, dtype=np.intp)
    u = uniforms(stream(seed, 0), n_boot, seed, SALT_CUBE)[0]
    return np.asarray((u * n_cubes).astype(np.intp).clip(0, n_cubes - 1), dtype=np.intp)


def unit_draws(
    table: UnitTable,
    groups: npt.NDArray[np.intp],
    n_groups: int,
    *,
    n_boot: int,
    random_state: int,
    chunk: int = 1 << 22,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Bayesian-bootstrap totals per group: ``Σ g_u s_u`` (B, G, J) and ``Σ g_u n_u`` (B, G).

    Every unit gets an Exp(1) weight ``g_u`` per draw (Rubin's Bayesian bootstrap), a pure
    function of the seed, the unit's key and the draw — the same whatever the grouping, the
    order of the data or the chunking. Groups ``< 0`` are left out.
    """
    cube = _cube_choice(table.sums.shape[0], n_boot, random_state)
    by_cube = [np.flatnonzero(cube == c) for c in range(table.sums.shape[0])]
    numer = np.zeros((n_boot, n_groups, len(table.themes)))
    denom = np.zeros((n_boot, n_groups))
    order = np.argsort(groups, kind="stable")
    bounds = np.searchsorted(groups[order], np.arange(n_groups + 1))
    step = max(1, chunk // max(n_boot, 1))
    for g in range(n_groups):
        members = order[bounds[g] : bounds[g + 1]]
        for start in range(0, len(members), step):
            idx = members[start : start + step]
            weights = -np.log(uniforms(table.keys[idx], n_boot, random_state, SALT_UNIT))
            denom[:, g] += weights.T @ table.size[idx]
            for c, chosen in enumerate(by_cube):
                if len(chosen):
                    numer[chosen, g, :] += weights[:, chosen].T @ table.sums[c][idx]
    return numer, denom


class Draws(Protocol):
    """The signature of :func:`unit_draws` (for :func:`bootstrap_means`' ``draw``)."""

    def __call__(
        self,
        table: UnitTable,
        groups: npt.NDArray[np.intp],
        n_groups: int,
        *,
        n_boot: int,
        random_state: int,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Return ``Σ g_u s_u`` (B, G, J) and ``Σ g_u n_u`` (B, G)."""
        ...


def prior_draws(
    table: UnitTable,
    group_keys: Sequence[str],
    *,
    n_boot: int,
    random_state: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """One prior pseudo-unit per group and draw: ``(B, G, J)`` and ``(B, G)`` totals.

    The pseudo-unit is a unit picked at random from the whole table with an Exp(1) weight —
    one atom of a Dirichlet-process posterior whose base measure is the corpus. Added to a
    group's :func:`unit_draws`, it gives a group of one document, or one where a theme never
    occurs, an interval of honest width instead of a single point; its pull on a group of
    ``n`` units is about ``1 / (n + 1)``.
    """
    cube = _cube_choice(table.sums.shape[0], n_boot, random_state)
    keys = np.array([stable_key(k) for k in group_keys], dtype=np.uint64)
    u = uniforms(keys, n_boot, random_state, SALT_PRIOR_PICK)
    pick = (u * table.n_units).astype(np.intp).clip(0, table.n_units - 1)  # (G, B)
    weight = -np.log(uniforms(keys, n_boot, random_state, SALT_PRIOR_WEIGHT))  # (G, B)
    numer = np.moveaxis(weight[:, :, None] * table.sums[cube[None, :], pick, :], 0, 1)
    denom = (weight * table.size[pick]).T
    return np.asarray(numer, dtype=np.float64), np.asarray(denom, dtype=np.float64)


def bootstrap_means(
    table: UnitTable,
    groups: npt.NDArray[np.intp],
    group_keys: Sequence[str],
    *,
    n_boot: int,
    random_state: int,
    draw: Draws | None = None,
) -> npt.NDArray[np.float64]:
    """Bayesian-bootstrap draws of each group's weighted mean share, ``(B, G, J)``.

    :func:`unit_draws` plus one :func:`prior_draws` pseudo-unit per group; with several model
    seeds every draw also picks one seed's shares. ``draw`` replaces :func:`unit_draws` with a
    function of the same signature and result (e.g. one that spreads groups over a cluster).
    """
    per_draw = 8.0 * 4 * len(group_keys) * (len(table.themes) + 1)  # draws, priors, the means
    check_memory(
        per_draw * n_boot, f"bootstrap draws of {len(group_keys)} periods × "
        f"{len(table.themes)} themes", name="n_boot", value=n_boot, per_unit=per_draw,
    )  # fmt: skip
    numer, denom = (draw or unit_draws)(
        table, groups, len(group_keys), n_boot=n_boot, random_state=random_state
    )
    p_numer, p_denom = prior_draws(table, group_keys, n_boot=n_boot, random_state=random_state)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((numer + p_numer) / (denom + p_denom)[:, :, None], dtype=np.float64)


def units_of(corpus: Corpus) -> pd.Series | None:
    """Return the article of each document (paragraphs), or ``None`` for whole documents."""
    if "parent_id" not in corpus.columns:
        return None
    return pd.Series(corpus.column("parent_id").to_numpy(), index=corpus.ids)
