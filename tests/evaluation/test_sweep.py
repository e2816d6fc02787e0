from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from planted import planted_corpus

from topics import ConfigError
from topics.evaluation.selection import ModelSpec, parse_k_range, recommend_k, sweep


@pytest.fixture(scope="module")
def planted():
    return planted_corpus(n_topics=5, n_docs=200)


def _texts(planted):
    dense = planted.matrix.counts.toarray()
    vocab = planted.matrix.vocabulary
    return [[vocab[j] for j in np.flatnonzero(row) for _ in range(row[j])] for row in dense]


@pytest.fixture(scope="module")
def result(planted):
    configs = {
        "nmf": ModelSpec("nmf"),
        "lda": ModelSpec("lda", {"max_iter": 10}),
    }
    return sweep(planted.matrix, _texts(planted), ks=[3, 5, 8], seeds=[0, 1], configs=configs,
                 resamples=2, n_jobs=1)  # fmt: skip


def test_sweep_is_tidy(result):
    assert list(result.runs.columns) == [
        "config", "n_topics", "seed", "npmi", "c_v", "diversity", "exclusivity", "stability",
        "stability_kind", "fit_seconds",
    ]  # fmt: skip
    assert len(result.runs) == 2 * 3 * 2
    assert set(result.summary.columns) >= {
        "npmi",
        "npmi_sd",
        "stability",
        "stability_kind",
        "stability_resample",
    }
    assert result.summary["stability_resample"].notna().all()
    kinds = result.summary.groupby("config")["stability_kind"].unique()
    assert list(kinds["lda"]) == ["seeds"]  # Gibbs sampling depends on the seed
    assert list(kinds["nmf"]) == ["resamples (80%)"]  # NNDSVD does not


def test_nmf_stability_can_fail_where_topics_are_not_determined():
    """A deterministic start made NMF's "stability across seeds" 1 by construction."""
    from topics import NMF

    blurry = planted_corpus(n_topics=4, n_docs=80, doc_length=25, seed=3)
    first = NMF(8, random_state=0).fit(blurry.matrix).top_terms(10)
    other = NMF(8, random_state=1).fit(blurry.matrix).top_terms(10)
    # the seed only moves NNDSVD's randomised SVD by rounding noise: the same words
    assert first["term"].tolist() == other["term"].tolist()
    result = sweep(
        blurry.matrix, _texts(blurry), ks=[8], seeds=[0, 1, 2], configs={"nmf": ModelSpec("nmf")}
    )
    summary = result.summary.iloc[0]
    assert summary["stability_kind"] == "resamples (80%)"
    assert summary["stability"] < 0.6
    # at the planted K the same measure is clearly higher
    right = sweep(blurry.matrix, _texts(blurry), ks=[4], seeds=[0, 1, 2])
    assert right.summary["stability"].iloc[0] > summary["stability"] + 0.15


def test_results_do_not_depend_on_n_jobs(planted, result):
    configs = {
        "nmf": ModelSpec("nmf"),
        "lda": ModelSpec("lda", {"max_iter": 10}),
    }
    parallel = sweep(planted.matrix, _texts(planted), ks=[3, 5, 8], seeds=[0, 1], configs=configs,
                     resamples=2, n_jobs=2)  # fmt: skip
    columns = [c for c in result.runs.columns if c != "fit_seconds"]
    pd.testing.assert_frame_equal(parallel.runs[columns], result.runs[columns])
    assert parallel.topics == result.topics


def test_recommended_k_is_the_planted_one(result):
    assert result.recommend_k("nmf") == 5
    assert recommend_k(result.summary, config="lda") == 5


def test_recommend_rule_falls_back_to_the_most_stable():
    summary = pd.DataFrame(
        {"config": "x", "n_topics": [2, 4], "npmi": [0.3, 0.1], "stability": [0.2, 0.5]}
    )
    assert recommend_k(summary) == 4


def test_k_ranges():
    assert parse_k_range("5:50:5") == [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]
    with pytest.raises(ConfigError, match="cannot read K range"):
        parse_k_range("5:x")
    with pytest.raises(ConfigError):
        parse_k_range("0,2")
