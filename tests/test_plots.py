from __future__ import annotations

import json

import pandas as pd
import pytest
from matplotlib.figure import Figure

import topics
from topics.corpus.periods import assign_periods, documents_per_period
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
    from topics.corpus.periods import assign_bins

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


# --- figures from tidy frames -------------------------------------------------------------


def _trends() -> pd.DataFrame:
    rows = []
    for i, year in enumerate(range(2018, 2024)):
        for theme, base in (("sanctions", 0.02), ("ukraine", 0.05)):
            share = base + (0.1 if theme == "sanctions" and year >= 2022 else 0.0) + 0.001 * i
            rows.append(
                {"period": pd.Period(str(year), "Y"), "theme": theme, "share": share,
                 "lo": share - 0.01, "hi": share + 0.01, "few_docs": year == 2018}
            )  # fmt: skip
    return pd.DataFrame(rows)


def test_prevalence_draws_bands_labels_and_change_markers():
    from topics.plots import plot_prevalence

    changes = pd.DataFrame(
        {
            "theme": ["sanctions"],
            "date": [pd.Period("2022", "Y")],
            "shift": [0.1],
            "p_adj": [0.01],
        }
    )
    figure = plot_prevalence(
        _trends(), changes, labels={"sanctions": "Sanctions", "ukraine": "Ukraine war"},
        highlight=("2021", "2023"),
    )  # fmt: skip
    axes = figure.axes[0]
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend[:2] == ["Sanctions", "Ukraine war"]
    assert "few documents" in legend
    ticks = [t.get_text() for t in axes.get_xticklabels()]
    assert ticks == ["2018", "2019", "2020", "2021", "2022", "2023"]
    # one upward triangle at 2022 (x = 4) sitting on the interval's upper end
    triangles = [
        c for c in axes.collections if len(c.get_offsets()) == 1 and list(c.get_sizes()) == [60]
    ]
    assert len(triangles) == 1
    x, y = triangles[0].get_offsets()[0]
    assert x == 4
    assert y == pytest.approx(0.02 + 0.1 + 0.004 + 0.01)


def test_prevalence_draws_an_episode_as_a_bar_over_its_periods():
    from topics.plots import plot_prevalence

    changes = pd.DataFrame(
        {"theme": ["ukraine"], "kind": ["episode"], "date": [pd.Period("2019", "Y")],
         "end": [pd.Period("2021", "Y")], "shift": [0.03], "p_adj": [0.01]}
    )  # fmt: skip
    figure = plot_prevalence(_trends(), changes)
    axes = figure.axes[0]
    bars = [line for line in axes.get_lines() if line.get_linewidth() == 2.5]
    assert len(bars) == 1
    assert list(bars[0].get_xdata()) == pytest.approx([1 - 0.35, 3 + 0.35])  # 2019 … 2021
    assert "episode (rise or fall, then back)" in [
        t.get_text() for t in axes.get_legend().get_texts()
    ]
    assert axes.get_ylabel()
    assert axes.get_xlabel() == "period"


def test_prevalence_rejects_unknown_theme_and_missing_columns():
    from topics.errors import InputError
    from topics.plots import plot_prevalence

    with pytest.raises(InputError, match="raw_materials"):
        plot_prevalence(_trends(), themes=["raw_materials"])
    with pytest.raises(InputError, match="lo"):
        plot_prevalence(_trends().drop(columns="lo"))


def test_heatmap_orders_periods_and_annotates_percentages():
    from topics.plots import plot_topic_heatmap

    figure = plot_topic_heatmap(_trends())
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["sanctions", "ukraine"]
    image = axes.get_images()[0].get_array()
    assert image.shape == (2, 6)
    assert image[0, 4] == pytest.approx(0.124)
    assert "12.4" in [t.get_text() for t in axes.texts]


def test_top_terms_small_multiples_use_labels():
    from topics.plots import plot_top_terms

    terms = pd.DataFrame(
        {"topic": [0, 0, 1, 1, 2], "rank": [1, 2, 1, 2, 1], "term": list("abcde"),
         "weight": [0.5, 0.3, 0.6, 0.2, 0.9]}
    )  # fmt: skip
    figure = plot_top_terms(terms, n_cols=2, labels={0: "Sanctions"})
    visible = [a for a in figure.axes if a.axison]
    assert len(visible) == 3
    assert len(figure.axes) == 4
    assert visible[0].get_title(loc="left") == "Sanctions"
    assert visible[1].get_title(loc="left") == "topic 1"
    labels = {t.get_text(): t.get_position()[1] for t in visible[0].get_yticklabels()}
    assert labels["a"] > labels["b"]  # rank 1 on top


def test_k_selection_has_one_panel_per_criterion_and_marks_k():
    from topics.plots import plot_k_selection

    summary = pd.DataFrame(
        {"config": ["nmf"] * 3, "k": [5, 10, 15], "npmi": [0.1, 0.15, 0.12],
         "npmi_sd": [0.01, 0.01, 0.02], "diversity": [0.9, 0.8, 0.7],
         "stability": [0.9, 0.7, 0.5], "stability_kind": "seeds"}
    )  # fmt: skip
    figure = plot_k_selection(summary, recommended=10)
    assert [a.get_xlabel() for a in figure.axes] == ["number of topics K"] * 3
    assert figure.axes[2].get_ylabel() == "stability across seeds"
    assert any(list(line.get_xdata()) == [10, 10] for line in figure.axes[0].get_lines())


def test_term_evolution_shows_a_word_entering_as_a_staircase():
    from topics.plots import plot_term_evolution

    terms = pd.DataFrame(
        {"topic": [0] * 6, "period": ["2021", "2021", "2022", "2022", "2023", "2023"],
         "rank": [1, 2, 1, 2, 1, 2],
         "term": ["transit", "logistics", "transit", "corridor", "corridor", "gateway"],
         "weight": [0.3, 0.2, 0.25, 0.2, 0.3, 0.2]}
    )  # fmt: skip
    figure = plot_term_evolution(terms, 0, label="Connectivity")
    axes = figure.axes[0]
    rows = [t.get_text() for t in axes.get_yticklabels()]
    assert rows == ["transit", "logistics", "corridor", "gateway"]
    grid = axes.get_images()[0].get_array()
    assert grid.mask[3, 0]
    assert not grid.mask[3, 2]
    assert axes.get_title(loc="left") == "Connectivity"


def test_theme_health_is_share_of_seed_terms_found():
    from topics.plots import plot_theme_health

    health = pd.DataFrame(
        {"theme": ["s", "s", "s", "u"], "term": ["a", "b", "a", "c"],
         "period": ["2021", "2021", "2022", "2021"], "count": [2, 1, 3, 0]}
    )  # fmt: skip
    figure = plot_theme_health(health)
    grid = figure.axes[0].get_images()[0].get_array()
    assert grid.tolist() == [[1.0, 0.5], [0.0, 0.0]]
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == [
        "s (2 terms)",
        "u (1 terms)",
    ]


def test_prevalence_by_group_has_a_panel_per_theme_and_one_legend():
    from topics.plots import plot_prevalence_by_group

    frame = pd.concat([_trends().assign(group="Kazakhstan"), _trends().assign(group="EU")])
    figure = plot_prevalence_by_group(
        frame,
        labels={"sanctions": "Sanctions", "ukraine": "Ukraine war"},
        highlight=("2021", "2023"),
    )
    panels = [a for a in figure.axes if a.axison]
    assert [a.get_title(loc="left") for a in panels] == ["Sanctions", "Ukraine war"]
    assert all(len(a.get_lines()) == 2 for a in panels)  # one line per group
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["Kazakhstan", "EU"]


def test_theme_evolution_small_multiples_one_panel_per_theme():
    from topics.plots import plot_theme_evolution

    terms = pd.DataFrame(
        {"topic": ["a", "a", "b", "b"], "period": ["2000–2004", "2005–2009"] * 2,
         "rank": [1, 1, 1, 1], "term": ["x", "y", "z", "z"], "weight": [0.2, 0.3, 0.4, 0.5]}
    )  # fmt: skip
    figure = plot_theme_evolution(terms, ["a", "b"], labels={"a": "Alpha"})
    titles = [a.get_title(loc="left") for a in figure.axes if a.get_images()]
    assert titles == ["Alpha", "topic b"]


def test_prevalence_panels_give_each_theme_its_own_scale_and_colour():
    from topics.plots import plot_prevalence_panels

    changes = pd.DataFrame(
        {
            "theme": ["sanctions"],
            "date": [pd.Period("2022", "Y")],
            "shift": [0.1],
            "p_adj": [0.01],
        }
    )
    figure = plot_prevalence_panels(_trends(), changes, labels={"sanctions": "Sanctions"})
    panels = [a for a in figure.axes if a.axison]
    assert [a.get_title(loc="left") for a in panels] == ["Sanctions", "ukraine"]
    colours = [a.get_lines()[0].get_color() for a in panels]
    assert colours[0] != colours[1]
    assert panels[0].get_ylim()[1] > 0.12  # sanctions panel reaches its own peak
    assert panels[1].get_ylim()[1] < 0.1  # ukraine panel is not stretched to it
