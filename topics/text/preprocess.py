"""Turning cleaned text into tokens: configuration, tokenising, protected terms, phrases.

:class:`PreprocessConfig` is a frozen dataclass (loadable from TOML) that fully describes the
preprocessing; :class:`Preprocessor` applies it. The order of operations is:

1. tokenise, keeping hyphenated names ("Trans-Caspian", "Kassym-Jomart") as one token;
2. join *protected terms* — a user list of multi-word expressions that are always one token
   and never pruned ("Global Gateway" → ``global_gateway``) — before anything else can split
   or drop their words;
3. lower-case, drop numbers / punctuation-only tokens / short tokens / stop words;
4. lemmatise with simplemma (offline: its dictionaries ship inside the package);

Steps 3 and 4 follow each token's language (:mod:`topics.text.lexicons`): a Latin-script token
is English, a Cyrillic one takes its document's Russian, Ukrainian or Kazakh;
5. join learnt collocations with gensim ``Phrases`` (NPMI scoring) when enabled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import simplemma

from ..config import check_keys, read_toml
from ..errors import ConfigError
from ..limits import paused_gc
from ..progress import progress_bar
from .lexicons import LEMMATIZED, cyrillic_language, is_cyrillic, language_settings, stop_words_of

__all__ = ["PreprocessConfig", "Preprocessor", "term_token"]


_TOKEN = re.compile(r"[^\W\d_](?:[\w'’]*[^\W_])?(?:-[^\W_][\w'’]*)*|\d+(?:[.,]\d+)*")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
#: Most (word, language) pairs a preprocessor remembers the token of (~50 MB at most).
_SEEN_MAX = 500_000
_STOP_WORDS = ("auto", "english", "none")


def term_token(term: str) -> str:
    """Return the single token a (multi-word) term becomes: lower-case words joined by ``_``.

    >>> term_token("Global Gateway"), term_token("Trans-Caspian route")
    ('global_gateway', 'trans-caspian_route')
    """
    return "_".join(t.lower() for t in _TOKEN.findall(term))


@dataclass(frozen=True)
class PreprocessConfig:
    """Everything that decides how text becomes tokens.

    Parameters
    ----------
    lowercase
        Lower-case tokens.
    min_token_length
        Shortest token kept (protected terms are always kept).
    stop_words
        ``"auto"`` (each token's language's list: English for Latin script, the document's
        Russian, Ukrainian or Kazakh for Cyrillic), ``"english"`` (scikit-learn's English list
        only) or ``"none"``.
    extra_stop_words
        More stop words (e.g. corpus boilerplate such as "kazinform").
    lemmatize
        Lemmatise with simplemma (English, Russian, Ukrainian; Kazakh has no lemmas).
    keep_numbers
        Keep tokens that are numbers.
    protected_terms
        Multi-word terms always joined into one token and never pruned. Empty by default:
        domain phrases belong to the data — a codebook's multi-word terms and its ``phrases``
        list are added by :meth:`topics.themes.Codebook.preprocess_config`.
    phrases
        Learn collocations with gensim ``Phrases``.
    phrase_threshold
        NPMI threshold for ``Phrases`` (−1…1; higher joins fewer pairs).
    phrase_min_count
        Minimum count of a pair for ``Phrases``.

    """

    lowercase: bool = True
    min_token_length: int = 2
    stop_words: str = "auto"
    extra_stop_words: tuple[str, ...] = ()
    lemmatize: bool = True
    keep_numbers: bool = False
    protected_terms: tuple[str, ...] = ()
    phrases: bool = False
    phrase_threshold: float = 0.5
    phrase_min_count: int = 5

    def __post_init__(self) -> None:
        if self.min_token_length < 1:
            raise ConfigError(f"min_token_length must be ≥ 1, got {self.min_token_length}")
        if self.stop_words not in _STOP_WORDS:
            raise ConfigError(f"stop_words must be one of {_STOP_WORDS}, got {self.stop_words!r}")
        if not -1.0 <= self.phrase_threshold <= 1.0:
            raise ConfigError(
                f"phrase_threshold is an NPMI in [-1, 1], got {self.phrase_threshold}"
            )
        if self.phrase_min_count < 1:
            raise ConfigError(f"phrase_min_count must be ≥ 1, got {self.phrase_min_count}")

    @classmethod
    def from_toml(cls, path: str | Path, section: str | None = "preprocess") -> PreprocessConfig:
        """Load from a TOML file (the ``[preprocess]`` table, or the top level).

        A file with a ``[preprocess]`` table may hold nothing else; unknown keys are errors.
        """
        data = read_toml(path)
        if section and section in data:
            check_keys(data, [section], str(path))
        table = data.get(section, data) if section else data
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{section}] must be a table of settings")
        return cls.from_dict(table, source=str(path))

    @classmethod
    def from_dict(cls, values: dict[str, Any], *, source: str = "config") -> PreprocessConfig:
        """Build from a plain mapping, rejecting unknown keys by name."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in values.items() if k != "languages"}  # derived, see to_dict
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(
                f"{source}: unknown preprocess settings {unknown}; known: {sorted(known)}"
            )
        converted = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
        return cls(**converted)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (for manifests).

        Besides the settings, ``languages`` says what each known language's words get under
        them (stop-word list and its size, lemmatiser and its version); :meth:`from_dict`
        ignores it.
        """
        out = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        out["languages"] = language_settings(self.stop_words, self.lemmatize)
        return out


@lru_cache(maxsize=1 << 18)
def _lemma(token: str) -> str:
    return str(simplemma.lemmatize(token, lang="en"))


@lru_cache(maxsize=1 << 18)
def _lemma_in(token: str, lang: str) -> str:
    # Russian and Ukrainian lemmas are kept only when they begin as the word does: simplemma
    # maps some names onto unrelated words («Киев», «Київ» → «кий», a billiard cue), while a
    # true lemma of an inflected form keeps its first three letters («санкций» → «санкция»).
    lemma = str(simplemma.lemmatize(token, lang=lang))
    same = lemma[:3].lower().replace("ё", "е") == token[:3].lower().replace("ё", "е")
    return lemma if same else token


class Preprocessor:
    """Apply a :class:`PreprocessConfig` to texts.

    ``fit`` learns collocations (when ``phrases`` is on); ``transform`` tokenises. Protected
    terms are matched case-insensitively as whole token sequences.

    Examples
    --------
    >>> p = Preprocessor(PreprocessConfig(protected_terms=("Global Gateway",))).fit([])
    >>> p.transform(["The EU's Global Gateway and the Trans-Caspian corridors."])
    [['eu', 'global_gateway', 'trans-caspian', 'corridor']]

    """

    def __init__(self, config: PreprocessConfig | None = None) -> None:
        self.config = config or PreprocessConfig()
        extra = {w.lower() for w in self.config.extra_stop_words}
        self._stops = {
            lang: frozenset(extra | (stop_words_of(lang) if self._uses_list(lang) else set()))
            for lang in ("en", "kk", "ru", "uk")
        }
        self._protected = self._compile_protected(self.config.protected_terms)
        self.protected_tokens = frozenset(term_token(t) for t in self.config.protected_terms)
        self._phrasegrams: dict[str, float] = {}
        self._seen: dict[tuple[str, str | None], str | None] = {}

    def __getstate__(self) -> dict[str, object]:
        """Pickle (Dask sends preprocessors to workers) without the per-word cache."""
        return {**self.__dict__, "_seen": {}}

    @staticmethod
    def _compile_protected(terms: Sequence[str]) -> dict[str, list[tuple[str, ...]]]:
        table: dict[str, list[tuple[str, ...]]] = {}
        for term in terms:
            words = tuple(w.lower() for w in _TOKEN.findall(term))
            if len(words) > 1:
                table.setdefault(words[0], []).append(words)
        for first in table:
            table[first].sort(key=len, reverse=True)  # longest match wins
        return table

    def _join_protected(self, words: list[str]) -> list[str]:
        if not self._protected:
            return words
        lower = [w.lower() for w in words]
        out: list[str] = []
        i = 0
        while i < len(words):
            for candidate in self._protected.get(lower[i], ()):
                if tuple(lower[i : i + len(candidate)]) == candidate:
                    out.append("_".join(candidate))
                    i += len(candidate)
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def _uses_list(self, lang: str) -> bool:
        mode = self.config.stop_words
        return mode == "auto" or (mode == "english" and lang == "en")

    def _normalize(self, words: list[str], cyrillic: str | None) -> list[str]:
        # cyrillic: the language of the text's Cyrillic words; None: the text has none.
        # A word's token depends only on the word and that language: each pair is worked out
        # once (most words recur; the UN paragraphs tokenise ~5× faster) and remembered, up
        # to _SEEN_MAX pairs.
        protected, seen = self.protected_tokens, self._seen
        out: list[str] = []
        for word in words:
            if word in protected:
                out.append(word)
                continue
            key = (word, cyrillic)
            if key in seen:
                token = seen[key]
            else:
                token = self._normalize_word(word, cyrillic)
                if len(seen) < _SEEN_MAX:
                    seen[key] = token
            if token is not None:
                out.append(token)
        return out

    def _normalize_word(self, word: str, cyrillic: str | None) -> str | None:
        """Return one word's token, or ``None`` when it is dropped (number, stop word, short)."""
        cfg = self.config
        token = word.lower() if cfg.lowercase else word
        token = token.replace("’", "'")
        if token.endswith("'s"):
            token = token[:-2]
        if _NUMBER.match(token):
            return token if cfg.keep_numbers else None
        lang = "en" if cyrillic is None or not is_cyrillic(token) else cyrillic
        stop = self._stops[lang]
        if len(token) < cfg.min_token_length or token.lower() in stop:
            return None
        if cfg.lemmatize and "-" not in token and lang in LEMMATIZED:
            lemma = _lemma(token) if lang == "en" else _lemma_in(token, lang)
            token = lemma.lower() if cfg.lowercase else lemma
            if token.lower() in stop:
                return None
        return token

    def tokenize(self, text: str, lang: str | None = None) -> list[str]:
        """Tokenise one text without learnt phrases.

        ``lang`` is the text's language (ISO 639-1) when known; its Cyrillic words are read
        as Russian, Ukrainian or Kazakh — ``lang`` when it is one of them, else the one
        :func:`~topics.text.lexicons.cyrillic_language` finds. Latin words are English.
        """
        words = self._join_protected(_TOKEN.findall(text))
        cyrillic = cyrillic_language(text, lang) if is_cyrillic(text) else None
        return self._normalize(words, cyrillic)

    def _streams(
        self, texts: Iterable[str], langs: Iterable[str | None] | None, progress: bool | None
    ) -> list[list[str]]:
        texts = progress_bar(texts, desc="tokenising", enabled=progress)
        with paused_gc():  # one list per document, none in a cycle (see paused_gc)
            if langs is None:
                return [self.tokenize(t) for t in texts]
            return [self.tokenize(t, lang) for t, lang in zip(texts, langs, strict=True)]

    def fit(
        self,
        texts: Iterable[str],
        *,
        langs: Iterable[str | None] | None = None,
        progress: bool | None = None,
    ) -> Preprocessor:
        """Learn collocations from ``texts`` (a no-op unless ``phrases`` is on).

        ``langs`` gives each text's language when known (see :meth:`tokenize`).
        """
        if not self.config.phrases:
            return self
        from gensim.models.phrases import Phrases

        streams = self._streams(texts, langs, progress)
        model = Phrases(
            streams,
            min_count=self.config.phrase_min_count,
            threshold=self.config.phrase_threshold,
            scoring="npmi",
            delimiter="_",
            connector_words=frozenset(),
        )
        frozen = model.freeze()
        self._phrasegrams = {str(k): float(v) for k, v in frozen.phrasegrams.items()}
        return self

    @property
    def phrases_(self) -> dict[str, float]:
        """Learnt collocations and their NPMI scores (empty when phrases are off)."""
        return dict(sorted(self._phrasegrams.items()))

    def set_phrases(self, phrasegrams: dict[str, float]) -> Preprocessor:
        """Use these collocations (``"a_b" → score``), e.g. restored from a saved vectoriser."""
        self._phrasegrams = {str(k): float(v) for k, v in phrasegrams.items()}
        return self

    def _apply_phrases(self, tokens: list[str]) -> list[str]:
        # Greedy left-to-right joining of learnt bigrams, as gensim's frozen phrases do.
        out: list[str] = []
        i = 0
        while i < len(tokens):
            if i + 1 < len(tokens) and f"{tokens[i]}_{tokens[i + 1]}" in self._phrasegrams:
                out.append(f"{tokens[i]}_{tokens[i + 1]}")
                i += 2
            else:
                out.append(tokens[i])
                i += 1
        return out

    def transform(
        self,
        texts: Iterable[str],
        *,
        langs: Iterable[str | None] | None = None,
        progress: bool | None = None,
    ) -> list[list[str]]:
        """Tokenise texts, applying learnt phrases (``langs``: each text's language, if known)."""
        streams = self._streams(texts, langs, progress)
        if self._phrasegrams:
            with paused_gc():
                streams = [self._apply_phrases(s) for s in streams]
        return streams
