"""Trends: theme prevalence per period, calibrated changes, and what moves in a period.

* :mod:`.settings` — :class:`TrendSettings` and :class:`ChangeSettings`, each field checked once;
* :mod:`.aggregate` — shares per period with Bayesian-bootstrap intervals over units;
* :mod:`.changes` — steps and episodes, family-wise calibrated by permutation, each dated with
  a location interval;
* :mod:`.events` — event studies: each theme before vs after a known date, with placebo dates
  and a pre-trend check;
* :mod:`.over_time` — a fitted model's topics over time (the same intervals and test);
* :mod:`.terms` — emerging themes and terms, representative documents;
* :mod:`.units` — the unit table (sums per unit and period) behind every interval and test,
  its bootstrap draws; :mod:`.merge` — the tables of chunks merged into the whole corpus's;
* :mod:`.groups`, :mod:`.regression` — trends by group, shares regressed on covariates;
* :mod:`.planted` — planted corpora whose truth is known, for calibration.
"""

from __future__ import annotations

from .aggregate import TREND_COLUMNS, prevalence, table_prevalence
from .changes import CHANGE_COLUMNS, ChangeResult, detect_changes, table_changes
from .events import EVENT_COLUMNS, EventResult, event_study, table_event
from .merge import merge_tables
from .over_time import TopicTrends, topics_over_time
from .settings import ChangeSettings, TrendSettings
from .terms import emerging, emerging_terms, representative_documents
from .units import UnitTable, Weighting, period_axis, unit_draws, unit_table, units_of

__all__ = [
    "CHANGE_COLUMNS",
    "EVENT_COLUMNS",
    "TREND_COLUMNS",
    "ChangeResult",
    "ChangeSettings",
    "EventResult",
    "TopicTrends",
    "TrendSettings",
    "UnitTable",
    "Weighting",
    "detect_changes",
    "emerging",
    "emerging_terms",
    "event_study",
    "merge_tables",
    "period_axis",
    "prevalence",
    "representative_documents",
    "table_changes",
    "table_event",
    "table_prevalence",
    "topics_over_time",
    "unit_draws",
    "unit_table",
    "units_of",
]
