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
    # every quarter from the first to the last, the empty ones too; the year below Q1
    assert labels == ["Q4\n2021", "Q1\n2022", "Q2", "Q3", "Q4", "Q1\n2023", "Q2"]
    assert figure.get_suptitle() == "Documents per period, by date precision"


def test_save_figure_is_byte_identical_and_has_manifest(tmp_path, seeds):
    counts = documents_per_period(seeds, "quarter")
    first = save_figure(plot_corpus_timeline(counts), tmp_path / "a" / "t", random_state=3)
    second = save_figure(plot_corpus_timeline(counts), tmp_path / "b" / "t", random_state=3)
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()
    svg = first[0].read_text()
    assert "<dc:date>" not in svg
    manifest = json.loads((tmp_path / "a" / "t.manifest.json").read_text())
    assert manifest["random_state"] == 3
    assert manifest["files"] == ["t.svg", "t.png"]
    with pytest.warns(DeprecationWarning, match="seed is now called random_state"):
        old = save_figure(plot_corpus_timeline(counts), tmp_path / "c" / "t", seed=3)
    assert old[1].read_bytes() == first[1].read_bytes()
    assert json.loads((tmp_path / "c" / "t.manifest.json").read_text())["random_state"] == 3


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
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend[:2] == ["Sanctions", "Ukraine war"]
    assert "few documents" in legend
    ticks = [t.get_text() for t in axes.get_xticklabels()]
    assert ticks == ["2018", "2019", "2020", "2021", "2022", "2023"]
    # one upward triangle at 2022 (x = 4) sitting on the interval's upper end
    triangles = [
        c for c in axes.collections if len(c.get_offsets()) == 1 and list(c.get_sizes()) == [36]
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
        t.get_text() for t in figure.legends[0].get_texts()
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
    # the colour bar stands beside the grid, so the period axis' label is not read as its title
    renderer = figure.canvas.get_renderer() if hasattr(figure.canvas, "get_renderer") else None
    if renderer is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    bar = figure.axes[1]
    grid = axes.get_window_extent(renderer)
    assert bar.get_window_extent(renderer).x0 >= grid.x1
    period_label = axes.xaxis.label.get_window_extent(renderer)
    assert not period_label.overlaps(bar.get_tightbbox(renderer))


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
    titles = [[t.get_text() for t in a.texts if t.get_gid() == "panel-title"] for a in visible]
    assert titles == [["Sanctions"], ["1: c, d"], ["2: e"]]  # overridden, else top words
    labels = {t.get_text(): t.get_position()[1] for t in visible[0].get_yticklabels()}
    assert labels["a"] > labels["b"]  # the larger weight on top


def test_k_selection_has_one_panel_per_criterion_and_marks_k():
    from topics.plots import plot_k_selection

    summary = pd.DataFrame(
        {"config": ["nmf"] * 3, "n_topics": [5, 10, 15], "npmi": [0.1, 0.15, 0.12],
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
    assert figure.get_suptitle() == "Connectivity"


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
    # one line per group (markers are drawn separately, without a line)
    assert all(
        len([line for line in a.get_lines() if line.get_linestyle() != "None"]) == 2 for a in panels
    )
    assert len(figure.legends) == 1
    keys = [t.get_text() for t in figure.legends[0].get_texts()]
    assert keys == ["Kazakhstan", "EU", "95% interval", "few documents"]


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


# --- paper-ready figures: palette, layout switch, marks, ticks, labels, captions ----------


def test_twelve_series_are_distinct_in_colour_and_marker():
    from topics.plots import series_styles

    styles = list(series_styles(range(12)).values())
    assert len({s.colour for s in styles}) == 12
    assert len({s.marker for s in styles}) == 12
    thirteen = list(series_styles(range(13)).values())
    assert len({(s.colour, s.marker, s.linestyle) for s in thirteen}) == 13
    # ▲ ▼ ◀ ▶ mark changes: no series may look like a chain of them, here or in the explorer
    assert not {s.marker for s in thirteen} & {"^", "v", "<", ">"}
    from topics.plots._explorer_data import _SYMBOLS

    assert {s.marker for s in thirteen} <= set(_SYMBOLS)
    assert not any("triangle" in name for name in _SYMBOLS.values())


def test_ten_themes_get_small_multiples_and_never_share_a_colour():
    import plot_frames as F

    from topics.plots import plot_prevalence

    figure = plot_prevalence(F.trends("month"), labels=F.LABELS)
    panels = [a for a in figure.axes if a.axison]
    assert len(panels) == 10
    colours = [a.get_lines()[0].get_color() for a in panels]
    assert len(set(colours)) == 10
    titles = [a.get_title(loc="left") for a in panels]
    assert titles[1] == "Ukraine war"


def test_a_dominant_theme_does_not_flatten_the_others():
    import plot_frames as F

    from topics.plots import plot_prevalence

    trends = F.trends("year", F.THEMES[:3])  # sanctions about 25 times the smallest
    figure = plot_prevalence(trends)
    panels = [a for a in figure.axes if a.axison]
    assert len(panels) == 3
    assert panels[1].get_ylim()[1] < 0.1 * panels[0].get_ylim()[1]
    overlay = plot_prevalence(trends, layout="overlay")
    assert len([a for a in overlay.axes if a.axison]) == 1
    similar = F.trends("year", F.THEMES[1:4])
    assert len([a for a in plot_prevalence(similar).axes if a.axison]) == 1


def test_partial_and_thin_periods_are_marked_in_the_plot():
    import plot_frames as F

    from topics.plots import plot_prevalence

    trends = F.trends("quarter", F.THEMES[1:3])
    figure = plot_prevalence(trends, layout="overlay")
    axes = figure.axes[0]
    hatched = [p for p in axes.patches if p.get_hatch()]
    assert len(hatched) == 1  # the partial last quarter
    x0 = hatched[0].get_x()
    assert x0 == pytest.approx(17 - 0.5)
    # visible: a mid-grey hatch (luminance under 0.6), not a whisper of #c4c4c4
    from matplotlib.colors import to_rgb

    red, green, blue = to_rgb(hatched[0].get_edgecolor())
    assert 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.6
    assert hatched[0].get_hatch_linewidth() >= 0.8
    hollow = [
        line
        for line in axes.get_lines()
        if line.get_linestyle() == "None" and line.get_markerfacecolor() == "white"
    ]
    assert sorted({x for line in hollow for x in line.get_xdata()}) == [0, 1]  # few units
    keys = [t.get_text() for t in figure.legends[0].get_texts()]
    assert {"partial period", "few documents", "95% interval"} <= set(keys)


def test_weekly_and_monthly_ticks_are_short_and_calendar_aligned():
    import plot_frames as F

    from topics.plots import plot_corpus_timeline, plot_prevalence

    weekly = plot_prevalence(F.trends("week", ["ukraine"]), size="one_column")
    weekly.draw_without_rendering()
    ticks = [t.get_text() for t in weekly.axes[0].get_xticklabels()]
    assert ticks
    assert all("/" not in t and len(t.split("\n")[0]) <= 6 for t in ticks)
    monthly = plot_corpus_timeline(F.counts("month"), size="two_column")
    monthly.draw_without_rendering()
    ticks = [t.get_text() for t in monthly.axes[0].get_xticklabels()]
    assert ticks[:3] == ["Jan\n2018", "Feb", "Mar"]
    assert ticks[-1] == "not placed"


def test_tick_labels_thin_out_on_a_narrow_axis():
    import plot_frames as F

    from topics.plots import plot_corpus_timeline

    narrow = plot_corpus_timeline(F.counts("quarter"), size="one_column")
    wide = plot_corpus_timeline(F.counts("quarter"), size=(14.0, 3.0))
    for figure in (narrow, wide):
        figure.draw_without_rendering()
    shown = [len(f.axes[0].get_xticklabels()) for f in (narrow, wide)]
    assert shown[0] < shown[1] == 19  # 18 quarters and "not placed"


def test_top_terms_bars_are_sorted_by_the_weight_drawn():
    import plot_frames as F

    from topics.plots import plot_top_terms, topic_labels

    terms = F.top_terms(k=2, n=6)
    figure = plot_top_terms(terms, n=6)
    for axes in [a for a in figure.axes if a.axison]:
        bars = sorted(axes.patches, key=lambda b: -b.get_y())  # top bar first
        widths = [b.get_width() for b in bars]
        assert widths == sorted(widths, reverse=True)
    names = topic_labels(terms, n_words=2, labels={1: "Nuclear"})
    first = terms[(terms["topic"] == 0) & (terms["rank"] <= 2)]["term"].tolist()
    assert names == {0: f"0: {first[0]}, {first[1]}", 1: "Nuclear"}


def test_caption_and_long_title_wrap_inside_the_figure():
    import plot_frames as F

    from topics.plots import layout_problems, plot_prevalence

    caption = "Bands are 95% intervals over articles; hollow points mark thin periods. " * 3
    figure = plot_prevalence(
        F.trends("year", F.THEMES[1:3]),
        title="A rather long title that will not fit on one line of a one-column figure",
        caption=caption,
        size="one_column",
    )
    texts = [t.get_text() for sub in figure.subfigs for t in sub.texts]
    assert any(t.startswith("Bands are 95%") and "\n" in t for t in texts)
    assert layout_problems(figure) == []
    from matplotlib.figure import Figure

    axes = Figure().add_subplot()
    with pytest.raises(topics.InputError, match="caption"):
        plot_prevalence(F.trends("year", ["ukraine"]), ax=axes, caption="x")


def test_svg_ids_do_not_depend_on_floating_point_noise(tmp_path):
    from matplotlib.figure import Figure

    def draw(nudge: float) -> Figure:
        figure = Figure(figsize=(3, 2))
        axes = figure.add_axes((0.1 + nudge, 0.1, 0.8, 0.8))  # a clip path hashed from floats
        axes.plot([0, 1], [0, 1], marker="o")
        return figure

    one = save_figure(draw(0.0), tmp_path / "one")[0].read_bytes()
    two = save_figure(draw(1e-15), tmp_path / "two")[0].read_bytes()
    assert one == two
    import io

    raw = [io.BytesIO(), io.BytesIO()]
    draw(0.0).savefig(raw[0], format="svg", metadata={"Date": None})
    draw(1e-15).savefig(raw[1], format="svg", metadata={"Date": None})
    assert raw[0].getvalue() != raw[1].getvalue()  # matplotlib's own ids move
    assert b'clip-path="url(#pid' in one
