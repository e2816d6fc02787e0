"""The theme-over-time analysis in one call: shares, trends, change points, health, passages.

:func:`analyse_themes` runs the chain a researcher would otherwise wire by hand — preprocess
with the codebook's phrases protected, measure every theme in every document, aggregate per
period with bootstrap intervals, test for change points, check seed-term coverage — and
returns a :class:`ThemeAnalysis` of tidy frames. Its :meth:`ThemeAnalysis.passages` gives the
key passages (keyword in context) behind a theme in a period, e.g. at a change point, and
:meth:`ThemeAnalysis.by_group` compares groups of documents (countries, outlets) with the
same document-level measurements. The notebooks and ``topics report`` both call it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from .corpus import Corpus
from .errors import ConfigError, InputError
from .periods import Frequency, assign_periods
from .preprocess import PreprocessConfig, Preprocessor
from .themes import (
    Codebook,
    dictionary_shares,
    keyword_in_context,
    model_theme_shares,
    seeded_model,
    theme_health,
)
from .trends import ChangeResult, ChangeSettings, Weighting, detect_changes, prevalence
from .trends.changes import Correction
from .vectorize import Vectorizer

__all__ = ["METHODS", "ThemeAnalysis", "analyse_themes"]

Method = Literal["dictionary", "seeded"]
METHODS: tuple[str, ...] = ("dictionary", "seeded")
_PASSAGE_COLUMNS = ("doc_id", "period", "share", "term", "left", "keyword", "right")


@dataclass(frozen=True)
class ThemeAnalysis:
    """Tidy results of :func:`analyse_themes`.

    Attributes
    ----------
    corpus
        The analysed documents (e.g. paragraphs).
    codebook
        The themes measured.
    periods
        ``id, period, assigned, reason`` for every document.
    shares
        ``doc_id, theme, share, weight``: each theme's share of each document.
    trends
        ``period, theme, share, lo, hi, n_docs, few_docs, partial`` (see
        :func:`topics.trends.prevalence`).
    changes
        ``theme, kind, date, end, before, after, shift, lo, hi, p_raw, p_adj, gap_before``:
        the steps and episodes found, family-wise calibrated (see
        :func:`topics.trends.detect_changes`).
    health
        ``theme, term, token, period, count, n_docs``: seed-term counts per period.
    config
        The settings used (for manifests).

    """

    corpus: Corpus
    codebook: Codebook
    periods: pd.DataFrame
    shares: pd.DataFrame
    trends: pd.DataFrame
    changes: pd.DataFrame
    health: pd.DataFrame
    change_test: ChangeResult
    config: Mapping[str, Any] = field(default_factory=dict)

    @property
    def units(self) -> pd.Series | None:
        """The article each document belongs to (paragraphs), or ``None`` for whole documents."""
        return _units(self.corpus)

    @property
    def axis(self) -> list[object]:
        """Every period of the analysis in time order, gaps included."""
        return list(dict.fromkeys(self.trends["period"]))

    @property
    def labels(self) -> dict[str, str]:
        """Display label of every theme."""
        return {t.name: t.label for t in self.codebook.themes}

    def passages(
        self, theme: str, period: object | None = None, *, n: int = 5, width: int = 70
    ) -> pd.DataFrame:
        """Key passages of ``theme``: its seed terms in context, from its strongest documents.

        Parameters
        ----------
        theme
            Theme name.
        period
            Only documents of this period (a ``Period`` or its text, e.g. ``"2022Q1"``).
        n
            Documents to take, those where the theme's share is highest.
        width
            Characters of context either side of a match.

        Returns
        -------
        DataFrame
            ``doc_id, period, share, term, left, keyword, right`` — one row per match, documents
            in order of decreasing share.

        """
        if theme not in self.codebook.names:
            raise ConfigError(f"no theme {theme!r}; themes: {self.codebook.names}")
        chosen = self.shares[(self.shares["theme"] == theme) & (self.shares["share"] > 0)]
        placed = self.periods.set_index("id")["period"]
        chosen = chosen.assign(period=placed.reindex(chosen["doc_id"]).to_numpy())
        if period is not None:
            chosen = chosen[chosen["period"].astype(str) == str(period)]
        chosen = chosen.sort_values(["share", "doc_id"], ascending=[False, True]).head(n)
        columns = list(_PASSAGE_COLUMNS)
        if chosen.empty:
            return pd.DataFrame(columns=columns)
        texts = self.corpus.to_frame().set_index("id")["text"].loc[chosen["doc_id"]]
        terms = next(t.terms for t in self.codebook.themes if t.name == theme)
        lines = keyword_in_context(texts, list(terms), width=width)
        merged = lines.merge(chosen[["doc_id", "period", "share"]], on="doc_id", how="left")
        order = {doc: i for i, doc in enumerate(chosen["doc_id"])}
        merged = merged.sort_values("doc_id", key=lambda s: s.map(order), kind="stable")
        return merged[columns].reset_index(drop=True)

    def change_passages(self, *, n: int = 3, width: int = 70) -> pd.DataFrame:
        """Return the key passages behind every change (:meth:`passages` at its first period).

        Returns the :meth:`passages` columns plus ``kind``, ``shift`` and ``p_adj`` of the change.
        """
        frames = []
        for _, change in self.changes.iterrows():
            lines = self.passages(str(change["theme"]), change["date"], n=n, width=width)
            lines.insert(0, "theme", change["theme"])
            lines["kind"] = change["kind"]
            lines["shift"] = change["shift"]
            lines["p_adj"] = change["p_adj"]
            frames.append(lines)
        if not frames:
            return pd.DataFrame(columns=["theme", *_PASSAGE_COLUMNS, "kind", "shift", "p_adj"])
        return pd.concat(frames, ignore_index=True)

    def key_passages(
        self, themes: Sequence[str] | None = None, *, n: int = 2, width: int = 70
    ) -> pd.DataFrame:
        """Passages that explain each theme's curve: at its change points, else at its peak.

        For a theme with changes, :meth:`passages` in the first period of each step or episode;
        for one without, in the period where its share is highest (so every theme gets evidence
        to read, and ``reason`` says which kind it is).

        Returns
        -------
        DataFrame
            ``theme, reason, period, doc_id, share, term, left, keyword, right``.

        """
        frames = []
        for theme in themes if themes is not None else self.codebook.names:
            changes = self.changes[self.changes["theme"] == theme]
            if len(changes):
                spots = [(c["date"], _describe_change(c)) for _, c in changes.iterrows()]
            else:
                series = self.trends[self.trends["theme"] == theme]
                if series.empty or float(series["share"].max()) <= 0:
                    continue
                peak = series.sort_values(["share", "period"], ascending=[False, True]).iloc[0]
                spots = [(peak["period"], "peak period (no change found)")]
            for period, reason in spots:
                lines = self.passages(theme, period, n=n, width=width)
                lines.insert(0, "reason", reason)
                lines.insert(0, "theme", theme)
                frames.append(lines)
        columns = ["theme", "reason", *_PASSAGE_COLUMNS]
        if not frames:
            return pd.DataFrame(columns=columns)
        return pd.concat(frames, ignore_index=True)[columns]

    def by_group(
        self,
        groups: Mapping[str, str] | pd.Series,
        *,
        n_boot: int | None = None,
        random_state: int | None = None,
    ) -> pd.DataFrame:
        """Theme prevalence per period separately for groups of documents.

        Parameters
        ----------
        groups
            Group name by document id (documents not listed are left out).
        n_boot, random_state
            Bootstrap settings (default: those of the analysis).

        Returns
        -------
        DataFrame
            The :attr:`trends` columns plus ``group``.

        """
        series = groups if isinstance(groups, pd.Series) else pd.Series(dict(groups))
        if series.empty:
            raise InputError("groups is empty: give a group name for some document ids")
        frames = []
        for name in sorted(series.dropna().unique()):
            ids = set(series.index[series == name])
            part = self.shares[self.shares["doc_id"].isin(ids)]
            if part.empty:
                raise InputError(f"group {name!r} has no analysed document")
            trends = prevalence(
                part,
                self.periods,
                weighting=self.config.get("weighting", "documents"),
                n_boot=n_boot if n_boot is not None else int(self.config.get("n_boot", 1000)),
                min_docs=int(self.config.get("min_docs", 5)),
                random_state=(
                    random_state
                    if random_state is not None
                    else int(self.config.get("random_state", 0))
                ),
                units=self.units,
                axis=self.axis,
            )
            frames.append(trends.assign(group=name))
        return pd.concat(frames, ignore_index=True)


def _units(corpus: Corpus) -> pd.Series | None:
    if "parent_id" not in corpus.columns:
        return None
    return pd.Series(corpus.column("parent_id").to_numpy(), index=corpus.ids)


def _describe_change(change: pd.Series) -> str:
    direction = "rise" if change["shift"] > 0 else "fall"
    if change["kind"] == "episode":
        what = f"episode ({direction} and return) until {change['end']}"
    else:
        what = f"step {direction}"
    return f"{what} {change['shift']:+.3f} (adjusted p = {change['p_adj']:.3f})"


def analyse_themes(
    corpus: Corpus,
    codebook: Codebook,
    *,
    freq: Frequency = "quarter",
    week_start: str = "monday",
    method: Method = "dictionary",
    weighting: Weighting = "documents",
    preprocess: PreprocessConfig | None = None,
    n_free: int = 10,
    max_iter: int | None = None,
    min_df: int = 2,
    n_boot: int = 1000,
    alpha: float = 0.05,
    correction: Correction = "fwer",
    min_docs: int = 5,
    n_perm: int = 999,
    min_size: int = 2,
    max_changes: int = 4,
    random_state: int = 0,
) -> ThemeAnalysis:
    """Measure every theme per document and per period, with intervals and change points.

    Parameters
    ----------
    corpus
        Dated documents (articles or their paragraphs).
    codebook
        The themes and their seed terms.
    freq
        Period length; documents dated more coarsely are left out and counted (see
        :func:`topics.periods.assign_periods`).
    week_start
        First day of a week for ``freq="week"`` (default Monday, ISO 8601).
    method
        ``"dictionary"``: a theme's share of a document is the share of its tokens that are the
        theme's seed terms — transparent, works on a handful of documents. ``"seeded"``: a
        keyword-seeded LDA (:func:`topics.themes.seeded_model`) with ``n_free`` extra topics,
        so a theme also picks up the words that co-occur with its seeds — for larger corpora.
    weighting
        ``"documents"`` (each document counts once) or ``"tokens"``.
    preprocess
        Base preprocessing; the codebook's phrases are added as protected terms.
    n_free, max_iter, min_df
        Seeded model: free topics, Gibbs sweeps, and the vocabulary's minimum document
        frequency (seed terms are always kept).
    n_boot, min_docs
        Bootstrap replicates; the fewest documents for a period not to be flagged.
    alpha, correction, n_perm, min_size, max_changes
        The change test (:func:`topics.trends.detect_changes`): level, ``"fwer"``
        (Westfall–Young over every theme × date, default) or ``"fdr"``, permutations, fewest
        periods with documents in a segment, most changes per theme. For a segmented corpus
        the articles, not the paragraphs, are permuted and resampled.
    random_state
        Seed of the model, the bootstrap and the permutations.

    """
    if method not in METHODS:
        raise ConfigError(f"method must be one of {list(METHODS)}, got {method!r}")
    if len(corpus) == 0:
        raise InputError("the corpus is empty: nothing to analyse")
    config = codebook.preprocess_config(preprocess)
    periods = assign_periods(corpus, freq, week_start=week_start)
    tokens = Preprocessor(config).transform(corpus.texts)
    seed_mass: dict[str, float] = {}
    if method == "dictionary":
        shares = dictionary_shares(tokens, corpus.ids, codebook, config)
    else:
        seed_tokens = [t for m in codebook.tokens(config).values() for t in m]
        vectorizer = Vectorizer(config, min_df=min_df, max_df=1.0, keep_terms=seed_tokens)
        matrix = vectorizer.fit_transform(corpus)
        model = seeded_model(
            matrix,
            codebook,
            n_free=n_free,
            config=config,
            random_state=random_state,
            max_iter=max_iter,
        )
        shares = model_theme_shares(model, matrix, codebook.names)
        seed_mass = dict(model.seed_mass_)
    units = _units(corpus)
    trends = prevalence(
        shares,
        periods,
        weighting=weighting,
        n_boot=n_boot,
        min_docs=min_docs,
        random_state=random_state,
        dates=corpus.dates,
        units=units,
    )
    test = detect_changes(
        shares,
        periods,
        units=units,
        axis=list(dict.fromkeys(trends["period"])),
        settings=ChangeSettings(
            alpha=alpha,
            correction=correction,
            n_perm=n_perm,
            min_size=min_size,
            max_changes=max_changes,
            n_boot=n_boot,
            weighting=weighting,
            random_state=random_state,
        ),
    )
    placed = periods.set_index("id")["period"].reindex(corpus.ids)
    health = theme_health(tokens, [None if pd.isna(p) else p for p in placed], codebook, config)
    settings: dict[str, Any] = {
        "freq": freq,
        "week_start": week_start,
        "method": method,
        "weighting": weighting,
        "n_free": n_free,
        "max_iter": max_iter,
        "min_df": min_df,
        "n_boot": n_boot,
        "min_docs": min_docs,
        "change_test": test.to_dict(),
        "random_state": random_state,
        "documents": len(corpus),
        "documents_not_placed": int((~periods["assigned"]).sum()),
        "themes": codebook.names,
    }
    if seed_mass:
        settings["seed_mass"] = seed_mass
    return ThemeAnalysis(
        corpus, codebook, periods, shares, trends, test.changes, health, test, settings
    )
