"""Parsing one scraped press article: title, date, outlet and the body without page furniture.

Three header styles occur in our users' corpora (see ``data/seeds``)::

     date 2022-03-27 Kazakhstan and EU debated perspectives …      (scraper header + title)
     date 2021-11-22 DUSHANBE. KAZINFORM – Deputy Prime-Minister …  (header, then the body)

    Kazakhstan and EU mark 30th anniversary of diplomatic relations   (title line)

    24 January 2023, 11:08 747                                        (dateline + view counter)

and articles with no header at all, whose only date is in the body ("On November 2022 …").
The date rules and their order are documented in :mod:`topics.dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..corpus.dates import Precision, best_body_date, find_dates, numeric_day

__all__ = ["ParsedArticle", "parse_article"]

_HEADER = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\b[ \t]*(?P<rest>.*)$", re.I)
_DATELINE_DATE = (
    r"(?P<date>\d{4}-\d{2}-\d{2}|[0-3]?\d\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
    r"|[A-Za-z]{3,9}\.?\s+[0-3]?\d,?\s+\d{4}|[0-3]?\d[./][0-3]?\d[./]\d{4})"
)
_DATELINE = re.compile(
    rf"^\s*{_DATELINE_DATE}(?:,?\s*(?P<time>[0-2]?\d:[0-5]\d))?(?:\s+(?P<views>\d+))?\s*$"
)
# "Images | gov.kz": a gallery page title carrying only the outlet's domain.
_DOMAIN_TITLE = re.compile(
    r"^\s*(?:(?:images?|photos?|videos?|gallery|news)\s*)?\|\s*(?P<domain>[\w-]+(?:\.[\w-]+)+)\s*$",
    re.I,
)
# "DUSHANBE. KAZINFORM – …" / "DOHA. KAZINFORM …": a wire-style lead naming place and agency.
_LEAD = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'\-]+(?:\s[A-Z][A-Z'\-]+){0,3})\.\s+"
    r"(?P<outlet>[A-Z][A-Z\-]{2,}(?:\.[A-Z]{2,})?)\b[ \t]*[–—-]?[ \t]*"
)
_FILENAME_DATE = re.compile(
    r"(?:^|[_\-. ])(?P<y>(?:19|20)\d{2})-?(?P<m>[01]\d)-?(?P<d>[0-3]\d)(?:$|[_\-. ])"
)
_TITLE_MAX = 200


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """What :func:`parse_article` found in one article."""

    body: str
    title: str | None
    date: pd.Timestamp | None
    date_precision: Precision
    date_source: str
    outlet: str | None
    place: str | None
    numeric_date: str | None = None


def _looks_like_title(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > _TITLE_MAX or _LEAD.match(stripped):
        return False
    # A title is one unit: no sentence break inside it, and no full stop at its end.
    return not re.search(r"[.!?]\s+[A-Z]", stripped) and not stripped.endswith(".")


_NUMERIC_DATE = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")


def _dateline_date(line: str, dayfirst: bool | None) -> tuple[pd.Timestamp | None, str | None]:
    """Return the date of a dateline, and its text when it is numeric (``24.01.2023``).

    A numeric dateline is recognised as one even when no allowed order makes it a valid date
    (its date is then ``None``), so the order a folder agrees on can be applied later.
    """
    match = _DATELINE.match(line)
    if not match:
        return None, None
    text = match.group("date")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return pd.Timestamp(text), None
        except ValueError:
            return None, None
    if numeric := _NUMERIC_DATE.fullmatch(text):
        first, second, year = (int(g) for g in numeric.groups())
        return numeric_day(first, second, year, dayfirst), text
    mentions = find_dates(text, dayfirst)
    return (mentions[0].date if mentions and mentions[0].precision == "day" else None), None


def _filename_date(name: str) -> pd.Timestamp | None:
    match = _FILENAME_DATE.search(name)
    return numeric_day(int(match["d"]), int(match["m"]), int(match["y"]), True) if match else None


def _split_lead(body: str) -> tuple[str, str | None, str | None]:
    match = _LEAD.match(body)
    if not match:
        return body, None, None
    return body[match.end() :], match["place"].title(), match["outlet"].title()


def _head_spans(text: str, wanted: int = 2) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of the lines up to the ``wanted``-th non-empty one (or all)."""
    spans: list[tuple[int, int]] = []
    start = found = 0
    while True:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        spans.append((start, end))
        found += not text[start:end].isspace() and end > start
        if found == wanted or end == len(text):
            return spans
        start = end + 1


def parse_article(text: str, filename: str = "", dayfirst: bool | None = None) -> ParsedArticle:
    r"""Parse a decoded article into body, title, date (with precision and source) and outlet.

    Parameters
    ----------
    text
        The decoded article.
    filename
        The file's name, used by the ``filename`` date rule when no header or dateline exists.
    dayfirst
        Day/month order of numeric dates (``24.01.2023``); ``None`` reads each in the order that
        fits it, day/month when both do (:func:`topics.io.readers.read_articles` decides the order
        once per folder).

    Examples
    --------
    >>> a = parse_article("Title here\n\n24 January 2023, 11:08 747\n\nBody text.")
    >>> a.title, a.date.date().isoformat(), a.date_source, a.body
    ('Title here', '2023-01-24', 'dateline', 'Body text.')

    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    spans = _head_spans(text)
    lines = [text[start:end] for start, end in spans]  # only the head: a header is up there
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    title: str | None = None
    outlet: str | None = None
    date: pd.Timestamp | None = None
    precision: Precision = "none"
    source = "none"
    body_start = 0
    head_text = ""
    dateline: tuple[pd.Timestamp | None, str | None] = (None, None)  # its date, numeric text
    if nonempty:
        first = nonempty[0]
        header = _HEADER.match(lines[first])
        if header:
            try:
                date, precision, source = pd.Timestamp(header["date"]), "day", "header"
            except ValueError:
                date = None
            rest = header["rest"].strip()
            domain = _DOMAIN_TITLE.match(rest)
            if domain:
                outlet = domain["domain"]
            elif _looks_like_title(rest):
                title = rest
            else:
                head_text = rest
            body_start = first + 1
        elif (dateline := _dateline_date(lines[first], dayfirst)) != (None, None):
            body_start = first + 1
        elif len(nonempty) > 1 and _looks_like_title(lines[first]):
            second = nonempty[1]
            found = _dateline_date(lines[second], dayfirst)
            if found != (None, None) and second - first <= 3:
                dateline, title, body_start = found, lines[first].strip(), second + 1
            elif second - first >= 2:  # a short line set off by a blank line: a title
                title, body_start = lines[first].strip(), first + 1
    stamp, numeric = dateline
    if stamp is not None:
        date, precision, source = stamp, "day", "dateline"
    rest = text[spans[body_start - 1][1] + 1 :] if body_start else text
    body = f"{head_text}\n{rest}" if head_text else rest
    del rest
    body = body.strip("\n")
    body, place, lead_outlet = _split_lead(body.lstrip())
    outlet = outlet or lead_outlet
    if date is None and (stamp := _filename_date(filename)) is not None:
        date, precision, source = stamp, "day", "filename"
    if date is None:
        mention = best_body_date(body, dayfirst)
        if mention is not None:
            date, precision, source = mention.date, mention.precision, "body"
    return ParsedArticle(
        body=body,
        title=title,
        date=date,
        date_precision=precision,
        date_source=source,
        outlet=outlet,
        place=place,
        numeric_date=numeric,
    )
