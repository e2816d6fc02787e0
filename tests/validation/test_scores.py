"""Validation statistics on planted data: intervals that cover the truth, errors in one line."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.proportion import proportion_confint

from topics.errors import ConfigError, InputError
from topics.validation import (
    SCORE_COLUMNS,
    agreement,
    corrected_prevalence,
    score_draws,
    theme_scores,
    wilson_interval,
)


# -- planted corpora ---------------------------------------------------------------------------
def _measure(rng, truth, sens, spec):
    """Measured hits of a measure with the given sensitivity and specificity."""
    u = rng.random(len(truth))
    return np.where(truth, u < sens, u >= spec)


def _sample(rng, theme, hit, truth, per_stratum, strata_of=None):
    """Coded rows and strata rows of a stratified sample (default strata: hit / miss)."""
    labels = np.where(hit, "hit", "miss") if strata_of is None else strata_of
    coded, strata = [], []
    for name in pd.unique(labels):
        members = np.flatnonzero(labels == name)
        is_hit = bool(hit[members[0]])
        chosen = rng.choice(members, size=per_stratum[name], replace=False)
        coded.append(
            pd.DataFrame(
                {"theme": theme, "doc_id": chosen, "stratum": name, "hit": is_hit}
                | {"code": truth[chosen].astype(int)}
            )
        )
        strata.append({"theme": theme, "stratum": name, "hit": is_hit, "N": len(members)})
    return pd.concat(coded, ignore_index=True), pd.DataFrame(strata)


def _planted_themes(reps, seed, *, split_hits=False, n_docs=20_000, prev=0.15):
    """``reps`` independent planted corpora, one per theme, with their true scores."""
    rng = np.random.default_rng(seed)
    coded, strata, truths = [], [], []
    for r in range(reps):
        truth = rng.random(n_docs) < prev
        hit = _measure(rng, truth, 0.8, 0.95)
        per = {"hit": 100, "miss": 100}
        labels = None
        if split_hits:  # a "strong" band holding most true hits: strata of unequal precision
            strong = hit & (rng.random(n_docs) < np.where(truth, 0.7, 0.2))
            labels = np.where(strong, "strong", np.where(hit, "weak", "miss"))
            per = {"strong": 60, "weak": 60, "miss": 100}
        c, s = _sample(rng, f"t{r}", hit, truth, per, labels)
        coded.append(c)
        strata.append(s)
        truths.append(
            {
                "theme": f"t{r}",
                "precision": truth[hit].mean(),
                "recall": hit[truth].mean(),
                "specificity": (~hit[~truth]).mean(),
                "prevalence": truth.mean(),
            }
        )
    return (
        pd.concat(coded, ignore_index=True),
        pd.concat(strata, ignore_index=True),
        pd.DataFrame(truths),
    )


def _coverage(scores, truths, name):
    merged = scores.merge(truths, on="theme", suffixes=("", "_true"))
    inside = (merged[f"{name}_lo"] <= merged[f"{name}_true"]) & (
        merged[f"{name}_true"] <= merged[f"{name}_hi"]
    )
    return float(inside.mean())


# -- Wilson -------------------------------------------------------------------------------------
def test_wilson_interval_matches_the_known_value_and_statsmodels():
    lo, hi = wilson_interval(8, 10)
    assert lo == pytest.approx(0.4902, abs=5e-4)
    assert hi == pytest.approx(0.9433, abs=5e-4)
    for k, n, level in [(0, 10, 0.95), (3, 7, 0.9), (50, 50, 0.99), (17, 200, 0.95)]:
        expected = proportion_confint(k, n, alpha=1 - level, method="wilson")
        assert wilson_interval(k, n, level) == pytest.approx(expected, abs=1e-9)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_wilson_interval_covers_p_at_about_the_stated_rate():
    rng = np.random.default_rng(1)
    for p, n in [(0.3, 40), (0.05, 100), (0.9, 25)]:
        ks = rng.binomial(n, p, size=2000)
        cover = np.mean([lo <= p <= hi for lo, hi in (wilson_interval(int(k), n) for k in ks)])
        print(f"Wilson coverage p={p} n={n}: {cover:.3f}")
        assert 0.92 <= cover <= 0.985


# -- theme_scores: exact values on a small table ---------------------------------------------
def _small(hit_codes, miss_codes, n_hit=200, n_miss=800, theme="a"):
    codes = list(hit_codes) + list(miss_codes)
    coded = pd.DataFrame(
        {
            "theme": theme,
            "doc_id": [f"d{i}" for i in range(len(codes))],
            "stratum": ["hit"] * len(hit_codes) + ["miss"] * len(miss_codes),
            "hit": [True] * len(hit_codes) + [False] * len(miss_codes),
            "code": codes,
        }
    )
    strata = pd.DataFrame(
        {"theme": theme, "stratum": ["hit", "miss"], "hit": [True, False], "N": [n_hit, n_miss]}
    )
    return coded, strata


def test_scores_weight_the_strata_back_to_the_corpus():
    # hit stratum: N = 200, 8 of 10 coded 1 -> TP = 160, FP = 40
    # miss stratum: N = 800, 2 of 20 coded 1 -> FN = 80, TN = 720
    coded, strata = _small([1] * 8 + [0] * 2, [1] * 2 + [0] * 18)
    row = theme_scores(coded, strata, n_boot=500).iloc[0]
    assert list(theme_scores(coded, strata, n_boot=10).columns) == list(SCORE_COLUMNS)
    assert (row["n"], row["n_hits_coded"], row["n_misses_coded"]) == (30, 10, 20)
    assert row["precision"] == pytest.approx(0.8)
    assert (row["precision_lo"], row["precision_hi"]) == pytest.approx(wilson_interval(8, 10))
    assert row["recall"] == row["sensitivity"] == pytest.approx(160 / 240)
    assert row["specificity"] == pytest.approx(720 / 760)
    assert row["prevalence"] == pytest.approx(240 / 1000)
    assert row["f1"] == pytest.approx(2 * 0.8 * (2 / 3) / (0.8 + 2 / 3))
    for name in ("recall", "specificity", "prevalence"):
        assert row[f"{name}_lo"] < row[name] < row[f"{name}_hi"]


def test_precision_of_several_hit_strata_is_their_n_weighted_mean():
    coded = pd.DataFrame(
        {
            "theme": "a",
            "doc_id": range(30),
            "stratum": ["strong"] * 10 + ["weak"] * 10 + ["miss"] * 10,
            "hit": [True] * 20 + [False] * 10,
            "code": [1] * 9 + [0] + [1] * 3 + [0] * 7 + [0] * 10,
        }
    )
    strata = pd.DataFrame(
        {"theme": "a", "stratum": ["strong", "weak", "miss"], "hit": [True, True, False]}
        | {"N": [100, 300, 600]}
    )
    row = theme_scores(coded, strata, n_boot=1000).iloc[0]
    assert row["precision"] == pytest.approx((100 * 0.9 + 300 * 0.3) / 400)
    assert row["precision_lo"] < row["precision"] < row["precision_hi"]
    assert row["recall"] == 1.0  # no coded miss is about the theme
    assert row["recall_lo"] < 0.9  # ... yet 600 uncoded misses may hide some


def test_intervals_never_collapse_when_every_code_is_equal():
    coded, strata = _small([1] * 20, [0] * 20)
    row = theme_scores(coded, strata, n_boot=1000).iloc[0]
    assert row["precision"] == row["recall"] == row["specificity"] == 1.0
    for name in ("precision", "recall", "specificity"):
        assert row[f"{name}_lo"] < row[f"{name}_hi"] == 1.0
    assert 0 < row["prevalence_lo"] < row["prevalence"] < row["prevalence_hi"]


def test_draws_are_seeded_per_theme_and_only_hits_coded_leaves_recall_unknown():
    a_coded, a_strata = _small([1] * 7 + [0] * 3, [1] + [0] * 9)
    b_coded, b_strata = _small([1] * 5, [], theme="b")
    b_strata = b_strata.iloc[:1]  # only hits coded; no miss stratum given
    alone = score_draws(a_coded, a_strata, n_boot=50, random_state=3).draws
    both = score_draws(
        pd.concat([b_coded, a_coded]), pd.concat([b_strata, a_strata]), n_boot=50, random_state=3
    )
    pd.testing.assert_frame_equal(both.draws[both.draws["theme"] == "a"].reset_index(drop=True),
                                  alone)  # fmt: skip
    other = score_draws(a_coded, a_strata, n_boot=50, random_state=4).draws
    assert not np.allclose(other["sensitivity"], alone["sensitivity"])
    b_coded, b_strata = _small([1] * 5, [], theme="b")  # miss stratum with N = 800, none coded
    row = theme_scores(b_coded, b_strata, n_boot=50).iloc[0]
    assert row["precision"] == 1.0
    assert np.isnan(row[["recall", "specificity", "prevalence", "f1"]].astype(float)).all()


# -- calibration on planted truth ------------------------------------------------------------
def test_intervals_cover_the_planted_truth_at_about_the_stated_rate():
    coded, strata, truths = _planted_themes(200, seed=11)
    scores = theme_scores(coded, strata, n_boot=300, random_state=5)
    assert truths["recall"].between(0.77, 0.83).all()  # the planted measure is what we think
    for name in ("precision", "recall", "specificity", "prevalence"):
        cover = _coverage(scores, truths, name)
        print(f"coverage of {name} (hit/miss strata, 200 corpora): {cover:.3f}")
        assert 0.88 <= cover <= 0.995, name


def test_bootstrap_precision_of_several_hit_strata_covers_the_planted_truth():
    coded, strata, truths = _planted_themes(200, seed=12, split_hits=True)
    scores = theme_scores(coded, strata, n_boot=300, random_state=6)
    for name in ("precision", "recall", "prevalence"):
        cover = _coverage(scores, truths, name)
        print(f"coverage of {name} (strong/weak/miss strata, 200 corpora): {cover:.3f}")
        assert 0.88 <= cover <= 0.995, name


def test_corrected_prevalence_recovers_planted_period_prevalences():
    rng = np.random.default_rng(21)
    planted, n_period, reps = np.array([0.1, 0.2, 0.3]), 5000, 100
    coded, strata, observed = [], [], []
    for r in range(reps):
        truth = rng.random((3, n_period)) < planted[:, None]
        hit = _measure(rng, truth.ravel(), 0.8, 0.95).reshape(3, n_period)
        c, s = _sample(rng, f"t{r}", hit.ravel(), truth.ravel(), {"hit": 100, "miss": 100})
        coded.append(c)
        strata.append(s)
        observed.append(
            pd.DataFrame({"period": [2001, 2002, 2003], "theme": f"t{r}"}).assign(
                detected=hit.mean(axis=1), n_docs=n_period
            )
        )
    draws = score_draws(pd.concat(coded), pd.concat(strata), n_boot=400, random_state=1)
    obs = pd.concat(observed, ignore_index=True)
    result = corrected_prevalence(obs, draws, n_boot=400, random_state=2)
    true = np.tile(planted, reps)
    inside = (result["corrected_lo"] <= true) & (true <= result["corrected_hi"])
    print(f"coverage of corrected prevalence (100 × 3 periods): {inside.mean():.3f}")
    assert inside.mean() >= 0.90
    assert np.abs(result["corrected"] - true).mean() < np.abs(result["detected"] - true).mean()
    # the interval that ignores the validation's uncertainty: q's Beta interval, mapped through
    # Rogan–Gladen with the point sensitivity and specificity (the map is increasing in q)
    point = draws.point.set_index("theme").loc[result["theme"]]
    sens, spec = point["sensitivity"].to_numpy(), point["specificity"].to_numpy()
    k = result["detected"] * n_period
    q_lo, q_hi = (stats.beta.ppf(t, k + 0.5, n_period - k + 0.5) for t in (0.025, 0.975))
    naive = np.clip((q_hi + spec - 1) / (sens + spec - 1), 0, 1) - np.clip(
        (q_lo + spec - 1) / (sens + spec - 1), 0, 1
    )
    width = result["corrected_hi"] - result["corrected_lo"]
    print(f"mean width: {width.mean():.3f} with validation, {naive.mean():.3f} without")
    assert (width > naive).all()


# -- agreement ----------------------------------------------------------------------------------
def test_agreement_matches_krippendorffs_worked_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", binary data, two
    # observers, ten units. Coincidences: o00 = 10, o01 = o10 = 4, o11 = 2; n0 = 14, n1 = 6,
    # n = 20, so α = 1 − 19 · 8 / (2 · 14 · 6) = 0.0952. Cohen: p_o = 6/10, the first coder
    # says 1 twice and the second four times, p_e = .8 · .6 + .2 · .4 = .56,
    # κ = (.6 − .56) / (1 − .56) = 0.0909.
    first = pd.DataFrame(
        {"theme": "t", "doc_id": range(10), "code": [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]}
    )
    second = pd.DataFrame(
        {"theme": "t", "doc_id": range(11), "code": [1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1]}
    )  # doc 10 coded by the second coder only
    summary, disagreements = agreement(first, second)
    row = summary.iloc[0]
    assert (row["n_both"], row["n_only_one"]) == (10, 1)
    assert row["agree"] == pytest.approx(0.6)
    assert row["alpha"] == pytest.approx(1 - 19 * 8 / (2 * 14 * 6))
    assert row["kappa"] == pytest.approx(0.04 / 0.44)
    assert disagreements["doc_id"].tolist() == [0, 2, 5, 8]
    assert disagreements[["code_first", "code_second"]].values.tolist() == [
        [0, 1], [0, 1], [0, 1], [1, 0],
    ]  # fmt: skip


def test_agreement_of_several_categories_and_themes_and_constant_coders():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, 60)
    y = np.where(rng.random(60) < 0.7, x, rng.integers(0, 3, 60))
    first = pd.DataFrame({"theme": "many", "doc_id": range(60), "code": x})
    second = pd.DataFrame({"theme": "many", "doc_id": range(60), "code": y})
    const = pd.DataFrame({"theme": "flat", "doc_id": range(5), "code": 0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        summary, _ = agreement(pd.concat([first, const]), pd.concat([second, const]))
    many, flat = summary.set_index("theme").loc["many"], summary.set_index("theme").loc["flat"]
    assert many["kappa"] == pytest.approx(cohen_kappa_score(x, y))
    assert flat["agree"] == 1.0
    assert np.isnan(flat[["kappa", "alpha"]].astype(float)).all()


# -- one-line errors --------------------------------------------------------------------------
def _one_line(info):
    assert "\n" not in str(info.value)


def test_codes_other_than_0_and_1_are_refused_naming_theme_and_document():
    coded, strata = _small([1, 2, 0], [0, 0])
    with pytest.raises(InputError, match=r"theme 'a', doc_id 'd1': column 'code'.*got 2") as info:
        theme_scores(coded, strata)
    _one_line(info)


def test_a_theme_without_coded_hits_is_refused():
    coded, strata = _small([], [0, 1, 0])
    with pytest.raises(InputError, match="theme 'a': no coded measured hits") as info:
        theme_scores(coded, strata)
    _one_line(info)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c, s: (c, s.iloc[:1]), "stratum 'miss': no row in strata"),
        (lambda c, s: (c, s.assign(N=[3, 800])), "5 coded documents but N = 3"),
        (lambda c, s: (c.assign(hit=True), s), "column 'hit' differs"),
        (lambda c, s: (pd.concat([c, c.iloc[:1]]), s), "document 'd0' is coded twice"),
    ],
)
def test_inconsistent_samples_are_refused(change, message):
    coded, strata = change(*_small([1] * 5, [0] * 5))
    with pytest.raises(InputError, match=message) as info:
        theme_scores(coded, strata)
    _one_line(info)


def test_a_chance_level_measure_cannot_be_corrected():
    # 10 % positives among hits and misses alike: sensitivity 0.1, specificity 0.9
    coded, strata = _small([1] * 10 + [0] * 90, [1] * 10 + [0] * 90, n_hit=1000, n_miss=9000)
    draws = score_draws(coded, strata, n_boot=100)
    observed = pd.DataFrame({"period": [1], "theme": ["a"], "detected": [0.1], "n_docs": [500]})
    with pytest.raises(ConfigError, match=r"theme 'a'.*no better than chance") as info:
        corrected_prevalence(observed, draws)
    _one_line(info)
