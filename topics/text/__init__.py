"""Text to counts: preprocessing (configured in TOML) and the document–term matrix.

* :mod:`.lexicons` — what each language's words get: stop words (English, Russian, Ukrainian,
  Kazakh), lemmas, the script that decides a token's language;
* :mod:`.preprocess` — :class:`PreprocessConfig` and :class:`Preprocessor`: tokens, stop words,
  lemmas, protected phrases;
* :mod:`.vectorizer` — :class:`Vectorizer` and :class:`DocTermMatrix` (counts with their ids).
"""

from __future__ import annotations

from .lexicons import stop_words
from .preprocess import PreprocessConfig, Preprocessor, term_token
from .vectorizer import DocTermMatrix, Vectorizer, vectorize

__all__ = [
    "DocTermMatrix",
    "PreprocessConfig",
    "Preprocessor",
    "Vectorizer",
    "stop_words",
    "term_token",
    "vectorize",
]
