"""The theme-measure plug-in contract and its registry.

A *theme measure* turns documents into each theme's share of each document, in one tidy shape
``doc_id, theme, share, weight`` (``weight``: the document's tokens, for token-weighted
aggregation). Measures are small frozen dataclasses whose fields are their typed settings; each
registers itself by name in :data:`MEASURES`::

    @MEASURES.register("dictionary")
    @dataclass(frozen=True)
    class DictionaryMeasure:
        def measure(self, corpus, compiled, *, tokens, random_state): ...

``analyze_themes(measure="dictionary")``, ``topics trends --method`` and the report TOML look
measures up here, so a new measure is one new file plus its ``register`` line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd

from ...config import renamed
from ...corpus.corpus import Corpus
from ...errors import ConfigError
from ...registry import Registry
from ...text.vectorizer import DocTermMatrix
from ...tidy import long_frame
from ..codebook import CompiledCodebook

__all__ = ["MEASURES", "MeasureResult", "ThemeMeasure", "Tokens", "build_measure", "matrix_shares"]

SHARE_COLUMNS = ("doc_id", "theme", "share", "weight")
#: Every document's tokens, as :meth:`ThemeMeasure.measure` receives them.
Tokens = Sequence[Sequence[str]]


@dataclass(frozen=True)
class MeasureResult:
    """What a measure found.

    Attributes
    ----------
    shares
        ``doc_id, theme, share, weight`` for every document and theme.
    info
        JSON-ready facts about the measurement for manifests (e.g. a seeded model's
        ``seed_mass``).
    model
        The fitted model behind the shares, when there is one.

    """

    shares: pd.DataFrame
    info: Mapping[str, Any] = field(default_factory=dict)
    model: Any = None


@runtime_checkable
class ThemeMeasure(Protocol):
    """A way to measure themes in documents (see the module docstring)."""

    def measure(
        self, corpus: Corpus, compiled: CompiledCodebook, *, tokens: Tokens, random_state: int
    ) -> MeasureResult:
        """Return every theme's share of every document of ``corpus``."""
        ...


MEASURES: Registry[type[ThemeMeasure]] = Registry("theme measure")


def matrix_shares(
    shares: npt.NDArray[np.float64], matrix: DocTermMatrix, names: Sequence[str]
) -> pd.DataFrame:
    """Tidy ``doc_id, theme, share, weight`` from documents × ``names`` shares of ``matrix``.

    ``weight`` is the document's tokens in ``matrix``.
    """
    lengths = np.asarray(matrix.counts.sum(axis=1)).ravel().astype(float)
    return long_frame(shares, matrix.doc_ids, list(names), per_row={"weight": lengths})


def build_measure(
    measure: str | ThemeMeasure, options: Mapping[str, Any] | None = None
) -> ThemeMeasure:
    """Return a measure object from a registered name (with its settings) or as given.

    Unknown settings are one error naming them and the measure's known settings.
    """
    if not isinstance(measure, str):
        if options:
            raise ConfigError("give measure settings with a measure name, not with an object")
        return measure
    cls = MEASURES.get(measure)
    options = renamed(options or {}, getattr(cls, "renamed", {}), f"the {measure!r} measure")
    known = {f.name for f in fields(cls)} if hasattr(cls, "__dataclass_fields__") else set()  # type: ignore[arg-type]
    unknown = sorted(set(options or {}) - known)
    if unknown:
        raise ConfigError(
            f"unknown settings {unknown} for the {measure!r} theme measure; known: {sorted(known)}"
        )
    return cls(**dict(options or {}))
