"""One registry type: where a name becomes a class (or a function).

Model families (:data:`topics.models.MODELS`), theme measures (:data:`topics.themes.MEASURES`)
and LDA backends (:data:`topics.models.LDA_BACKENDS`) are each one :class:`Registry`. Adding a
model, a measure or a backend is one new file whose class registers itself::

    from topics.themes import MEASURES

    @MEASURES.register("embedding")
    class EmbeddingMeasure: ...

After that, the name works everywhere a name is accepted (``analyze_themes(measure=...)``,
``topics trends --method``, the report TOML).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from .errors import ConfigError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Names mapped to classes or functions of one kind.

    Parameters
    ----------
    kind
        What the entries are, for error messages (``"model family"``, ``"theme measure"``).

    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        """Return a decorator that registers its argument under ``name``."""

        def decorate(entry: T) -> T:
            self.add(name, entry)
            return entry

        return decorate

    def add(self, name: str, entry: T) -> None:
        """Register ``entry`` under ``name``; a name already taken by another entry is an error."""
        if not name or not name.replace("-", "_").replace("_", "a").isalnum():
            raise ConfigError(f"{self.kind} name {name!r} must be letters, digits, '-' or '_'")
        if name in self._entries and self._entries[name] is not entry:
            raise ConfigError(f"{self.kind} {name!r} is already registered")
        self._entries[name] = entry

    def get(self, name: str) -> T:
        """Return the entry registered under ``name``; an unknown name is one clear error."""
        try:
            return self._entries[name]
        except KeyError:
            raise ConfigError(
                f"unknown {self.kind} {name!r}; known: {', '.join(self.names())}"
            ) from None

    def names(self) -> tuple[str, ...]:
        """Return the registered names, in registration order."""
        return tuple(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}: {', '.join(self.names())})"
