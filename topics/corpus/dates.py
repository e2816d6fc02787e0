"""Finding the date an article reports on, with an honest precision.

Rules, in the order a reader would trust them (the first that fires wins, and it is recorded in
``date_source``):

``header``
    A scraper header line ``date YYYY-MM-DD …``.
``dateline``
    A line under the title such as ``24 January 2023, 11:08 747`` (time and a view counter).
``filename``
    A date in the file name (``2023-05-18_story.txt``, ``20230518.txt``).
``body``
    Dates mentioned in the story. Only used when nothing above fired, so "(2 February 1993)" or
    "on 7 November" inside a story never override a header. Among body dates the one the article
    reports on is chosen: dates in parentheses and dates far before the others are penalised,
    dates near the start, and "On <date>" leads, are preferred. The precision (day, month, year)
    is the precision actually written.
``column``
    A date column of a table (see :func:`parse_date_value`).

Numeric dates such as ``03/04/2022`` are read in one order per column of a table and per folder
of articles: the order the unambiguous values show (``24/02/2022`` can only be day/month,
``02/24/2022`` only month/day). A column or folder showing both orders is an error naming
examples of each; one where every value is ambiguous is read day/month with a warning saying so
(:func:`decide_dayfirst`). ``dayfirst=True``/``False`` imposes an order; a value that does not
fit it is kept undated. Year-first dates (``2022-03-04``, ``2017/1/23 14:05``) are never
ambiguous.

Times are dropped; a value with a time-zone offset (``2022-03-01T23:30-08:00``, or a
timezone-aware timestamp) is converted to UTC first, so its date is the UTC calendar day
(2022-03-02 here). Dates outside 1678–2261 (what ``datetime64[ns]`` holds) leave a row undated.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = [
    "DateMention",
    "OrderEvidence",
    "Precision",
    "best_body_date",
    "decide_dayfirst",
    "find_dates",
    "has_time_zone",
    "order_evidence",
    "parse_date_value",
]

Precision = Literal["day", "month", "year", "none"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})"

_PATTERNS: tuple[tuple[re.Pattern[str], Precision], ...] = (
    (re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<dnum>[0-3]\d)\b"), "day"),
    (re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.I), "day"),
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I), "day"),
    (re.compile(rf"\b(?P<n1>[0-3]?\d)[./](?P<n2>[0-3]?\d)[./]{_YEAR}\b"), "day"),
    (re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", re.I), "month"),
    (re.compile(rf"\b(?:in|since|of|by|until|year)\s+{_YEAR}\b(?!\s*[-–]\s*\d)", re.I), "year"),
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date written in a text, with where it was found and how precise it is."""

    date: pd.Timestamp
    precision: Precision
    start: int
    end: int
    in_parentheses: bool
    leading: bool


# Dates are stored as datetime64[ns], which spans 1677-09-21 … 2262-04-11.
MIN_YEAR, MAX_YEAR = 1678, 2261


def _to_timestamp(year: int, month: int = 1, day: int = 1) -> pd.Timestamp | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return None


def _inside_parentheses(text: str, start: int) -> bool:
    before = text[max(0, start - 60) : start]
    return before.rfind("(") > before.rfind(")")


def numeric_day(first: int, second: int, year: int, dayfirst: bool | None) -> pd.Timestamp | None:
    """Return the date ``first/second/year`` in the given order, or ``None`` if invalid.

    ``dayfirst=None`` takes the order that fits, day/month when both do.
    """
    orders = [dayfirst] if dayfirst is not None else [True, False]
    for order in orders:
        day, month = (first, second) if order else (second, first)
        stamp = _to_timestamp(year, month, day)
        if stamp is not None:
            return stamp
    return None


def find_dates(text: str, dayfirst: bool | None = None) -> list[DateMention]:
    """Return every fully specified date (with a year) written in ``text``, in text order.

    Overlapping mentions keep the most precise one ("2 February 1993" is one day-precision
    mention, not also a month-precision "February 1993"). Numeric dates (``03/04/2022``) are
    read in the order ``dayfirst`` gives (``None``: the order that fits, day/month when both
    do).

    >>> [(m.date.strftime("%Y-%m-%d"), m.precision) for m in find_dates("On November 2022 we met")]
    [('2022-11-01', 'month')]
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, precision in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            groups = match.groupdict()
            year = int(groups["year"])
            if groups.get("n1"):
                stamp = numeric_day(int(groups["n1"]), int(groups["n2"]), year, dayfirst)
            else:
                month = (
                    _MONTHS[groups["month"].lower()]
                    if groups.get("month")
                    else int(groups.get("mnum") or 1)
                )
                day = int(groups.get("day") or groups.get("dnum") or 1)
                stamp = _to_timestamp(year, month, day)
            if stamp is None:
                continue
            lead = text[max(0, start - 12) : start].lower()
            taken.append((start, end))
            found.append(
                DateMention(
                    date=stamp,
                    precision=precision,
                    start=start,
                    end=end,
                    in_parentheses=_inside_parentheses(text, start),
                    leading=start < 40 or bool(re.search(r"\b(on|as of)\s+$", lead)),
                )
            )
    return sorted(found, key=lambda m: m.start)


_PRECISION_BONUS = {"day": 0.3, "month": 0.2, "year": 0.0, "none": 0.0}


def best_body_date(text: str, dayfirst: bool | None = None) -> DateMention | None:
    """Choose the date a story reports on from the dates mentioned in its body.

    Scoring favours an early position and an "On <date>" lead and penalises dates in parentheses
    and dates more than two years before the latest date mentioned (anniversaries, history).
    Ties go to the earlier mention. Returns ``None`` when the body names no date with a year.

    >>> m = best_body_date("On November 2022 he came, before the anniversary (2 February 1993).")
    >>> m.date.strftime("%Y-%m"), m.precision
    ('2022-11', 'month')
    """
    mentions = find_dates(text, dayfirst)
    if not mentions:
        return None
    latest = max(m.date for m in mentions)
    length = max(len(text), 1)

    def score(mention: DateMention) -> float:
        value = 1.0 - 0.5 * (mention.start / length)
        value += 1.0 if mention.leading else 0.0
        value -= 1.5 if mention.in_parentheses else 0.0
        years_before = (latest - mention.date).days / 365.25
        value -= 1.5 if years_before > 2 else 0.0
        value += _PRECISION_BONUS[mention.precision]
        return value

    return max(mentions, key=lambda m: (score(m), -m.start))


_YEAR_ONLY = re.compile(r"^\s*(\d{4})(?:\.0+)?\s*$")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})\s*$")
_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[-/.](\d{4})\s*$")
_NUMERIC = re.compile(
    r"^\s*(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?:(?:[ T]|,\s*)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?)?\s*$",
    re.I,
)
_ZONE = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})\s*$", re.I)


def _numeric_parts(value: object) -> tuple[int, int, int] | None:
    """``(first, second, year)`` of a numeric day/month date string, else ``None``."""
    if not isinstance(value, str):
        return None
    match = _NUMERIC.match(value)
    if match is None:
        return None
    year = int(match["y"])
    if len(match["y"]) == 2:  # the POSIX %y rule
        year += 2000 if year < 69 else 1900
    return int(match["a"]), int(match["b"]), year


def has_time_zone(value: object) -> bool:
    """Return whether a date value carries a time-zone offset (converted to UTC when read)."""
    if isinstance(value, _dt.datetime):
        return value.tzinfo is not None
    return isinstance(value, str) and _ZONE.search(value) is not None


@dataclass(frozen=True, slots=True)
class OrderEvidence:
    """What the numeric dates of a column (or folder) say about day/month order.

    Attributes
    ----------
    day_first, month_first
        Positions of values valid only day/month, only month/day.
    ambiguous
        Positions of values valid both ways with different dates.

    """

    day_first: tuple[int, ...]
    month_first: tuple[int, ...]
    ambiguous: tuple[int, ...]


def order_evidence(values: Sequence[object]) -> OrderEvidence:
    """Sort the numeric dates among ``values`` by what they say about the order.

    >>> order_evidence(["24/02/2022", "03/04/2022", "2022-05-01", "05/05/2022"])
    OrderEvidence(day_first=(0,), month_first=(), ambiguous=(1,))
    """
    day: list[int] = []
    month: list[int] = []
    both: list[int] = []
    for i, value in enumerate(values):
        parts = _numeric_parts(value)
        if parts is None:
            continue
        a, b, year = parts
        as_day, as_month = numeric_day(a, b, year, True), numeric_day(a, b, year, False)
        if as_day is not None and as_month is not None:
            if as_day != as_month:
                both.append(i)
        elif as_day is not None:
            day.append(i)
        elif as_month is not None:
            month.append(i)
    return OrderEvidence(tuple(day), tuple(month), tuple(both))


def decide_dayfirst(
    values: Sequence[object],
    dayfirst: bool | None,
    where: str,
    label: Callable[[int], str] = lambda i: f"row {i + 1}",
) -> tuple[bool | None, str | None]:
    """Decide the day/month order of a column or folder of dates.

    Returns ``(dayfirst, note)``: the order to read with (``None`` when there are no numeric
    dates to order) and, when every numeric date was ambiguous, a note saying how many and
    which order was used. A given ``dayfirst`` is returned as it is.

    Raises
    ------
    InputError
        When unambiguous values show both orders; the message names an example of each.

    """
    if dayfirst is not None:
        return dayfirst, None
    evidence = order_evidence(values)
    if evidence.day_first and evidence.month_first:
        d, m = evidence.day_first[0], evidence.month_first[0]
        raise InputError(
            f"{where} mixes day/month and month/day dates: {label(d)} has {values[d]!r} "
            f"(only day/month) and {label(m)} has {values[m]!r} (only month/day); choose one "
            "order with --dayfirst or --monthfirst (dayfirst=True/False in Python, "
            "corpus.dayfirst in a report config); dates that do not fit it are kept undated"
        )
    if evidence.day_first:
        return True, None
    if evidence.month_first:
        return False, None
    if evidence.ambiguous:
        first = evidence.ambiguous[0]
        note = (
            f"{where}: all {len(evidence.ambiguous)} numeric dates such as {values[first]!r} "
            "could be day/month or month/day; read as day/month (use --monthfirst if they are "
            "month/day)"
        )
        return True, note
    return None, None


def _from_datetime(value: _dt.datetime | _dt.date | np.datetime64) -> pd.Timestamp:
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise ValueError("not a date")
        value = value.astype("datetime64[us]").item()
        if not isinstance(value, _dt.datetime | _dt.date):
            raise ValueError(f"{value!r} is outside the dates this package stores")
    if isinstance(value, _dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(_dt.UTC).replace(tzinfo=None)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"{value.isoformat()} is outside {MIN_YEAR}–{MAX_YEAR}")
    return pd.Timestamp(value.year, value.month, value.day)


def parse_date_value(
    value: object, dayfirst: bool | None = None
) -> tuple[pd.Timestamp | None, Precision]:
    """Parse one value of a date column, returning the date and the precision written.

    Integers and four-digit strings are years; ``YYYY-MM`` and ``MM/YYYY`` are months;
    numeric ``D/M/Y`` dates follow ``dayfirst`` (``None``: the order that fits, day/month when
    both do — columns decide it once with :func:`decide_dayfirst`); anything else pandas can
    parse as a full date is a day. Time-zone-aware values are converted to UTC before the time
    is dropped. Missing values give ``(None, "none")``; unparseable or out-of-range ones raise
    ``ValueError`` (the caller names the row and column).

    >>> parse_date_value(2015)
    (Timestamp('2015-01-01 00:00:00'), 'year')
    >>> parse_date_value("06/2022")
    (Timestamp('2022-06-01 00:00:00'), 'month')
    >>> parse_date_value("03/04/2022", dayfirst=False)
    (Timestamp('2022-03-04 00:00:00'), 'day')
    >>> parse_date_value("2022-03-01T23:30:00-08:00")
    (Timestamp('2022-03-02 00:00:00'), 'day')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None, "none"
    if isinstance(value, _dt.datetime | _dt.date | np.datetime64):  # also pd.Timestamp
        return _from_datetime(value), "day"
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, int | float | np.integer | np.floating):
        if float(value).is_integer() and MIN_YEAR <= value <= MAX_YEAR:
            return pd.Timestamp(year=int(value), month=1, day=1), "year"
        raise ValueError(f"{value!r} is not a year between {MIN_YEAR} and {MAX_YEAR}")
    if not isinstance(value, str):
        raise ValueError(f"a {type(value).__name__} is not a date")
    text = value.strip()
    if not text:
        return None, "none"
    if match := _YEAR_ONLY.match(text):
        year = _to_timestamp(int(match.group(1)))
        if year is None:
            raise ValueError(f"{text!r} is not a year between {MIN_YEAR} and {MAX_YEAR}")
        return year, "year"
    if (match := _YEAR_MONTH.match(text)) or (match := _MONTH_YEAR.match(text)):
        year_first = match.re is _YEAR_MONTH
        year_text, month_text = match.groups() if year_first else match.groups()[::-1]
        stamp = _to_timestamp(int(year_text), int(month_text))
        if stamp is None or not 1 <= int(month_text) <= 12:
            raise ValueError(f"{text!r} is not a valid year and month")
        return stamp, "month"
    if (parts := _numeric_parts(text)) is not None:
        stamp = numeric_day(*parts, dayfirst)
        if stamp is None:
            order = {True: " as day/month", False: " as month/day", None: ""}[dayfirst]
            raise ValueError(f"{text!r} is not a valid date{order}")
        return stamp, "day"
    mentions = find_dates(text, dayfirst)
    if len(mentions) == 1 and mentions[0].end - mentions[0].start >= len(text) - 1:
        return mentions[0].date, mentions[0].precision
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"{text!r} is not a date") from exc
    if pd.isna(stamp):
        raise ValueError(f"{text!r} is not a date")
    return _from_datetime(stamp.to_pydatetime()), "day"
