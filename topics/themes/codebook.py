"""Named themes: a TOML codebook, and its compiled form under one preprocessing.

:class:`Codebook` holds themes with seed terms and phrases (``data/themes.toml``). Terms are
normalised with the corpus's own preprocessing, so "batteries" matches ``battery`` and
"Global Gateway" matches the protected token ``global_gateway``. :meth:`Codebook.compile`
does that once and returns a :class:`CompiledCodebook` — what every theme measure, the health
check and the per-period theme words use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..config import check_keys, read_toml
from ..errors import ConfigError
from ..text.preprocess import PreprocessConfig, Preprocessor, term_token
from ..text.vectorizer import Vectorizer

__all__ = ["Codebook", "CompiledCodebook", "Theme", "as_compiled"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Theme:
    """A named theme: ``name`` (identifier), ``label`` (for figures) and seed ``terms``."""

    name: str
    label: str
    terms: tuple[str, ...]


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
            if not theme.terms:
                raise ConfigError(f"theme {theme.name!r} has no terms")

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
            if isinstance(table, dict):
                check_keys(table, ["label", "terms"], f"{path}, [themes.{name}]")
            terms = table.get("terms") if isinstance(table, dict) else None
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                raise ConfigError(f"{path}: themes.{name}.terms must be a list of strings")
            themes.append(Theme(name, str(table.get("label", name)), tuple(terms)))
        return cls(tuple(themes), tuple(phrases))

    @property
    def names(self) -> list[str]:
        """Theme names in codebook order."""
        return [t.name for t in self.themes]

    def phrases(self) -> tuple[str, ...]:
        """Multi-word terms and the extra ``phrases``: protected so each stays one token."""
        terms = {t for theme in self.themes for t in theme.terms if len(t.split()) > 1}
        return tuple(sorted(terms | set(self.extra_phrases)))

    def preprocess_config(self, base: PreprocessConfig | None = None) -> PreprocessConfig:
        """Return a preprocessing config whose protected terms include the codebook's phrases."""
        base = base or PreprocessConfig()
        protected = tuple(dict.fromkeys([*base.protected_terms, *self.phrases()]))
        return PreprocessConfig.from_dict({**base.to_dict(), "protected_terms": list(protected)})

    def tokens(self, config: PreprocessConfig | None = None) -> dict[str, dict[str, str]]:
        """Map each theme to ``{token: seed term}`` under the given preprocessing.

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
            for term in theme.terms:
                if len(term.split()) > 1:
                    mapping.setdefault(term_token(term), term)
                else:
                    for token in pre.tokenize(term):
                        mapping.setdefault(token, term)
            if not mapping:
                raise ConfigError(
                    f"theme {theme.name!r}: its terms {list(theme.terms)} give no tokens under "
                    "the preprocessing (stop words, numbers or words too short); give it terms "
                    "with content words"
                )
            out[theme.name] = mapping
        return out

    def compile(self, base: PreprocessConfig | None = None) -> CompiledCodebook:
        """Normalise the terms once under ``base`` preprocessing plus the codebook's phrases."""
        config = self.preprocess_config(base)
        return CompiledCodebook(self, config, self.tokens(config))

    def to_dict(self) -> dict[str, Any]:
        """Return the codebook as JSON values: its themes in order, and its extra phrases."""
        return {
            "themes": [
                {"name": t.name, "label": t.label, "terms": list(t.terms)} for t in self.themes
            ],
            "phrases": list(self.extra_phrases),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Codebook:
        """Build from :meth:`to_dict`'s shape."""
        themes = tuple(
            Theme(str(t["name"]), str(t.get("label", t["name"])), tuple(map(str, t["terms"])))
            for t in data["themes"]
        )
        return cls(themes, tuple(str(p) for p in data.get("phrases", [])))

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
    def lookup(self) -> dict[str, list[int]]:
        """Token → indices of the themes it belongs to."""
        found: dict[str, list[int]] = {}
        for index, name in enumerate(self.names):
            for token in self.tokens[name]:
                found.setdefault(token, []).append(index)
        return found

    @property
    def seed_tokens(self) -> list[str]:
        """Every theme's tokens, in codebook order (no repeats)."""
        return list(dict.fromkeys(t for name in self.names for t in self.tokens[name]))

    def subset(self, names: Sequence[str]) -> CompiledCodebook:
        """Return this compiled codebook restricted to the themes ``names`` (codebook order)."""
        keep = [t for t in self.codebook.themes if t.name in set(names)]
        book = Codebook(tuple(keep), self.codebook.extra_phrases)
        return CompiledCodebook(book, self.config, {t.name: self.tokens[t.name] for t in keep})

    def tokenize(self, texts: Sequence[str], *, progress: bool | None = None) -> list[list[str]]:
        """Preprocess texts the way the codebook's terms were (learning phrases if enabled)."""
        pre = Preprocessor(self.config).fit(texts, progress=progress)
        return pre.transform(texts, progress=progress)

    def vectorizer(self, *, min_df: int | float = 2) -> Vectorizer:
        """Return a vectoriser over this preprocessing that never prunes a seed token."""
        return Vectorizer(self.config, min_df=min_df, max_df=1.0, keep_terms=self.seed_tokens)


def as_compiled(
    codebook: Codebook | CompiledCodebook, config: PreprocessConfig | None = None
) -> CompiledCodebook:
    """Return ``codebook`` compiled (once) under ``config``; a compiled one is returned as is."""
    if isinstance(codebook, CompiledCodebook):
        return codebook
    return codebook.compile(config)
