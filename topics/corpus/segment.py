"""Splitting cleaned documents into paragraphs and sentence windows, as character spans.

Spans are ``(start, end)`` offsets into the cleaned text, so every segment can be traced back to
its place in the parent document (used by keyword-in-context views).
"""

from __future__ import annotations

import re

from ..errors import ConfigError

__all__ = [
    "ABBREVIATIONS",
    "ends_with_abbreviation",
    "paragraph_spans",
    "sentence_spans",
    "window_spans",
]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_BOUNDARY = re.compile(r"""[.!?…]["'”’»)\]]*\s+(?=["“‘«(\[]?[A-Z0-9])""")


ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "nos",
        "art",
        "arts",
        "para",
        "paras",
        "vol",
        "fig",
        "figs",
        "gen",
        "gov",
        "sen",
        "rep",
        "rev",
        "hon",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "cf",
        "al",
        "inc",
        "ltd",
        "co",
        "corp",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "h.e",
        "h.r.h",
        "approx",
        "dept",
        "est",
    ]
)
_LAST_WORD = re.compile(r"([\w.]+)\.$")
_TAIL = 24  # characters enough to hold the longest abbreviation with its full stop


def ends_with_abbreviation(text: str) -> bool:
    """Return whether ``text`` ends with an abbreviation's full stop ("Mr.", "U.S.", "J.").

    >>> ends_with_abbreviation("thank your predecessor, Mr."), ends_with_abbreviation("the end.")
    (True, False)
    """
    match = _LAST_WORD.search(text[-_TAIL:])
    if not match:
        return False
    token = match.group(1).lower().rstrip(".")
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    r"""Return the spans of the non-empty paragraphs (separated by blank lines).

    >>> paragraph_spans("One.\n\nTwo.")
    [(0, 4), (6, 10)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        if piece.strip():
            left = start + (len(piece) - len(piece.lstrip()))
            right = end - (len(piece) - len(piece.rstrip()))
            spans.append((left, right))
        if match:
            start = match.end()
    return spans


def _sentences_in(text: str, p_start: int, p_end: int) -> list[tuple[int, int]]:
    paragraph = text[p_start:p_end]
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        stop = match.start() + 1  # the abbreviation test looks only at the last few characters
        if paragraph[match.start()] == "." and ends_with_abbreviation(
            paragraph[max(0, stop - _TAIL) : stop]
        ):
            continue
        end = match.end() - (len(match.group()) - len(match.group().rstrip()))
        spans.append((p_start + start, p_start + end))
        start = match.end()
    if paragraph[start:].strip():
        spans.append((p_start + start, p_end))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return sentence spans, not splitting after abbreviations ("Mr.", "U.S.") or initials.

    >>> t = "Mr. Borrell met H.E. Tokayev. They spoke. J. Smith agreed."
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['Mr. Borrell met H.E. Tokayev.', 'They spoke.', 'J. Smith agreed.']
    """
    return [span for p in paragraph_spans(text) for span in _sentences_in(text, *p)]


def window_spans(text: str, size: int, step: int | None = None) -> list[tuple[int, int]]:
    """Return spans of windows of ``size`` consecutive sentences, advancing by ``step``.

    ``step`` defaults to ``size`` (non-overlapping windows). The last window of a paragraph may
    be shorter. Windows never cross a paragraph boundary.
    """
    if size < 1:
        raise ConfigError(f"window size must be ≥ 1 sentence, got {size}")
    step = size if step is None else step
    if step < 1:
        raise ConfigError(f"window step must be ≥ 1 sentence, got {step}")
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_spans(text):
        inside = _sentences_in(text, p_start, p_end)
        for first in range(0, len(inside), step):
            chunk = inside[first : first + size]
            spans.append((chunk[0][0], chunk[-1][1]))
            if first + size >= len(inside):
                break
    return spans
