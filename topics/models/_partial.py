"""``partial_fit`` for the topic models that support it: fitting in mini-batches.

A model that can be fitted in mini-batches implements three hooks — ``_partial_begin`` (check
settings, start the topics), ``_partial_statistics`` (one batch's statistics under the current
topics) and ``_partial_update`` (apply summed statistics) — with the maths in
:mod:`topics.models._online`. :meth:`PartialFitMixin.partial_fit` is their composition;
:meth:`~PartialFitMixin.batch_statistics` and :meth:`~PartialFitMixin.apply_statistics` expose
the two halves so that batches can be processed on several workers (:mod:`topics.scale`).
"""

from __future__ import annotations

import copy
import hashlib
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ..errors import ConfigError
from ._online import BatchStatistics

__all__ = ["PartialFitMixin"]


class PartialFitMixin:
    """Mini-batch fitting, for models listing it first: ``class NMF(PartialFitMixin, TopicModel)``.

    A model gets ``partial_fit``, ``batch_statistics`` and ``apply_statistics`` by listing this
    mixin and implementing ``_partial_begin``, ``_partial_statistics`` and ``_partial_update``;
    the others (CoocNMF, DMM) have no ``partial_fit`` at all, as scikit-learn expects.
    """

    n_batches_: int
    n_documents_seen_: int
    data_fingerprint_: str
    term_frequency_: npt.NDArray[np.float64]
    _term_totals: npt.NDArray[np.float64]

    if TYPE_CHECKING:  # provided by TopicModel, which a model lists after this mixin

        def _validate(self, X: Any, *, reset: bool) -> sp.csr_matrix: ...

        def _validate_constraints(self) -> None: ...

        def _check_params(self) -> None: ...

    def partial_fit(
        self,
        X: Any,
        y: Any = None,
        *,
        n_documents: int | None = None,
        document_frequency: npt.ArrayLike | None = None,
    ) -> Any:
        """Update the topics with one mini-batch of documents (see :mod:`topics.models._online`).

        Call it once per batch — e.g. per chunk of a corpus too large for memory; the first
        call starts the topics (continuing from a :meth:`fit` when there was one).

        Parameters
        ----------
        X
            A batch: a :class:`~topics.text.DocTermMatrix` or a documents × terms matrix, with
            the same columns every call.
        y
            Ignored (scikit-learn's signature).
        n_documents
            Documents in the whole corpus (first call): scales each batch's evidence (LDA's
            ``D / |S|``) and NMF's forgetting. Default: the documents seen so far.
        document_frequency
            NMF with ``weighting="tfidf"`` (first call): each term's document frequency in the
            whole corpus, for its idf (with ``n_documents``). Default: the first batch's.

        """
        if not hasattr(self, "_term_totals"):  # the first batch (of this process)
            self._validate_constraints()
            self._check_params()
            matrix = self._validate(X, reset=not hasattr(self, "topic_word_"))
            if n_documents is not None and n_documents < 1:
                raise ConfigError(f"n_documents must be 1 or more, got {n_documents}")
            self.n_documents_ = n_documents
            self._partial_begin(matrix, document_frequency)
            self.n_batches_ = getattr(self, "n_batches_", 0)
            self._term_totals = np.zeros(matrix.shape[1])
        else:
            matrix = self._validate(X, reset=False)
        self.apply_statistics(self.batch_statistics(matrix))
        return self

    def batch_statistics(self, X: Any) -> BatchStatistics:
        """Return one batch's statistics under the current topics (they add up over batches).

        With :meth:`apply_statistics`, this splits :meth:`partial_fit` so that several batches
        can be processed at once on different workers and their sum applied in one update.
        """
        self._started("batch_statistics")
        return self._partial_statistics(self._validate(X, reset=False))

    def statistics_view(self) -> Any:
        """Return a copy holding only what :meth:`batch_statistics` reads (sent to workers).

        The update-side state — running sums, normalised topics, term frequencies — stays
        behind, so each update ships about a third of the model (for NMF) to every worker.
        Arrays are shared with ``self``, not copied; the view is for computing statistics only.
        """
        self._started("statistics_view")
        view = copy.copy(self)
        for name in ("topic_word_", "term_frequency_", *self._update_state):
            view.__dict__.pop(name, None)
        return view

    _update_state: ClassVar[tuple[str, ...]] = ()
    """Attributes only :meth:`apply_statistics` needs (left out of :meth:`statistics_view`)."""

    def apply_statistics(self, stats: BatchStatistics) -> Any:
        """Update the topics from batch statistics (one or a sum; see :meth:`batch_statistics`)."""
        self._started("apply_statistics")
        self._term_totals = self._term_totals + stats.totals
        total = self._term_totals.sum()
        self.term_frequency_ = self._term_totals / total if total > 0 else self._term_totals
        seen = getattr(self, "n_documents_seen_", 0) + stats.rows
        self.n_documents_seen_ = seen
        self._partial_update(stats)
        self.n_batches_ += 1
        self.data_fingerprint_ = hashlib.sha256(
            f"{self.data_fingerprint_}:{stats.fingerprint}".encode()
        ).hexdigest()
        return self

    def _started(self, method: str) -> None:
        """Refuse ``method`` before a first :meth:`partial_fit` batch."""
        if not hasattr(self, "_term_totals"):
            raise ConfigError(f"call partial_fit on a first batch before {method}")

    def _partial_begin(self, X: sp.csr_matrix, document_frequency: npt.ArrayLike | None) -> None:
        raise NotImplementedError

    def _partial_statistics(self, X: sp.csr_matrix) -> BatchStatistics:
        raise NotImplementedError

    def _partial_update(self, stats: BatchStatistics) -> None:
        raise NotImplementedError
