"""analyze_themes: the whole theme-over-time chain on planted data whose truth is known."""

from __future__ import annotations

import pandas as pd
import pytest
from planted import PLANTED_THEMES as THEMES
from planted import planted_theme_corpus as _planted

from topics import ConfigError, InputError
from topics.themes.analysis import analyze_themes


@pytest.fixture(scope="module")
def analysis():
    corpus, _truth = _planted(months=18, docs_per_month=20)
    return analyze_themes(corpus, THEMES, freq="month", n_boot=200, n_perm=199)


def test_step_is_found_at_the_planted_month(analysis):
    sanctions = analysis.changes[analysis.changes["theme"] == "sanctions"]
    assert sanctions["kind"].tolist() == ["step"]
    first = sanctions.iloc[0]
    assert first["date"] == pd.Period("2021-10", "M")  # month index 9
    assert first["shift"] > 0.05
    assert first["p_adj"] < 0.05
    assert "minerals" not in set(analysis.changes["theme"])  # flat theme: no change
    method = analysis.config["change_test"]["method"]
    assert "Westfall–Young" in method["correction"]
    assert "permuted across units" in method["null"]


def test_intervals_cover_the_estimate_and_labels_come_from_codebook(analysis):
    trends = analysis.trends
    assert not trends["empty"].any()
    assert (trends["lo"] <= trends["share"]).all()
    assert (trends["share"] <= trends["hi"]).all()
    assert (trends["hi"] > trends["lo"]).all()  # never a zero-width interval
    assert analysis.labels["corridor"] == "Connectivity"
    assert analysis.config["documents"] == 360
    assert set(analysis.health["theme"]) == {"sanctions", "corridor", "minerals"}


def test_change_passages_come_from_the_change_period_and_show_seed_terms(analysis):
    lines = analysis.change_passages(n=2)
    step = lines[(lines["theme"] == "sanctions") & (lines["period"] == pd.Period("2021-10", "M"))]
    assert len(step) > 0
    assert set(step["term"]) <= {"sanction", "embargo", "restriction"}
    assert set(step["doc_id"]).issubset(set(analysis.corpus.ids))
    top = analysis.passages("sanctions", "2021-10", n=1)
    assert top["doc_id"].nunique() == 1
    shares = analysis.shares[analysis.shares["theme"] == "sanctions"].set_index("doc_id")["share"]
    in_month = [d for d in analysis.periods.loc[
        analysis.periods["period"] == pd.Period("2021-10", "M"), "id"]]  # fmt: skip
    assert shares.loc[top["doc_id"].iloc[0]] == pytest.approx(shares.loc[in_month].max())


def test_by_group_splits_documents_and_keeps_shape(analysis):
    ids = analysis.corpus.ids
    groups = pd.Series({d: ("a" if i % 2 else "b") for i, d in enumerate(ids)})
    by_group = analysis.by_group(groups, n_boot=50)
    assert set(by_group["group"]) == {"a", "b"}
    assert set(by_group.columns) >= set(analysis.trends.columns)
    per_period = by_group[by_group["theme"] == "sanctions"].groupby("period")["n_docs"].sum()
    assert (per_period == 20).all()
    with pytest.raises(InputError, match="no analysed document"):
        analysis.by_group(pd.Series({"nope": "c"}))


def test_bad_method_and_unknown_theme_are_named(analysis):
    corpus, _ = _planted(months=2, docs_per_month=3)
    with pytest.raises(ConfigError, match="unknown theme measure 'magic'"):
        analyze_themes(corpus, THEMES, measure="magic")
    with pytest.raises(ConfigError, match="'method' is called 'measure'"):
        analyze_themes(corpus, THEMES, method="seeded")
    with pytest.raises(ConfigError, match="measure_options"):
        analyze_themes(corpus, THEMES, n_free=2)
    with pytest.raises(ConfigError, match="trade"):
        analysis.passages("trade")


def test_seeded_method_tracks_the_planted_step():
    corpus, _truth = _planted(months=12, docs_per_month=15)
    result = analyze_themes(
        corpus, THEMES, freq="month", measure="seeded", n_boot=50, n_perm=99,
        measure_options={"n_free": 2, "max_iter": 100, "min_df": 1},
    )  # fmt: skip
    series = result.trends[result.trends["theme"] == "sanctions"].set_index("period")["share"]
    before = series[series.index < pd.Period("2021-10", "M")].mean()
    after = series[series.index >= pd.Period("2021-10", "M")].mean()
    assert after > before + 0.05


def test_key_passages_use_changes_or_the_peak(analysis):
    lines = analysis.key_passages(n=1)
    sanctions = lines[lines["theme"] == "sanctions"]
    assert sanctions["reason"].str.startswith("step rise").any()
    assert sanctions["reason"].str.contains("adjusted p = ").all()
    minerals = lines[lines["theme"] == "minerals"]
    assert set(minerals["reason"]) == {"peak period (no change found)"}
    peak = analysis.trends[analysis.trends["theme"] == "minerals"].sort_values("share").iloc[-1]
    assert set(minerals["period"]) == {peak["period"]}


def test_seeded_theme_with_rare_seeds_warns_that_it_drifted():
    from topics import TopicsWarning
    from topics.themes import Codebook, Theme

    corpus, _ = _planted(months=6, docs_per_month=15)
    codebook = Codebook(
        (*THEMES.themes, Theme("unicorns", "Unicorns", ("unicorn",)))  # absent from the corpus
    )
    texts = [*corpus.texts[:-1], corpus.texts[-1] + " unicorn"]  # one single occurrence
    import topics as tp

    rare = tp.Corpus.from_texts(texts, dates=list(corpus.dates))
    with pytest.warns(TopicsWarning, match=r"unicorns \("):
        result = analyze_themes(
            rare, codebook, freq="month", measure="seeded", n_boot=20, n_perm=19,
            measure_options={"n_free": 2, "max_iter": 50, "min_df": 1},
        )  # fmt: skip
    assert result.config["seed_mass"]["unicorns"] < 0.05
    assert result.config["seed_mass"]["minerals"] > 0.05  # a common theme keeps its seeds


def test_the_mapped_measure_reads_its_old_setting_names_for_one_release():
    from topics.themes.measures import build_measure

    with pytest.warns(DeprecationWarning, match="k is now called n_topics"):
        measure = build_measure("mapped", {"k": 3, "model": "lda"})
    assert (measure.n_topics, measure.family) == (3, "lda")
    with pytest.raises(ConfigError, match="give n_topics only, not also k"):
        build_measure("mapped", {"k": 3, "n_topics": 4})
