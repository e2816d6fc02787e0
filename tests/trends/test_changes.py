"""The calibrated change test: exact search, calibration on planted data, edges, gaps, intervals."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from topics import ConfigError
from topics.trends import ChangeSettings, detect_changes, prevalence
from topics.trends._segment import Grid, best_gains, score, segment
from topics.trends.planted import planted_shares
from topics.trends.units import bootstrap_means, unit_draws, unit_table

ruptures = pytest.importorskip("ruptures")


def _weekly(values: list[list[float]], start: str = "2022-01-03") -> tuple[pd.DataFrame, ...]:
    """Shares and periods from per-week lists of document shares (one theme)."""
    rows, periods = [], []
    first = pd.Period(start, freq="W-SUN")
    for week, docs in enumerate(values):
        for d, share in enumerate(docs):
            doc = f"w{week}d{d}"
            rows.append({"doc_id": doc, "theme": "t", "share": share, "weight": 100.0})
            periods.append({"id": doc, "period": first + week})
    frame = pd.DataFrame(periods)
    frame["period"] = frame["period"].astype("period[W-SUN]")
    return pd.DataFrame(rows), frame


class _QuasiPoisson(ruptures.base.BaseCost):
    """The same segment score as ours, as a ruptures cost (signal columns: sums, sizes)."""

    model = "quasi-poisson"
    min_size = 1

    def fit(self, signal):
        self.signal = signal
        return self

    def error(self, start, end):
        part = self.signal[start:end]
        return -float(score(np.array(part[:, 0].sum()), np.array(part[:, 1].sum())))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_exact_search_agrees_with_ruptures_dynamic_programme(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 40, size=18).astype(float)
    sums = rng.gamma(2.0, 0.03, size=18) * sizes
    # 5 units a period, segments of ≥ 10 units: two periods at least; the first and the last
    # period (5 units each, too few for a segment) are set aside, as ruptures is told here
    grid = Grid.from_counts(np.full(18, 5), min_size=10)
    assert (grid.lo, grid.hi) == (1, 17)
    ours = best_gains(sums[None], sizes[None], np.ones(1), grid, 3)[0]
    inner_sums, inner_sizes = sums[1:-1], sizes[1:-1]
    whole = float(score(np.array(inner_sums.sum()), np.array(inner_sizes.sum())))
    signal = np.column_stack([inner_sums, inner_sizes])
    for k in (1, 2, 3):
        algo = ruptures.Dynp(custom_cost=_QuasiPoisson(), min_size=2, jump=1).fit(signal)
        bkps = algo.predict(n_bkps=k)
        theirs = -algo.cost.sum_of_costs(bkps) - whole
        assert ours[k] == pytest.approx(theirs, rel=1e-9, abs=1e-12)
    # the penalised optimum picks a k whose gain beats k × penalty
    cuts = segment(sums, sizes, 1.0, grid, 3, penalty=0.5 * ours[1])
    assert len(cuts) >= 1


def test_null_family_wise_false_alarms_are_calibrated_on_awkward_layouts():
    """Quick version of benchmarks/change_calibration.py (looser bound, small simulation)."""
    alarms, series = 0, 0
    for i in range(60):
        planted = planted_shares(n_periods=24, n_themes=4, docs_per_period=25, random_state=i)
        result = detect_changes(
            planted.shares, planted.periods, units=planted.units, axis=planted.axis,
            n_perm=99, n_boot=20, random_state=i,
        )  # fmt: skip
        found = result.changes["theme"].nunique()
        alarms += found > 0
        series += found
    # nominal 5 %; 60 corpora → the 99th percentile under a true 5 % rate is 9 (15 %)
    assert alarms / 60 <= 0.15
    assert series / (60 * 4) <= 0.05


def test_paragraphs_permuted_as_articles_stay_calibrated_but_not_as_documents():
    kwargs = {"n_perm": 99, "n_boot": 20}
    as_articles, as_documents = 0, 0
    for i in range(20):
        planted = planted_shares(
            n_periods=20, n_themes=3, docs_per_period=20, paragraphs=4, random_state=500 + i
        )
        with_units = detect_changes(planted.shares, planted.periods, units=planted.units, **kwargs)
        without = detect_changes(planted.shares, planted.periods, **kwargs)
        as_articles += len(with_units.changes) > 0
        as_documents += len(without.changes) > 0
    assert as_articles <= 3
    assert as_documents >= 10  # paragraphs of one article are not independent evidence


def test_planted_step_and_episode_are_found_with_sizes_and_intervals():
    step = [1.0] * 12 + [2.2] * 12
    # a four-period episode: found in 20 of 20 planted draws (p_adj ≤ 0.01; three periods at 2.6
    # are found only about half the time at 199 permutations), its start placed within two
    # periods (8: 8 draws, 9: 11, 10: 1) and its end within one in 19 of 20
    episode = [1.0] * 8 + [2.6] * 4 + [1.0] * 12
    planted = planted_shares(
        n_periods=24, n_themes=3, docs_per_period=40, effects={0: step, 1: episode},
        random_state=7,
    )  # fmt: skip
    result = detect_changes(
        planted.shares, planted.periods, units=planted.units, axis=planted.axis, n_perm=199
    )
    changes = result.changes.set_index("theme")
    rise = changes.loc["theme0"]
    assert rise["kind"] == "step"
    assert abs(planted.axis.index(rise["date"]) - 12) <= 1
    assert rise["lo"] < rise["shift"] < rise["hi"]
    assert rise["lo"] > 0
    assert rise["p_raw"] <= rise["p_adj"] < 0.05
    bump = changes.loc["theme1"]
    assert bump["kind"] == "episode"
    assert abs(planted.axis.index(bump["date"]) - 8) <= 2
    assert abs(planted.axis.index(bump["end"]) - 11) <= 1
    assert bump["after"] > bump["before"]
    assert bump["lo"] > 0
    assert "theme2" not in changes.index
    segments = result.segments[result.segments["theme"] == "theme1"]
    assert len(segments) == 3
    assert (segments["lo"] <= segments["level"]).all()
    assert (segments["level"] <= segments["hi"]).all()
    themes = result.themes.set_index("theme")
    assert themes.loc["theme0", "n_changes"] == 1
    assert themes.loc["theme2", "n_changes"] == 0


def test_several_changes_in_one_theme():
    staircase = [1.0] * 8 + [2.0] * 8 + [3.2] * 8
    planted = planted_shares(
        n_periods=24, n_themes=2, docs_per_period=50, effects={0: staircase}, awkward=False,
        random_state=3,
    )  # fmt: skip
    result = detect_changes(planted.shares, planted.periods, units=planted.units, n_perm=199)
    rows = result.changes[result.changes["theme"] == "theme0"]
    assert rows["kind"].tolist() == ["step", "step"]
    positions = [planted.axis.index(d) for d in rows["date"]]
    assert abs(positions[0] - 8) <= 1
    assert abs(positions[1] - 16) <= 1
    assert (rows["shift"] > 0).all()


def test_thin_edge_periods_cannot_make_a_break_alone():
    rng = np.random.default_rng(0)
    weeks = [[0.4]] + [list(rng.gamma(0.5, 0.06, size=30)) for _ in range(16)] + [[0.45]]
    shares, periods = _weekly(weeks)
    result = detect_changes(shares, periods, n_perm=199)
    assert result.changes.empty
    # and the edge periods are reported as untestable rather than silently skipped
    untestable = [str(p) for p in result.untestable["period"]]
    assert str(periods["period"].iloc[1]) in untestable  # second week: one week before it
    assert str(periods["period"].iloc[-1]) in untestable


def test_one_document_weeks_do_not_hide_a_real_decline():
    rng = np.random.default_rng(1)
    high = [list(rng.gamma(0.5, 0.1, size=30)) for _ in range(8)]
    low = [list(rng.gamma(0.5, 0.02, size=30)) for _ in range(8)]
    weeks = [*high, *low[:4], [0.047], [0.045], *low[4:]]
    shares, periods = _weekly(weeks)
    result = detect_changes(shares, periods, n_perm=199)
    fall = result.changes[result.changes["kind"] == "step"]
    assert len(fall) == 1
    assert fall["shift"].iloc[0] < 0
    assert str(fall["date"].iloc[0]) == str(pd.Period("2022-01-03", freq="W-SUN") + 8)


def test_gaps_stay_gaps_and_a_change_after_one_is_dated_at_its_end():
    rng = np.random.default_rng(2)
    weeks = [list(rng.gamma(0.5, 0.02, size=40)) for _ in range(8)]
    weeks += [[], [], []]  # three empty weeks
    weeks += [list(rng.gamma(0.5, 0.1, size=40)) for _ in range(8)]
    shares, periods = _weekly(weeks)
    result = detect_changes(shares, periods, n_perm=199)
    change = result.changes.iloc[0]
    first_after = pd.Period("2022-01-03", freq="W-SUN") + 11
    assert change["date"] == first_after
    assert change["gap_before"] == 3
    trends = prevalence(shares, periods, n_boot=50)
    assert len(trends) == 19
    assert trends["empty"].sum() == 3
    assert trends.loc[trends["empty"], "share"].isna().all()


def test_one_document_and_zero_share_periods_get_intervals_of_honest_width():
    rng = np.random.default_rng(3)
    weeks = [list(rng.gamma(0.5, 0.06, size=30)) for _ in range(6)]
    weeks[2] = [0.047]  # one document
    weeks[4] = [0.0] * 30  # thirty documents, none uses the theme
    shares, periods = _weekly(weeks)
    trends = prevalence(shares, periods, n_boot=400)
    single, zero = trends.iloc[2], trends.iloc[4]
    assert single["hi"] - single["lo"] > 0.01
    assert single["lo"] <= 0.047 <= single["hi"]
    assert zero["share"] == 0
    assert zero["lo"] == 0
    assert zero["hi"] > 0
    # a big period's interval barely feels the prior pseudo-unit
    big = trends.iloc[0]
    assert big["lo"] < big["share"] < big["hi"]
    assert bool(single["few_docs"])
    assert not bool(big["few_docs"])


def test_bootstrap_weights_do_not_depend_on_row_order_or_chunking():
    planted = planted_shares(n_periods=12, n_themes=2, docs_per_period=15, random_state=4)
    table = unit_table(planted.shares, planted.periods, units=planted.units)
    whole = unit_draws(table, table.period, len(table.axis), n_boot=30, random_state=5)
    small = unit_draws(table, table.period, len(table.axis), n_boot=30, random_state=5, chunk=45)
    np.testing.assert_allclose(whole[0], small[0], rtol=1e-12)
    shuffled = planted.shares.sample(frac=1.0, random_state=1)
    first = prevalence(planted.shares, planted.periods, units=planted.units, n_boot=40)
    again = prevalence(shuffled, planted.periods.iloc[::-1], units=planted.units, n_boot=40)
    key = ["period", "theme"]
    pd.testing.assert_frame_equal(
        first.sort_values(key).reset_index(drop=True), again.sort_values(key).reset_index(drop=True)
    )
    keys = [str(p) for p in table.axis]
    means = bootstrap_means(table, table.period, keys, n_boot=30, random_state=5)
    assert means.shape == (30, len(table.axis), 2)


def test_fdr_option_and_settings_are_reported():
    step = [1.0] * 10 + [2.4] * 10
    planted = planted_shares(
        n_periods=20, n_themes=4, docs_per_period=40, effects={0: step, 1: step},
        awkward=False, random_state=11,
    )  # fmt: skip
    result = detect_changes(planted.shares, planted.periods, n_perm=199, correction="fdr")
    assert set(result.changes["theme"]) == {"theme0", "theme1"}
    info = result.to_dict()
    assert info["settings"]["correction"] == "fdr"
    assert "Benjamini" in info["method"]["correction"]
    assert "Benjamini" in result.describe()
    json.dumps(info)  # manifests need plain JSON


def test_result_saves_tables_and_method(tmp_path):
    planted = planted_shares(n_periods=12, n_themes=2, docs_per_period=10, random_state=2)
    result = detect_changes(planted.shares, planted.periods, n_perm=99, n_boot=20)
    written = result.save(tmp_path / "changes")
    assert sorted(p.name for p in written) == [
        "changes.csv", "changes.json", "segments.csv", "themes.csv",
    ]  # fmt: skip
    meta = json.loads((tmp_path / "changes" / "changes.json").read_text())
    assert meta["settings"]["n_perm"] == 99
    assert "permuted across units" in meta["method"]["null"]


def test_settings_are_validated_with_the_field_named():
    planted = planted_shares(n_periods=12, n_themes=1, docs_per_period=5, random_state=0)
    with pytest.raises(ConfigError, match="cannot reach p"):
        detect_changes(planted.shares, planted.periods, n_perm=9)
    with pytest.raises(ConfigError, match="correction"):
        detect_changes(planted.shares, planted.periods, correction="bonferroni")
    with pytest.raises(ConfigError, match="unknown change-test settings"):
        detect_changes(planted.shares, planted.periods, permutations=99)
    with pytest.raises(ConfigError, match="min_size"):
        ChangeSettings(min_size=0).validate()


def test_too_short_a_series_reports_every_period_untestable():
    shares, periods = _weekly([[0.1] * 5, [0.2] * 5, [0.3] * 5])
    result = detect_changes(shares, periods, n_perm=99)
    assert result.changes.empty
    assert len(result.untestable) == 2
    assert result.to_dict()["penalty"] is None
