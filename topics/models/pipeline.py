"""scikit-learn interoperation: a topic model at the end of a ``Pipeline``, with real words.

A scikit-learn vectoriser hands the next step a bare sparse matrix, so a topic model in a plain
``Pipeline`` knows its terms only as ``w0``, ``w1`` …. :func:`topic_pipeline` returns a
``Pipeline`` that, after fitting, gives the model the vectoriser's feature names, so
``pipe[-1].top_terms()`` lists words::

    from sklearn.feature_extraction.text import CountVectorizer
    pipe = topic_pipeline(CountVectorizer(min_df=2, stop_words="english"), NMF(10)).fit(texts)
    pipe[-1].top_terms(8)
"""

from __future__ import annotations

from typing import Any

from sklearn.pipeline import Pipeline

from ._base import TopicModel

__all__ = ["TopicPipeline", "topic_pipeline"]


class TopicPipeline(Pipeline):  # type: ignore[misc]
    """A ``Pipeline`` ending in a topic model that learns the words of the steps before it."""

    def fit(self, X: Any, y: Any = None, **params: Any) -> TopicPipeline:
        """Fit every step, then name the model's terms after the previous step's features."""
        super().fit(X, y, **params)
        model = self.steps[-1][1]
        if isinstance(model, TopicModel) and len(self.steps) > 1:
            model.set_feature_names(self[:-1].get_feature_names_out())
        return self

    def fit_transform(self, X: Any, y: Any = None, **params: Any) -> Any:
        """Fit (see :meth:`fit`) and return the documents' topic proportions."""
        return self.fit(X, y, **params).transform(X)


def topic_pipeline(*steps: Any) -> TopicPipeline:
    """Chain a vectoriser (and any transformers) with a topic model; names as ``make_pipeline``."""
    from sklearn.pipeline import make_pipeline

    return TopicPipeline(make_pipeline(*steps).steps)
