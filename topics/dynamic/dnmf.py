"""Dynamic NMF (Greene & Cross 2017): topics per time window, linked into dynamic topics.

An NMF per time window (K per window chosen by NPMI coherence among candidates), then an NMF
over the stacked window topics gives the dynamic topics; each window topic feeds the dynamic
topic it loads on most (``window_topics_``), so a dynamic topic's words in a window are those
of the window topics that feed it. Windows are fitted on their own documents only: nothing
leaks from the future.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import defaults
from ..errors import ConfigError, InputError
from ..evaluation.coherence import ReferenceCorpus
from ..evaluation.metrics import top_word_lists
from ..models import NMF, TopicModel
from ..models.representation import relevance, tidy_terms
from ..text.vectorizer import DocTermMatrix
from ..tidy import long_frame
from .evolution import PERIOD_TERM_COLUMNS, period_rows

__all__ = ["DynamicNMF"]


@dataclass(frozen=True)
class _Window:
    period: object
    rows: npt.NDArray[np.intp]
    model: NMF
    k: int
    coherence: float


class DynamicNMF:
    """Dynamic NMF (Greene & Cross 2017, Political Analysis 25(1)).

    Parameters
    ----------
    n_topics
        Number of dynamic topics.
    window_ks
        Candidate numbers of topics per window; the one with the highest mean NPMI of its
        top words on the window's own texts is used.
    n_window_terms
        Top terms that represent a window topic in the second-level factorisation (the paper
        uses the top terms' weights; others are set to zero).
    random_state
        Seed for every factorisation.

    Attributes
    ----------
    windows_ : DataFrame
        ``period, n_docs, n_topics, coherence`` — the number of topics chosen for each window.
    window_topics_ : DataFrame
        ``period, window_topic, dynamic_topic, loading`` — which window topic feeds which
        dynamic topic.
    topic_word_ : ndarray (n_topics, V)
        Dynamic topics over the vocabulary (rows sum to 1).
    window_topic_word_ : list of ndarray (k, V)
        Each window's own topics, in time order (input for :func:`align_windows`).

    """

    def __init__(
        self,
        n_topics: int = 10,
        *,
        window_ks: Sequence[int] = (5, 10, 15),
        n_window_terms: int = 20,
        random_state: int = defaults.SEED,
    ) -> None:
        self.n_topics = n_topics
        self.window_ks = window_ks
        self.n_window_terms = n_window_terms
        self.random_state = random_state

    def fit(
        self, matrix: DocTermMatrix, periods: pd.DataFrame, tokens: Sequence[Sequence[str]]
    ) -> DynamicNMF:
        """Fit window models then the dynamic topics.

        ``tokens`` are the documents' token lists (the coherence reference for choosing K).
        """
        if (
            self.n_topics < 1
            or not self.window_ks
            or min(self.window_ks) < 1
            or self.n_window_terms < 1
        ):
            raise ConfigError("n_topics, window_ks and n_window_terms must be positive")
        if len(tokens) != matrix.shape[0]:
            raise InputError(f"got {len(tokens)} token lists for {matrix.shape[0]} documents")
        windows: list[_Window] = []
        for period, rows in period_rows(matrix, periods):
            sub = matrix.select(rows)
            reference = ReferenceCorpus([tokens[i] for i in rows])
            best: _Window | None = None
            for k in self.window_ks:
                if k > min(sub.shape):
                    continue
                model = NMF(k, max_iter=2000, random_state=self.random_state).fit(sub)
                score = _window_coherence(model, reference)
                if best is None or score > best.coherence:
                    best = _Window(period, rows, model, k, score)
            if best is None:
                raise InputError(
                    f"window {period} has too few documents or terms for any K in "
                    f"{list(self.window_ks)}"
                )
            windows.append(best)
        stacked = []
        for window in windows:
            beta = window.model.topic_word_
            trimmed = np.zeros_like(beta)
            top = np.argsort(-beta, axis=1)[:, : self.n_window_terms]
            np.put_along_axis(trimmed, top, np.take_along_axis(beta, top, axis=1), axis=1)
            stacked.append(trimmed / trimmed.sum(axis=1, keepdims=True))
        B = np.vstack(stacked)
        if self.n_topics > min(B.shape):
            raise ConfigError(
                f"n_topics={self.n_topics} exceeds the {B.shape[0]} window topics found"
            )
        # Greene & Cross's second layer: a window topic's loadings are least-squares weights
        second = NMF(
            self.n_topics, weighting="counts", shares="least-squares",
            random_state=self.random_state, ranking="probability",
        )  # fmt: skip
        second.fit(B)
        loadings = second.transform(B)
        owner = loadings.argmax(axis=1)
        records = []
        position = 0
        for window in windows:
            for j in range(window.k):
                chosen = int(owner[position])
                records.append({"period": window.period, "window_topic": j, "dynamic_topic": chosen,
                                "loading": float(loadings[position, chosen])})  # fmt: skip
                position += 1
        self.windows_ = pd.DataFrame(
            [(w.period, len(w.rows), w.k, w.coherence) for w in windows],
            columns=["period", "n_docs", "n_topics", "coherence"],
        )
        self.window_topics_ = pd.DataFrame(records)
        self.topic_word_ = second.topic_word_
        self.window_topic_word_ = [w.model.topic_word_ for w in windows]
        self.vocabulary_ = matrix.vocabulary
        self._windows = windows
        return self

    def topic_terms(
        self,
        n: int = defaults.TOP_TERMS,
        relevance_lambda: float = defaults.PERIOD_RELEVANCE_LAMBDA,
    ) -> pd.DataFrame:
        """Words of each dynamic topic in each window it is present in (tidy).

        A dynamic topic's window distribution is the average of the window topics that feed
        it; windows with none are absent (the topic was not found there).
        """
        if not hasattr(self, "topic_word_"):
            raise ConfigError("fit the model first")
        frames = []
        feeds = self.window_topics_
        for window in self._windows:
            beta = window.model.topic_word_
            marginal = window.model.term_frequency_
            here = feeds[feeds["period"] == window.period]
            for topic, group in here.groupby("dynamic_topic"):
                mixed = beta[group["window_topic"].to_numpy()].mean(axis=0)
                frames.append(
                    tidy_terms(
                        relevance(mixed[None, :], marginal, relevance_lambda),
                        mixed[None, :],
                        self.vocabulary_,
                        n,
                        topics=[int(str(topic))],
                        keep_zero=False,
                        extra={"period": window.period},
                    )
                )
        if not frames:
            return pd.DataFrame(columns=PERIOD_TERM_COLUMNS)
        return pd.concat(frames, ignore_index=True)[PERIOD_TERM_COLUMNS]

    def doc_shares(self, matrix: DocTermMatrix) -> pd.DataFrame:
        """Documents' shares of dynamic topics: tidy ``doc_id, theme, share, weight``.

        Each document is scored by its own window's model; window-topic shares are summed into
        the dynamic topics they feed. ``theme`` holds ``"topic_<k>"`` so the output feeds
        :func:`topics.trends.prevalence` directly.
        """
        names = [f"topic_{k}" for k in range(self.n_topics)]
        pieces = []
        for window in self._windows:
            sub = matrix.select(window.rows)
            theta = window.model.transform(sub)
            owner = self.window_topics_[self.window_topics_["period"] == window.period][
                "dynamic_topic"
            ].to_numpy()
            shares = np.zeros((theta.shape[0], self.n_topics))
            np.add.at(shares.T, owner, theta.T)
            lengths = np.asarray(sub.counts.sum(axis=1)).ravel().astype(float)
            pieces.append(long_frame(shares, sub.doc_ids, names, per_row={"weight": lengths}))
        return pd.concat(pieces, ignore_index=True)


def _window_coherence(model: TopicModel, reference: ReferenceCorpus) -> float:
    """Mean NPMI of a window model's top-10 words (words absent from the window left out)."""
    terms = model.top_terms(10)
    lists = [words for words in top_word_lists(terms[terms["weight"] > 0]) if len(words) >= 2]
    return float(reference.score(lists)["coherence"].mean()) if lists else -1.0
