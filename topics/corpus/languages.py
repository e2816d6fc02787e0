"""The language of each document, detected offline: ISO 639-1 codes (``en``, ``ru``, ``kk`` …).

Detection uses `py3langid <https://pypi.org/project/py3langid/>`_ — langid.py's naive Bayes
model over byte n-grams (Lui & Baldwin 2012); of its languages, the 116 with ISO 639-1 codes are
candidates, Kazakh, Russian, Ukrainian and English among them. Its model ships inside the
package as a NumPy archive (no download, no pickle). Short texts are unreliable whatever the
model, so a document with fewer than :data:`MIN_LETTERS` letters, or whose best language the
model gives less than :data:`MIN_CONFIDENCE`, gets no language (``None``) rather than a guess.
A document that mixes languages takes its majority language: each paragraph is identified on
its own and the language with the most characters wins (a long document is read in a sample of
:data:`SAMPLE_PARAGRAPHS` paragraphs, each weighted by its full length).

:data:`SUPPORTED` lists the languages whose preprocessing (stop words, lemmas) the package
knows; any other language detected is kept as it is and reported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from ..errors import ConfigError

__all__ = [
    "MIN_CONFIDENCE",
    "MIN_LETTERS",
    "SAMPLE_CHARS",
    "SAMPLE_PARAGRAPHS",
    "SUPPORTED",
    "check_language",
    "detect_language",
    "detect_languages",
    "languages_present",
]

#: Languages with stop words and lemmas in :mod:`topics.text` (Kazakh: stop words and stems).
SUPPORTED: tuple[str, ...] = ("en", "kk", "ru", "uk")
#: Fewest letters a document (or paragraph) needs to be identified at all.
MIN_LETTERS = 20
#: Least posterior probability (over the model's ~116 languages) for a paragraph's language to
#: count: below it the model is guessing (``"In pictures: Storm Doris"`` → Latin at 0.07,
#: ``"China and US: face-to-face"`` → Shona at 0.16; a full English sentence scores > 0.9).
MIN_CONFIDENCE = 0.3
#: What is read of a long document: at most this many paragraphs (evenly spaced), each up to
#: ``SAMPLE_CHARS`` characters — the model's accuracy does not grow past a few hundred
#: characters, and a 50-page speech then costs what a page does.
SAMPLE_PARAGRAPHS = 8
SAMPLE_CHARS = 400

_PARAGRAPH = re.compile(r"\n\s*\n")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=4)
def _identifier(candidates: tuple[str, ...] | None) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # ISO 639-1 only: the model also knows a few languages with three-letter codes only
    chosen = [c for c in identifier.nb_classes if len(c) == 2] if candidates is None else candidates
    identifier.set_languages(list(chosen))
    return identifier


def check_language(code: str) -> str:
    """Return ``code`` if the detector knows it as an ISO 639-1 language; else raise."""
    known = _identifier(None).nb_classes
    if code not in known or len(code) != 2:
        raise ConfigError(
            f"unknown language {code!r}; give an ISO 639-1 code such as "
            f"{', '.join(SUPPORTED)} (the detector knows {len(known)})"
        )
    return code


def detect_language(text: str, candidates: Sequence[str] | None = None) -> str | None:
    """Return the majority language of ``text``, or ``None`` when it is too short to tell.

    Parameters
    ----------
    text
        One document.
    candidates
        Languages to choose among (ISO 639-1); default every language the model knows.

    """
    identifier = _identifier(tuple(sorted(candidates)) if candidates is not None else None)
    paragraphs = _PARAGRAPH.split(text)
    if len(paragraphs) > SAMPLE_PARAGRAPHS:
        step = len(paragraphs) / SAMPLE_PARAGRAPHS
        paragraphs = [paragraphs[int(i * step)] for i in range(SAMPLE_PARAGRAPHS)]
    letters: Counter[str] = Counter()
    for paragraph in paragraphs:
        sample = paragraph[:SAMPLE_CHARS]
        if len(_LETTER.findall(sample)) >= MIN_LETTERS:  # weighted by its full length
            lang, confidence = identifier.classify(sample)
            if confidence >= MIN_CONFIDENCE:
                letters[str(lang)] += len(paragraph)
    if not letters:
        sample = text[: SAMPLE_CHARS * 4]
        if len(_LETTER.findall(sample)) < MIN_LETTERS:
            return None
        lang, confidence = identifier.classify(sample)
        return str(lang) if confidence >= MIN_CONFIDENCE else None
    best = max(letters.values())
    return min(lang for lang, n in letters.items() if n == best)  # ties: alphabetical, stable


def detect_languages(
    texts: Iterable[str], candidates: Sequence[str] | None = None
) -> list[str | None]:
    """Return :func:`detect_language` of every text, in order."""
    for code in candidates or ():
        check_language(code)
    return [detect_language(text, candidates) for text in texts]


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def languages_present(
    texts: Iterable[str], recorded: Iterable[str | None] | None = None
) -> set[str]:
    """Languages a corpus has: its recorded ``lang`` values, else what its scripts allow.

    Without recorded languages (or with none known), a corpus with no Cyrillic letter is
    English and one with Cyrillic may be any of Kazakh, Russian and Ukrainian. English is
    always in: Latin-script names occur in every language's press.
    """
    found = {"en", *(str(lang) for lang in (recorded or ()) if isinstance(lang, str) and lang)}
    if found & {"kk", "ru", "uk"}:
        return found
    if any(_CYRILLIC.search(text) for text in texts):
        found |= {"kk", "ru", "uk"}
    return found
