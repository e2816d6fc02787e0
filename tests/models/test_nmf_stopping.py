"""NMF's stopping rule on the objective (solver "cd"): one long run's path, stops when flat."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from planted import planted_corpus
from sklearn.decomposition import NMF as SkNMF
from sklearn.exceptions import ConvergenceWarning

from topics.models import NMF


@pytest.fixture(scope="module")
def planted():
    return planted_corpus()


def test_blocks_of_iterations_repeat_one_long_run(planted):
    model = NMF(5, max_iter=35, tol=1e-12).fit(planted.matrix)
    assert 20 < model.n_iter_ <= 35
    weighted = model._weight(planted.matrix.counts.astype(float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reference = SkNMF(5, init="nndsvd", solver="cd", max_iter=model.n_iter_, tol=0.0)
        reference.fit(weighted)
    np.testing.assert_allclose(model.components_, reference.components_, rtol=1e-10, atol=1e-12)


def test_warns_when_max_iter_comes_first(planted):
    with pytest.warns(ConvergenceWarning, match="raise max_iter"):
        NMF(5, max_iter=10, tol=1e-12).fit(planted.matrix)


def test_stops_when_the_objective_is_flat(planted):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = NMF(5).fit(planted.matrix)
    assert 10 <= model.n_iter_ < 400
    longer = NMF(5, tol=1e-12, max_iter=2000).fit(planted.matrix)
    # stopping early loses nothing that matters: the same topics, nearly the same objective
    np.testing.assert_allclose(model.topic_word_, longer.topic_word_, atol=2e-3)
    assert model.reconstruction_err_ <= longer.reconstruction_err_ * (1 + 1e-5)


def test_iterations_are_saved(tmp_path, planted):
    from topics.models import load_model

    model = NMF(5).fit(planted.matrix)
    model.save(tmp_path / "m")
    assert load_model(tmp_path / "m").n_iter_ == model.n_iter_
