"""Themes over time from chunks: per-chunk sufficient statistics, merged, then the same maths.

Each chunk task reads one chunk, tokenises it, measures every theme in every document with the
dictionary measure, and returns small sums: the theme shares summed per *unit* (article) and
period (:class:`~topics.trends.units.UnitTable`), seed-term counts per period, each theme's
strongest documents per period (for key passages) and the first and last date. The tables of
all chunks are merged (:func:`~topics.trends.units.merge_tables`) into exactly the table the
in-memory pipeline builds, and prevalence, intervals and the change test run on it with the
in-memory code (:func:`~topics.trends.table_prevalence`, :func:`~topics.trends.table_changes`).

The Bayesian bootstrap is computed in streaming form: a unit's weights are keyed by its id and
the seed (never by position), so the draws for a block of periods can be computed on any worker
and the results are the same bit for bit with any chunking and any number of workers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..corpus.corpus import Corpus
from ..corpus.languages import languages_present
from ..corpus.periods import assign_periods
from ..errors import ConfigError, InputError
from ..text.preprocess import PreprocessConfig
from ..themes.analysis import ThemeSettings
from ..themes.codebook import Codebook
from ..themes.health import Counts, add_counts, count_seed_terms, health_frame, warn_absent
from ..themes.measures.dictionary import dictionary_shares
from ..trends.aggregate import table_prevalence
from ..trends.merge import merge_tables
from ..trends.units import UnitTable, unit_draws, unit_table, units_of
from .dataset import CorpusDataset, read_chunk
from .engine import Engine, engine_for
from .results import TOP_DOCUMENTS, StreamedThemes
from .vocabulary import learn_phrases, tokenize_chunk

__all__ = ["stream_themes"]

# each theme and period: strongest documents first, ties by id (as ThemeAnalysis.passages)
_ORDER = ["theme", "period", "share", "doc_id"]
_ASCENDING = [True, True, False, True]
_TOP_COLUMNS = ["doc_id", "theme", "period", "share", "text"]


@dataclass(frozen=True)
class _Setup:
    """What every chunk task needs (sent to each worker once)."""

    codebook: Codebook
    base: PreprocessConfig | None
    phrases: dict[str, float]
    settings: ThemeSettings


@dataclass(frozen=True)
class _Part:
    """What one chunk task returns: sums, never documents."""

    table: UnitTable | None
    counts: Counts
    top: pd.DataFrame
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    n_docs: int
    n_unplaced: int
    periods: list[object]
    languages: set[str]


def _measure_chunk(path: Path, setup: _Setup) -> _Part:
    """Read one chunk and reduce it to its sufficient statistics."""
    corpus = Corpus(read_chunk(path))
    compiled = setup.codebook.compile(setup.base)
    tokens = tokenize_chunk(corpus.texts, compiled.config, setup.phrases, corpus.langs)
    settings = setup.settings
    periods = assign_periods(corpus, settings.freq, week_start=settings.week_start)
    compiled = compiled.expand({t for doc in tokens for t in doc})
    shares = dictionary_shares(tokens, corpus.ids, compiled)
    placed = periods["period"].notna().to_numpy()
    table = None
    if placed.any():
        table = unit_table(shares, periods, weighting=settings.weighting, units=units_of(corpus))
    labels = [None if pd.isna(p) else p for p in periods["period"]]
    counts = count_seed_terms(tokens, labels, compiled.tokens)
    dates = corpus.dates.dropna()
    return _Part(
        table=table,
        counts=counts,
        top=_strongest(shares, periods, corpus),
        first=dates.min() if len(dates) else None,
        last=dates.max() if len(dates) else None,
        n_docs=len(corpus),
        n_unplaced=int((~placed).sum()),
        periods=[p for p in dict.fromkeys(labels) if p is not None],
        languages=languages_present(corpus.texts, corpus.langs),
    )


def _strongest(shares: pd.DataFrame, periods: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Each theme's :data:`TOP_DOCUMENTS` strongest documents per period, with their texts."""
    placed = periods.set_index("id")["period"]
    found = shares[shares["share"] > 0].assign(period=lambda f: placed.reindex(f["doc_id"]).array)
    top = _top(found[found["period"].notna()])
    texts = corpus.to_frame().set_index("id")["text"]
    top = top.assign(text=texts.reindex(top["doc_id"]).to_numpy())
    return top[_TOP_COLUMNS].reset_index(drop=True)


def _top(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep the :data:`TOP_DOCUMENTS` strongest rows per theme and period, in :data:`_ORDER`."""
    ordered = frame.sort_values(_ORDER, ascending=_ASCENDING)
    return ordered.groupby(["theme", "period"], sort=False, observed=True).head(TOP_DOCUMENTS)


def _draws_on(engine: Engine) -> Any:
    """Return a :class:`~topics.trends.units.Draws` spreading blocks of periods over a cluster.

    A group's draws depend only on its own units, in their order, so the blocks' results are
    exactly those of one :func:`unit_draws` call over the whole table.
    """

    def draw(
        table: UnitTable,
        groups: npt.NDArray[np.intp],
        n_groups: int,
        *,
        n_boot: int,
        random_state: int,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        sizes = np.bincount(groups[groups >= 0], minlength=n_groups)
        n_blocks = max(1, min(n_groups, 4 * engine.n_workers))
        edges = np.searchsorted(np.cumsum(sizes), np.linspace(0, sizes.sum(), n_blocks + 1)[1:-1])
        blocks = [b for b in np.split(np.arange(n_groups), np.unique(edges + 1)) if len(b)]
        jobs = []
        for block in blocks:
            local = np.full(n_groups, -1, dtype=np.intp)
            local[block] = np.arange(len(block))
            rows = np.flatnonzero(np.isin(groups, block))
            per_unit = {
                name: getattr(table, name)[rows] for name in ("period", "keys", "size", "n_docs")
            }
            sub = dataclasses.replace(table, sums=table.sums[:, rows], **per_unit)
            jobs.append((sub, local[groups[rows]], len(block)))
        numer = np.zeros((n_boot, n_groups, len(table.themes)))
        denom = np.zeros((n_boot, n_groups))
        results = engine.map(
            _run_block, jobs, n_boot=n_boot, random_state=random_state, desc="bootstrap"
        )
        for block, (n_part, d_part) in zip(blocks, results, strict=True):
            numer[:, block] = n_part
            denom[:, block] = d_part
        return numer, denom

    return draw


def _run_block(
    job: tuple[UnitTable, npt.NDArray[np.intp], int], *, n_boot: int, random_state: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    sub, groups, n_groups = job
    return unit_draws(sub, groups, n_groups, n_boot=n_boot, random_state=random_state)


def stream_themes(
    dataset: CorpusDataset | str | Path,
    codebook: Codebook,
    settings: ThemeSettings | None = None,
    *,
    engine: Engine | None = None,
    preprocess: PreprocessConfig | None = None,
    **overrides: Any,
) -> StreamedThemes:
    """Theme prevalence, intervals, changes and passages of a dataset, chunk by chunk.

    The streaming counterpart of :func:`topics.themes.analyze_themes` with the dictionary
    measure: same settings, same tables — the same numbers exactly (see the module docstring)
    — with memory set by the chunk size rather than the corpus.

    Parameters
    ----------
    dataset
        A :class:`~topics.scale.CorpusDataset` or its folder.
    codebook
        The themes and their seed terms.
    settings
        :class:`~topics.themes.ThemeSettings` (measure must be ``"dictionary"``).
    engine
        Where to run (default: a local cluster started for this call, one worker per CPU).
    preprocess
        Base preprocessing; the codebook's phrases are added as protected terms.
    **overrides
        Fields of :class:`ThemeSettings` to replace.

    Returns
    -------
    StreamedThemes

    """
    chosen = ThemeSettings.resolve(settings, overrides)
    if chosen.measure != "dictionary":
        raise ConfigError(
            f"themes from chunks use the dictionary measure; {chosen.measure!r} fits one model "
            "on the whole corpus — fit a topic model on the dataset with `topics fit` "
            "(partial_fit over chunks) instead, or analyse a corpus that fits in memory"
        )
    data = dataset if isinstance(dataset, CorpusDataset) else CorpusDataset.open(dataset)
    if not data.chunks:
        raise InputError(f"{data.root}: the dataset has no documents")
    compiled = codebook.compile(preprocess)
    with engine_for(engine) as runner:
        phrases = learn_phrases(data, compiled.config, runner) if compiled.config.phrases else {}
        shared = runner.share(_Setup(codebook, preprocess, phrases, chosen))
        # reduce as the chunks arrive: the driver keeps the chunks' unit tables until the merge,
        # never their passages beyond the running top documents
        tables: list[UnitTable] = []
        counts: Counts = {}
        periods: list[object] = []
        languages: set[str] = set()
        top = _merge_top([])
        dates: list[pd.Timestamp] = []
        n_docs = n_unplaced = 0
        for part in runner.map(
            _measure_chunk,
            [data.path(i) for i in range(len(data.chunks))],
            shared,
            desc="measuring themes",
        ):
            if part.table is not None:
                tables.append(part.table)
            add_counts(counts, part.counts)
            periods += part.periods
            languages |= part.languages
            top = _merge_top([top, part.top])
            dates += [d for d in (part.first, part.last) if d is not None]
            n_docs += part.n_docs
            n_unplaced += part.n_unplaced
        table = merge_tables(tables)
        del tables
        trends = table_prevalence(
            table,
            weighting=chosen.weighting,
            n_boot=chosen.n_boot,
            level=chosen.level,
            min_docs=chosen.min_docs,
            random_state=chosen.random_state,
            span=(min(dates), max(dates)) if dates else None,
            draw=_draws_on(runner),
        )
        info = {"engine": runner.describe()}
    compiled = compiled.expand(token for token, _ in counts)
    quiet = codebook.terms_outside(languages)
    health, absent = health_frame(counts, compiled.tokens, periods, quiet_terms=quiet)
    if absent:
        warn_absent(absent)
    return StreamedThemes(
        codebook=codebook,
        settings=chosen,
        table=table,
        trends=trends,
        health=health,
        top=top,
        info={
            **info,
            "dataset": str(data.root),
            "dataset_fingerprint": data.fingerprint,
            "documents": n_docs,
            "documents_not_placed": n_unplaced,
            "chunks": len(data.chunks),
        },
        preprocess=compiled.config,
    )


def _merge_top(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Return the strongest documents per theme and period over all chunks."""
    found = [f for f in frames if len(f)]
    if not found:
        return pd.DataFrame(columns=_TOP_COLUMNS)
    return _top(pd.concat(found, ignore_index=True)).reset_index(drop=True)
