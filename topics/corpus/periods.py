"""Assigning dated documents to periods without inventing precision.

A document dated only to a year cannot honestly be placed in a month: :func:`assign_periods`
leaves it unassigned (and says so) when its date precision is coarser than the period asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..defaults import WEEKDAYS, Frequency, WeekStart
from ..errors import ConfigError, InputError
from .corpus import Corpus

__all__ = [
    "PERIOD_CODES",
    "WEEKDAYS",
    "Frequency",
    "WeekStart",
    "assign_bins",
    "assign_periods",
    "assign_year_bins",
    "documents_per_period",
    "period_code",
]

#: pandas period code of each frequency (weeks: Monday to Sunday, see :func:`period_code`).
PERIOD_CODES: dict[str, str] = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, "none": 5}


def period_code(freq: Frequency, week_start: WeekStart = "monday") -> str:
    """Return the pandas period code of ``freq``; weeks start on ``week_start`` (ISO: Monday).

    >>> period_code("week"), period_code("week", "sunday"), period_code("month")
    ('W-SUN', 'W-SAT', 'M')
    """
    if freq not in PERIOD_CODES:
        raise ConfigError(f"freq must be one of {sorted(PERIOD_CODES)}, got {freq!r}")
    if week_start not in WEEKDAYS:
        raise ConfigError(f"week_start must be one of {list(WEEKDAYS)}, got {week_start!r}")
    if freq != "week":
        return PERIOD_CODES[freq]
    last_day = WEEKDAYS[(WEEKDAYS.index(week_start) - 1) % 7]
    return f"W-{last_day[:3].upper()}"


def assign_periods(
    corpus: Corpus, freq: Frequency, *, week_start: WeekStart = "monday"
) -> pd.DataFrame:
    """Return one row per document: ``id, period, assigned, reason``.

    ``period`` is a ``pandas.Period`` (NaT when not assigned). A document is not assigned when
    it has no date, or when its date precision is coarser than ``freq`` (a year-only date in
    monthly bins); ``reason`` says which. Weeks run Monday to Sunday (ISO 8601) unless
    ``week_start`` names another first day; a week's label is its first and last day,
    e.g. ``2022-02-21/2022-02-27``.
    """
    code = period_code(freq, week_start)
    frame = corpus.to_frame()
    precision = frame["date_precision"].astype(str)
    too_coarse = precision.map(_RANK) > _RANK[freq]
    undated = frame["date"].isna()
    assigned = ~(undated | too_coarse)
    periods = pd.Series(pd.NaT, index=frame.index, dtype=f"period[{code}]")
    periods[assigned] = frame.loc[assigned, "date"].dt.to_period(code)
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
    return (
        frame.groupby(["period", "date_precision"], dropna=False, observed=True)
        .size()
        .rename("n_docs")
        .reset_index()
        .sort_values(["period", "date_precision"], na_position="last", kind="stable")
        .reset_index(drop=True)
    )


def assign_bins(corpus: Corpus, edges: Sequence[str | pd.Timestamp]) -> pd.DataFrame:
    """Assign documents to custom bins split at ``edges`` (e.g. ``["2022-02-24"]``).

    Bin ``i`` covers ``[edges[i-1], edges[i])``; the first and last are open-ended. A document
    is placed only when the whole span its date stands for (a day, a month or a year, by its
    precision) lies inside one bin: "2022-02" straddles a 2022-02-24 edge and is not placed
    (``reason`` says so). Labels are ``"… – 2022-02-23"``, ``"2022-02-24 – …"`` and sort in time
    order. Returns ``id, period, assigned, reason`` like :func:`assign_periods`.
    """
    if not edges:
        raise ConfigError("give at least one edge date")
    try:
        cuts = sorted(pd.Timestamp(e) for e in edges)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"bin edges must be dates: {exc}") from exc
    labels = []
    for i in range(len(cuts) + 1):
        left = "…" if i == 0 else cuts[i - 1].strftime("%Y-%m-%d")
        right = "…" if i == len(cuts) else (cuts[i] - pd.Timedelta(days=1)).strftime("%Y-%m-%d")
        labels.append(f"{i:02d} {left} – {right}")
    frame = corpus.to_frame()
    start = frame["date"]
    offsets = {
        "day": pd.DateOffset(days=1),
        "month": pd.DateOffset(months=1),
        "year": pd.DateOffset(years=1),
    }
    periods: list[str | None] = []
    reasons: list[str] = []
    edges_ns = pd.DatetimeIndex(cuts).as_unit("ns")
    for begin, precision in zip(start, frame["date_precision"].astype(str), strict=True):
        if pd.isna(begin):
            periods.append(None)
            reasons.append("no date")
            continue
        end = begin + offsets.get(precision, pd.DateOffset(days=1)) - pd.Timedelta(nanoseconds=1)
        first = int(edges_ns.searchsorted(pd.Timestamp(begin).as_unit("ns"), side="right"))
        last = int(edges_ns.searchsorted(pd.Timestamp(end).as_unit("ns"), side="right"))
        periods.append(labels[first] if first == last else None)
        reasons.append("" if first == last else f"a {precision}-precision date spans a bin edge")
    return _placed(frame["id"], periods, reasons)


def assign_year_bins(corpus: Corpus, width: int, *, start: int | None = None) -> pd.DataFrame:
    """Assign documents to bins of ``width`` years labelled ``"2000–2004"``.

    Bins start at ``start`` (default: the earliest year in the corpus) and labels sort in time
    order. Any dated document is placed (a year, month or day lies inside one year); undated
    ones are not, with ``reason = "no date"``. Returns ``id, period, assigned, reason`` like
    :func:`assign_periods`.

    >>> corpus = Corpus.from_texts(["a", "b", "c"], dates=["2001-05-02", 2006, None])
    >>> assign_year_bins(corpus, 5, start=2000)["period"].tolist()
    ['2000–2004', '2005–2009', None]
    """
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ConfigError(f"width must be a positive number of years, got {width!r}")
    frame = corpus.to_frame()
    years = frame["date"].dt.year
    if years.isna().all():
        raise InputError("no document has a date: nothing to bin")
    first = int(years.min()) if start is None else int(start)
    lows = first + (years - first) // width * width
    periods = [None if pd.isna(low) else f"{int(low)}–{int(low) + width - 1}" for low in lows]
    return _placed(frame["id"], periods, ["" if p is not None else "no date" for p in periods])


def _placed(ids: pd.Series, periods: list[str | None], reasons: list[str]) -> pd.DataFrame:
    """``id, period, assigned, reason`` of custom bins (a document is assigned if it has one)."""
    return pd.DataFrame(
        {"id": ids, "period": pd.Series(periods, dtype="object"),
         "assigned": pd.Series([p is not None for p in periods]),
         "reason": pd.Series(reasons, dtype="string")}
    )  # fmt: skip
