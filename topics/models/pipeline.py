"""scikit-learn interoperation: a topic model at the end of a ``Pipeline``, with real words.

A scikit-learn vectoriser hands the next step a bare sparse matrix, so a topic model in a plain
``Pipeline`` knows its terms only as ``w0``, ``w1`` …. :func:`topic_pipeline` returns a
``Pipeline`` that, after fitting, gives the model the vectoriser's feature names, so
``pipe[-1].top_terms()`` lists words::

    from sklearn.feature_extraction.text import CountVectorizer
    vectoriser = CountVectorizer(min_df=2, stop_words=topics.stop_words("en"))
    pipe = topic_pipeline(vectoriser, NMF(10)).fit(texts)
    pipe[-1].top_terms(8)

A vectoriser that keeps function words lets a model spend a topic on them ("you, my, your,
me, what" from ``CountVectorizer()`` on news_2017 at K = 10); after fitting, the pipeline
warns (:class:`~topics.TopicsWarning`) naming each topic whose top ten words are mostly stop
words of the package's languages, and how to drop them.
"""

from __future__ import annotations

import warnings
from typing import Any

from sklearn.pipeline import Pipeline

from ..errors import TopicsWarning
from ._base import TopicModel

__all__ = ["TopicPipeline", "function_word_topics", "topic_pipeline"]

#: A topic whose top ten words hold at least this many stop words is a function-word topic.
_FUNCTION_WORDS_OF_TEN = 5


def function_word_topics(model: TopicModel) -> dict[int, list[str]]:
    """Return the topics whose top ten words are mostly stop words: topic → those words.

    Stop words of every language the package knows (:func:`topics.text.stop_words`), so a
    Russian pipeline is checked as an English one is.
    """
    from ..text.lexicons import stop_words

    known = set(stop_words())
    top = model.top_terms(10, ranking="probability")
    found: dict[int, list[str]] = {}
    for topic in sorted(top["topic"].unique()):
        terms = top.loc[top["topic"] == topic, "term"]
        words = [str(t) for t in terms if str(t).lower() in known]
        if len(words) >= _FUNCTION_WORDS_OF_TEN:
            found[int(topic)] = words
    return found


class TopicPipeline(Pipeline):  # type: ignore[misc]
    """A ``Pipeline`` ending in a topic model that learns the words of the steps before it."""

    def fit(self, X: Any, y: Any = None, **params: Any) -> TopicPipeline:
        """Fit every step, then name the model's terms after the previous step's features."""
        super().fit(X, y, **params)
        model = self.steps[-1][1]
        if isinstance(model, TopicModel) and len(self.steps) > 1:
            model.set_feature_names(self[:-1].get_feature_names_out())
            found = function_word_topics(model)
            if found:
                listed = "; ".join(f"topic {k}: {', '.join(w[:6])}" for k, w in found.items())
                warnings.warn(
                    f"{len(found)} topic(s) of function words ({listed}): the vectoriser kept "
                    "stop words; give it stop_words=topics.stop_words('en', …) with your "
                    "corpus's languages, or vectorise with topics.vectorize",
                    TopicsWarning,
                    stacklevel=2,
                )
        return self

    def fit_transform(self, X: Any, y: Any = None, **params: Any) -> Any:
        """Fit (see :meth:`fit`) and return the documents' topic proportions."""
        return self.fit(X, y, **params).transform(X)


def topic_pipeline(*steps: Any) -> TopicPipeline:
    """Chain a vectoriser (and any transformers) with a topic model; names as ``make_pipeline``."""
    from sklearn.pipeline import make_pipeline

    return TopicPipeline(make_pipeline(*steps).steps)
