"""Dynamic topics: a planted word swap is found where it was planted; fits repeat exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from topics.dynamic import DynamicNMF, align_windows, topic_evolution
from topics.errors import ConfigError
from topics.models import LDA, NMF
from topics.text.vectorizer import DocTermMatrix
from topics.trends import prevalence

CORE = [f"connect{i}" for i in range(4)]  # words connectivity keeps throughout
OLD = CORE + [f"transit{i}" for i in range(6)]  # connectivity before the swap
NEW = CORE + [f"corridor{i}" for i in range(6)]  # … and after it
OTHER = [[f"t{k}w{i}" for i in range(12)] for k in range(3)]
SWAP = 3  # the period where connectivity's words change


def _planted(seed=0, n_periods=6, docs=60, length=50):
    rng = np.random.default_rng(seed)
    vocab = list(dict.fromkeys(OLD + NEW + [w for block in OTHER for w in block]))
    col = {w: i for i, w in enumerate(vocab)}
    rows, ids, periods, tokens = [], [], [], []
    for p in range(n_periods):
        connectivity = OLD if p < SWAP else NEW
        topics = [connectivity, *OTHER]
        for d in range(docs):
            mix = rng.dirichlet([0.3] * 4)
            words = [str(rng.choice(topics[int(rng.choice(4, p=mix))])) for _ in range(length)]
            counts = np.zeros(len(vocab))
            for w in words:
                counts[col[w]] += 1
            rows.append(counts)
            ids.append(f"p{p}d{d}")
            periods.append(pd.Period(f"202{p}", "Y"))
            tokens.append(words)
    matrix = DocTermMatrix(sp.csr_matrix(np.array(rows)), tuple(vocab), tuple(ids))
    return matrix, pd.DataFrame({"id": ids, "period": periods}), tokens


@pytest.fixture(scope="module")
def planted():
    return _planted()


def _connectivity_topic(terms):
    scores = terms.groupby("topic")["term"].apply(
        lambda t: t.str.startswith(("transit", "corridor", "connect")).sum()
    )
    return int(scores.idxmax())


def test_dynamic_nmf_finds_the_swap_at_the_planted_period(planted):
    matrix, periods, tokens = planted
    model = DynamicNMF(4, window_ks=(4,), random_state=0).fit(matrix, periods, tokens)
    assert list(model.windows_["n_topics"]) == [4] * 6
    terms = model.topic_terms(8)
    topic = _connectivity_topic(terms)
    mine = terms[terms["topic"] == topic]
    assert mine["period"].nunique() == 6  # one dynamic topic carries both vocabularies
    for period, group in mine.groupby("period"):
        before = period.year - 2020 < SWAP
        words = group["term"]
        assert words.str.startswith("transit" if before else "corridor").sum() >= 3, list(words)
        assert not words.str.startswith("corridor" if before else "transit").any(), list(words)
    shares = model.doc_shares(matrix)
    trend = prevalence(shares, periods, n_boot=50)
    assert set(trend["theme"]) == {f"topic_{k}" for k in range(4)}


def test_window_k_is_chosen_by_coherence(planted):
    matrix, periods, tokens = planted
    model = DynamicNMF(4, window_ks=(2, 4, 8), random_state=0).fit(matrix, periods, tokens)
    assert set(model.windows_["n_topics"]) <= {2, 4, 8}
    chosen = model.windows_.set_index("period")
    assert (chosen["coherence"] > 0).all()


def test_dynamic_nmf_repeats_exactly(planted):
    matrix, periods, tokens = planted
    first = DynamicNMF(4, window_ks=(4,), random_state=3).fit(matrix, periods, tokens)
    second = DynamicNMF(4, window_ks=(4,), random_state=3).fit(matrix, periods, tokens)
    pd.testing.assert_frame_equal(first.topic_terms(5), second.topic_terms(5))
    pd.testing.assert_frame_equal(first.window_topics_, second.window_topics_)


def test_alignment_reports_birth_and_death_at_the_swap(planted):
    matrix, periods, _ = planted
    betas, labels = [], []
    for period in sorted(periods["period"].unique()):
        rows = np.flatnonzero(periods["period"].to_numpy() == period)
        betas.append(NMF(4, random_state=0).fit(matrix.select(rows)).topic_word_)
        labels.append(period)
    # strict: the changed vocabulary makes the swap a death and a birth
    chains, events = align_windows(betas, labels, threshold=0.6)
    swap = labels[SWAP]
    kinds = events[events["period"] == swap]["kind"].tolist()
    assert kinds.count("birth") == 1
    assert kinds.count("death") == 1
    quiet = events[(events["period"] != labels[0]) & (events["period"] != swap)]
    assert quiet.empty
    # lenient: the shared core words keep it one topic through the swap
    _, lenient = align_windows(betas, labels, threshold=0.3)
    assert lenient[lenient["period"] != labels[0]].empty
    again, _ = align_windows(betas, labels, threshold=0.6)
    pd.testing.assert_frame_equal(chains, again)


def test_topic_evolution_of_a_global_model(planted):
    matrix, periods, _ = planted
    model = NMF(5, random_state=0).fit(matrix)
    terms = topic_evolution(model, matrix, periods, n=5)
    assert list(terms.columns) == ["topic", "period", "rank", "term", "weight"]
    assert terms.groupby(["topic", "period"]).size().eq(5).all()  # every topic in every period
    late = terms[terms["period"] == pd.Period("2025", "Y")]
    topic = int(
        late.groupby("topic")["term"].apply(lambda t: t.str.startswith("corridor").sum()).idxmax()
    )
    words = late[late["topic"] == topic]["term"]
    assert words.str.startswith("corridor").sum() >= 3
    assert not words.str.startswith("transit").any()


def test_topic_evolution_from_known_doc_topics(planted):
    matrix, periods, _ = planted
    model = LDA(5, backend="tomotopy", max_iter=300, random_state=0)
    theta = model.fit_transform(matrix)
    given = topic_evolution(model, matrix, periods, n=5, doc_topic=theta)
    inferred = topic_evolution(model, matrix, periods, n=5)
    # the Gibbs sample's proportions and variational inference give the same per-period words
    overlap = given.merge(inferred, on=["topic", "period", "term"]).shape[0] / len(given)
    assert overlap >= 0.9
    late = given[given["period"] == pd.Period("2025", "Y")]
    corridor = late.groupby("topic")["term"].apply(lambda t: t.str.startswith("corridor").sum())
    assert corridor.max() >= 3
    with pytest.raises(ConfigError, match=r"doc_topic has shape \(3, 5\)"):
        topic_evolution(model, matrix, periods, doc_topic=theta[:3])


def test_ldaseq_wrapper_same_shape(planted):
    from topics.dynamic import ldaseq_topic_terms

    matrix, periods, _ = planted
    keep = np.flatnonzero(
        periods["period"].isin([pd.Period("2020", "Y"), pd.Period("2021", "Y")]).to_numpy()[:]
    )
    small = matrix.select(keep[::4])
    small_periods = periods.iloc[keep[::4]]
    terms = ldaseq_topic_terms(small, small_periods, n_topics=2, n=3, passes=1, em_max_iter=2)
    assert list(terms.columns) == ["topic", "period", "rank", "term", "weight"]
    assert terms.groupby(["topic", "period"]).size().eq(3).all()
    assert set(terms["period"]) == {pd.Period("2020", "Y"), pd.Period("2021", "Y")}


def test_named_theme_words_per_period():
    from topics.themes import Codebook, Theme, seeded_model

    corpus_matrix, periods, _ = _planted(seed=2)
    codebook = Codebook((Theme("connectivity", "Connectivity", tuple(CORE)),))
    model = seeded_model(corpus_matrix, codebook, n_free=3, backend="gensim")
    words = topic_evolution(model, corpus_matrix, periods, n=8, names=model.topic_names_)
    theme = words[words["topic"] == "connectivity"]
    early = theme[theme["period"] == pd.Period("2020", "Y")]["term"]
    late = theme[theme["period"] == pd.Period("2025", "Y")]["term"]
    assert early.str.startswith("transit").sum() > late.str.startswith("transit").sum()
    assert late.str.startswith("corridor").sum() > early.str.startswith("corridor").sum()


def test_term_turnover_measures_word_change_between_periods():
    from topics.dynamic import term_turnover

    terms = pd.DataFrame(
        {"topic": [0] * 6 + [1] * 4,
         "period": ["a", "a", "b", "b", "c", "c", "a", "a", "b", "b"],
         "rank": [1, 2] * 5,
         "term": ["x", "y", "x", "z", "w", "z", "p", "q", "q", "p"],
         "weight": [0.5] * 10}
    )  # fmt: skip
    result = term_turnover(terms, n=2).set_index("topic")
    # topic 0: {x,y}→{x,z} distance 2/3, {x,z}→{w,z} distance 2/3
    assert result.loc[0, "turnover"] == pytest.approx(2 / 3)
    assert result.loc[0, "entered"] == "w, z"
    assert result.loc[0, "left"] == "x, y"
    assert result.loc[1, "turnover"] == 0.0
    assert list(result.index) == [0, 1]


def test_theme_terms_follow_the_words_a_theme_keeps_company_with():
    from topics.dynamic import theme_terms
    from topics.themes import Codebook, Theme

    rng = np.random.default_rng(0)
    codebook = Codebook((Theme("connectivity", "Connectivity", ("corridor",)),))
    filler = [f"w{i}" for i in range(40)]
    tokens, periods = [], []
    for period, partner in (("2021", "transit"), ("2022", "transit"), ("2023", "gateway")):
        for d in range(60):
            words = list(rng.choice(filler, size=20))
            if d % 3 == 0:  # a third of the documents talk about the corridor
                words += ["corridor", partner, partner]
            tokens.append(words)
            periods.append(period)
    tokens.append(["corridor", "gateway"])
    periods.append(None)  # unplaced: ignored
    terms = theme_terms(tokens, periods, codebook, n=3, min_count=2)
    top = terms[terms["rank"] <= 2].groupby("period")["term"].apply(set)
    assert top["2021"] == {"corridor", "transit"}
    assert top["2022"] == {"corridor", "transit"}
    assert top["2023"] == {"corridor", "gateway"}
    assert set(terms["n_docs"]) == {20}
    assert "gateway" not in set(terms.loc[terms["period"] == "2021", "term"])  # no look-ahead
