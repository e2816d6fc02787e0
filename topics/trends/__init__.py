"""Trends: theme prevalence per period, calibrated changes, and what moves in a period.

* :mod:`.prevalence` — shares per period with Bayesian-bootstrap intervals over units;
* :mod:`.changes` — steps and episodes, family-wise calibrated by permutation;
* :mod:`.over_time` — a fitted model's topics over time (the same intervals and test);
* :mod:`.terms` — emerging themes and terms, representative documents.
"""

from __future__ import annotations

from ._units import Weighting, period_axis
from .aggregate import TREND_COLUMNS, prevalence, table_prevalence
from .changes import CHANGE_COLUMNS, ChangeResult, ChangeSettings, detect_changes, table_changes
from .over_time import TopicTrends, topics_over_time
from .terms import emerging, emerging_terms, representative_documents

__all__ = [
    "CHANGE_COLUMNS",
    "TREND_COLUMNS",
    "ChangeResult",
    "ChangeSettings",
    "TopicTrends",
    "Weighting",
    "detect_changes",
    "emerging",
    "emerging_terms",
    "period_axis",
    "prevalence",
    "representative_documents",
    "table_changes",
    "table_prevalence",
    "topics_over_time",
]
