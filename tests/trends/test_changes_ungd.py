"""The change test on the real UN General Debate speeches 2000–2024 (slow: ``make slow``).

Dictionary shares of the codebook themes in every paragraph, per year, speeches as units. The
Ukraine theme's 2022 rise must be found family-wise; with the years shuffled across speeches
(so that no theme truly changes) false alarms must stay at the nominal rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import topics
from topics.corpus.periods import assign_periods
from topics.paths import data_dir
from topics.text.preprocess import Preprocessor
from topics.themes import Codebook, dictionary_shares
from topics.trends import detect_changes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ungd(ungd_path):
    paragraphs = topics.ingest(
        ungd_path, columns={"date": "year", "id": "id"}, segment="paragraphs", min_chars=40
    ).corpus
    codebook = Codebook.from_toml(data_dir() / "themes.toml")
    config = codebook.preprocess_config()
    tokens = Preprocessor(config).transform(paragraphs.texts)
    shares = dictionary_shares(tokens, paragraphs.ids, codebook, config)
    speeches = pd.Series(paragraphs.column("parent_id").to_numpy(), index=paragraphs.ids)
    return shares, assign_periods(paragraphs, "year"), speeches


def test_ukraine_2022_rise_is_found_family_wise(ungd):
    shares, periods, speeches = ungd
    result = detect_changes(shares, periods, units=speeches, n_perm=999, n_boot=500)
    ukraine = result.changes[result.changes["theme"] == "ukraine"]
    rise = ukraine[ukraine["date"] == pd.Period("2022", "Y")]
    assert len(rise) == 1
    assert rise["shift"].iloc[0] > 0
    assert rise["lo"].iloc[0] > 0
    assert rise["p_adj"].iloc[0] < 0.05
    # every year holds far more than min_size = 10 speeches: even 2024 can be a segment alone
    assert result.untestable.empty
    assert rise["date_lo"].iloc[0] <= pd.Period("2022", "Y") <= rise["date_hi"].iloc[0]


def test_years_shuffled_across_speeches_give_no_more_false_alarms_than_nominal(ungd):
    shares, periods, speeches = ungd
    year_of = periods.set_index("id")["period"]
    by_speech = year_of.groupby(speeches.reindex(year_of.index).to_numpy()).first()
    rng = np.random.default_rng(13)
    alarms = 0
    for i in range(40):
        shuffled = pd.Series(rng.permutation(by_speech.to_numpy()), index=by_speech.index)
        moved = periods.assign(period=shuffled.reindex(speeches.reindex(periods["id"])).to_numpy())
        result = detect_changes(
            shares, moved, units=speeches, n_perm=199, n_boot=20, random_state=i
        )
        alarms += len(result.changes) > 0
    # nominal 5 %: 2 of 40 expected; the test is deterministic (fixed seeds)
    assert alarms <= 4
