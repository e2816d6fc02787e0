"""Topic models with one scikit-learn estimator interface."""

from __future__ import annotations

from ._base import TopicModel, load_model
from .lda import LDA, LDA_BACKENDS
from .nmf import NMF

__all__ = ["LDA", "LDA_BACKENDS", "NMF", "TopicModel", "load_model"]
