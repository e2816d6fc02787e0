"""The one long-frame builder: a documents × columns matrix as a tidy frame.

Theme measures, topic models and prevalence all hand their results on in the long shape
(one row per document and theme or topic); :func:`long_frame` is the only place that builds it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["long_frame"]


def long_frame(
    values: npt.ArrayLike,
    rows: Sequence[object],
    columns: Sequence[object],
    *,
    names: tuple[str, str, str] = ("doc_id", "theme", "share"),
    per_row: Mapping[str, npt.ArrayLike] | None = None,
) -> pd.DataFrame:
    """Turn an ``(n_rows, n_columns)`` matrix into ``row, column, value`` plus per-row columns.

    >>> long_frame([[0.1, 0.2]], ["d1"], ["a", "b"], per_row={"weight": [5]})
      doc_id theme  share  weight
    0     d1     a    0.1       5
    1     d1     b    0.2       5
    """
    matrix = np.asarray(values, dtype=np.float64).reshape(len(rows), len(columns))
    keys = np.asarray(columns)
    if keys.dtype.kind in "USO":  # names stay Python strings (object), numbers stay numbers
        keys = keys.astype(object)
    frame = pd.DataFrame(
        {
            names[0]: np.repeat(np.asarray(rows, dtype=object), len(columns)),
            names[1]: np.tile(keys, len(rows)),
            names[2]: matrix.ravel(),
        }
    )
    for name, column in (per_row or {}).items():
        frame[name] = np.repeat(np.asarray(column), len(columns))
    return frame
