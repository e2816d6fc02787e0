"""scikit-learn's estimator checks for our topic models."""

from __future__ import annotations

from sklearn.utils.estimator_checks import parametrize_with_checks

from topics.models import DMM, LDA, NMF, CoocNMF

# The tomotopy backend is not run through these generic checks: they feed fractional values,
# and collapsed Gibbs sampling needs integer token counts (it refuses other input with a clear
# error). It is covered by the planted-topic, determinism, inference and persistence tests.

COOC_NO_PAIRS = (
    "the check's data are dense: every word occurs in every document, so no word pair occurs "
    "together more often than chance, the positive-PMI matrix is empty and there is nothing to "
    "factorise (n_iter_ is 0, topics are uniform)"
)


def _expected_failed_checks(estimator):
    if isinstance(estimator, CoocNMF):
        return {"check_transformer_n_iter": COOC_NO_PAIRS}
    return {}


@parametrize_with_checks(
    [
        LDA(n_topics=3, backend="sklearn", max_iter=5),
        LDA(n_topics=3, backend="gensim", max_iter=2),
        NMF(n_topics=3, max_iter=200),
        NMF(n_topics=3, max_iter=200, shares="least-squares"),
        NMF(
            n_topics=3, solver="mu", beta_loss="kullback-leibler", weighting="counts", max_iter=200
        ),
        CoocNMF(n_topics=3, min_count=1),
        DMM(n_topics=3, max_iter=5),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
