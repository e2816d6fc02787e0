from __future__ import annotations

import json

import pandas as pd
import pytest
from matplotlib.figure import Figure

import topics
from topics.periods import assign_periods, documents_per_period
from topics.plots import plot_corpus_timeline, save_figure


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return topics.ingest(seeds_dir).documents


def test_periods_never_invent_precision():
    corpus = topics.Corpus.from_texts(
        ["a", "b", "c", "d"], dates=["2022-03-04", "2022-11", 2021, None]
    )
    monthly = assign_periods(corpus, "month").set_index("id")
    assert monthly.loc["doc0", "period"] == pd.Period("2022-03", "M")
    assert monthly.loc["doc1", "period"] == pd.Period("2022-11", "M")
    assert not monthly.loc["doc2", "assigned"]
    assert monthly.loc["doc2", "reason"] == "date precision coarser than month"
    assert monthly.loc["doc3", "reason"] == "no date"
    yearly = assign_periods(corpus, "year")
    assert yearly["assigned"].tolist() == [True, True, True, False]


def test_documents_per_period_totals_equal_corpus(seeds):
    counts = documents_per_period(seeds, "month")
    assert counts["n_docs"].sum() == len(seeds)
    quarter = documents_per_period(seeds, "quarter")
    assert quarter.loc[
        quarter["period"] == pd.Period("2022Q4", "Q"), "date_precision"
    ].tolist() == ["month"]


def test_timeline_returns_figure_and_uses_given_axes(seeds):
    counts = documents_per_period(seeds, "year")
    figure = plot_corpus_timeline(counts)
    assert isinstance(figure, Figure)
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert labels == ["2021", "2022", "2023"]
    outer = Figure()
    ax = outer.add_subplot()
    assert plot_corpus_timeline(counts, ax=ax) is outer


def test_timeline_shows_gaps(seeds):
    figure = plot_corpus_timeline(documents_per_period(seeds, "quarter"))
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert labels == ["2021Q4", "2022Q1", "2022Q2", "2022Q3", "2022Q4", "2023Q1", "2023Q2"]


def test_save_figure_is_byte_identical_and_has_manifest(tmp_path, seeds):
    counts = documents_per_period(seeds, "quarter")
    first = save_figure(plot_corpus_timeline(counts), tmp_path / "a" / "t", seed=3)
    second = save_figure(plot_corpus_timeline(counts), tmp_path / "b" / "t", seed=3)
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()
    svg = first[0].read_text()
    assert "<dc:date>" not in svg
    manifest = json.loads((tmp_path / "a" / "t.manifest.json").read_text())
    assert manifest["seed"] == 3
    assert manifest["files"] == ["t.svg", "t.png"]


def test_custom_bins_respect_date_precision():
    from topics.periods import assign_bins

    corpus = topics.Corpus.from_texts(
        ["a", "b", "c", "d", "e"], dates=["2022-02-10", "2022-03-01", "2022-02", "2021", None]
    )
    bins = assign_bins(corpus, ["2022-02-24"]).set_index("id")
    assert bins.loc["doc0", "period"] == "00 … – 2022-02-23"
    assert bins.loc["doc1", "period"] == "01 2022-02-24 – …"
    assert not bins.loc["doc2", "assigned"]  # February 2022 straddles the invasion date
    assert "spans a bin edge" in bins.loc["doc2", "reason"]
    assert bins.loc["doc3", "period"] == "00 … – 2022-02-23"  # all of 2021 is before
    assert bins.loc["doc4", "reason"] == "no date"
