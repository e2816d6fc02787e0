"""Sweeps over K × seeds × model configurations, in parallel, with one tidy result.

Each (configuration, K, seed) fit runs as an independent job (joblib); a job's result depends
only on its own arguments, so the table is the same for any ``n_jobs``. Coherence is computed
afterwards in the calling process against one cached
:class:`~topics.evaluation.ReferenceCorpus`, so the reference corpus is indexed once for the
whole sweep.

Stability is Greene et al.'s matched agreement between the top words of repeated fits. For a
model whose fit changes with the seed it is measured across seeds; for one whose fit does not
(NMF with an NNDSVD start is deterministic, so its "stability across seeds" would be 1 by
construction) every seed instead fits an 80 % document resample drawn with that seed, and the
stability is across resamples. ``stability_kind`` says which, in every row.

Rule for recommending K (:func:`recommend_k`): among the K whose topics are stable (mean
``stability`` ≥ ``min_stability``, default 0.6), take the K with the highest mean NPMI over
seeds; if no K is that stable, take the most stable K. Ties go to the smaller K.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from ..errors import ConfigError
from ..models import MODELS, TopicModel
from ..progress import stepper
from ..text.vectorizer import DocTermMatrix
from .coherence import ReferenceCorpus
from .metrics import agreement, exclusivity, top_word_lists, topic_diversity

__all__ = ["ModelSpec", "SweepResult", "parse_k_range", "recommend_k", "recommendation", "sweep"]


@dataclass(frozen=True)
class ModelSpec:
    """A model configuration: ``family`` (``"lda"`` or ``"nmf"``) and its ``params``."""

    family: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def build(self, k: int, seed: int) -> TopicModel:
        """Return an unfitted estimator with ``k`` topics and seed ``seed``."""
        return MODELS.get(self.family)(k, random_state=seed, **dict(self.params))

    @classmethod
    def of(
        cls,
        family: str,
        backend: str | None = None,
        max_iter: int | None = None,
        progress: bool | None = None,
    ) -> ModelSpec:
        """Return the spec a family name, a backend name and an iteration count describe.

        What ``backend`` means is the family's own business (``backend_params``); ``None``
        keeps the family's defaults.
        """
        params: dict[str, Any] = {"progress": progress}
        if max_iter is not None:
            params["max_iter"] = max_iter
        return cls(family, {**params, **MODELS.get(family).backend_params(backend)})


@dataclass(frozen=True)
class SweepResult:
    """Per-run metrics (``runs``) and per-(config, K) summary (``summary``) of a sweep."""

    runs: pd.DataFrame
    summary: pd.DataFrame
    topics: dict[tuple[str, int, int], list[list[str]]]

    def recommend_k(self, config: str | None = None, min_stability: float = 0.6) -> int:
        """Apply :func:`recommend_k` to this sweep's summary."""
        return recommend_k(self.summary, config=config, min_stability=min_stability)

    def recommendation(
        self, config: str | None = None, min_stability: float = 0.6
    ) -> tuple[int, str]:
        """Apply :func:`recommendation` to this sweep's summary: the K and the reason."""
        return recommendation(self.summary, config=config, min_stability=min_stability)


def parse_k_range(text: str) -> list[int]:
    """Parse ``"5:50:5"`` (start:stop:step, stop inclusive) or ``"10,20,30"`` into Ks.

    >>> parse_k_range("5:20:5"), parse_k_range("3,7")
    ([5, 10, 15, 20], [3, 7])
    """
    try:
        if ":" in text:
            parts = [int(p) for p in text.split(":")]
            start, stop = parts[0], parts[1]
            step = parts[2] if len(parts) > 2 else 1
            if step < 1 or stop < start:
                raise ValueError
            ks = list(range(start, stop + 1, step))
        else:
            ks = [int(p) for p in text.split(",") if p.strip()]
    except ValueError as exc:
        raise ConfigError(f"cannot read K range {text!r}: use start:stop:step or a,b,c") from exc
    if not ks or min(ks) < 1:
        raise ConfigError(f"K range {text!r} must give positive numbers of topics")
    return ks


def _fit_one(
    matrix: DocTermMatrix, spec: ModelSpec, k: int, seed: int, rows: np.ndarray | None, n: int
) -> dict[str, Any]:
    data = matrix if rows is None else matrix.select(rows)
    model = spec.build(k, seed)
    start = time.perf_counter()
    model.fit(data)
    seconds = time.perf_counter() - start
    return {
        "topics": top_word_lists(model.top_terms(n)),
        "exclusivity": float(exclusivity(model.topic_word_, n).mean()),
        "fit_seconds": seconds,
    }


def _resample_rows(n_docs: int, share: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    size = max(round(share * n_docs), 1)
    return np.sort(rng.choice(n_docs, size=size, replace=False))


def sweep(
    matrix: DocTermMatrix,
    reference: ReferenceCorpus | Iterable[Sequence[str]],
    *,
    ks: Sequence[int],
    seeds: Sequence[int] = (0, 1, 2),
    configs: Mapping[str, ModelSpec] | None = None,
    n: int = 10,
    resamples: int = 0,
    resample_share: float = 0.8,
    n_jobs: int = 1,
    progress: bool | None = None,
) -> SweepResult:
    """Fit every configuration for every K and seed; score coherence, diversity, stability.

    Parameters
    ----------
    matrix
        Documents × terms.
    reference
        Reference texts for coherence (token lists) or a prepared ReferenceCorpus.
    ks, seeds
        Numbers of topics and random seeds.
    configs
        Named model specifications; default ``{"nmf": ModelSpec("nmf")}``.
    n
        Words per topic for coherence, diversity, exclusivity and stability.
    resample_share
        Share of documents in each resample (Greene et al. use 0.8).
    resamples
        Number of ``resample_share`` document resamples per (config, K), each compared with the
        full-data model of the first seed (Greene et al.'s stability); 0 to skip.
    n_jobs
        Parallel jobs (joblib); results do not depend on it.
    progress
        Show a bar of finished fits (``None``: on a terminal only).

    Returns
    -------
    SweepResult
        ``runs``: one row per (config, n_topics, seed) with ``npmi, c_v, diversity, exclusivity,
        stability`` (agreement with the first seed's fit), ``stability_kind`` (``"seeds"``, or
        ``"resamples (80%)"`` for a model the seed does not change — each seed then fits a
        resample) and ``fit_seconds``; ``summary``: per (config, n_topics) means and standard
        deviations plus ``stability`` (mean pairwise agreement), ``stability_kind`` and
        ``stability_resample`` (extra ``resamples`` against the first seed's fit).

    """
    specs = dict(configs or {"nmf": ModelSpec("nmf")})
    if not ks or not seeds:
        raise ConfigError("a sweep needs at least one K and one seed")
    if not 0.0 < resample_share <= 1.0:
        raise ConfigError(f"resample_share must be in (0, 1], got {resample_share}")
    ref = reference if isinstance(reference, ReferenceCorpus) else ReferenceCorpus(reference)
    jobs: list[tuple[str, int, int, np.ndarray | None]] = []
    kinds: dict[tuple[str, int], str] = {}
    for name in specs:
        for k in ks:
            by_seed = specs[name].build(k, int(seeds[0])).depends_on_seed(matrix.shape)
            kinds[(name, k)] = "seeds" if by_seed else f"resamples ({resample_share:.0%})"
            jobs += [
                (name, k, seed,
                 None if by_seed else _resample_rows(matrix.shape[0], resample_share, seed))
                for seed in seeds
            ]  # fmt: skip
            jobs += [
                (name, k, -1 - r, _resample_rows(matrix.shape[0], resample_share, 10_000 + r))
                for r in range(resamples)
            ]
    results = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(_fit_one)(matrix, specs[name], k, seed if seed >= 0 else int(seeds[0]), rows, n)
        for name, k, seed, rows in jobs
    )
    outputs = []
    with stepper(len(jobs), desc="fits", enabled=progress) as advance:
        for out in results:
            outputs.append(out)
            advance(len(outputs))
    fits: list[tuple[tuple[str, int, int], dict[str, Any]]] = []
    resampled: dict[tuple[str, int], list[list[list[str]]]] = {}
    for (name, k, seed, _rows), out in zip(jobs, outputs, strict=True):
        if seed < 0:
            resampled.setdefault((name, k), []).append(out["topics"])
        else:
            fits.append(((name, k, seed), out))
    topics = {key: out["topics"] for key, out in fits}
    first = int(seeds[0])
    runs = pd.DataFrame(
        [
            {
                "config": c,
                "n_topics": k,
                "seed": s,
                "npmi": float(ref.score(topics[(c, k, s)], "c_npmi")["coherence"].mean()),
                "c_v": float(ref.score(topics[(c, k, s)], "c_v")["coherence"].mean()),
                "diversity": topic_diversity(topics[(c, k, s)], n),
                "exclusivity": out["exclusivity"],
                "stability": agreement(topics[(c, k, first)], topics[(c, k, s)], n)[0]
                if s != first
                else np.nan,
                "stability_kind": kinds[(c, k)],
                "fit_seconds": out["fit_seconds"],
            }
            for (c, k, s), out in fits
        ]
    )
    grouped = runs.groupby(["config", "n_topics"], sort=True)
    summary = grouped.agg(
        npmi=("npmi", "mean"),
        npmi_sd=("npmi", "std"),
        c_v=("c_v", "mean"),
        diversity=("diversity", "mean"),
        exclusivity=("exclusivity", "mean"),
        fit_seconds=("fit_seconds", "mean"),
    ).reset_index()
    pairs = [(str(c), int(k)) for c, k in zip(summary["config"], summary["n_topics"], strict=True)]
    summary["stability"] = [
        _pairwise_stability([topics[(c, k, int(s))] for s in seeds], n) for c, k in pairs
    ]
    summary["stability_kind"] = [kinds[pair] for pair in pairs]
    summary["stability_resample"] = [
        float(np.mean([agreement(topics[(c, k, first)], t, n)[0] for t in resampled[(c, k)]]))
        if (c, k) in resampled
        else np.nan
        for c, k in pairs
    ]
    return SweepResult(runs=runs, summary=summary, topics=topics)


def _pairwise_stability(runs: Sequence[list[list[str]]], depth: int) -> float:
    if len(runs) < 2:
        return float("nan")
    return float(np.mean([agreement(a, b, depth)[0] for a, b in combinations(runs, 2)]))


def recommend_k(
    summary: pd.DataFrame, *, config: str | None = None, min_stability: float = 0.6
) -> int:
    """Recommend K from a sweep summary (rule in the module docstring)."""
    return recommendation(summary, config=config, min_stability=min_stability)[0]


def recommendation(
    summary: pd.DataFrame, *, config: str | None = None, min_stability: float = 0.6
) -> tuple[int, str]:
    """Recommend K and say, in words, on what grounds.

    Stability needs two fits per K (two seeds, or resamples): without them it is unknown,
    and the K is the most coherent one — the reason says so instead of citing a stability that
    was never measured.
    """
    frame = summary if config is None else summary[summary["config"] == config]
    if frame.empty:
        raise ConfigError(f"no sweep results for config {config!r}")
    if config is None and frame["config"].nunique() > 1:
        raise ConfigError("the sweep has several configurations: name one with config=")
    if frame["stability"].isna().all():
        rows, column = frame, "npmi"
        reason = "highest mean NPMI; stability unknown — it needs two or more seeds per K"
    else:
        kind = str(frame["stability_kind"].iloc[0]) if "stability_kind" in frame else "seeds"
        rows = frame[frame["stability"] >= min_stability]
        if rows.empty:
            rows, column = frame, "stability"
            reason = f"no K reaches stability {min_stability} across {kind}: the most stable K"
        else:
            column = "npmi"
            reason = f"highest mean NPMI among K with stability across {kind} ≥ {min_stability}"
    # the best K by the column; ties go to the smaller K
    best = rows.sort_values([column, "n_topics"], ascending=[False, True]).iloc[0]
    return int(best["n_topics"]), reason
