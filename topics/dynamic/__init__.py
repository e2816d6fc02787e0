"""Dynamic topics: how the words of a topic or a theme change from period to period.

One output shape — tidy ``topic, period, rank, term, weight`` — from four methods:

* :func:`topic_evolution` (:mod:`.evolution`) — a fitted global model's topics per period;
* :class:`DynamicNMF` (:mod:`.dnmf`) — Greene & Cross's window NMF linked into dynamic topics;
* :func:`theme_terms` (:mod:`.themes`) — a codebook theme's context words per period;
* :func:`ldaseq_topic_terms` (:mod:`.ldaseq`) — the classic DTM (slow; a reference).

:func:`align_windows` (:mod:`.align`) reports births, deaths, splits and merges between windows;
:func:`term_turnover` how much each topic's words change.
"""

from __future__ import annotations

from .align import align_windows
from .dnmf import DynamicNMF
from .evolution import term_turnover, topic_evolution
from .ldaseq import ldaseq_topic_terms
from .themes import theme_terms

__all__ = [
    "DynamicNMF",
    "align_windows",
    "ldaseq_topic_terms",
    "term_turnover",
    "theme_terms",
    "topic_evolution",
]
