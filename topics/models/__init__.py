"""Topic models with one scikit-learn estimator interface, registered by family name.

:data:`MODELS` maps ``"lda"``, ``"nmf"``, and for short texts ``"cooc"`` and ``"dmm"``, to
their classes; a new family is one file whose class carries ``@register_model("name")``.
:mod:`.representation` ranks a topic's words; :func:`choose_family` picks ``cooc`` or ``nmf`` by
document length (``topics fit``'s default, ``--model auto``).

* :mod:`.nmf`, :mod:`.lda`, :mod:`.cooc` (NMF of word co-occurrences, short texts),
  :mod:`.dmm` (one topic per short text) — the families;
* :mod:`.choice` — :func:`choose_family`; :mod:`.info` — one row per topic, labels;
* :mod:`.pipeline` — :func:`topic_pipeline`: raw texts → topics in one scikit-learn pipeline;
* :mod:`.representation` — relevance and FREX rankings of a topic's words.
"""

from __future__ import annotations

from ._base import MODELS, ParameterError, TopicModel, load_model, register_model
from .choice import FamilyChoice, choose_family
from .cooc import CoocNMF
from .dmm import DMM
from .info import topic_info, topic_labels
from .lda import LDA, LDA_BACKENDS
from .nmf import NMF
from .pipeline import TopicPipeline, topic_pipeline

__all__ = [
    "DMM",
    "LDA",
    "LDA_BACKENDS",
    "MODELS",
    "NMF",
    "CoocNMF",
    "FamilyChoice",
    "ParameterError",
    "TopicModel",
    "TopicPipeline",
    "choose_family",
    "load_model",
    "register_model",
    "topic_info",
    "topic_labels",
    "topic_pipeline",
]
