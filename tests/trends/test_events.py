"""Dated claims at the edges, across gaps and around events (issue 26).

Planted corpora whose truth is known: a rise into the latest period is dated there (or listed
as not testable, never elsewhere), a change after a gap has a location interval spanning the
gap, and the event study finds a planted step at the event, stays quiet under the null and
flags a rise that had begun before the event. Then the `topics event` command: its columns,
manifest and one-line errors.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from topics import ConfigError
from topics.app.cli import main
from topics.paths import data_dir
from topics.trends import EVENT_COLUMNS, detect_changes, event_study
from topics.trends.planted import planted_shares

N_WEEKS = 30


def _positions(planted, values) -> list[int]:
    axis = [str(p) for p in planted.axis]
    return [axis.index(str(v)) for v in values]


def _weeks(rates: list[float], docs: list[int], seed: int = 0) -> tuple[pd.DataFrame, ...]:
    """One theme, weekly: ``docs[t]`` documents whose share averages ``rates[t]``."""
    rng = np.random.default_rng(seed)
    start = pd.Period("2023-01-02", freq="W-SUN")
    shares, periods = [], []
    for t, (rate, n) in enumerate(zip(rates, docs, strict=True)):
        for d in range(n):
            doc = f"w{t}d{d}"
            shares.append({"doc_id": doc, "theme": "crash", "share": rng.gamma(2.0, rate / 2.0),
                           "weight": 100.0})  # fmt: skip
            periods.append({"id": doc, "period": start + t})
    frame = pd.DataFrame(periods).astype({"period": "period[W-SUN]"})
    return pd.DataFrame(shares), frame


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_rise_in_a_populated_last_period_is_dated_there(seed):
    # the newswire: a theme near 0.04 % for months, 0.23 % in a busy last week
    rates = [0.0004] * 20 + [0.0023]
    docs = [int(d) for d in np.random.default_rng(seed).integers(60, 140, size=20)] + [300]
    shares, periods = _weeks(rates, docs, seed)
    result = detect_changes(shares, periods, n_perm=199, n_boot=100, random_state=seed)
    assert result.changes["date"].astype(str).tolist() == [str(periods["period"].iloc[-1])]
    assert result.changes["shift"].iloc[0] > 0
    assert result.untestable.empty


def test_a_rise_in_a_thin_last_period_is_untestable_never_dated_elsewhere():
    rates = [0.0004] * 20 + [0.0023]
    docs = [80] * 20 + [4]  # four documents: fewer than min_size = 10 units
    shares, periods = _weeks(rates, docs)
    result = detect_changes(shares, periods, n_perm=199, n_boot=100)
    assert result.changes.empty
    last = str(periods["period"].iloc[-1])
    assert last in result.untestable["period"].astype(str).tolist()
    assert "fewer than 10 units" in result.describe()


def test_a_change_after_a_gap_has_an_interval_across_the_gap():
    # weeks 18 and 19 are empty in the planted layout; theme 0 doubles from week 18 on
    step = [1.0] * 18 + [2.5] * (N_WEEKS - 18)
    hits = 0
    for seed in range(4):
        planted = planted_shares(n_periods=N_WEEKS, effects={0: step}, random_state=50 + seed)
        result = detect_changes(
            planted.shares, planted.periods, units=planted.units, axis=planted.axis,
            n_perm=199, n_boot=100, random_state=seed,
        )  # fmt: skip
        rows = result.changes[result.changes["theme"] == "theme0"]
        for _, row in rows.iterrows():
            date, lo, hi = _positions(planted, [row["date"], row["date_lo"], row["date_hi"]])
            assert lo <= date <= hi
            if date == 20:  # dated at the first week after the gap: the interval spans it
                assert row["gap_before"] == 2
                assert lo <= 18
                hits += 1
    assert hits >= 3


def test_location_intervals_hold_the_planted_date():
    step = [1.0] * 15 + [2.0] * (N_WEEKS - 15)
    covered = found = 0
    for seed in range(6):
        planted = planted_shares(n_periods=N_WEEKS, effects={0: step}, random_state=80 + seed)
        result = detect_changes(
            planted.shares, planted.periods, units=planted.units, axis=planted.axis,
            n_perm=199, n_boot=200, random_state=seed,
        )  # fmt: skip
        rows = result.changes[result.changes["theme"] == "theme0"]
        for _, row in rows.iterrows():
            date, lo, hi = _positions(planted, [row["date"], row["date_lo"], row["date_hi"]])
            if abs(date - 15) <= 2:
                found += 1
                covered += lo <= 15 <= hi
    assert found >= 5
    assert covered == found


# -- event studies ------------------------------------------------------------------------
def _event(planted, seed: int, window: int = 6):
    return event_study(
        planted.shares, planted.periods, str(planted.axis[15]), window=window,
        units=planted.units, axis=planted.axis, n_perm=199, n_boot=100, random_state=seed,
    )  # fmt: skip


def test_event_study_finds_a_planted_step_at_the_event():
    step = [1.0] * 15 + [2.0] * (N_WEEKS - 15)
    found = 0
    for seed in range(5):
        result = _event(
            planted_shares(n_periods=N_WEEKS, effects={0: step}, random_state=seed), seed
        )
        table = result.table.set_index("theme")
        assert list(result.table.columns) == list(EVENT_COLUMNS)
        assert (
            table.loc["theme0", "lo"] <= table.loc["theme0", "shift"] <= table.loc["theme0", "hi"]
        )
        found += table.loc["theme0", "p_adj"] <= 0.05
        assert (table["p_adj"] >= table["p_raw"]).all()  # the family-wise p never beats the raw
    assert found >= 4
    assert len(result.profile) == 6 * 12  # six themes × two windows of six weeks


def test_a_one_period_window_has_no_pretrend_and_says_nothing_to_stderr():
    """One period before the event: no slope can be estimated — NaN, with no NumPy warning."""
    planted = planted_shares(n_periods=N_WEEKS, random_state=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        result = event_study(
            planted.shares, planted.periods, str(planted.axis[15]), window=1,
            units=planted.units, axis=planted.axis, n_perm=99, n_boot=50, random_state=0,
        )  # fmt: skip
    assert result.table[["pretrend", "pretrend_lo", "pretrend_hi"]].isna().all().all()
    assert result.table[["lo", "hi"]].notna().all().all()


def test_event_study_is_quiet_when_nothing_happens():
    alarms = 0
    for seed in range(20):
        alarms += bool((_event(planted_shares(n_periods=N_WEEKS, random_state=900 + seed), seed)
                        .table["p_adj"] <= 0.05).any())  # fmt: skip
    assert alarms <= 3  # nominal 5 %: one expected in twenty


def test_a_rise_that_began_before_the_event_is_flagged():
    ramp = np.ones(N_WEEKS)
    ramp[9:21] = np.linspace(1.0, 3.0, 12)
    ramp[21:] = 3.0
    flagged = 0
    for seed in range(5):
        planted = planted_shares(
            n_periods=N_WEEKS, effects={0: ramp}, docs_per_period=100, random_state=300 + seed
        )
        flagged += "theme0" in _event(planted, seed).flagged()
    assert flagged >= 4


def test_event_errors_name_the_problem():
    planted = planted_shares(n_periods=N_WEEKS, random_state=0)
    with pytest.raises(ConfigError, match="outside the series"):
        event_study(planted.shares, planted.periods, "2030-01-01", window=2, axis=planted.axis)
    with pytest.raises(ConfigError, match="window 20 does not fit"):
        event_study(planted.shares, planted.periods, str(planted.axis[15]), window=20)
    result = event_study(planted.shares, planted.periods, str(planted.axis[3]), n_perm=99)
    assert result.window == 3  # the largest window that fits before the event


# -- the command -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def trends(tmp_path_factory):
    folder = tmp_path_factory.mktemp("event")
    months = pd.period_range("2021-01", periods=24, freq="M")
    rng = np.random.default_rng(4)
    rows = []
    for i, month in enumerate(months):
        for d in range(12):
            sanctions = rng.random() < (0.15 if i < 13 else 0.6)  # from 2022-02 on, more often
            text = "EU sanctions on Russia and the oil embargo." if sanctions else "Trade talks."
            rows.append({"id": f"{month}-{d}", "date": f"{month}-10", "text": text + " Rail."})
    pd.DataFrame(rows).to_csv(folder / "news.csv", index=False)
    corpus, trends = folder / "c.parquet", folder / "t.csv"
    assert main(["ingest", str(folder / "news.csv"), "-o", str(corpus)]) == 0
    themes = str(data_dir() / "themes.toml")
    assert main(["trends", str(corpus), "--themes", themes, "--freq", "month", "--boot", "50",
                 "-o", str(trends)]) == 0  # fmt: skip
    return trends


def test_event_command_writes_table_profile_and_manifest(trends, capsys):
    out = trends.with_name("event.csv")
    args = ["event", str(trends), "--date", "2022-02-24", "--window", "4", "--permutations", "199",
            "--boot", "100", "-o", str(out)]  # fmt: skip
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "placebo" in printed
    assert "Westfall–Young" in printed
    table = pd.read_csv(out)
    assert list(table.columns) == list(EVENT_COLUMNS)
    sanctions = table.set_index("theme").loc["sanctions"]
    assert sanctions["shift"] > 0
    assert sanctions["p_adj"] <= 0.05
    profile = pd.read_csv(out.with_name("event.profile.csv"))
    assert sorted(set(profile["relative"])) == list(range(-4, 4))
    manifest = json.loads(out.with_name("event.manifest.json").read_text())
    assert manifest["kind"] == "event"
    assert manifest["event"]["period"] == "2022-02"
    assert {o["path"] for o in manifest["outputs"]} == {"event.csv", "event.profile.csv"}
    # the settings under the names every manifest uses (`topics changes`, `topics trends`)
    config = manifest["config"]
    assert (config["n_perm"], config["n_boot"], config["random_state"]) == (199, 100, 0)
    assert not {"permutations", "boot", "seed"} & set(config)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--date", "2030-05-01"], "lies outside the series (2021-01 … 2022-12)"),
        (["--date", "2022-02-24", "--window", "14"], "window 14 does not fit"),
        (["--date", "not a date"], "is not a date"),
        (["--date", "2022-02-24", "--window", "0"], "--window must be at least 1"),
        # checked once, by ChangeSettings, and named as typed
        (["--date", "2022-02-24", "--permutations", "9"], "--permutations = 9 permutations"),
        (["--date", "2022-02-24", "--seed", "-1"], "--seed must be an integer from 0"),
    ],
)
def test_event_command_errors_are_one_line(trends, capsys, extra, message):
    out = trends.with_name("bad.csv")
    assert main(["event", str(trends), *extra, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert message in err
    assert not out.exists()


def test_report_runs_its_events_and_the_explorer_marks_them(trends, tmp_path):
    config = tmp_path / "r.toml"
    news = trends.with_name("news.csv").as_posix()
    config.write_text(
        f'[corpus]\npath = "{news}"\nsegment = "none"\nmin_chars = 1\ndedupe = false\n'
        f'[themes]\ncodebook = "{(data_dir() / "themes.toml").as_posix()}"\n'
        '[periods]\nfreq = "month"\n[trends]\nn_boot = 50\nn_perm = 99\n'
        '[[events]]\ndate = "2022-02-24"\nwindow = 4\nlabel = "Invasion of Ukraine"\n'
        '[output]\nfolder = "out"\n'
    )
    assert main(["report", str(config)]) == 0
    out = tmp_path / "out"
    table = pd.read_csv(out / "event_invasion_of_ukraine.csv")
    assert list(table.columns) == list(EVENT_COLUMNS)
    for name in ("event_invasion_of_ukraine.profile.csv", "event_invasion_of_ukraine.svg"):
        assert (out / name).is_file()
    page = (out / "explorer.html").read_text(encoding="utf-8")
    data = json.loads(page.split('id="explorer-data">', 1)[1].split("</script>", 1)[0])
    (event,) = data["trends"]["events"]
    assert (event["label"], event["period"], event["window"]) == (
        "Invasion of Ukraine",
        "2022-02",
        4,
    )
    assert {r["theme"] for r in event["rows"]} == set(table["theme"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["config"]["events"] == [
        {"date": "2022-02-24", "window": 4, "label": "Invasion of Ukraine"}
    ]
