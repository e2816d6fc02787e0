"""Figures: each function takes tidy frames (and an optional ``ax``) and returns the figure.

Plot functions never save; :func:`save_figure` writes SVG and PNG deterministically (fixed
style, no dates or software stamps in metadata, SVG ids numbered in document order), with a
JSON manifest beside them, so rerunning the same analysis changes no byte on any machine.

Every figure is drawn at print size: ``size="one_column"`` (3.5 in) or ``"two_column"``
(7.2 in, the default) or ``(width, height)``, with no text under 8 pt; titles and captions come
from parameters; period axes thin and shorten their labels so they never run together; series
differ in colour, marker and line style (:func:`series_styles`, twelve distinct), and trend
figures switch to small multiples past six themes. :func:`layout_problems` lists overlapping
or clipped text (the tests run it on every function). :func:`write_explorer` writes one
self-contained, offline HTML file to explore an analysis interactively.

* :mod:`.trends`, :mod:`.panels` — prevalence with intervals and changes, overlaid or one panel
  a theme; :mod:`.events` — event studies; :mod:`.heatmaps` — themes × periods;
* :mod:`.corpus` — documents per period; :mod:`.models` — top terms, choosing K;
  :mod:`.dynamic` — vocabulary over time;
* :mod:`.explorer` — the interactive HTML explorer.
"""

from __future__ import annotations

from ._base import period_labels, renumber_svg_ids, save_figure
from ._layout import layout_problems
from ._style import PALETTE, PRESETS, SERIES_COLOURS, figure_style, series_styles
from .corpus import plot_corpus_timeline
from .dynamic import plot_term_evolution, plot_theme_evolution
from .events import plot_event
from .explorer import write_explorer
from .heatmaps import plot_theme_health, plot_topic_heatmap
from .models import plot_k_selection, plot_top_terms, topic_labels
from .panels import plot_prevalence_by_group, plot_prevalence_panels
from .trends import plot_prevalence

__all__ = [
    "PALETTE",
    "PRESETS",
    "SERIES_COLOURS",
    "figure_style",
    "layout_problems",
    "period_labels",
    "plot_corpus_timeline",
    "plot_event",
    "plot_k_selection",
    "plot_prevalence",
    "plot_prevalence_by_group",
    "plot_prevalence_panels",
    "plot_term_evolution",
    "plot_theme_evolution",
    "plot_theme_health",
    "plot_top_terms",
    "plot_topic_heatmap",
    "renumber_svg_ids",
    "save_figure",
    "series_styles",
    "topic_labels",
    "write_explorer",
]
