"""Decoding input bytes: UTF-8 first, stray bytes reported, Western text as cp1252.

The rules, in order (:func:`decode_bytes`):

1. A byte-order mark decides (UTF-8, UTF-16).
2. Bytes that are valid UTF-8 are UTF-8 (confidence 1).
3. Bytes that are UTF-8 but for a few stray bytes are UTF-8 with those bytes replaced by U+FFFD
   and their line and column reported — the rest of the file is never recoded because of them,
   however short the file. "A few" means: the file holds valid multi-byte UTF-8 characters and
   its UTF-8 reading has no more flaws than the best 8-bit reading — one flaw per invalid byte
   or implausible word for UTF-8; per implausible word, and two per valid UTF-8 character torn
   apart, for a code page (:func:`_mostly_utf8`). Text in a code page that happens to form a
   valid UTF-8 pair (Ukrainian ``Мі`` in cp1251 is the bytes of U+0373) has far more invalid
   bytes than such pairs, and reads better in its code page.
4. Otherwise the file is in a legacy 8-bit code page. Each candidate (Windows code pages first,
   cp1252 before all others, then KOI8, then what charset-normalizer proposes) decodes the
   bytes and is scored by how *implausible* the text looks: a symbol inside a word (``za¿ó³æ``),
   a lowercase letter followed by an uppercase one (``яЮМЙЖ``), letters of two scripts in one
   word (``Cafй``), a Latin word of three letters or more without an ASCII letter (``Ñàíêöèè``,
   Cyrillic read as cp1252), a word whose accented letters no one language writes together
   (``Pøíliš``, Czech read as cp1252), and control characters. The least implausible wins;
   ties go to the earlier candidate, so Western text is read as cp1252 (ISO 8859-1 text is the
   same text in cp1252).

A forced ``encoding`` must be a text encoding (``rot13`` or ``base64`` are not); bytes it cannot
decode are replaced and reported, and UTF-16 or UTF-32 forced on bytes without a single NUL
byte (which no such text lacks) is refused as not fitting.

The confidence reported with an encoding is 1 for rules 1–2 and a forced ``encoding``; for rule
3 it is the share of non-ASCII characters that were valid; for rule 4 it is the share of
non-ASCII words that look plausible, halved when another code page reads the bytes as a
different but equally plausible text (a short text with one accented letter cannot say more).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from ..errors import ConfigError

__all__ = ["Decoded", "Undecodable", "check_encoding", "decode_bytes"]

# Windows code pages first: they are what legacy files overwhelmingly use.
_CANDIDATES = (
    "cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256",
    "koi8_r", "koi8_u", "iso8859_2", "iso8859_5", "mac_roman", "cp437",
)  # fmt: skip
_SAMPLE = 1 << 16
# The letters each language writes beyond ASCII: the accents of one word come from one of them.
_LANGUAGES = tuple(
    set(letters + letters.upper())
    for letters in (
        "àâæçéèêëîïôœùûüÿ",  # French
        "äöüß",  # German
        "áéíñóúü",  # Spanish
        "ãõáàâçéêíóôú",  # Portuguese
        "àèéìíîòóùú",  # Italian
        "æøåéóô",  # Danish / Norwegian
        "åäöé",  # Swedish / Finnish
        "áðéíóúýþæö",  # Icelandic
        "áéëïóöü",  # Dutch
        "ąćęłńóśźż",  # Polish
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "áéíóöőúüű",  # Hungarian
        "čćđšž",  # Croatian / Slovenian
        "ăâîșțşţ",  # Romanian
        "ąčęėįšųūž",  # Lithuanian
        "āčēģīķļņšūž",  # Latvian
        "çğıöşüâî",  # Turkish
    )
)
_WORD = re.compile(r"[^\W\d_](?:[^\s]*[^\W\d_])?")
# Marks that do sit inside words in real text: apostrophes, hyphens, the Catalan middle dot.
_INSIDE_OK = frozenset("\u2019\u2018\u00ad\u2010\u2011\u00b7")
_ORDINALS = frozenset("ªº")
_ESCAPED = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


class Undecodable(Exception):
    """Bytes that are not text (binary content, or no encoding fits)."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text with the encoding used, a confidence in [0, 1] and what was replaced."""

    text: str
    encoding: str
    confidence: float
    detail: str = ""


def check_encoding(name: str) -> str:
    """Return the canonical name of the text encoding ``name``.

    Unknown names and codecs that are not text encodings (``rot13``, ``base64``, ``hex``)
    raise :class:`ConfigError`.
    """
    try:
        canonical = codecs.lookup(name).name
    except LookupError as exc:
        raise ConfigError(
            f"unknown encoding {name!r}; give a Python codec name such as utf-8, cp1252, "
            "latin-1, cp1251 or koi8-r"
        ) from exc
    try:
        b"text".decode(canonical)
    except UnicodeDecodeError:
        pass  # a text encoding these four bytes do not fit (UTF-32)
    except LookupError as exc:
        raise ConfigError(
            f"{name!r} is not a text encoding (it maps bytes to bytes or text to text); give a "
            "text encoding such as utf-8, cp1252, latin-1, cp1251 or koi8-r"
        ) from exc
    return canonical


def _escape(error: UnicodeError) -> tuple[str, int]:
    """Turn each undecodable byte into a lone surrogate (a codec error handler).

    Like ``surrogateescape``, but for every codec, UTF-16 and UTF-32 included.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC80 | (b & 0x7F)) for b in bad), error.end


_HANDLER = "topics.escape"
codecs.register_error(_HANDLER, _escape)
_WIDE = ("utf-16", "utf-32")


def _positions(text: str, limit: int = 3) -> str:
    """Describe where replacement characters sit: ``line L, column C`` for the first few."""
    found = []
    for match in islice(_ESCAPED.finditer(text), limit):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        found.append(f"line {line}, column {column}")
    return "; ".join(found)


def _replace_escaped(text: str, encoding: str, what: str) -> Decoded | None:
    bad = len(_ESCAPED.findall(text))
    if not bad:
        return None
    good = len(_NON_ASCII.findall(text)) - bad
    detail = (
        f"{what} with {bad} invalid byte{'s' if bad > 1 else ''} replaced by U+FFFD "
        f"({_positions(text)})"
    )
    confidence = round(good / (good + bad), 3) if good + bad else 0.0
    return Decoded(_ESCAPED.sub("\ufffd", text), encoding, confidence, detail)


def _symbol(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "SPC" or category == "No"


def _implausibility(text: str) -> tuple[int, int]:
    """Return ``(implausible marks, non-ASCII words)`` for a decoded sample."""
    marks = 0
    words = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        words += 1
        scripts = set()
        letters = set()
        bad = False
        for i, ch in enumerate(word):
            if ch in _ORDINALS:
                scripts.add("LATIN")
            elif ch.isalpha():
                if not ch.isascii():
                    letters.add(ch)
                scripts.add(unicodedata.name(ch, "?").split(" ", 1)[0])
                if i and ch.isupper() and word[i - 1].islower():
                    bad = True
            elif not ch.isascii() and ch not in _INSIDE_OK and _symbol(ch):
                bad = True  # a symbol, punctuation mark or superscript digit between letters
        if len(scripts) > 1:
            bad = True
        if scripts == {"LATIN"}:
            if len(word) >= 3 and not any(c.isascii() for c in word):
                bad = True  # Western words always hold some ASCII letters; Cyrillic as cp1252
            if len(letters) > 1 and not any(letters <= language for language in _LANGUAGES):
                bad = True  # accents no one language writes in one word: Czech "Pøíliš"
        marks += bad
    marks += sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return marks, words


def _sample(data: bytes) -> bytes:
    """Return the lines holding non-ASCII bytes, up to a sample size (enough to judge by)."""
    lines = [line for line in data.splitlines() if not line.isascii()]
    out = bytearray()
    for line in lines:
        out += line[:4096] + b"\n"
        if len(out) >= _SAMPLE:
            break
    return bytes(out)


def _readings(sample: bytes, names: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Yield ``(name, text)`` for each encoding among ``names`` that decodes ``sample``."""
    for name in names:
        try:
            yield name, sample.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue


def _legacy(data: bytes) -> Decoded:
    import charset_normalizer

    sample = _sample(data)
    proposed = [str(m.encoding) for m in charset_normalizer.from_bytes(sample or data)]
    scored: list[tuple[int, int, str, str, int]] = []
    readings = _readings(sample, dict.fromkeys([*_CANDIDATES, *proposed]))
    for rank, (name, text) in enumerate(readings):
        marks, words = _implausibility(text)
        scored.append((marks, rank, name, text, words))
    if not scored:
        raise Undecodable("no text encoding fits these bytes")
    scored.sort()
    marks, _, name, text, words = scored[0]
    confidence = 1.0 - marks / max(words, 1)
    if any(m == marks and t != text for m, _, _, t, _ in scored[1:]):
        confidence /= 2
    try:
        decoded = data.decode(name)
    except UnicodeDecodeError as exc:  # a byte outside the sample the code page lacks
        decoded = data.decode(name, errors="replace")
        return Decoded(decoded, name, round(max(confidence, 0.0) / 2, 3), f"{exc.reason}")
    return Decoded(decoded, codecs.lookup(name).name, round(max(confidence, 0.0), 3))


def decode_bytes(data: bytes, encoding: str | None = None) -> Decoded:
    r"""Decode a file's bytes by the rules of this module.

    Parameters
    ----------
    data
        The bytes.
    encoding
        Decode with this codec instead of detecting (bytes it cannot decode are replaced and
        reported).

    Raises
    ------
    Undecodable
        Binary content (NUL bytes without a UTF-16 byte-order mark, or mostly control
        characters) or bytes no encoding fits.

    Examples
    --------
    >>> decode_bytes("Le café est très bon".encode("cp1252")).encoding
    'cp1252'
    >>> d = decode_bytes("Санкции — naïve".encode() + b" \xe9")
    >>> d.encoding, d.detail
    ('utf-8', 'UTF-8 with 1 invalid byte replaced by U+FFFD (line 1, column 17)')

    """
    if encoding is not None:
        decoded = _forced(data, check_encoding(encoding))
    elif data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="surrogateescape")
        decoded = _replace_escaped(text, "utf-8-sig", "UTF-8") or Decoded(text, "utf-8-sig", 1.0)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            decoded = Decoded(data.decode("utf-16"), "utf-16", 1.0)
        except UnicodeDecodeError as exc:
            raise Undecodable(f"invalid UTF-16: {exc}") from exc
    elif b"\x00" in data:
        raise Undecodable("binary content (NUL bytes)")
    else:
        text = data.decode("utf-8", errors="surrogateescape")
        replaced = _replace_escaped(text, "utf-8", "UTF-8")
        decoded = replaced or Decoded(text, "utf-8", 1.0)
        if replaced is not None and not _mostly_utf8(text, data):
            decoded = _legacy(data)
    if len(_CONTROLS.findall(decoded.text)) > 0.05 * max(len(decoded.text), 1):
        raise Undecodable("mostly control characters: binary content")
    return decoded


def _forced(data: bytes, name: str) -> Decoded:
    """Decode with an encoding the user gave; undecodable bytes are replaced and reported."""
    if name.startswith(_WIDE) and b"\x00" not in data:
        raise Undecodable(
            f"--encoding {name} does not fit: the file has no NUL byte, which {name.upper()} "
            "text always has; leave the encoding out to detect it"
        )
    if name.startswith("utf-8") and data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    text = data.decode(name, errors=_HANDLER)
    replaced = _replace_escaped(text, name, f"{name} (given)")
    return replaced or Decoded(text, name, 1.0)


def _mostly_utf8(text: str, data: bytes) -> bool:
    """Whether UTF-8 with stray bytes (``text``, strays escaped) reads better than any code page.

    Flaws are counted on the lines that hold non-ASCII bytes: for the UTF-8 reading, each
    invalid byte plus the implausible words (:func:`_implausibility`); for a code page, its
    implausible words plus two for each valid multi-byte UTF-8 character it breaks apart (such
    characters rarely form by chance where high bytes are sparse, and where they are dense —
    Cyrillic in cp1251 — the invalid bytes far outnumber them). Ties go to UTF-8.
    """
    if len(_NON_ASCII.findall(text)) == len(_ESCAPED.findall(text)):
        return False  # no valid multi-byte character: nothing says UTF-8
    sample = _sample(data)
    reading = sample.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED.findall(reading))
    good = len(_NON_ASCII.findall(reading)) - bad
    flaws = _implausibility(_ESCAPED.sub("\ufffd", reading))[0] + bad
    best = min(
        (_implausibility(text)[0] for _, text in _readings(sample, _CANDIDATES)),
        default=flaws,
    )
    return flaws <= best + 2 * good
