"""Assigning dated documents to periods without inventing precision.

A document dated only to a year cannot honestly be placed in a month: :func:`assign_periods`
leaves it unassigned (and says so) when its date precision is coarser than the period asked for.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from .corpus import Corpus
from .errors import ConfigError

__all__ = ["FREQUENCIES", "assign_periods", "documents_per_period"]

Frequency = Literal["week", "month", "quarter", "year"]
FREQUENCIES: dict[str, str] = {"week": "W-MON", "month": "M", "quarter": "Q", "year": "Y"}
_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, "none": 5}


def assign_periods(corpus: Corpus, freq: Frequency) -> pd.DataFrame:
    """Return one row per document: ``id, period, assigned, reason``.

    ``period`` is a ``pandas.Period`` (NaT when not assigned). A document is not assigned when
    it has no date, or when its date precision is coarser than ``freq`` (a year-only date in
    monthly bins); ``reason`` says which.
    """
    if freq not in FREQUENCIES:
        raise ConfigError(f"freq must be one of {sorted(FREQUENCIES)}, got {freq!r}")
    frame = corpus.to_frame()
    precision = frame["date_precision"].astype(str)
    too_coarse = precision.map(_RANK) > _RANK[freq]
    undated = frame["date"].isna()
    assigned = ~(undated | too_coarse)
    periods = pd.Series(pd.NaT, index=frame.index, dtype=f"period[{FREQUENCIES[freq]}]")
    periods[assigned] = frame.loc[assigned, "date"].dt.to_period(FREQUENCIES[freq])
    reason = pd.Series("", index=frame.index, dtype="string")
    reason[too_coarse & ~undated] = "date precision coarser than " + freq
    reason[undated] = "no date"
    return pd.DataFrame(
        {"id": frame["id"], "period": periods, "assigned": assigned, "reason": reason}
    )


def documents_per_period(corpus: Corpus, freq: Frequency = "year") -> pd.DataFrame:
    """Count documents per period and date precision (tidy: ``period, date_precision, n_docs``).

    Documents that cannot be placed at this frequency are counted under ``period = NaT`` so
    the totals still equal the corpus size.
    """
    periods = assign_periods(corpus, freq)
    frame = pd.DataFrame(
        {
            "period": periods["period"],
            "date_precision": corpus.column("date_precision").astype(str),
        }
    )
    counts = (
        frame.groupby(["period", "date_precision"], dropna=False, observed=True)
        .size()
        .rename("n_docs")
        .reset_index()
        .sort_values(["period", "date_precision"], na_position="last", kind="stable")
        .reset_index(drop=True)
    )
    return counts
