""":class:`ThemeAnalysis`: the results of the theme pipeline, with its settings and ``save``.

Like a statsmodels results object it keeps the settings that produced it, its tables (tidy
frames), the passages behind each curve, and :meth:`ThemeAnalysis.save` /
:meth:`ThemeAnalysis.load` to a folder of CSV and Parquet tables plus ``analysis.json``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from ..corpus.corpus import Corpus
from ..corpus.periods import period_code
from ..errors import InputError, PersistenceError
from ..files import atomic_write_text
from ..manifest import dumps
from ..spreadsheet import read_csv, write_csv
from ..text.preprocess import PreprocessConfig
from ..trends import ChangeResult, EventResult, prevalence, table_changes, table_event
from ..trends.units import UnitTable, unit_table, units_of
from .codebook import Codebook
from .passages import PassageSource, change_passages, key_passages, theme_passages

if TYPE_CHECKING:
    from .analysis import ThemeSettings

__all__ = ["ThemeAnalysis", "ThemeResults", "ThemeTables", "write_tables"]

_TABLES = ("trends", "health", "periods")


def write_tables(folder: Path, frames: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Write each frame as ``NAME.csv`` (periods and dates as text); return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        path = folder / f"{name}.csv"
        text = frame.astype({c: str for c in ("period", "date", "end") if c in frame})
        write_csv(text, path)
        written.append(path)
    return written


class ThemeResults(PassageSource, Protocol):
    """What every theme analysis offers, in memory or from chunks.

    :class:`ThemeAnalysis` and :class:`topics.scale.StreamedThemes` both follow it, so code
    written against it runs on either. Its ``codebook``, ``trends``, ``changes`` and
    ``passages`` are those of :class:`~topics.themes.passages.PassageSource`.
    """

    @property
    def settings(self) -> ThemeSettings:
        """The settings used."""

    @property
    def health(self) -> pd.DataFrame:
        """Seed-term counts per period."""

    @property
    def change_test(self) -> ChangeResult:
        """The family-wise calibrated change test (run on first use)."""

    @property
    def labels(self) -> dict[str, str]:
        """Display label by theme."""

    @property
    def info(self) -> Mapping[str, Any]:
        """The measure's or the engine's report."""

    @property
    def preprocess(self) -> PreprocessConfig:
        """How texts became tokens (each language's settings in its ``to_dict``)."""

    @property
    def table(self) -> UnitTable:
        """Theme shares summed per unit and period."""

    @property
    def fingerprint(self) -> str:
        """The analysed documents' fingerprint (manifests)."""

    @property
    def unit_kind(self) -> str:
        """What a bootstrap unit is here: documents, or the articles of paragraphs."""

    @property
    def counts(self) -> dict[str, int]:
        """Documents left out, for reports and manifests."""

    def event(
        self, date: object, window: int | None = None, *, label: str | None = None,
        **overrides: Any,
    ) -> EventResult:  # fmt: skip
        """Event study of every theme around ``date``."""

    def save(self, folder: str | Path, *, passages: Sequence[str] | None = None) -> list[Path]:
        """Write the tables and their manifests to ``folder``."""


class ThemeTables:
    """Changes, events, labels and settings from an analysis's unit table, written once.

    :class:`ThemeAnalysis` (in memory) and :class:`topics.scale.StreamedThemes` (from chunks)
    both derive from it; each provides ``codebook``, ``settings``, ``info``, ``preprocess`` and
    :meth:`_unit_table` (the :class:`~topics.trends.UnitTable` of its theme shares).
    """

    codebook: Codebook
    settings: ThemeSettings
    info: Mapping[str, Any]
    preprocess: PreprocessConfig

    def _unit_table(self) -> UnitTable:  # pragma: no cover - each subclass defines it
        raise NotImplementedError

    @cached_property
    def change_test(self) -> ChangeResult:
        """Steps and episodes in every theme, family-wise calibrated (run on first use).

        See :func:`topics.trends.detect_changes` for the null, the statistic and the correction.
        """
        return table_changes(self._unit_table(), self.settings)

    def event(
        self,
        date: object,
        window: int | None = None,
        *,
        label: str | None = None,
        **overrides: Any,
    ) -> EventResult:
        """Event study of every theme around ``date`` (see :func:`topics.trends.event_study`).

        ``window`` periods on each side (default: the largest that fits, at most
        :data:`topics.defaults.EVENT_WINDOW`); the test's settings are the analysis's own, with
        ``overrides`` (e.g. ``n_perm=4999``).
        """
        settings = dataclasses.replace(self.settings.change_settings(), **overrides)
        return table_event(self._unit_table(), date, window=window, settings=settings, label=label)

    @property
    def changes(self) -> pd.DataFrame:
        """The changes found, one row per step or episode (:class:`~topics.trends.ChangeResult`)."""
        return self.change_test.changes

    @property
    def axis(self) -> list[object]:
        """Every period of the analysis in time order, gaps included."""
        return list(self._unit_table().axis)

    @property
    def labels(self) -> dict[str, str]:
        """Display label of every theme."""
        return {t.name: t.label for t in self.codebook.themes}

    def _save(
        self,
        out: Path,
        kind: str,
        tables: Mapping[str, pd.DataFrame],
        documents: Callable[[Path], list[Path]] | None = None,
    ) -> list[Path]:
        """Write ``tables``, the change test's, ``documents``' and ``analysis.json`` (``kind``).

        ``documents``, if given, writes further files into ``out`` and returns their paths.
        Returns every file written.
        """
        written = write_tables(out, tables)
        written += self.change_test.save(out)
        if documents is not None:
            written += documents(out)
        meta = {
            "format": kind,
            "settings": self.settings.to_dict(),
            "codebook": self.codebook.to_dict(),
            "preprocess": self.preprocess.to_dict(),
            "info": dict(self.info),
        }
        atomic_write_text(out / "analysis.json", dumps(meta))
        return [*written, out / "analysis.json"]

    def _config(self, **counts: object) -> dict[str, Any]:
        """Return settings, counts, the measure's report and the change test as JSON values."""
        return {
            **self.settings.to_dict(),
            **dict(self.info),
            **counts,
            "themes": self.codebook.names,
            "change_test": self.change_test.to_dict(),
        }


@dataclass(frozen=True)
class ThemeAnalysis(ThemeTables):
    """Tidy results of :func:`topics.themes.analyze_themes`.

    Attributes
    ----------
    corpus
        The analysed documents (e.g. paragraphs).
    codebook
        The themes measured.
    settings
        The :class:`~topics.themes.ThemeSettings` used.
    periods
        ``id, period, assigned, reason`` for every document.
    shares
        ``doc_id, theme, share, weight``: each theme's share of each document.
    trends
        ``period, theme, share, lo, hi, n_docs, n_units, few_docs, partial, empty`` (see
        :func:`topics.trends.prevalence`).
    health
        ``theme, term, token, period, count, n_docs``: seed-term counts per period.
    info
        What the measure reported (e.g. a seeded model's ``seed_mass``).
    preprocess
        The preprocessing the codebook was compiled under.
    model
        The fitted model behind model-based measures (not saved).

    """

    corpus: Corpus
    codebook: Codebook
    settings: ThemeSettings
    periods: pd.DataFrame
    shares: pd.DataFrame
    trends: pd.DataFrame
    health: pd.DataFrame
    info: Mapping[str, Any] = field(default_factory=dict)
    preprocess: PreprocessConfig = field(default_factory=PreprocessConfig)
    model: Any = field(default=None, compare=False, repr=False)

    @cached_property
    def table(self) -> UnitTable:
        """Theme shares summed per unit and period: what the change test and events read."""
        return unit_table(
            self.shares, self.periods, weighting=self.settings.weighting, units=self.units,
            axis=list(dict.fromkeys(self.trends["period"])),
        )  # fmt: skip

    def _unit_table(self) -> UnitTable:
        return self.table

    @property
    def fingerprint(self) -> str:
        """The analysed corpus's fingerprint."""
        return self.corpus.fingerprint()

    @property
    def unit_kind(self) -> str:
        """``"articles (parent_id)"`` for paragraphs, else ``"documents"``."""
        return "articles (parent_id)" if self.units is not None else "documents"

    @property
    def counts(self) -> dict[str, int]:
        """Documents without a period (no date, or one coarser than the periods)."""
        return {"documents_not_placed": int((~self.periods["assigned"]).sum())}

    @property
    def units(self) -> pd.Series | None:
        """The article each document belongs to (paragraphs), or ``None`` for whole documents."""
        return units_of(self.corpus)

    @property
    def config(self) -> dict[str, Any]:
        """Settings, counts, the measure's report and the change test, as JSON (manifests)."""
        return self._config(documents=len(self.corpus), **self.counts)

    def passages(
        self, theme: str, period: object | None = None, *, n: int = 5, width: int = 70
    ) -> pd.DataFrame:
        """Key passages of ``theme`` (its seed terms in context) from its strongest documents.

        See :func:`topics.themes.passages.theme_passages`; ``period`` restricts to one period.
        """
        return theme_passages(self, theme, period, n=n, width=width)

    def change_passages(self, *, n: int = 3, width: int = 70) -> pd.DataFrame:
        """Return the key passages at the first period of every change (kind, shift, p_adj)."""
        return change_passages(self, n=n, width=width)

    def key_passages(
        self, themes: Sequence[str] | None = None, *, n: int = 2, width: int = 70
    ) -> pd.DataFrame:
        """Passages that explain each theme's curve: at its changes, else at its peak."""
        return key_passages(self, themes, n=n, width=width)

    def by_group(
        self,
        groups: str | Mapping[str, str] | pd.Series,
        *,
        n_boot: int | None = None,
        random_state: int | None = None,
    ) -> pd.DataFrame:
        """Theme prevalence per period separately for groups of documents.

        Parameters
        ----------
        groups
            A corpus column (``"lang"``, ``"outlet"`` …), or the group name by document id.
            Documents without a group (not listed, or a missing value) are left out.
        n_boot, random_state
            Bootstrap settings (default: those of the analysis).

        Returns
        -------
        DataFrame
            The :attr:`trends` columns plus ``group``; each group's intervals are its own
            (documents resampled within the group).

        """
        if isinstance(groups, str):
            column = self.corpus.column(groups)
            series = pd.Series(column.to_numpy(), index=self.corpus.ids, name=groups)
        else:
            series = groups if isinstance(groups, pd.Series) else pd.Series(dict(groups))
        series = series.dropna()
        if series.empty:
            raise InputError("groups is empty: give a group name for some document ids")
        frames = []
        for name in sorted(series.astype(str).unique()):
            ids = set(series.index[series.astype(str) == name])
            part = self.shares[self.shares["doc_id"].isin(ids)]
            if part.empty:
                raise InputError(f"group {name!r} has no analysed document")
            trends = prevalence(
                part, self.periods, settings=self.settings.trend_settings(), n_boot=n_boot,
                random_state=random_state, units=self.units, axis=self.axis,
            )  # fmt: skip
            frames.append(trends.assign(group=name))
        return pd.concat(frames, ignore_index=True)

    # -- persistence ------------------------------------------------------------------------
    def save(self, folder: str | Path, *, passages: Sequence[str] | None = None) -> list[Path]:
        """Write the analysis into ``folder`` and return the files written.

        ``trends.csv``, ``theme_health.csv``, ``periods.csv``, ``passages.csv`` (key passages
        of ``passages`` themes, default all), the change test's ``changes.csv``,
        ``segments.csv``, ``themes.csv`` and ``changes.json``, the document-level
        ``shares.parquet`` and ``corpus.parquet``, and ``analysis.json`` (settings, codebook,
        preprocessing, the measure's report). :meth:`load` reads it back.
        """
        tables = {
            "trends": self.trends,
            "theme_health": self.health,
            "periods": self.periods,
            "passages": self.key_passages(passages, n=3),
        }
        return self._save(Path(folder), "topics.ThemeAnalysis", tables, self._save_documents)

    def _save_documents(self, out: Path) -> list[Path]:
        self.shares.to_parquet(out / "shares.parquet", index=False)
        self.corpus.to_parquet(out / "corpus.parquet")
        return [out / "shares.parquet", out / "corpus.parquet"]

    @classmethod
    def load(cls, folder: str | Path) -> ThemeAnalysis:
        """Read an analysis written by :meth:`save` (periods restored to their calendar type)."""
        from .analysis import ThemeSettings

        src = Path(folder)
        try:
            meta = json.loads((src / "analysis.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PersistenceError(f"{src}: no readable analysis.json ({exc})") from exc
        if not isinstance(meta, dict) or meta.get("format") != "topics.ThemeAnalysis":
            raise PersistenceError(f"{src / 'analysis.json'} does not describe a theme analysis")
        settings = ThemeSettings.from_mapping(meta["settings"], str(src / "analysis.json"))
        code = period_code(settings.freq, settings.week_start)

        def read(name: str) -> pd.DataFrame:
            frame = read_csv(src / f"{name}.csv", keep_default_na=False, na_values=[""])
            if "period" in frame:
                frame["period"] = pd.PeriodIndex(frame["period"].astype("string"), freq=code)
            return frame

        periods = read("periods")
        periods["reason"] = periods["reason"].astype("string").fillna("")
        return cls(
            corpus=Corpus.read_parquet(src / "corpus.parquet"),
            codebook=Codebook.from_dict(meta["codebook"]),
            settings=settings,
            periods=periods,
            shares=pd.read_parquet(src / "shares.parquet"),
            trends=read("trends"),
            health=read("theme_health"),
            info=meta.get("info", {}),
            preprocess=PreprocessConfig.from_dict(meta["preprocess"]),
        )
