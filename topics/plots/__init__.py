"""Figures: each function takes tidy frames (and an optional ``ax``) and returns the figure.

Plot functions never save; :func:`save_figure` writes SVG and PNG deterministically (fixed SVG
hash salt, no dates or software stamps in metadata, a fixed style), with a JSON manifest beside
them, so rerunning the same analysis changes no byte. Colours come from the Okabe–Ito palette
(:data:`PALETTE`), which stays distinguishable with the common colour-vision deficiencies.
"""

from __future__ import annotations

from ._base import PALETTE, figure_style, save_figure
from .corpus import plot_corpus_timeline
from .dynamic import plot_term_evolution, plot_theme_evolution
from .models import plot_k_selection, plot_top_terms, plot_topic_heatmap
from .trends import (
    plot_prevalence,
    plot_prevalence_by_group,
    plot_prevalence_panels,
    plot_theme_health,
)

__all__ = [
    "PALETTE",
    "figure_style",
    "plot_corpus_timeline",
    "plot_k_selection",
    "plot_prevalence",
    "plot_prevalence_by_group",
    "plot_prevalence_panels",
    "plot_term_evolution",
    "plot_theme_evolution",
    "plot_theme_health",
    "plot_top_terms",
    "plot_topic_heatmap",
    "save_figure",
]
