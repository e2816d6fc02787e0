"""Trends: theme prevalence per period, calibrated changes, and what moves in a period.

* :mod:`.prevalence` — shares per period with Bayesian-bootstrap intervals over units;
* :mod:`.changes` — steps and episodes, family-wise calibrated by permutation, each dated with
  a location interval;
* :mod:`.events` — event studies: each theme before vs after a known date, with placebo dates
  and a pre-trend check;
* :mod:`.over_time` — a fitted model's topics over time (the same intervals and test);
* :mod:`.terms` — emerging themes and terms, representative documents.
"""

from __future__ import annotations

from ._units import Weighting, period_axis
from .aggregate import TREND_COLUMNS, prevalence, table_prevalence
from .changes import CHANGE_COLUMNS, ChangeResult, ChangeSettings, detect_changes, table_changes
from .events import EVENT_COLUMNS, EventResult, event_study, table_event
from .over_time import TopicTrends, topics_over_time
from .terms import emerging, emerging_terms, representative_documents

__all__ = [
    "CHANGE_COLUMNS",
    "EVENT_COLUMNS",
    "TREND_COLUMNS",
    "ChangeResult",
    "ChangeSettings",
    "EventResult",
    "TopicTrends",
    "Weighting",
    "detect_changes",
    "emerging",
    "emerging_terms",
    "event_study",
    "period_axis",
    "prevalence",
    "representative_documents",
    "table_changes",
    "table_event",
    "table_prevalence",
    "topics_over_time",
]
