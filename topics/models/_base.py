"""What every topic model shares: input handling, tidy top terms, and .npz + JSON persistence."""

from __future__ import annotations

import hashlib
import os
import re
import textwrap
from numbers import Integral, Real
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.validation import check_is_fitted, check_non_negative, validate_data

from .. import defaults
from ..errors import ConfigError
from ..limits import SEED_MAX, check_memory
from ..registry import Registry
from ..text.vectorizer import DocTermMatrix
from ..tidy import long_frame
from .representation import RANKINGS, frex, relevance, tidy_terms

__all__ = [
    "MODELS",
    "ParameterError",
    "TopicModel",
    "load_model",
    "matrix_fingerprint",
    "register_model",
]

#: Model families by name (``"lda"``, ``"nmf"``, …): the one place a family name becomes a class.
MODELS: Registry[type[TopicModel]] = Registry("model family")
#: Parameter constraints every topic model shares (scikit-learn's declarative validation); a
#: model's own ``_parameter_constraints`` start with ``**COMMON_CONSTRAINTS``.
COMMON_CONSTRAINTS: dict[str, list[Any]] = {
    "n_topics": [Interval(Integral, 1, None, closed="left")],
    "random_state": [Interval(Integral, 0, SEED_MAX, closed="both"), None],
    "ranking": [StrOptions(set(RANKINGS))],
    "relevance_lambda": [Interval(Real, 0, 1, closed="both")],
    "progress": ["boolean", None],
}
#: Descriptions of parameters that several models share: a line ``{name}`` in a model's
#: docstring becomes ``PARAMETER_DOCS[name]``, indented as that line, when the class is defined.
PARAMETER_DOCS: dict[str, str] = {
    "ranking": """ranking, relevance_lambda
    How :meth:`top_terms` ranks words in a topic: ``"relevance"`` (default, with weight
    ``relevance_lambda`` = 0.8 on probability, which keeps corpus-wide frequent words from
    crowding every topic's list), ``"probability"`` or ``"frex"``; the fit is unaffected.""",
    "progress": """progress
    Show the fit's progress: ``True``, ``False``, or ``None`` — on a terminal only.""",
}
_DOC_PLACEHOLDER = re.compile(r"^( *)\{(\w+)\}$", re.MULTILINE)


class ParameterError(ConfigError, InvalidParameterError):  # type: ignore[misc]
    """A model parameter outside its declared constraints.

    A :class:`~topics.errors.ConfigError` for our callers, and scikit-learn's
    ``InvalidParameterError`` for its estimator checks.
    """


def register_model(name: str) -> Any:
    """Class decorator: register a :class:`TopicModel` in :data:`MODELS` as family ``name``."""

    def decorate(cls: type[TopicModel]) -> type[TopicModel]:
        cls.family = name
        return MODELS.register(name)(cls)

    return decorate


def matrix_fingerprint(matrix: sp.spmatrix | npt.NDArray[Any]) -> str:
    """SHA-256 over a matrix's shape and non-zero structure and values."""
    csr = sp.csr_matrix(matrix)
    digest = hashlib.sha256(np.asarray(csr.shape, dtype=np.int64).tobytes())
    for part in (
        csr.indptr.astype(np.int64),
        csr.indices.astype(np.int64),
        csr.data.astype(np.float64),
    ):
        digest.update(np.ascontiguousarray(part).tobytes())
    return digest.hexdigest()


class TopicModel(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Base class: subclasses implement ``_fit(X)`` and ``_transform(X)`` on validated input.

    Fitted attributes shared by all models: ``topic_word_`` (K × V, rows sum to 1),
    ``vocabulary_`` (terms in column order), ``n_features_in_``, ``data_fingerprint_``.
    """

    #: Fitted arrays saved in ``model.npz`` beside ``topic_word``, with their shapes in topics
    #: (``K``) and terms (``V``): what :func:`load_model` checks a file against.
    _array_shapes: ClassVar[dict[str, tuple[str, ...]]] = {}
    _json_attributes: ClassVar[tuple[str, ...]] = ()
    _estimator_type = "transformer"

    #: Registered family name (set by :data:`MODELS`' ``register``).
    family: ClassVar[str] = ""
    #: scikit-learn-style parameter constraints, checked once per fit (see ``_check_params``).
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__doc__:  # fill in the shared parameter descriptions (see PARAMETER_DOCS)
            cls.__doc__ = _DOC_PLACEHOLDER.sub(
                lambda m: textwrap.indent(PARAMETER_DOCS[m[2]], m[1]), cls.__doc__
            )

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.positive_only = True
        return tags

    # -- input ----------------------------------------------------------------------------
    def _validate(self, X: Any, *, reset: bool) -> sp.csr_matrix:
        vocabulary: tuple[str, ...] | None = None
        if isinstance(X, DocTermMatrix):
            vocabulary = X.vocabulary
            X = X.counts
        checked = validate_data(
            self, X, accept_sparse="csr", dtype=[np.float64, np.float32], reset=reset
        )
        check_non_negative(checked, f"{type(self).__name__}")
        matrix = sp.csr_matrix(checked, dtype=np.float64)
        if reset:
            named = getattr(self, "feature_names_in_", None)  # a DataFrame's columns
            vocabulary = vocabulary or (tuple(map(str, named)) if named is not None else None)
            self.vocabulary_ = vocabulary or tuple(f"w{i}" for i in range(matrix.shape[1]))
            self.data_fingerprint_ = matrix_fingerprint(matrix)
            totals = np.asarray(matrix.sum(axis=0), dtype=np.float64).ravel()
            self.term_frequency_ = totals / totals.sum() if totals.sum() > 0 else totals
        elif vocabulary is not None and vocabulary != self.vocabulary_:
            raise ConfigError(
                "the DocTermMatrix has a different vocabulary from the one the model was fit "
                "on; transform new texts with the same Vectorizer"
            )
        return matrix

    def fit(self, X: Any, y: Any = None, *, feature_names: Any = None) -> TopicModel:
        """Fit the model to a document–term matrix.

        ``X`` is a :class:`~topics.text.DocTermMatrix` (its vocabulary names the terms), an
        array or sparse matrix — e.g. from scikit-learn's ``CountVectorizer``, with
        ``feature_names=vectorizer.get_feature_names_out()`` — or a DataFrame (its columns
        name the terms). Without names, terms are called ``w0``, ``w1`` …; see also
        :func:`topics.models.topic_pipeline` and :meth:`set_feature_names`.
        """
        self._fit_checked(X, feature_names)
        return self

    def set_feature_names(self, names: Any) -> TopicModel:
        """Name the terms of a fitted model (one name per column it was fitted on)."""
        check_is_fitted(self, "topic_word_")
        terms = tuple(str(n) for n in names)
        if len(terms) != self.topic_word_.shape[1]:
            raise ConfigError(
                f"got {len(terms)} feature names for {self.topic_word_.shape[1]} terms; give "
                "the names of the columns the model was fitted on"
            )
        self.vocabulary_ = terms
        return self

    def fit_transform(
        self, X: Any, y: Any = None, *, feature_names: Any = None
    ) -> npt.NDArray[np.float64]:
        """Fit the model and return the training documents' topic proportions (rows sum to 1).

        Where the fit itself estimates them (collapsed Gibbs sampling: the final sample's topic
        counts smoothed by ``alpha``), those are returned — no second inference pass, as
        scikit-learn's NMF returns the ``W`` of its fit. They agree closely with
        :meth:`transform` of the same documents but not to the last digit; otherwise this is
        ``fit(X).transform(X)``. ``feature_names`` names the terms, as in :meth:`fit`.
        """
        matrix, doc_topic = self._fit_checked(X, feature_names)
        return doc_topic if doc_topic is not None else self._transform(matrix)

    def _fit_checked(
        self, X: Any, feature_names: Any = None
    ) -> tuple[sp.csr_matrix, npt.NDArray[np.float64] | None]:
        self._validate_constraints()
        self._check_params()
        matrix = self._validate(X, reset=True)
        if matrix.shape[0] < 1 or matrix.shape[1] < 1:
            raise ValueError(f"need at least one document and one term, got shape {matrix.shape}")
        k = int(getattr(self, "n_topics", 1))
        if k > matrix.shape[0]:
            raise ConfigError(
                f"{k} topics for {matrix.shape[0]} documents (n_samples = {matrix.shape[0]}): a "
                "topic model needs at least as many documents as topics; ask for fewer topics "
                "(--k on the command line) or give it more documents"
            )
        n_docs, n_terms = matrix.shape
        check_memory(
            8.0 * 4 * k * (n_docs + n_terms), f"{k} topics of {n_terms:,} terms over {n_docs:,} "
            "documents", name="n_topics", value=k, per_unit=32.0 * (n_docs + n_terms),
        )  # fmt: skip
        doc_topic = self._fit(matrix)
        if feature_names is not None:
            self.set_feature_names(feature_names)
        return matrix, doc_topic

    def transform(self, X: Any) -> npt.NDArray[np.float64]:
        """Return document–topic proportions (rows sum to 1) for documents ``X``."""
        check_is_fitted(self, "topic_word_")
        return self._transform(self._validate(X, reset=False))

    def _validate_constraints(self) -> None:
        """Check every parameter against ``_parameter_constraints`` (declared once per class).

        scikit-learn's validator does the checking; its error becomes one
        :class:`~topics.errors.ConfigError` so that the command line prints one line.
        """
        try:
            validate_parameter_constraints(
                self._parameter_constraints, self.get_params(deep=False), type(self).__name__
            )
        except InvalidParameterError as exc:
            raise ParameterError(str(exc)) from None

    def _check_params(self) -> None:
        """Check parameters that constrain each other (nothing by default)."""

    @classmethod
    def backend_params(cls, backend: str | None) -> dict[str, Any]:
        """Parameters that a command-line ``--backend NAME`` means for this family."""
        if backend is not None:
            raise ConfigError(f"--backend does not apply to {cls.family or cls.__name__}")
        return {}

    def depends_on_seed(self, shape: tuple[int, int] | None = None) -> bool:
        """Whether a fit on data of ``shape`` changes with ``random_state``.

        Stability across seeds measures something only for such models; for the others a sweep
        measures stability across document resamples instead.
        """
        return True

    def _fit(self, X: sp.csr_matrix) -> npt.NDArray[np.float64] | None:
        """Fit on validated input; return the fit's own document–topic estimate, if it has one."""
        raise NotImplementedError

    def _transform(self, X: sp.csr_matrix) -> npt.NDArray[np.float64]:
        raise NotImplementedError

    # -- tidy output ----------------------------------------------------------------------
    def term_scores(self, ranking: str | None = None) -> npt.NDArray[np.float64]:
        """Return the K × V scores that rank terms within topics (see :meth:`top_terms`)."""
        check_is_fitted(self, "topic_word_")
        ranking = ranking or getattr(self, "ranking", "relevance")
        if ranking == "probability":
            return np.asarray(self.topic_word_, dtype=np.float64)
        if ranking == "relevance":
            lam = getattr(self, "relevance_lambda", defaults.RELEVANCE_LAMBDA)
            return relevance(self.topic_word_, self.term_frequency_, lam)
        if ranking == "frex":
            return frex(self.topic_word_, 0.5)
        raise ConfigError(f"ranking must be 'probability', 'relevance' or 'frex', got {ranking!r}")

    def top_terms(self, n: int = 10, ranking: str | None = None) -> pd.DataFrame:
        """Return the top ``n`` terms of each topic: ``topic, rank, term, weight`` (rank from 1).

        Parameters
        ----------
        n
            Terms per topic.
        ranking
            How terms are ranked within a topic (default: the model's ``ranking`` parameter):
            ``"probability"`` (``β_kw``), ``"relevance"`` (Sievert & Shirley 2014:
            ``λ log β_kw + (1 − λ) log(β_kw / p_w)`` with ``p_w`` the term's share of the
            training tokens and ``λ = relevance_lambda``), or ``"frex"`` (stm's FREX, w = 0.5).
            ``weight`` is always ``β_kw``.

        """
        check_is_fitted(self, "topic_word_")
        if n < 1:
            raise ConfigError(f"n must be ≥ 1, got {n}")
        return tidy_terms(self.term_scores(ranking), self.topic_word_, self.vocabulary_, n)

    def doc_topics(self, X: Any, doc_ids: Any = None) -> pd.DataFrame:
        """Return tidy document–topic shares ``doc_id, topic, share`` for documents ``X``."""
        theta = self.transform(X)
        if doc_ids is None:
            doc_ids = (
                X.doc_ids if isinstance(X, DocTermMatrix) else [str(i) for i in range(len(theta))]
            )
        return long_frame(
            theta, list(doc_ids), list(range(theta.shape[1])), names=("doc_id", "topic", "share")
        )

    # -- persistence ----------------------------------------------------------------------
    def _json_params(self) -> dict[str, Any]:
        """Parameters for ``model.json``: all but arrays (those are stored in the ``.npz``)."""
        params = self.get_params(deep=False).items()
        return {key: value for key, value in params if not isinstance(value, np.ndarray)}

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Save to ``directory/model.npz`` + ``directory/model.json`` (no pickle)."""
        from ._persist import save_model

        return save_model(self, directory)


def load_model(directory: str | os.PathLike[str]) -> TopicModel:
    """Load a model saved with :meth:`TopicModel.save`, checking every field it reads.

    See :func:`topics.models._persist.load_model`: arrays are read with
    ``numpy.load(allow_pickle=False)``, only those a model of its class has, each within a
    decompressed-size bound, and checked for shape, finiteness and sign; parameters are
    checked against the class's constraints. Any failure is a
    :class:`~topics.errors.PersistenceError` naming the file and the field.
    """
    from ._persist import load_model as load

    return load(directory)
