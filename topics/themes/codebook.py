"""Named themes: a TOML codebook, and its compiled form under one preprocessing.

:class:`Codebook` holds themes with seed terms and phrases (``data/themes.toml``). Terms are
normalised with the corpus's own preprocessing, so "batteries" matches ``battery`` and
"Global Gateway" matches the protected token ``global_gateway``. :meth:`Codebook.compile`
does that once and returns a :class:`CompiledCodebook` — what every theme measure, the health
check and the per-period theme words use.

A theme's terms may be given per language (``[themes.sanctions.terms]`` with ``en = […]``,
``ru = […]``, ``uk = […]``, ``kk = […]``; a plain list is English): each list is normalised
with its own language's stop words and lemmas (:mod:`topics.text.lexicons`), and all of them
feed the one share of the theme — a Russian document about «санкции» and an English one about
sanctions count toward the same measure. A term ending in ``*`` is a *stem*: it matches every
token beginning so after the language's normalisation (``санкци*`` matches ``санкция`` and
``санкционный``; ``санкция*`` matches Kazakh ``санкциялар``), which is how Kazakh, with no
lemmatiser, and inflected multi-word names are best written. A stem needs at least
:data:`MIN_STEM` letters, so that it cannot match half the vocabulary. Multi-word terms match
their words as written (case-insensitive), so in Russian, Ukrainian and Kazakh single words or
stems find more than phrases.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..config import check_keys, read_toml
from ..errors import ConfigError
from ..text.preprocess import PreprocessConfig, Preprocessor, term_token
from ..text.vectorizer import Vectorizer

__all__ = ["MIN_STEM", "Codebook", "CompiledCodebook", "Theme", "as_compiled"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LANG = re.compile(r"^[a-z]{2}$")
#: Fewest letters before a stem's ``*``.
MIN_STEM = 4


@dataclass(frozen=True)
class Theme:
    """A named theme: ``name`` (identifier), ``label`` (for figures) and seed ``terms``.

    ``terms`` are English (a plain list in the TOML); ``by_language`` adds each other
    language's terms (ISO 639-1 code → terms), e.g. ``{"ru": ("санкци*",)}``. A term ending in
    ``*`` is a stem (see the module docstring).
    """

    name: str
    label: str
    terms: tuple[str, ...]
    by_language: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        extra = {str(k): tuple(v) for k, v in sorted(dict(self.by_language).items())}
        object.__setattr__(self, "by_language", extra)

    @property
    def term_lists(self) -> dict[str, tuple[str, ...]]:
        """Every language's terms: ``{"en": terms, **by_language}`` (empty lists left out)."""
        lists = {"en": tuple(self.terms), **dict(self.by_language)}
        return {lang: terms for lang, terms in lists.items() if terms}

    @property
    def surface_terms(self) -> tuple[str, ...]:
        """Every language's terms, for finding them in raw text (key passages; stems keep ``*``).

        See :func:`topics.themes.passages.keyword_in_context`.
        """
        return tuple(dict.fromkeys(t for terms in self.term_lists.values() for t in terms))

    def __hash__(self) -> int:
        return hash((self.name, self.label, self.terms, tuple(self.by_language.items())))


@dataclass(frozen=True)
class Codebook:
    """An ordered set of themes."""

    themes: tuple[Theme, ...]
    extra_phrases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [t.name for t in self.themes]
        if not names:
            raise ConfigError("a codebook needs at least one theme")
        if len(set(names)) != len(names):
            raise ConfigError(f"theme names repeat: {names}")
        for theme in self.themes:
            if not _NAME.match(theme.name):
                raise ConfigError(f"theme name {theme.name!r} must be lower_case_with_underscores")
            if not theme.term_lists:
                raise ConfigError(f"theme {theme.name!r} has no terms")
            for lang, terms in theme.term_lists.items():
                if not _LANG.match(lang):
                    raise ConfigError(
                        f"theme {theme.name!r}: {lang!r} is not an ISO 639-1 language code "
                        "(two lower-case letters such as en, ru, uk, kk)"
                    )
                for term in terms:
                    _check_term(term, f"theme {theme.name!r} ({lang})")

    @classmethod
    def from_toml(cls, path: str | Path) -> Codebook:
        """Read ``[themes.<name>]`` tables with ``terms`` (and optional ``label``).

        Any other key, at the top level or in a theme's table, is an error naming it.
        """
        data = read_toml(path, "codebook")
        check_keys(data, ["themes", "phrases"], str(path))
        phrases = data.get("phrases", [])
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise ConfigError(f"{path}: phrases must be a list of multi-word names")
        tables = data.get("themes")
        if not isinstance(tables, dict) or not tables:
            raise ConfigError(f"{path}: expected [themes.<name>] tables with a terms list")
        themes = []
        for name, table in tables.items():
            given = table if isinstance(table, dict) else {}  # no terms: _term_lists says so
            check_keys(given, ["label", "terms"], f"{path}, [themes.{name}]")
            themes.append(
                _theme(name, given.get("label", name), given.get("terms"), f"{path}: themes")
            )
        return cls(tuple(themes), tuple(phrases))

    @property
    def names(self) -> list[str]:
        """Theme names in codebook order."""
        return [t.name for t in self.themes]

    @property
    def languages(self) -> list[str]:
        """Languages the themes give terms in (``en`` first, then alphabetical)."""
        found = {lang for lang, _ in self._terms()}
        return sorted(found, key=lambda lang: (lang != "en", lang))

    def _terms(self) -> list[tuple[str, str]]:
        """Every theme's ``(language, term)`` pairs, in codebook order."""
        return [
            (lang, term)
            for theme in self.themes
            for lang, terms in theme.term_lists.items()
            for term in terms
        ]

    def phrases(self) -> tuple[str, ...]:
        """Multi-word terms and the extra ``phrases``: protected so each stays one token."""
        terms = {t for _, t in self._terms() if len(t.split()) > 1}
        return tuple(sorted(terms | set(self.extra_phrases)))

    def preprocess_config(self, base: PreprocessConfig | None = None) -> PreprocessConfig:
        """Return a preprocessing config whose protected terms include the codebook's phrases."""
        base = base or PreprocessConfig()
        protected = tuple(dict.fromkeys([*base.protected_terms, *self.phrases()]))
        return dataclasses.replace(base, protected_terms=protected)

    def tokens(self, config: PreprocessConfig | None = None) -> dict[str, dict[str, str]]:
        """Map each theme to ``{token: seed term}`` under the given preprocessing.

        Each language's terms are normalised as that language's words; a stem keeps its
        ``*`` (``"санкци*"``) until :meth:`CompiledCodebook.expand` meets the tokens it
        matches.

        Raises
        ------
        ConfigError
            When none of a theme's terms gives a token (all stop words, or too short), since
            such a theme would silently measure zero everywhere.

        """
        config = config or self.preprocess_config()
        pre = Preprocessor(config)
        out: dict[str, dict[str, str]] = {}
        for theme in self.themes:
            mapping: dict[str, str] = {}
            for lang, terms in theme.term_lists.items():
                for term in terms:
                    if term.endswith("*"):
                        mapping.setdefault(_stem(term, config), term)
                    elif len(term.split()) > 1:
                        mapping.setdefault(term_token(term), term)
                    else:
                        for token in pre.tokenize(term, lang):
                            mapping.setdefault(token, term)
            if not mapping:
                raise ConfigError(
                    f"theme {theme.name!r}: its terms {_written(theme)} give no tokens under "
                    "the preprocessing (stop words, numbers or words too short); give it terms "
                    "with content words"
                )
            out[theme.name] = mapping
        return out

    def terms_outside(self, languages: Iterable[str | None]) -> set[str]:
        """Terms given only in languages other than ``languages`` (English always counts in).

        The health table does not list these one by one where they never occur: a Russian
        list is not "unseen" in an English corpus, it is for another corpus.
        """
        present = {"en", *(lang for lang in languages if lang)}
        inside = {t for lang, t in self._terms() if lang in present}
        return {t for _, t in self._terms() if t not in inside}

    def compile(self, base: PreprocessConfig | None = None) -> CompiledCodebook:
        """Normalise the terms once under ``base`` preprocessing plus the codebook's phrases."""
        config = self.preprocess_config(base)
        return CompiledCodebook(self, config, self.tokens(config))

    def to_dict(self) -> dict[str, Any]:
        """Return the codebook as JSON values: its themes in order, and its extra phrases.

        A theme's ``terms`` is its English list, or ``{language: terms}`` when it has others.
        """
        return {
            "themes": [
                {"name": t.name, "label": t.label, "terms": _written(t)} for t in self.themes
            ],
            "phrases": list(self.extra_phrases),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Codebook:
        """Build from :meth:`to_dict`'s shape."""
        themes = []
        for t in data["themes"]:
            themes.append(_theme(str(t["name"]), t.get("label", t["name"]), t["terms"], "themes"))
        return cls(tuple(themes), tuple(str(p) for p in data.get("phrases", [])))

    def label(self, name: str) -> str:
        """Return the label of theme ``name``."""
        for theme in self.themes:
            if theme.name == name:
                return theme.label
        raise ConfigError(f"no theme {name!r} in the codebook")


@dataclass(frozen=True)
class CompiledCodebook:
    """A codebook under one preprocessing: each theme's tokens, ready for every measure.

    Attributes
    ----------
    codebook
        The themes.
    config
        The preprocessing (the codebook's phrases protected).
    tokens
        Theme → ``{token: seed term}``.

    """

    codebook: Codebook
    config: PreprocessConfig
    tokens: Mapping[str, Mapping[str, str]] = field(repr=False)

    @property
    def names(self) -> list[str]:
        """Theme names in codebook order."""
        return self.codebook.names

    @cached_property
    def stems(self) -> dict[str, dict[str, str]]:
        """Theme → ``{prefix: stem term}`` for its stems (``"санкци"`` → ``"санкци*"``)."""
        return {
            name: {term.rstrip("*").lower(): term for term in _stem_terms(mapping)}
            for name, mapping in self.tokens.items()
        }

    def expand(self, vocabulary: Iterable[str]) -> CompiledCodebook:
        """Return this codebook with each stem replaced by the tokens of ``vocabulary`` it matches.

        A stem that matches none keeps its ``*`` placeholder (so the health table shows it
        unseen). Codebooks without stems are returned as they are; expanding again with more
        tokens adds their matches.
        """
        prefixes = {p for stems in self.stems.values() for p in stems}
        if not prefixes:
            return self
        starts = tuple(sorted(prefixes))
        found = sorted({t for t in vocabulary if t.startswith(starts) and "*" not in t})
        tokens: dict[str, dict[str, str]] = {}
        for name, mapping in self.tokens.items():
            stems = self.stems[name]
            kept = {t: term for t, term in mapping.items() if not t.endswith("*")}
            for prefix, term in stems.items():
                matched = [t for t in found if t.startswith(prefix)]
                for token in matched:
                    kept.setdefault(token, term)
                if not matched and not any(v == term for v in kept.values()):
                    kept[_stem(term, self.config)] = term
            tokens[name] = kept
        return CompiledCodebook(self.codebook, self.config, tokens)

    @cached_property
    def lookup(self) -> dict[str, list[int]]:
        """Token → indices of the themes it belongs to."""
        found: dict[str, list[int]] = {}
        for index, name in enumerate(self.names):
            for token in self.tokens[name]:
                found.setdefault(token, []).append(index)
        return found

    @property
    def seed_tokens(self) -> list[str]:
        """Every theme's tokens, in codebook order (no repeats; unmatched stems left out)."""
        return list(
            dict.fromkeys(
                t for name in self.names for t in self.tokens[name] if not t.endswith("*")
            )
        )

    def subset(self, names: Sequence[str]) -> CompiledCodebook:
        """Return this compiled codebook restricted to the themes ``names`` (codebook order)."""
        keep = [t for t in self.codebook.themes if t.name in set(names)]
        book = Codebook(tuple(keep), self.codebook.extra_phrases)
        tokens = {t.name: self.tokens[t.name] for t in keep}
        return CompiledCodebook(book, self.config, tokens)

    def tokenize(
        self,
        texts: Sequence[str],
        *,
        langs: Sequence[str | None] | None = None,
        progress: bool | None = None,
    ) -> list[list[str]]:
        """Preprocess texts the way the codebook's terms were (learning phrases if enabled).

        ``langs`` gives each text's language when known (a corpus's ``lang`` column).
        """
        pre = Preprocessor(self.config).fit(texts, langs=langs, progress=progress)
        return pre.transform(texts, langs=langs, progress=progress)

    def vectorizer(self, *, min_df: int | float = 2) -> Vectorizer:
        """Return a vectoriser over this preprocessing that never prunes a seed token."""
        return Vectorizer(self.config, min_df=min_df, max_df=1.0, keep_terms=self.seed_tokens)


def _written(theme: Theme) -> list[str] | dict[str, list[str]]:
    """Return a theme's terms as written: a list if English only, else lists by language."""
    if not theme.by_language:
        return list(theme.terms)
    return {lang: list(terms) for lang, terms in theme.term_lists.items()}


def _check_term(term: str, where: str) -> None:
    if "*" in term.rstrip("*") or term.endswith("**"):
        raise ConfigError(f"{where}: {term!r} — a stem has one '*', at its end (e.g. 'санкци*')")
    if term.endswith("*"):
        stem = term[:-1]
        if len(stem.split()) > 1:
            raise ConfigError(f"{where}: {term!r} — a stem is one word; give phrases without '*'")
        letters = sum(ch.isalpha() for ch in stem)
        if letters < MIN_STEM:
            raise ConfigError(
                f"{where}: stem {term!r} has {letters} letters; at least {MIN_STEM} are needed "
                "so that it matches one word family, not a slice of the vocabulary"
            )


def _stem(term: str, config: PreprocessConfig) -> str:
    """Return a stem's placeholder token: its prefix normalised like a token, and ``*``."""
    prefix = term.rstrip("*").replace("’", "'")
    return (prefix.lower() if config.lowercase else prefix) + "*"


def _stem_terms(mapping: Mapping[str, str]) -> list[str]:
    return list(dict.fromkeys(term for term in mapping.values() if term.endswith("*")))


def _theme(name: str, label: object, terms: object, where: str) -> Theme:
    """Build a theme from its name, label and ``terms`` as read (``where``: its table's place)."""
    lists = _term_lists(terms, f"{where}.{name}.terms")
    return Theme(name, str(label), lists.pop("en", ()), lists)


def _term_lists(terms: object, where: str) -> dict[str, tuple[str, ...]]:
    """Read a theme's ``terms``: a list (English) or a table of lists by language."""
    if isinstance(terms, list) and all(isinstance(t, str) for t in terms):
        return {"en": tuple(terms)}
    if isinstance(terms, dict) and terms:
        out: dict[str, tuple[str, ...]] = {}
        for lang, words in terms.items():
            if not isinstance(words, list) or not all(isinstance(t, str) for t in words):
                raise ConfigError(f"{where}.{lang} must be a list of strings")
            out[str(lang)] = tuple(words)
        return out
    raise ConfigError(
        f"{where} must be a list of strings (English) or a table of lists by language "
        "(en = [...], ru = [...], uk = [...], kk = [...])"
    )


def as_compiled(
    codebook: Codebook | CompiledCodebook, config: PreprocessConfig | None = None
) -> CompiledCodebook:
    """Return ``codebook`` compiled (once) under ``config``; a compiled one is returned as is."""
    if isinstance(codebook, CompiledCodebook):
        return codebook
    return codebook.compile(config)
