""":class:`StreamedThemes`: the results of themes over time computed from chunks.

It carries what :class:`~topics.themes.ThemeAnalysis` carries except the document-level tables
(the corpus and every document's shares are what did not fit in memory): the settings, the
merged unit table (the sufficient statistics of trends and changes), the trends, the seed-term
health, and each theme's strongest documents per period for key passages. The change test
runs on first use, from the unit table; :meth:`StreamedThemes.save` writes the same files as
:meth:`ThemeAnalysis.save <topics.themes.ThemeAnalysis.save>` minus the document-level ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError
from ..text.preprocess import PreprocessConfig
from ..themes.analysis import ThemeSettings
from ..themes.codebook import Codebook
from ..themes.passages import PASSAGE_COLUMNS, change_passages, key_passages, passages_of
from ..themes.results import ThemeTables
from ..trends.units import UnitTable

__all__ = ["TOP_DOCUMENTS", "StreamedThemes"]

#: Strongest documents kept per theme and period, for key passages.
TOP_DOCUMENTS = 5


@dataclass(frozen=True)
class StreamedThemes(ThemeTables):
    """Tidy results of :func:`topics.scale.stream_themes`.

    Attributes
    ----------
    codebook, settings, preprocess
        What was measured, and how.
    table
        Theme shares summed per unit and period: the sufficient statistics of the trends and of
        the change test.
    trends
        ``period, theme, share, lo, hi, n_docs, n_units, few_docs, partial, empty``.
    health
        ``theme, term, token, period, count, n_docs``: seed-term counts per period.
    top
        ``doc_id, theme, period, share, text``: each theme's :data:`TOP_DOCUMENTS` strongest
        documents per period.
    info
        Where it ran and on what: engine, dataset, its fingerprint, document counts.

    """

    codebook: Codebook
    settings: ThemeSettings
    table: UnitTable
    trends: pd.DataFrame
    health: pd.DataFrame
    top: pd.DataFrame
    info: Mapping[str, Any] = field(default_factory=dict)
    preprocess: PreprocessConfig = field(default_factory=PreprocessConfig)

    def _unit_table(self) -> UnitTable:
        return self.table

    @property
    def fingerprint(self) -> str:
        """The dataset's fingerprint."""
        return str(self.info["dataset_fingerprint"])

    @property
    def unit_kind(self) -> str:
        """A dataset's units are its articles."""
        return "articles"

    @property
    def counts(self) -> dict[str, int]:
        """Documents without a period (no date, or one coarser than the periods)."""
        return {"documents_not_placed": int(self.info["documents_not_placed"])}

    @property
    def config(self) -> dict[str, Any]:
        """Settings, counts and the change test, as JSON (manifests)."""
        return self._config()

    def passages(
        self, theme: str, period: object | None = None, *, n: int = 5, width: int = 70
    ) -> pd.DataFrame:
        """Key passages of ``theme`` from its strongest documents (in ``period``).

        The same rows as :meth:`ThemeAnalysis.passages <topics.themes.ThemeAnalysis.passages>`
        for ``n`` ≤ :data:`TOP_DOCUMENTS` (the documents kept per theme and period), from
        dated documents only: undated ones have no period and are not kept.
        """
        if theme not in self.codebook.names:
            raise ConfigError(f"no theme {theme!r}; themes: {self.codebook.names}")
        if n > TOP_DOCUMENTS:
            raise ConfigError(f"at most {TOP_DOCUMENTS} documents per period were kept; n={n}")
        chosen = self.top[self.top["theme"] == theme]
        if period is not None:
            chosen = chosen[chosen["period"].astype(str) == str(period)]
        chosen = chosen.sort_values(["share", "doc_id"], ascending=[False, True]).head(n)
        if chosen.empty:
            return pd.DataFrame(columns=list(PASSAGE_COLUMNS))
        texts = pd.Series(chosen["text"].to_numpy(), index=chosen["doc_id"].to_numpy())
        terms = next(t.surface_terms for t in self.codebook.themes if t.name == theme)
        return passages_of(chosen, texts, terms, width=width)

    def key_passages(
        self, themes: Sequence[str] | None = None, *, n: int = 2, width: int = 70
    ) -> pd.DataFrame:
        """Passages that explain each theme's curve: at its changes, else at its peak."""
        return key_passages(self, themes, n=n, width=width)

    def change_passages(self, *, n: int = 3, width: int = 70) -> pd.DataFrame:
        """Key passages at the first period of every change (kind, shift, p_adj)."""
        return change_passages(self, n=n, width=width)

    def save(self, folder: str | Path, *, passages: Sequence[str] | None = None) -> list[Path]:
        """Write the tables and ``analysis.json`` into ``folder``; return the files written.

        ``trends.csv``, ``theme_health.csv``, ``passages.csv`` (key passages of ``passages``
        themes, default all) and the change test's files, as :class:`ThemeAnalysis` writes them.
        """
        tables = {
            "trends": self.trends,
            "theme_health": self.health,
            "passages": self.key_passages(passages, n=3),
        }
        return self._save(Path(folder), "topics.StreamedThemes", tables)
