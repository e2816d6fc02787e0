"""Themes over time: planted trends recovered with honest intervals; change points; seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from planted import PLANTED_THEMES as THEMES
from planted import planted_theme_corpus as _planted

import topics
from topics import ConfigError, InputError
from topics.corpus.periods import assign_periods
from topics.text.preprocess import Preprocessor
from topics.text.vectorizer import Vectorizer
from topics.themes import (
    Codebook,
    Theme,
    dictionary_shares,
    keyword_in_context,
    map_topics,
    model_theme_shares,
    seeded_model,
    theme_health,
)
from topics.trends import detect_changes, emerging, prevalence


@pytest.fixture(scope="module")
def planted():
    corpus, truth = _planted()
    config = THEMES.preprocess_config()
    tokens = Preprocessor(config).transform(corpus.texts)
    shares = dictionary_shares(tokens, corpus.ids, THEMES, config)
    trends = prevalence(shares, assign_periods(corpus, "month"), weighting="tokens", n_boot=500)
    return corpus, truth, tokens, trends, shares


def test_planted_shares_recovered_with_covering_intervals(planted):
    _, truth, _, trends, _ = planted
    merged = trends.merge(truth, on=["period", "theme"])
    assert len(merged) == 18 * 3
    assert np.corrcoef(merged["share"], merged["truth"])[0, 1] >= 0.95
    covered = (merged["lo"] <= merged["truth"]) & (merged["truth"] <= merged["hi"])
    assert covered.mean() >= 0.90
    assert list(trends.columns[:6]) == ["period", "theme", "share", "lo", "hi", "n_docs"]


def test_step_change_found_within_one_period_and_flat_series_quiet(planted):
    corpus, _, _, _, shares = planted
    result = detect_changes(
        shares, assign_periods(corpus, "month"), weighting="tokens", n_perm=499, n_boot=200
    )
    changes = result.changes
    sanctions = changes[changes["theme"] == "sanctions"]
    assert sanctions["kind"].tolist() == ["step"]
    first = sanctions.iloc[0]
    assert abs((first["date"] - pd.Period("2021-10", "M")).n) <= 1
    assert first["shift"] == pytest.approx(0.11, abs=0.02)
    assert first["lo"] < first["shift"] < first["hi"]
    assert first["p_adj"] < 0.01
    assert first["p_raw"] <= first["p_adj"]
    assert changes[changes["theme"] == "minerals"].empty


def test_document_and_token_weighting_differ_when_lengths_differ():
    shares = pd.DataFrame(
        {"doc_id": ["a", "b"], "theme": "t", "share": [1.0, 0.0], "weight": [9.0, 1.0]}
    )
    periods = pd.DataFrame({"id": ["a", "b"], "period": [pd.Period("2022-01", "M")] * 2})
    by_docs = prevalence(shares, periods, weighting="documents", n_boot=50, min_docs=5)
    by_tokens = prevalence(shares, periods, weighting="tokens", n_boot=50)
    assert by_docs["share"].iloc[0] == 0.5
    assert by_tokens["share"].iloc[0] == 0.9
    assert bool(by_docs["few_docs"].iloc[0])
    with pytest.raises(ConfigError, match="weighting"):
        prevalence(shares, periods, weighting="words")  # type: ignore[arg-type]


def test_seeded_model_keeps_theme_names_and_tracks_trends(planted):
    corpus, truth, _, _, _ = planted
    vectorizer = Vectorizer(THEMES.preprocess_config(), min_df=1)
    matrix = vectorizer.fit_transform(corpus)
    model = seeded_model(
        matrix, THEMES, n_free=2, backend="gensim", config=THEMES.preprocess_config()
    )
    assert model.topic_names_[:3] == ["sanctions", "corridor", "minerals"]
    top = model.top_terms(3)
    assert set(top[top["topic"] == 0]["term"]) == {"sanction", "embargo", "restriction"}
    shares = model_theme_shares(model, matrix, THEMES.names)
    trends = prevalence(shares, assign_periods(corpus, "month"), n_boot=50)
    merged = trends.merge(truth, on=["period", "theme"])
    # topic proportions are smoothed by the prior, so they track the truth less tightly than
    # dictionary shares do, but the trends and the step are there
    assert np.corrcoef(merged["share"], merged["truth"])[0, 1] >= 0.8
    step = detect_changes(shares, assign_periods(corpus, "month"), n_perm=199, n_boot=50)
    assert "sanctions" in set(step.changes["theme"])


def test_mapping_topics_to_themes_with_unmatched():
    vocab = ["sanction", "embargo", "corridor", "transit", "lithium", "mining", "tea", "cake"]
    topic_word = np.array(
        [[0.45, 0.45, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01],
         [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.47, 0.47]]
    )  # fmt: skip
    mapping = map_topics(topic_word, vocab, THEMES)
    assert mapping["theme"].tolist() == ["sanctions", "unmatched"]
    assert mapping["similarity"].iloc[0] == pytest.approx(0.9)


def test_theme_health_reports_unseen_terms_and_names_themes_that_never_occur(planted):
    corpus, _, tokens, _, _ = planted
    codebook = Codebook((*THEMES.themes, Theme("ghost", "Ghost", ("unicorn",))))
    periods = assign_periods(corpus, "month")["period"].tolist()
    with pytest.warns(topics.TopicsWarning, match=r"never occur.*ghost \(unicorn\)"):
        health = theme_health(tokens, periods, codebook)
    assert health.loc[health["theme"] == "ghost", "count"].tolist() == [0]
    partly = Codebook((Theme("minerals", "Minerals", ("lithium", "cobalt")),))
    health = theme_health(tokens, periods, partly)
    assert health.loc[health["term"] == "cobalt", "count"].tolist() == [0]
    assert health.loc[health["term"] == "lithium", "count"].sum() > 0


def test_codebook_validation(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[themes.Bad-Name]\nterms = ["x"]\n')
    with pytest.raises(ConfigError, match="lower_case"):
        Codebook.from_toml(path)
    path.write_text('[themes.ok]\nterms = "x"\n')
    with pytest.raises(ConfigError, match="list of strings"):
        Codebook.from_toml(path)
    shipped = Codebook.from_toml(topics.paths.data_dir() / "themes.toml")
    assert {"sanctions", "ukraine", "connectivity", "raw_materials", "energy", "green_transition",
            "reforms_human_rights", "trade_investment", "security_afghanistan",
            "digitalisation"} <= set(shipped.names)  # fmt: skip


def test_seeds_sanctions_ukraine_and_raw_materials_timeline(seeds_dir):
    codebook = Codebook.from_toml(topics.paths.data_dir() / "themes.toml")
    docs = topics.ingest(seeds_dir).documents
    config = codebook.preprocess_config()
    tokens = Preprocessor(config).transform(docs.texts)
    shares = dictionary_shares(tokens, docs.ids, codebook, config)
    monthly = prevalence(shares, assign_periods(docs, "month"), n_boot=50, min_docs=1)
    # every month from 2021-11 to 2023-05 is a row; months without an article are gaps
    assert monthly["period"].nunique() == 19
    assert monthly.loc[monthly["empty"], "share"].isna().all()
    table = monthly[~monthly["empty"]].pivot(index="period", columns="theme", values="share")
    year = table.index.year
    for theme in ("sanctions", "ukraine"):
        assert (table.loc[year == 2021, theme] == 0).all()
        assert table.loc[year == 2022, theme].max() > 0
        assert table.loc[year == 2023, theme].max() > 0
    raw = table["raw_materials"]
    assert raw[raw > 0].index.min() == pd.Period("2022-11", "M")


def test_keyword_in_context_and_emerging(planted):
    corpus, _, _, trends, _ = planted
    lines = keyword_in_context(
        pd.Series(dict(zip(corpus.ids, corpus.texts, strict=True))), ["embargo"], limit=5
    )
    assert len(lines) == 5
    assert (lines["keyword"].str.lower() == "embargo").all()
    ranking = emerging(trends, first=list(pd.period_range("2021-01", periods=3, freq="M")),
                       last=list(pd.period_range("2022-04", periods=3, freq="M")))  # fmt: skip
    assert ranking["theme"].iloc[0] == "sanctions"
    assert ranking["theme"].iloc[-1] == "minerals"


def test_a_stretch_of_text_is_one_passage_however_many_terms_it_holds():
    text = (
        "The EU adopted sanctions and an oil embargo, and new sanctions followed. Later, "
        "unrelated text about farming and the weather for a long while until the embargo ended."
    )
    lines = keyword_in_context(pd.Series({"d1": text}), ["sanction", "embargo"], width=40)
    assert list(lines["keyword"]) == ["sanctions", "embargo"]  # not three more of the first
    assert lines["right"].iloc[1].startswith(" ended")


def test_representative_documents_and_no_look_ahead(planted):
    from topics.themes import no_look_ahead_shares
    from topics.trends import representative_documents

    corpus, _, tokens, _, _ = planted
    periods = assign_periods(corpus, "month")
    shares = dictionary_shares(tokens, corpus.ids, THEMES, THEMES.preprocess_config())
    meta = corpus.to_frame().set_index("id")[["date", "text"]]
    top = representative_documents(shares, periods, theme="sanctions", n=2, metadata=meta)
    assert set(top["rank"]) == {1, 2}
    assert len(top) == 18 * 2
    assert {"date", "text"} <= set(top.columns)
    first = top[top["rank"] == 1].iloc[0]
    best = shares[(shares["theme"] == "sanctions") & shares["doc_id"].isin(
        periods.loc[periods["period"] == first["period"], "id"])]["share"].max()  # fmt: skip
    assert first["share"] == best

    small = corpus.select([i % 8 == 0 for i in range(len(corpus))])
    small_periods = assign_periods(small, "quarter")
    honest = no_look_ahead_shares(
        small, small_periods, THEMES, n_free=1, backend="gensim", max_iter=5
    )
    assert set(honest["doc_id"]) == set(small.ids)
    # the first quarter's shares come from a model that saw only that quarter: refitting on the
    # whole corpus must not change them (nothing from the future leaks in)
    q1 = small_periods.loc[small_periods["period"] == small_periods["period"].min(), "id"]
    again = no_look_ahead_shares(
        small.select(small.to_frame()["id"].isin(q1).to_numpy()),
        small_periods[small_periods["id"].isin(q1)], THEMES, n_free=1, backend="gensim", max_iter=5,
    )  # fmt: skip
    merged = honest.merge(again, on=["doc_id", "theme"], suffixes=("", "_alone"))
    np.testing.assert_allclose(merged["share"], merged["share_alone"])


def test_regression_recovers_year_effects_and_outlet_contrast():
    import warnings

    from topics.trends.regression import prevalence_regression

    rng = np.random.default_rng(1)
    rows = []
    logit = {2021: -3.9, 2022: -2.2, 2023: -2.8}  # the model's own form: year + outlet on logit
    outlets = {"kazinform": 0.0, "gov.kz": 0.7}
    true = {
        year: float(np.mean([1 / (1 + np.exp(-(a + b))) for b in outlets.values()]))
        for year, a in logit.items()
    }
    for year, a in logit.items():
        for outlet, b in outlets.items():
            p = 1 / (1 + np.exp(-(a + b)))
            for _ in range(150):
                rows.append({"share": rng.binomial(80, p) / 80, "year": year, "outlet": outlet})
    data = pd.DataFrame(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the fit must not warn
        result = prevalence_regression(data, covariates=["outlet"], n_sims=1000)
    predicted = result.predicted.set_index("level")
    for year, mixed in true.items():  # average over the two outlets (equal numbers of documents)
        assert predicted.loc[year, "lo"] < mixed < predicted.loc[year, "hi"]
    contrast = result.contrasts.set_index(["level", "reference"])
    assert contrast.loc[(2022, 2021), "lo"] > 0  # significant rise
    assert contrast.loc[(2023, 2022), "hi"] < 0  # significant fall
    assert {"term", "estimate", "std_error", "lo", "hi"} <= set(result.coefficients.columns)
    with pytest.raises(InputError, match="shares in"):
        prevalence_regression(data.assign(share=data["share"] * 5))


def test_seeded_nmf_keeps_theme_names(planted):
    corpus, truth, _, _, _ = planted
    matrix = Vectorizer(THEMES.preprocess_config(), min_df=1).fit_transform(corpus)
    model = seeded_model(matrix, THEMES, n_free=2, family="nmf", config=THEMES.preprocess_config())
    assert model.topic_names_[:3] == ["sanctions", "corridor", "minerals"]
    top = model.top_terms(3, ranking="probability")
    for index, words in enumerate(
        [{"sanction", "embargo", "restriction"}, {"corridor", "transit", "railway"},
         {"lithium", "battery", "mining"}]
    ):  # fmt: skip
        assert set(top[top["topic"] == index]["term"]) == words
    shares = model_theme_shares(model, matrix, THEMES.names)
    trends = prevalence(shares, assign_periods(corpus, "month"), n_boot=50)
    merged = trends.merge(truth, on=["period", "theme"])
    assert np.corrcoef(merged["share"], merged["truth"])[0, 1] >= 0.8


def test_intervals_widen_with_model_seed_uncertainty():
    rng = np.random.default_rng(0)
    ids = [f"d{i}" for i in range(200)]
    periods = pd.DataFrame({"id": ids, "period": [pd.Period("2022-01", "M")] * 200})
    base = rng.beta(2, 20, size=200)
    one = pd.DataFrame({"doc_id": ids, "theme": "t", "share": base, "weight": 50.0})
    seeds = pd.concat(
        [
            one.assign(share=np.clip(base + offset, 0, 1), seed=s)
            for s, offset in enumerate((-0.03, 0.0, 0.03))
        ]
    )
    narrow = prevalence(one, periods, n_boot=400).iloc[0]
    wide = prevalence(seeds, periods, n_boot=400).iloc[0]
    assert wide["share"] == pytest.approx(narrow["share"], abs=1e-3)
    assert (wide["hi"] - wide["lo"]) > 2 * (narrow["hi"] - narrow["lo"])


def test_emerging_terms_find_the_planted_step(planted):
    from topics.trends import emerging_terms

    corpus, _, _, _, _ = planted
    matrix = Vectorizer(THEMES.preprocess_config(), min_df=1).fit_transform(corpus)
    ranked = emerging_terms(matrix, assign_periods(corpus, "month"), top=3)
    step = ranked[ranked["period"] == pd.Period("2021-10", "M")]
    assert set(step["term"]) == {"sanction", "embargo", "restriction"}
    assert (step["log_ratio"] > 1).all()
    assert pd.Period("2021-01", "M") not in set(ranked["period"])  # no history yet
