"""Merging the unit tables of chunks of one corpus into the table of the whole corpus."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import InputError
from .units import UnitTable, _positions, period_axis

__all__ = ["merge_tables"]


def merge_tables(parts: Sequence[UnitTable]) -> UnitTable:
    """Combine the unit tables of chunks of one corpus into the table of the whole corpus.

    Periods are matched by label and the axis is rebuilt over all of them (gaps filled as in
    :func:`period_axis`); a unit found in several chunks has its sums added. Units come out in
    (period, key) order, as :func:`unit_table` orders them, so the result equals the table of
    the whole corpus — bit for bit when no unit straddles two chunks (a dataset never splits an
    article), else up to the order of floating-point additions.
    """
    if not parts:
        raise InputError("no chunk has a document with both theme shares and a period")
    themes = parts[0].themes
    for part in parts[1:]:
        if part.themes != themes:
            raise InputError(f"chunks disagree on the themes: {part.themes} vs {themes}")
    axis = period_axis([part.axis[i] for part in parts for i in np.unique(part.period)])
    period = np.concatenate(
        [_positions(axis, pd.array(part.axis, dtype=object))[part.period] for part in parts]
    )
    keys = np.concatenate([part.keys for part in parts])
    order = np.lexsort((keys, period))
    period, keys = period[order], keys[order]
    first = np.flatnonzero(np.r_[True, (period[1:] != period[:-1]) | (keys[1:] != keys[:-1])])

    def merged(values: npt.NDArray[Any], axis_: int = 0) -> npt.NDArray[Any]:
        ordered = np.take(values, order, axis=axis_)
        if len(first) == len(order):
            return ordered
        return np.add.reduceat(ordered, first, axis=axis_)

    return UnitTable(
        themes=list(themes),
        axis=axis,
        period=period[first],
        keys=keys[first],
        sums=merged(np.concatenate([part.sums for part in parts], axis=1), 1),
        size=merged(np.concatenate([part.size for part in parts])),
        n_docs=merged(np.concatenate([part.n_docs for part in parts])),
        n_unplaced=sum(part.n_unplaced for part in parts),
    )
