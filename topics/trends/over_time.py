"""Unsupervised topics over time in one call: prevalence with intervals, changes, a topic table.

:func:`topics_over_time` treats a fitted model's topics as themes named by their labels and runs
them through the same machinery as codebook themes — Bayesian-bootstrap intervals over articles
(:func:`~topics.trends.prevalence`) and the family-wise calibrated change test
(:func:`~topics.trends.detect_changes`) — with the same settings (a
:class:`~topics.themes.ThemeSettings`, or :class:`TrendSettings` and :class:`ChangeSettings`).
It is what BERTopic users know as ``topics_over_time``, with uncertainty.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from ..corpus.corpus import Corpus
from ..corpus.periods import assign_periods
from ..errors import ConfigError, InputError
from ..models import TopicModel
from ..models.info import topic_info, topic_labels
from ..spreadsheet import write_csv
from ..text.vectorizer import DocTermMatrix
from ..tidy import long_frame
from .aggregate import prevalence
from .changes import ChangeResult, detect_changes
from .settings import ChangeSettings, TrendSettings
from .units import units_of


class ComposedSettings(Protocol):
    """Settings that hold both trends' and the change test's (e.g. ``ThemeSettings``)."""

    def trend_settings(self) -> TrendSettings: ...
    def change_settings(self) -> ChangeSettings: ...


__all__ = ["TopicTrends", "topics_over_time"]


@dataclass(frozen=True)
class TopicTrends:
    """Results of :func:`topics_over_time`.

    Attributes
    ----------
    trends
        ``period, theme, share, lo, hi, …`` with ``theme`` the topic's label.
    info
        :func:`topics.models.info.topic_info`: one row per topic.
    labels
        The topics' labels, in topic order.
    shares
        ``doc_id, theme, share, weight``: each topic's share of each document.
    periods
        ``id, period, assigned, reason``.
    settings
        The trends' settings used.
    change_settings
        The change test's settings.

    """

    trends: pd.DataFrame
    info: pd.DataFrame
    labels: list[str]
    shares: pd.DataFrame
    periods: pd.DataFrame
    units: pd.Series | None
    settings: TrendSettings
    change_settings: ChangeSettings

    @cached_property
    def change_test(self) -> ChangeResult:
        """Steps and episodes of every topic, family-wise calibrated (run on first use)."""
        return detect_changes(
            self.shares,
            self.periods,
            units=self.units,
            axis=list(dict.fromkeys(self.trends["period"])),
            settings=self.change_settings,
        )

    @property
    def changes(self) -> pd.DataFrame:
        """The change test's table (see :class:`~topics.trends.ChangeResult`)."""
        return self.change_test.changes

    def save(self, folder: str | Path) -> list[Path]:
        """Write ``topic_trends.csv``, ``topic_info.csv`` and the change test's tables."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        trends = out / "topic_trends.csv"
        write_csv(self.trends.assign(period=self.trends["period"].astype(str)), trends)
        info = out / "topic_info.csv"
        write_csv(self.info, info)
        return [trends, info, *self.change_test.save(out / "topic_changes")]


def _model_and_matrix(model: Any, matrix: Any, corpus: Corpus) -> tuple[TopicModel, DocTermMatrix]:
    """Return the topic model and a DocTermMatrix of ``corpus`` from what a user has at hand."""
    import scipy.sparse as sp
    from sklearn.pipeline import Pipeline

    if isinstance(model, Pipeline):
        texts = corpus.texts if matrix is None else matrix
        if isinstance(texts, DocTermMatrix) or len(texts) != len(corpus):
            raise InputError(
                "with a pipeline, give the corpus's texts (or None) as the matrix: one text "
                f"per document of the corpus ({len(corpus)})"
            )
        counts, model = model[:-1].transform(list(texts)), model[-1]
    elif isinstance(matrix, DocTermMatrix):
        return model, matrix
    elif matrix is None or (
        isinstance(matrix, Sequence) and any(isinstance(m, str) for m in matrix[:1])
    ):
        raise InputError(
            "texts need a vectoriser: give a fitted Pipeline (topics.topic_pipeline) as the "
            "model, or the documents' DocTermMatrix"
        )
    else:
        counts = matrix
    if not isinstance(model, TopicModel):
        raise InputError(f"the model must be a topics model, got {type(model).__name__}")
    rows = sp.csr_matrix(counts)
    if rows.shape[0] != len(corpus):
        raise InputError(f"the matrix has {rows.shape[0]} rows for {len(corpus)} documents")
    return model, DocTermMatrix(rows, tuple(model.vocabulary_), tuple(corpus.ids))


def topics_over_time(
    model: TopicModel | Any,
    matrix: DocTermMatrix | Any,
    corpus: Corpus,
    settings: TrendSettings | ComposedSettings | None = None,
    *,
    change: ChangeSettings | None = None,
    labels: Mapping[int, str] | Sequence[str] | None = None,
    **overrides: Any,
) -> TopicTrends:
    """Each topic's share per period, with intervals; changes and a topic table on demand.

    Parameters
    ----------
    model
        A fitted topic model, or a fitted scikit-learn ``Pipeline`` that ends in one (e.g.
        :func:`topics.models.topic_pipeline`), which turns texts into counts itself.
    matrix
        The documents' :class:`~topics.text.DocTermMatrix` (its ``doc_ids`` are ids of
        ``corpus``); or, with a pipeline, the corpus's texts (``None``: ``corpus.texts``); or
        any array or sparse matrix with one row per document of ``corpus``, in its order.
    corpus
        The dated documents (paragraphs are resampled and permuted by article).
    settings
        :class:`TrendSettings` (periods, bootstrap), or settings that compose the trends' and the
        change test's (:class:`~topics.themes.ThemeSettings`); default: the defaults.
    change
        :class:`ChangeSettings` of the change test (default: from ``settings``, else the
        defaults, on the trends' bootstrap).
    labels
        Topic labels (see :func:`~topics.models.info.topic_labels`); default: top words.
    **overrides
        Fields of :class:`TrendSettings` or :class:`ChangeSettings` to replace (e.g.
        ``freq="month"``, ``n_perm=4999``); a shared field (``n_boot``, ``level``,
        ``weighting``, ``random_state``) replaces it in both.

    Returns
    -------
    TopicTrends

    """
    trend, test = _split(settings, change, overrides)
    model, matrix = _model_and_matrix(model, matrix, corpus)
    stray = sorted(set(matrix.doc_ids) - set(corpus.ids))[:3]
    if stray:
        raise InputError(f"documents of the matrix are not in the corpus: {stray}")
    names = topic_labels(model, labels=labels)
    theta = model.transform(matrix)
    lengths = np.asarray(matrix.counts.sum(axis=1)).ravel().astype(np.float64)
    shares = long_frame(theta, matrix.doc_ids, names, per_row={"weight": lengths})
    periods = assign_periods(corpus, trend.freq, week_start=trend.week_start)
    units = units_of(corpus)
    trends = prevalence(shares, periods, settings=trend, dates=corpus.dates, units=units)
    texts = dict(zip(corpus.ids, corpus.texts, strict=True))
    info = topic_info(model, matrix, texts=texts, labels=names)
    return TopicTrends(trends, info, names, shares, periods, units, trend, test)


def _split(
    settings: TrendSettings | ComposedSettings | None,
    change: ChangeSettings | None,
    overrides: Mapping[str, Any],
) -> tuple[TrendSettings, ChangeSettings]:
    """Return the trends' and the test's settings, each with its overrides, checked."""
    if settings is None or isinstance(settings, TrendSettings):
        trend = settings or TrendSettings()
        test = change or ChangeSettings.pick(dataclasses.asdict(trend))
    else:
        trend, test = settings.trend_settings(), change or settings.change_settings()
    fields = {f.name for cls in (TrendSettings, ChangeSettings) for f in dataclasses.fields(cls)}
    unknown = sorted(set(overrides) - fields)
    if unknown:
        raise ConfigError(
            f"topics_over_time: unknown setting {unknown[0]!r}; known: {sorted(fields)}"
        )
    trend = TrendSettings.pick({**dataclasses.asdict(trend), **overrides})
    test = ChangeSettings.pick({**dataclasses.asdict(test), **overrides})
    trend.validate()
    test.validate()
    return trend, test
