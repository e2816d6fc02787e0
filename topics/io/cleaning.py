"""Text cleaning that keeps meaning and never touches the stored ``raw_text``.

The cleaners are small pure functions composed by :func:`clean_text`:

1. :func:`normalize_unicode` — mojibake repair (ftfy), NFKC normalisation, zero-width and control
   characters removed, Cyrillic look-alike letters inside Latin words mapped back to Latin
   ("Мinister" typed with a Cyrillic М becomes "Minister").
2. :func:`drop_boilerplate_lines` — page headers of UN documents (``23/09/2015 A/70/PV.13``),
   document job numbers (``15-29336 5/31``), bare page numbers, rules and interpreter notes.
3. :func:`paragraphs` — PDF hard line-breaks re-joined: a line break after sentence-final
   punctuation or a blank line ends a paragraph; any other line break is a soft wrap
   (with hyphenation at the break repaired only when the joined word is a known English word).
4. :func:`repair_spacing` — a missing space after a full stop ("Asia.The") restored.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import ftfy
import simplemma

from ..corpus.segment import ABBREVIATIONS, ends_with_abbreviation

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SPACES = re.compile(r"[ \t]{2,}|\t")  # after NFKC, other blanks are plain spaces

__all__ = [
    "ABBREVIATIONS",
    "clean_text",
    "drop_boilerplate_lines",
    "ends_with_abbreviation",
    "fix_homoglyphs",
    "normalize_unicode",
    "paragraphs",
    "repair_spacing",
]

# Cyrillic (and Greek) letters that look like Latin ones. Only applied inside words that also
# contain Latin letters, so genuine Cyrillic text is left alone.
_CONFUSABLES = str.maketrans(
    {
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "Х": "X", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c",
        "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "І": "I", "Ј": "J", "Ѕ": "S",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o",
    }
)  # fmt: skip
_MIXED_WORD = re.compile(r"\w*[A-Za-z]\w*")
_LOOKALIKE_SCRIPT = re.compile("[\u0370-\u04ff]")
_QUOTES = {"'": "\u2018\u2019\u201a\u201b", '"': "\u201c\u201d\u201e\u201f"}  # straight: curly
# Two-character sequences typical of UTF-8 read as Latin-1/cp1252 ("Ã©", "â€™", "Â ").
# Only texts containing one are handed to ftfy, whose full detector is much slower.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u2018-\u201e\u20ac\u2122\u0152\u0153\u0160\u0161"
    "\u0178\u017d\u017e\u02c6\u02dc\u2020-\u2026\u2030\u2039\u203a]"
)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_BOILERPLATE_LINE = re.compile(
    r"""^\s*(?:
        \d{1,2}/\d{1,2}/\d{4}\s+A/\d+/PV\.\d+          # 23/09/2015 A/70/PV.13
      | A/\d+/PV\.\d+(?:\s+\d{1,2}/\d{1,2}/\d{4})?    # A/70/PV.13 23/09/2015
      | \d{1,2}/\d{1,2}/\d{4}                          # a date alone on a line
      | \d{1,4}\s+\d{2}-\d{5}(?:\s+\d{1,3}(?:/\d{1,3})?)?   # 4 15-29336
      | \d{2}-\d{5}(?:\s+\d{1,3}(?:/\d{1,3})?)?          # 15-29336 5/31
      | \d{1,3}/\d{1,3}\s+\d{2}-\d{5}                    # 5/31 15-29336
      | \d{1,4}                                          # a bare page number
      | [-_=*]{3,}                                       # a rule
      | \((?:spoke|interpretation)\s+(?:in|from)\s+[A-Za-z]+\)   # (spoke in English)
    )\s*$""",
    re.VERBOSE,
)
_MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*")
_SENTENCE_END = re.compile(r"""[.!?…]["'”’»)\]]*\s*$""")
_HYPHEN_BREAK = re.compile(r"([A-Za-z]+)-$")
_LOWER_WORD = re.compile(r"[a-z]+")
# Prefixes that form hyphenated compounds ("self-determination", "non-proliferation"): a line
# break after one of them keeps the hyphen even when the closed form is a dictionary word.
_HYPHEN_PREFIXES = frozenset((
    "self", "non", "anti", "co", "ex", "pre", "post", "re", "multi", "inter", "intra", "socio",
    "macro", "micro", "well", "great", "half", "cross", "counter", "vice", "semi", "sub", "super",
    "trans", "ultra", "neo", "pro", "pan", "long", "short", "low", "high",
))  # fmt: skip
_MISSING_SPACE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")


def fix_homoglyphs(text: str) -> str:
    """Map Cyrillic/Greek look-alike letters to Latin inside words that mix scripts.

    >>> fix_homoglyphs("\u041cinister Nurtleu")
    'Minister Nurtleu'
    >>> fix_homoglyphs("Казахстан")
    'Казахстан'
    """
    if not _LOOKALIKE_SCRIPT.search(text):
        return text

    def repair(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if word.isascii() else word.translate(_CONFUSABLES)

    return _MIXED_WORD.sub(repair, text)


def normalize_unicode(text: str) -> str:
    """Repair mojibake, apply NFKC, drop invisible characters and fix mixed-script words.

    >>> normalize_unicode("Kazakhstan\u00e2\u0080\u0099s Communiqu\u00c3\u00a9")
    "Kazakhstan's Communiqué"
    """
    # ftfy is thorough but slow; most texts have no mojibake, and its detector is one regex.
    fixed = ftfy.fix_text(text, normalization="NFKC") if _MOJIBAKE_HINT.search(text) else text
    fixed = html.unescape(fixed) if "&" in fixed else fixed
    for straight, curlies in _QUOTES.items():
        for curly in curlies:
            fixed = fixed.replace(curly, straight)
    fixed = _ZERO_WIDTH.sub("", fixed)
    fixed = _CONTROL.sub(" ", fixed)
    fixed = fix_homoglyphs(fixed)
    return unicodedata.normalize("NFKC", fixed)


def drop_boilerplate_lines(lines: list[str]) -> list[str]:
    """Remove lines that are page furniture rather than text (see module docstring)."""
    return [line for line in lines if not _BOILERPLATE_LINE.match(line)]


@lru_cache(maxsize=65536)
def _is_known(word: str) -> bool:
    return bool(simplemma.is_known(word, lang="en")) or bool(
        simplemma.is_known(word.lower(), lang="en")
    )


def _join_wrapped(left: str, right: str) -> str:
    """Join a soft-wrapped line to the next, repairing hyphenation at the break.

    "develop-" + "ment" becomes "development" (a known word split by the line break);
    "self-" + "determination" and "forty-" + "ninth" keep their hyphen.
    """
    if not left.endswith("-"):
        return f"{left} {right}"
    offset = max(len(left) - 40, 0)
    match = _HYPHEN_BREAK.search(left, offset)
    tail = _LOWER_WORD.match(right)
    if match and tail:
        head, rest = match.group(1), tail.group(0)
        if head.lower() not in _HYPHEN_PREFIXES and _is_known(head + rest):
            return left[: match.start(1)] + head + right
        return left + right
    return f"{left} {right}"


def _blocks(text: str) -> Iterator[str]:
    """Yield the blank-line separated blocks of ``text`` one at a time (no list of them)."""
    start = 0
    for match in _BLANK_LINE.finditer(text):
        yield text[start : match.start()]
        start = match.end()
    yield text[start:]


def paragraphs(text: str) -> list[str]:
    r"""Split text into paragraphs, re-joining hard line breaks inside them.

    A blank line always ends a paragraph. A single line break ends one only after
    sentence-final punctuation (the rule used for PDF-derived UN speeches); otherwise the two
    lines are joined.

    >>> paragraphs("Perhaps the\ninternational community.\nNext one.")
    ['Perhaps the international community.', 'Next one.']
    """
    result: list[str] = []
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    for block in _blocks(text):
        lines = [line.strip() for line in block.split("\n")]
        lines = [line for line in drop_boilerplate_lines(lines) if line]
        current = ""
        for line in lines:
            current = line if not current else _join_wrapped(current, line)
            if _SENTENCE_END.search(line[-8:]) and not ends_with_abbreviation(line):
                result.append(current)
                current = ""
        if current:
            result.append(current)
    return result


def repair_spacing(text: str) -> str:
    """Restore a missing space after sentence-final punctuation ("Asia.The" → "Asia. The").

    >>> repair_spacing("Central Asia.The participants met. U.S. and Sl.kz stay.")
    'Central Asia. The participants met. U.S. and Sl.kz stay.'
    """
    return _MISSING_SPACE.sub(" ", text)


def clean_text(raw: str) -> str:
    """Return the cleaned text of a document: paragraphs separated by one blank line."""
    text = normalize_unicode(raw)
    text = _MARKDOWN_BOLD.sub(r"\1", text)
    return "\n\n".join(repair_spacing(p) for p in paragraphs(text))
