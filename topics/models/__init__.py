"""Topic models with one scikit-learn estimator interface, registered by family name.

:data:`MODELS` maps ``"lda"`` and ``"nmf"`` to their classes; a new family is one file whose
class carries ``@register_model("name")``. :mod:`.representation` ranks a topic's words.
"""

from __future__ import annotations

from ._base import MODELS, ParameterError, TopicModel, load_model, register_model
from .info import topic_info, topic_labels
from .lda import LDA, LDA_BACKENDS
from .nmf import NMF
from .pipeline import TopicPipeline, topic_pipeline

__all__ = [
    "LDA",
    "LDA_BACKENDS",
    "MODELS",
    "NMF",
    "ParameterError",
    "TopicModel",
    "TopicPipeline",
    "load_model",
    "register_model",
    "topic_info",
    "topic_labels",
    "topic_pipeline",
]
