""":class:`StreamedThemes`: the results of themes over time computed from chunks.

It carries what :class:`~topics.themes.ThemeAnalysis` carries except the document-level tables
(the corpus and every document's shares are what did not fit in memory): the settings, the
merged unit table (the sufficient statistics of trends and changes), the trends, the seed-term
health, and each theme's strongest documents per period for key passages. The change test
runs on first use, from the unit table; :meth:`StreamedThemes.save` writes the same files as
:meth:`ThemeAnalysis.save <topics.themes.ThemeAnalysis.save>` minus the document-level ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError
from ..manifest import dumps
from ..outputs import atomic_write_text
from ..text.preprocess import PreprocessConfig
from ..themes.analysis import ThemeSettings
from ..themes.codebook import Codebook
from ..themes.passages import PASSAGE_COLUMNS, change_passages, key_passages, passages_of
from ..themes.results import write_tables
from ..trends import ChangeResult, EventResult, table_changes, table_event
from ..trends._units import UnitTable

__all__ = ["TOP_DOCUMENTS", "StreamedThemes"]

#: Strongest documents kept per theme and period, for key passages.
TOP_DOCUMENTS = 5


@dataclass(frozen=True)
class StreamedThemes:
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

    @cached_property
    def change_test(self) -> ChangeResult:
        """Steps and episodes in every theme, family-wise calibrated (run on first use)."""
        return table_changes(self.table, self.settings.change_settings())

    def event(
        self,
        date: object,
        window: int | None = None,
        *,
        label: str | None = None,
        **overrides: Any,
    ) -> EventResult:
        """Event study of every theme around ``date`` (see :func:`topics.trends.event_study`)."""
        settings = dataclasses.replace(self.settings.change_settings(), **overrides)
        return table_event(self.table, date, window=window, settings=settings, label=label)

    @property
    def changes(self) -> pd.DataFrame:
        """``theme, kind, date, end, before, after, shift, lo, hi, p_raw, p_adj, gap_before``."""
        return self.change_test.changes

    @property
    def axis(self) -> list[object]:
        """Every period in time order, gaps included."""
        return list(self.table.axis)

    @property
    def labels(self) -> dict[str, str]:
        """Display label of every theme."""
        return {t.name: t.label for t in self.codebook.themes}

    @property
    def config(self) -> dict[str, Any]:
        """Settings, counts and the change test, as JSON (manifests)."""
        return {
            **self.settings.to_dict(),
            **dict(self.info),
            "themes": self.codebook.names,
            "change_test": self.change_test.to_dict(),
        }

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
        terms = next(t.terms for t in self.codebook.themes if t.name == theme)
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
        out = Path(folder)
        written = write_tables(
            out,
            {
                "trends": self.trends,
                "theme_health": self.health,
                "passages": self.key_passages(passages, n=3),
            },
        )
        written += self.change_test.save(out)
        meta = {
            "format": "topics.StreamedThemes",
            "settings": self.settings.to_dict(),
            "codebook": self.codebook.to_dict(),
            "preprocess": self.preprocess.to_dict(),
            "info": dict(self.info),
        }
        atomic_write_text(out / "analysis.json", dumps(meta))
        return [*written, out / "analysis.json"]
