"""Every figure function, at both preset sizes, lays out cleanly on stressful planted data.

`layout_problems` reads every drawn text's extent from matplotlib: no two texts (tick labels,
titles, axis labels, legend entries, annotations, captions) may overlap, none may reach
outside the canvas, none may be under 8 pt. The check itself is shown to fail on bad layouts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import plot_frames as F
import pytest
from matplotlib.figure import Figure

from topics.plots import (
    PRESETS,
    layout_problems,
    plot_corpus_timeline,
    plot_event,
    plot_k_selection,
    plot_prevalence,
    plot_prevalence_by_group,
    plot_prevalence_panels,
    plot_term_evolution,
    plot_theme_evolution,
    plot_theme_health,
    plot_top_terms,
    plot_topic_heatmap,
)

CAPTION = "Lines: mean share per period; bands: 95% Bayesian-bootstrap intervals over articles."
FIGURES: dict[str, Callable[[str], Figure]] = {
    "prevalence, 4 themes, 18 quarters, changes, caption": lambda size: plot_prevalence(
        F.trends("quarter"), F.changes("quarter"), themes=F.THEMES[1:5], labels=F.LABELS,
        title="Share of content per theme", caption=CAPTION, size=size, layout="overlay",
    ),
    "prevalence, 10 themes, 9 months (panels)": lambda size: plot_prevalence(
        F.trends("month"), F.changes("month"), labels=F.LABELS, title="All themes", size=size
    ),
    "prevalence, 30 weeks": lambda size: plot_prevalence(
        F.trends("week"), themes=F.THEMES[1:4], labels=F.LABELS, size=size
    ),
    "prevalence, 25 years, dominant theme": lambda size: plot_prevalence(
        F.trends("year"), themes=F.THEMES[:4], labels=F.LABELS, size=size, layout="overlay"
    ),
    "prevalence panels": lambda size: plot_prevalence_panels(
        F.trends("quarter"), F.changes("quarter"), labels=F.LABELS, highlight=("2019Q1", "2019Q4"),
        title="Share of content per theme, one scale each", caption=CAPTION, size=size,
    ),
    "prevalence by group": lambda size: plot_prevalence_by_group(
        F.by_group("year"), labels=F.LABELS, highlight=("2021", "2023"), title="By group",
        size=size,
    ),
    "theme health": lambda size: plot_theme_health(
        F.health("quarter"), labels=F.LABELS, title="Seed terms found per period", size=size
    ),
    "heatmap, 18 quarters": lambda size: plot_topic_heatmap(
        F.trends("quarter").assign(theme=lambda f: f["theme"].map(F.LABELS)),
        title="Theme share per period", caption=CAPTION, size=size,
    ),
    "heatmap, 9 months": lambda size: plot_topic_heatmap(F.trends("month"), size=size),
    "top terms, 12 topics": lambda size: plot_top_terms(
        F.top_terms(), title="NMF, K = 12: top terms per topic", size=size
    ),
    "k selection": lambda size: plot_k_selection(
        F.sweep(), recommended=20, title="Choosing K", caption=CAPTION, size=size
    ),
    "corpus timeline, 9 months": lambda size: plot_corpus_timeline(F.counts("month"), size=size),
    "corpus timeline, 18 quarters": lambda size: plot_corpus_timeline(
        F.counts("quarter"), caption=CAPTION, size=size
    ),
    "corpus timeline, 30 weeks": lambda size: plot_corpus_timeline(F.counts("week"), size=size),
    "event study, 4 themes, pre-trend, empty period": lambda size: plot_event(
        *F.event(), labels=F.LABELS, title="Before and after the event", caption=CAPTION,
        size=size,
    ),
    "event study, one theme, 12-period window": lambda size: plot_event(
        *F.event(window=12, themes=["connectivity"]), labels=F.LABELS, size=size
    ),
    "term evolution": lambda size: plot_term_evolution(
        F.evolution(), "sanctions", label="Sanctions", size=size
    ),
    "theme evolution": lambda size: plot_theme_evolution(
        F.evolution(), ["sanctions", "ukraine", "connectivity"], labels=F.LABELS,
        title="Theme vocabulary per five-year bin", size=size,
    ),
}  # fmt: skip


@pytest.mark.parametrize("size", sorted(PRESETS))
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_lays_out_cleanly_at_print_size(name, size):
    figure = FIGURES[name](size)
    width = figure.get_figwidth()
    assert width == pytest.approx(PRESETS[size])
    assert figure.get_figheight() < 20
    assert layout_problems(figure) == []


def test_every_public_figure_function_is_checked():
    import topics.plots as plots

    functions = {name for name in plots.__all__ if name.startswith("plot_")}
    text = Path(__file__).read_text(encoding="utf-8")
    assert {f for f in functions if f"{f}(" not in text} == set()


def test_layout_check_fails_on_overlap_overhang_and_small_text():
    figure = Figure(figsize=(3.5, 2.0))
    axes = figure.add_subplot()
    axes.set_xticks(range(20), [f"2021-{m:02d}-label" for m in range(20)])
    axes.set_xlim(-0.5, 19.5)
    problems = layout_problems(figure)
    assert any("overlaps" in p for p in problems)
    figure = Figure(figsize=(3.5, 2.0))
    figure.text(0.95, 0.5, "a title that runs off the right edge")
    figure.text(0.1, 0.1, "tiny", fontsize=6)
    problems = layout_problems(figure)
    assert any("falls outside the canvas" in p for p in problems)
    assert any("6.0 pt" in p for p in problems)


def test_tick_labels_hidden_outside_the_view_are_not_counted():
    figure = Figure(figsize=(3.5, 2.0), layout="constrained")
    axes = figure.add_subplot()
    axes.plot([0, 1], [0, 1])
    axes.set_xticks([-5, 0, 1, 5], ["far left", "0", "1", "far right"])
    axes.set_xlim(-0.1, 1.1)
    assert layout_problems(figure) == []
