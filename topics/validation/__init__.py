"""Validating a theme measure against human coding of a stratified sample of documents.

* :mod:`.scores` — :func:`theme_scores`: precision, recall, specificity and prevalence
  weighted back to the corpus, with Wilson and stratified-bootstrap intervals;
  :func:`score_draws` gives their draws, and :func:`wilson_interval` the binomial interval;
* :mod:`.correction` — :func:`corrected_prevalence`: the Rogan–Gladen correction of each
  period's measured share, with the validation's uncertainty and the period's;
* :mod:`.intercoder` — :func:`agreement`: two coders' Cohen's κ and Krippendorff's α, and the
  documents they disagree on;
* :mod:`.sheets` — :func:`coding_sheet`: a stratified sample of each theme's measured hits and
  misses to code by hand, read back with its design by :func:`read_sheet`; :func:`gold_codes`
  codes every document from labels the corpus already has;
* :mod:`.results` — the front doors: :func:`validate_sample`, :func:`validate_scores`,
  :func:`validate_gold` give a :class:`Validation` (saved whole), and :func:`corrected_trends`
  the corrected share of documents about each theme per period.
"""

from __future__ import annotations

from .correction import MIN_INFORMEDNESS, corrected_prevalence
from .intercoder import AGREEMENT_COLUMNS, agreement
from .results import (
    Validation,
    corrected_series,
    corrected_trends,
    validate_gold,
    validate_sample,
    validate_scores,
)
from .scores import SCORE_COLUMNS, ScoreDraws, score_draws, theme_scores, wilson_interval
from .sheets import SHEET_COLUMNS, CodingSheet, coding_sheet, gold_codes, read_sheet

__all__ = [
    "AGREEMENT_COLUMNS",
    "MIN_INFORMEDNESS",
    "SCORE_COLUMNS",
    "SHEET_COLUMNS",
    "CodingSheet",
    "ScoreDraws",
    "Validation",
    "agreement",
    "coding_sheet",
    "corrected_prevalence",
    "corrected_series",
    "corrected_trends",
    "gold_codes",
    "read_sheet",
    "score_draws",
    "theme_scores",
    "validate_gold",
    "validate_sample",
    "validate_scores",
    "wilson_interval",
]
