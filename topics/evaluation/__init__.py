"""How good are the topics? Coherence (= gensim, fast), diversity, exclusivity, stability, sweeps.

* :mod:`.coherence` — :class:`ReferenceCorpus`: C_NPMI, C_UCI, U_Mass, C_V from one index;
* :mod:`.metrics` — diversity, FREX / exclusivity, Greene et al.'s stability;
* :mod:`.selection` — :func:`sweep`: every K × seed × configuration, with a documented rule for
  choosing K;
* :mod:`.datasets` — the benchmark corpora (OCTIS BBC / M10 / DBLP, UN speeches) from
  ``../shared``, as matrices, and the parallel Ukrainian/English addresses as a corpus.
"""

from __future__ import annotations

from .coherence import ReferenceCorpus
from .metrics import (
    agreement,
    average_jaccard,
    exclusivity,
    frex,
    stability,
    top_word_lists,
    topic_diversity,
)
from .selection import ModelSpec, SweepResult, parse_k_range, recommend_k, sweep

__all__ = [
    "ModelSpec",
    "ReferenceCorpus",
    "SweepResult",
    "agreement",
    "average_jaccard",
    "exclusivity",
    "frex",
    "parse_k_range",
    "recommend_k",
    "stability",
    "sweep",
    "top_word_lists",
    "topic_diversity",
]
