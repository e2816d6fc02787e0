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
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

__all__ = [
    "DateMention",
    "Precision",
    "best_body_date",
    "find_dates",
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
    (re.compile(rf"\b(?P<dnum>[0-3]?\d)[./](?P<mnum>[01]?\d)[./]{_YEAR}\b"), "day"),
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


def find_dates(text: str) -> list[DateMention]:
    """Return every fully specified date (with a year) written in ``text``, in text order.

    Overlapping mentions keep the most precise one ("2 February 1993" is one day-precision
    mention, not also a month-precision "February 1993").

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


def best_body_date(text: str) -> DateMention | None:
    """Choose the date a story reports on from the dates mentioned in its body.

    Scoring favours an early position and an "On <date>" lead and penalises dates in parentheses
    and dates more than two years before the latest date mentioned (anniversaries, history).
    Ties go to the earlier mention. Returns ``None`` when the body names no date with a year.

    >>> m = best_body_date("On November 2022 he came, before the anniversary (2 February 1993).")
    >>> m.date.strftime("%Y-%m"), m.precision
    ('2022-11', 'month')
    """
    mentions = find_dates(text)
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


def parse_date_value(value: object) -> tuple[pd.Timestamp | None, Precision]:
    """Parse one value of a date column, returning the date and the precision written.

    Integers and four-digit strings are years; ``YYYY-MM`` is a month; anything pandas can
    parse as a full date is a day. Missing values give ``(None, "none")``; unparseable ones raise
    ``ValueError`` (the caller names the row and column).

    >>> parse_date_value(2015)
    (Timestamp('2015-01-01 00:00:00'), 'year')
    >>> parse_date_value("2022-11")
    (Timestamp('2022-11-01 00:00:00'), 'month')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None, "none"
    if isinstance(value, pd.Timestamp):
        return value.normalize(), "day"
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        if float(value).is_integer() and MIN_YEAR <= value <= MAX_YEAR:
            return pd.Timestamp(year=int(value), month=1, day=1), "year"
        raise ValueError(f"{value!r} is not a year between {MIN_YEAR} and {MAX_YEAR}")
    text = str(value).strip()
    if not text:
        return None, "none"
    if match := _YEAR_ONLY.match(text):
        year = _to_timestamp(int(match.group(1)))
        if year is None:
            raise ValueError(f"{text!r} is not a year between {MIN_YEAR} and {MAX_YEAR}")
        return year, "year"
    if match := _YEAR_MONTH.match(text):
        stamp = _to_timestamp(int(match.group(1)), int(match.group(2)))
        if stamp is None:
            raise ValueError(f"{text!r} is not a valid year-month")
        return stamp, "month"
    mentions = find_dates(text)
    if len(mentions) == 1 and mentions[0].end - mentions[0].start >= len(text) - 1:
        return mentions[0].date, mentions[0].precision
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"{text!r} is not a date") from exc
    if pd.isna(stamp) or not MIN_YEAR <= stamp.year <= MAX_YEAR:
        raise ValueError(f"{text!r} is not a date")
    return stamp.tz_localize(None).normalize() if stamp.tzinfo else stamp.normalize(), "day"
