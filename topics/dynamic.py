"""Dynamic topics: how the words of a topic change from period to period.

Two methods, one output shape — tidy ``topic, period, rank, term, weight`` word tables and
``period, theme, share, lo, hi, n_docs`` prevalence (via :func:`topics.trends.prevalence`):

* :class:`DynamicNMF` — Greene & Cross (2017): an NMF per time window (K per window chosen by
  NPMI coherence among candidates), then an NMF over the stacked window topics gives the
  dynamic topics; each window topic feeds the dynamic topic it loads on most
  (``window_topics_``), so a dynamic topic's words in a window are those of the window topics
  that feed it. Windows are fitted on their own documents only: nothing leaks from the future.
* :func:`topic_evolution` — a fitted (global) model's topics re-estimated per period from the
  word counts the topic explains in that period (each occurrence shared among topics by its
  posterior responsibility ``θ_dk β_kw / Σ_j θ_dj β_jw``), ranked by relevance against the
  period's own word frequencies. Fast, every topic has words in every
  period, but the topics themselves were learnt from all periods (as BERTopic's default).

:func:`align_windows` matches topics of consecutive windows (Hungarian algorithm on cosine
similarity) and reports births, deaths, splits and merges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment

from .coherence import ReferenceCorpus
from .errors import ConfigError, InputError
from .evaluate import top_word_lists
from .models import NMF, TopicModel
from .preprocess import PreprocessConfig
from .themes import Codebook
from .vectorize import DocTermMatrix

__all__ = [
    "DynamicNMF",
    "align_windows",
    "ldaseq_topic_terms",
    "term_turnover",
    "theme_terms",
    "topic_evolution",
]


def _relevance(
    beta: npt.NDArray[np.float64], marginal: npt.NDArray[np.float64], lam: float
) -> npt.NDArray[np.float64]:
    beta = np.maximum(beta, 1e-300)
    return np.asarray(
        lam * np.log(beta) + (1 - lam) * np.log(beta / np.maximum(marginal, 1e-300)),
        dtype=np.float64,
    )


def _tidy_terms(
    scores: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64],
    vocabulary: Sequence[str],
    topic: int,
    period: object,
    n: int,
) -> list[dict[str, object]]:
    order = np.argsort(-scores, kind="stable")[:n]
    return [
        {
            "topic": topic,
            "period": period,
            "rank": r + 1,
            "term": vocabulary[j],
            "weight": float(weights[j]),
        }
        for r, j in enumerate(order)
        if weights[j] > 0
    ]


def _period_rows(
    matrix: DocTermMatrix, periods: pd.DataFrame
) -> list[tuple[object, npt.NDArray[np.intp]]]:
    index = {doc: i for i, doc in enumerate(matrix.doc_ids)}
    placed = periods.dropna(subset=["period"])
    placed = placed[placed["id"].isin(index)]
    if placed.empty:
        raise InputError("no document of the matrix has a period")
    return [
        (p, np.asarray([index[d] for d in placed.loc[placed["period"] == p, "id"]], dtype=np.intp))
        for p in sorted(placed["period"].unique())
    ]


def _attributed_counts(
    counts: sp.csr_matrix, theta: npt.NDArray[np.float64], beta: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Word counts attributed to topics by their posterior responsibility (K × V).

    An occurrence of word ``w`` in document ``d`` is shared among topics in proportion to
    ``θ_dk β_kw`` — the E-step of a mixture model — so a topic is credited with the words it
    explains, not with every word of the documents it appears in.
    """
    csr = sp.csr_matrix(counts)
    doc_of = np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr))
    out = np.zeros_like(beta)
    step = max(1, 4_000_000 // max(beta.shape[0], 1))
    for start in range(0, csr.nnz, step):
        stop = min(start + step, csr.nnz)
        words = csr.indices[start:stop]
        weights = theta[doc_of[start:stop]] * beta[:, words].T  # nnz × K
        totals = weights.sum(axis=1, keepdims=True)
        weights = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
        weights *= csr.data[start:stop, None]
        for k in range(beta.shape[0]):
            out[k] += np.bincount(words, weights=weights[:, k], minlength=beta.shape[1])
    return out


def topic_evolution(
    model: TopicModel,
    matrix: DocTermMatrix,
    periods: pd.DataFrame,
    *,
    n: int = 10,
    relevance_lambda: float = 0.8,
    names: Sequence[str] | None = None,
    doc_topic: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Per-period words of each topic of a fitted model (see module docstring).

    Returns tidy ``topic, period, rank, term, weight`` where ``weight`` is the topic's
    per-period word distribution. With ``names`` (e.g. a seeded model's ``topic_names_``)
    the ``topic`` column holds names, so a named theme's words can be read per period.
    ``doc_topic`` takes the documents' topic proportions when they are already known — e.g.
    ``model.fit_transform(matrix)``, which for a Gibbs-sampled LDA costs nothing extra —
    instead of inferring them with ``model.transform(matrix)``.
    """
    if doc_topic is None:
        theta = model.transform(matrix)
    else:
        theta = np.asarray(doc_topic, dtype=np.float64)
        expected_shape = (matrix.shape[0], model.topic_word_.shape[0])
        if theta.shape != expected_shape:
            raise ConfigError(
                f"doc_topic has shape {theta.shape}; expected {expected_shape} "
                "(documents of the matrix × topics of the model)"
            )
    beta_global = np.asarray(model.topic_word_, dtype=np.float64)
    rows: list[dict[str, object]] = []
    counts = sp.csr_matrix(matrix.counts, dtype=np.float64)
    for period, docs in _period_rows(matrix, periods):
        expected = _attributed_counts(counts[docs], theta[docs], beta_global)  # K × V
        totals = expected.sum(axis=1, keepdims=True)
        beta = np.divide(expected, totals, out=np.zeros_like(expected), where=totals > 0)
        marginal = np.asarray(counts[docs].sum(axis=0)).ravel()
        marginal = marginal / max(marginal.sum(), 1.0)
        scores = _relevance(beta, marginal, relevance_lambda)
        for k in range(beta.shape[0]):
            rows += _tidy_terms(scores[k], beta[k], matrix.vocabulary, k, period, n)
    frame = pd.DataFrame(rows, columns=["topic", "period", "rank", "term", "weight"])
    if names is not None:
        if len(names) < int(frame["topic"].max()) + 1:
            raise ConfigError(f"got {len(names)} names for {int(frame['topic'].max()) + 1} topics")
        frame["topic"] = [names[int(k)] for k in frame["topic"]]
    return frame


def theme_terms(
    tokens: Sequence[Sequence[str]],
    periods: Sequence[object],
    codebook: Codebook,
    *,
    config: PreprocessConfig | None = None,
    n: int = 10,
    relevance_lambda: float = 0.5,
    min_count: int = 3,
) -> pd.DataFrame:
    """List a named theme's words in each period: the words of the documents using its seeds.

    For theme ``T`` and period ``p`` the context is every document of ``p`` containing at least
    one of ``T``'s seed terms; its words are ranked by relevance against all of ``p``'s words
    (λ · log P(w | context) + (1 − λ) · log lift), so a word counts when it is frequent *and*
    characteristic of the theme's context in that period. Unlike a seeded topic model this
    cannot drift away from the seeds when they are rare: every word listed co-occurs with them.

    Parameters
    ----------
    tokens
        Token lists of the documents (preprocessed with the codebook's config, so phrases such
        as ``global_gateway`` are single tokens).
    periods
        The period of each document (``None``/NaN for unplaced ones, which are skipped).
    codebook
        The themes.
    config
        Preprocessing the seed terms are normalised with (default: the codebook's).
    n
        Words per theme and period.
    relevance_lambda
        Weight on probability against lift (1 = plain frequency in the context).
    min_count
        Fewest occurrences in the context for a word to be listed (rare words have noisy lift).

    Returns
    -------
    DataFrame
        ``topic, period, rank, term, weight, n_docs`` — ``topic`` holds the theme name,
        ``weight`` is the word's share of the context's tokens and ``n_docs`` the number of
        context documents (periods where the theme is absent have no rows).

    """
    if len(tokens) != len(periods):
        raise InputError(f"got {len(periods)} periods for {len(tokens)} documents")
    if n < 1 or min_count < 1 or not 0.0 <= relevance_lambda <= 1.0:
        raise ConfigError("n and min_count must be ≥ 1 and relevance_lambda in [0, 1]")
    mapping = codebook.tokens(config)
    by_period: dict[str, list[int]] = {}
    labels: dict[str, object] = {}
    for i, period in enumerate(periods):
        if period is None or pd.isna(period):  # type: ignore[call-overload]
            continue
        by_period.setdefault(str(period), []).append(i)
        labels[str(period)] = period
    rows: list[dict[str, object]] = []
    for key in sorted(by_period):
        docs = by_period[key]
        overall: dict[str, int] = {}
        for i in docs:
            for token in tokens[i]:
                overall[token] = overall.get(token, 0) + 1
        total = sum(overall.values())
        for theme, seeds in mapping.items():
            context = [i for i in docs if not seeds.keys().isdisjoint(tokens[i])]
            if not context:
                continue
            counts: dict[str, int] = {}
            for i in context:
                for token in tokens[i]:
                    counts[token] = counts.get(token, 0) + 1
            size = sum(counts.values())
            words = [w for w, c in counts.items() if c >= min_count]
            if not words:
                continue
            prob = np.asarray([counts[w] / size for w in words])
            lift = prob / np.asarray([overall[w] / total for w in words])
            score = relevance_lambda * np.log(prob) + (1 - relevance_lambda) * np.log(lift)
            order = sorted(range(len(words)), key=lambda j: (-score[j], words[j]))[:n]
            rows += [
                {"topic": theme, "period": labels[key], "rank": r + 1, "term": words[j],
                 "weight": float(prob[j]), "n_docs": len(context)}
                for r, j in enumerate(order)
            ]  # fmt: skip
    return pd.DataFrame(rows, columns=["topic", "period", "rank", "term", "weight", "n_docs"])


def term_turnover(terms: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """How much each topic's top words change from period to period.

    Parameters
    ----------
    terms
        Tidy ``topic, period, rank, term, weight`` from any dynamic method.
    n
        Top words compared.

    Returns
    -------
    DataFrame
        ``topic, n_periods, turnover, entered, left`` sorted by decreasing turnover:
        ``turnover`` is the mean Jaccard distance between the top-``n`` word sets of
        consecutive periods (0 = the same words throughout, 1 = all new words every period);
        ``entered`` / ``left`` list the words in the last period's top ``n`` but not the
        first's, and the reverse.

    """
    missing = {"topic", "period", "rank", "term"} - set(terms.columns)
    if missing:
        raise InputError(f"terms lack columns {sorted(missing)}")
    top = terms[terms["rank"] <= n]
    rows = []
    for topic, group in top.groupby("topic", sort=True):
        sets = [set(g["term"]) for _, g in group.groupby("period", sort=True)]
        distances = [1 - len(a & b) / len(a | b) for a, b in pairwise(sets)]
        first, last = sets[0], sets[-1]
        rows.append(
            {
                "topic": topic,
                "n_periods": len(sets),
                "turnover": float(np.mean(distances)) if distances else 0.0,
                "entered": ", ".join(sorted(last - first)),
                "left": ", ".join(sorted(first - last)),
            }
        )
    frame = pd.DataFrame(rows, columns=["topic", "n_periods", "turnover", "entered", "left"])
    return frame.sort_values(["turnover", "n_periods"], ascending=False, kind="stable").reset_index(
        drop=True
    )


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
    top_n
        Top terms that represent a window topic in the second-level factorisation (the paper
        uses the top terms' weights; others are set to zero).
    random_state
        Seed for every factorisation.

    Attributes
    ----------
    windows_ : DataFrame
        ``period, n_docs, k, coherence`` — the K chosen for each window.
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
        top_n: int = 20,
        random_state: int = 0,
    ) -> None:
        self.n_topics = n_topics
        self.window_ks = window_ks
        self.top_n = top_n
        self.random_state = random_state

    def fit(
        self, matrix: DocTermMatrix, periods: pd.DataFrame, tokens: Sequence[Sequence[str]]
    ) -> DynamicNMF:
        """Fit window models then the dynamic topics.

        ``tokens`` are the documents' token lists (the coherence reference for choosing K).
        """
        if self.n_topics < 1 or not self.window_ks or min(self.window_ks) < 1 or self.top_n < 1:
            raise ConfigError("n_topics, window_ks and top_n must be positive")
        if len(tokens) != matrix.shape[0]:
            raise InputError(f"got {len(tokens)} token lists for {matrix.shape[0]} documents")
        windows: list[_Window] = []
        for period, rows in _period_rows(matrix, periods):
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
            top = np.argsort(-beta, axis=1)[:, : self.top_n]
            np.put_along_axis(trimmed, top, np.take_along_axis(beta, top, axis=1), axis=1)
            stacked.append(trimmed / trimmed.sum(axis=1, keepdims=True))
        B = np.vstack(stacked)
        if self.n_topics > min(B.shape):
            raise ConfigError(
                f"n_topics={self.n_topics} exceeds the {B.shape[0]} window topics found"
            )
        second = NMF(
            self.n_topics, weighting="counts", random_state=self.random_state, ranking="probability"
        )
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
            [
                {"period": w.period, "n_docs": len(w.rows), "k": w.k, "coherence": w.coherence}
                for w in windows
            ]
        )
        self.window_topics_ = pd.DataFrame(records)
        self.topic_word_ = second.topic_word_
        self.window_topic_word_ = [w.model.topic_word_ for w in windows]
        self.vocabulary_ = matrix.vocabulary
        self._windows = windows
        return self

    def topic_terms(self, n: int = 10, relevance_lambda: float = 0.8) -> pd.DataFrame:
        """Words of each dynamic topic in each window it is present in (tidy).

        A dynamic topic's window distribution is the average of the window topics that feed
        it; windows with none are absent (the topic was not found there).
        """
        if not hasattr(self, "topic_word_"):
            raise ConfigError("fit the model first")
        rows: list[dict[str, object]] = []
        feeds = self.window_topics_
        for window in self._windows:
            beta = window.model.topic_word_
            marginal = window.model.term_frequency_
            here = feeds[feeds["period"] == window.period]
            for topic, group in here.groupby("dynamic_topic"):
                mixed = beta[group["window_topic"].to_numpy()].mean(axis=0)
                scores = _relevance(mixed[None, :], marginal, relevance_lambda)[0]
                rows += _tidy_terms(
                    scores, mixed, self.vocabulary_, int(str(topic)), window.period, n
                )
        return pd.DataFrame(rows, columns=["topic", "period", "rank", "term", "weight"])

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
            pieces.append(pd.DataFrame({
                "doc_id": np.repeat(np.asarray(sub.doc_ids, dtype=object), self.n_topics),
                "theme": np.tile(np.asarray(names, dtype=object), len(theta)),
                "share": shares.ravel(),
                "weight": np.repeat(lengths, self.n_topics),
            }))  # fmt: skip
        return pd.concat(pieces, ignore_index=True)


def _window_coherence(model: TopicModel, reference: ReferenceCorpus) -> float:
    """Mean NPMI of a window model's top-10 words (words absent from the window left out)."""
    terms = model.top_terms(10)
    lists = [words for words in top_word_lists(terms[terms["weight"] > 0]) if len(words) >= 2]
    return float(reference.score(lists)["coherence"].mean()) if lists else -1.0


def align_windows(
    topic_word: Sequence[npt.NDArray[np.float64]],
    periods: Sequence[object],
    *,
    threshold: float = 0.3,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Align topics of consecutive windows and report how they change.

    Parameters
    ----------
    topic_word
        One K_w × V topic–word matrix per window (same vocabulary), in time order.
    periods
        The windows' labels.
    threshold
        Cosine similarity below which two topics are not the same topic.

    Returns
    -------
    (chains, events)
        ``chains``: ``period, window_topic, chain`` — topics matched one-to-one (Hungarian,
        maximising cosine) share a chain id across windows. ``events``: ``period, kind, chain,
        detail`` with kinds ``birth`` (a topic matching nothing before), ``death`` (a chain with
        no match in the next window), ``split`` (one topic similar to several in the next
        window) and ``merge`` (several topics similar to one in the next window).

    """
    if len(topic_word) != len(periods) or not topic_word:
        raise ConfigError("give one topic-word matrix per period")

    def unit(m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.asarray(m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-300))

    chains: list[dict[str, object]] = []
    events: list[dict[str, object]] = []
    current = list(range(topic_word[0].shape[0]))
    next_chain = len(current)
    chains += [{"period": periods[0], "window_topic": j, "chain": c} for j, c in enumerate(current)]
    events += [
        {"period": periods[0], "kind": "birth", "chain": c, "detail": "first window"}
        for c in current
    ]
    for w in range(1, len(topic_word)):
        sim = unit(topic_word[w - 1]) @ unit(topic_word[w]).T
        rows, cols = linear_sum_assignment(-sim)
        assigned: dict[int, int] = {}
        for r, c in zip(rows, cols, strict=True):
            if sim[r, c] >= threshold:
                assigned[int(c)] = current[int(r)]
        new_ids = []
        for j in range(topic_word[w].shape[0]):
            if j in assigned:
                new_ids.append(assigned[j])
            else:
                new_ids.append(next_chain)
                events.append(
                    {"period": periods[w], "kind": "birth", "chain": next_chain, "detail": ""}
                )
                next_chain += 1
        for r, chain in enumerate(current):
            if chain not in new_ids:
                events.append({"period": periods[w], "kind": "death", "chain": chain, "detail": ""})
            similar = np.flatnonzero(sim[r] >= threshold)
            if len(similar) > 1:
                detail = "into " + ", ".join(str(new_ids[j]) for j in similar)
                events.append(
                    {"period": periods[w], "kind": "split", "chain": chain, "detail": detail}
                )
        for j in range(topic_word[w].shape[0]):
            sources = np.flatnonzero(sim[:, j] >= threshold)
            if len(sources) > 1:
                detail = "from " + ", ".join(str(current[r]) for r in sources)
                events.append(
                    {"period": periods[w], "kind": "merge", "chain": new_ids[j], "detail": detail}
                )
        chains += [
            {"period": periods[w], "window_topic": j, "chain": c} for j, c in enumerate(new_ids)
        ]
        current = new_ids
    return pd.DataFrame(chains), pd.DataFrame(events, columns=["period", "kind", "chain", "detail"])


def ldaseq_topic_terms(
    matrix: DocTermMatrix,
    periods: pd.DataFrame,
    *,
    n_topics: int = 10,
    n: int = 10,
    random_state: int = 0,
    passes: int = 10,
    chain_variance: float = 0.005,
) -> pd.DataFrame:
    """Fit the classic dynamic topic model (gensim ``LdaSeqModel``); same tidy output.

    Slow — minutes for a few thousand documents, days for tens of thousands (see
    ``benchmarks/un_dtm.py``) — and meant for small corpora or as a reference. Returns
    ``topic, period, rank, term, weight`` with the model's per-period word distributions.
    """
    from gensim.models import LdaSeqModel

    slices = _period_rows(matrix, periods)
    order = np.concatenate([rows for _, rows in slices])
    ordered = matrix.select(order)
    dictionary, bow = ordered.to_gensim()
    model = LdaSeqModel(
        corpus=bow, id2word=dictionary, time_slice=[len(rows) for _, rows in slices],
        num_topics=n_topics, passes=passes, random_state=random_state,
        chain_variance=chain_variance,
    )  # fmt: skip
    rows_out: list[dict[str, object]] = []
    for k in range(n_topics):
        log_prob = np.asarray(model.topic_chains[k].e_log_prob)  # V × T
        for t, (period, _) in enumerate(slices):
            beta = np.exp(log_prob[:, t])
            beta = beta / beta.sum()
            rows_out += _tidy_terms(beta, beta, matrix.vocabulary, k, period, n)
    return pd.DataFrame(rows_out, columns=["topic", "period", "rank", "term", "weight"])
