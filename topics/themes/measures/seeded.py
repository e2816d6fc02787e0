"""Seeded measure: a keyword-seeded topic model whose first topics are the themes.

A theme's seed terms get a strong per-word prior in its topic (LDA) or a guided start (NMF),
so the theme also picks up the words that co-occur with its seeds — for larger corpora. The
fitted model keeps the theme names (``topic_names_``) and each theme topic's probability on its
own seeds (``seed_mass_``); a theme whose seeds are too rare to hold its topic is warned about.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from ... import defaults
from ...corpus.corpus import Corpus
from ...errors import ConfigError, InputError, TopicsWarning
from ...models import LDA, NMF, TopicModel
from ...text.preprocess import PreprocessConfig
from ...text.vectorizer import DocTermMatrix
from ..codebook import Codebook, CompiledCodebook, as_compiled
from .base import MEASURES, MeasureResult, Tokens, matrix_shares

__all__ = ["SEED_MASS_WARNING", "SeededMeasure", "model_theme_shares", "seeded_model"]


def _seed_columns(matrix: DocTermMatrix, book: CompiledCodebook) -> dict[str, list[int]]:
    mapping = book.expand(matrix.vocabulary).tokens
    index = {t: i for i, t in enumerate(matrix.vocabulary)}
    columns = {
        name: sorted({index[t] for t in terms if t in index}) for name, terms in mapping.items()
    }
    empty = [name for name, cols in columns.items() if not cols]
    if empty:
        raise InputError(
            f"themes {empty} have no seed term in the model's vocabulary (the corpus never uses "
            "them): drop these themes from the codebook, or give them terms the corpus uses"
        )
    return columns


def seeded_model(
    matrix: DocTermMatrix,
    codebook: Codebook | CompiledCodebook,
    *,
    n_free: int = defaults.N_FREE,
    seed_weight: float = 1.0,
    base_eta: float = 0.01,
    config: PreprocessConfig | None = None,
    backend: str = "auto",
    random_state: int = defaults.SEED,
    max_iter: int | None = None,
    family: str = "lda",
) -> TopicModel:
    """Fit a keyword-seeded model: topic ``i < len(themes)`` is theme ``i``, then free topics.

    ``family="lda"``: seeding follows keyATM's spirit through per-word priors — a theme's seed
    terms get prior ``seed_weight`` in the theme's topic and ``base_eta`` elsewhere.
    ``family="nmf"``: a guided start puts each theme topic's mass on its seed terms, and
    multiplicative updates keep it there (the theme's topic weighs only its seed terms, with
    weights learnt from the data; free topics take everything else).
    Either way the theme keeps its name and index after fitting; the fitted model has
    ``topic_names_`` and ``seed_mass_`` (each theme topic's probability on its own seed terms; a
    :class:`~topics.errors.TopicsWarning` names themes under 5 %, whose topics drifted away from
    their seeds — typical when the seeds are rare in the corpus).
    """
    if n_free < 0:
        raise ConfigError(f"n_free must be ≥ 0, got {n_free}")
    if seed_weight <= base_eta:
        raise ConfigError("seed_weight must exceed base_eta, or seeding does nothing")
    if family not in ("lda", "nmf"):
        raise ConfigError(f"family must be 'lda' or 'nmf', got {family!r}")
    book = as_compiled(codebook, config)
    columns = _seed_columns(matrix, book)
    names = book.names
    k = len(names) + n_free
    nmf = family == "nmf"
    prior = np.full((k, matrix.shape[1]), 0.0 if nmf else base_eta)
    for i, name in enumerate(names):
        prior[i, columns[name]] = 1.0 if nmf else seed_weight
    model: TopicModel = (
        NMF(k, guide=prior, solver="mu", random_state=random_state, max_iter=max_iter or 400)
        if nmf
        else LDA(k, backend=backend, eta=prior, random_state=random_state, max_iter=max_iter)
    )
    model.fit(matrix)
    model.topic_names_ = [*names, *(f"free_{j}" for j in range(n_free))]
    model.seed_mass_ = _check_seed_mass(model.topic_word_, names, columns)
    return model


SEED_MASS_WARNING = 0.05


def _check_seed_mass(
    topic_word: npt.NDArray[np.float64], names: Sequence[str], columns: Mapping[str, list[int]]
) -> dict[str, float]:
    """Share of each theme topic's probability on its own seed terms; warn when tiny.

    A keyword-seeded topic whose seeds are rare in the corpus can be taken over by an unrelated
    cluster of words; its "theme share" then measures that cluster. Below
    :data:`SEED_MASS_WARNING` a :class:`~topics.errors.TopicsWarning` says so.
    """
    mass = {
        name: round(float(topic_word[i, columns[name]].sum()), 4) for i, name in enumerate(names)
    }
    drifted = {name: m for name, m in mass.items() if m < SEED_MASS_WARNING}
    if drifted:
        listed = ", ".join(f"{name} ({m:.1%})" for name, m in drifted.items())
        warnings.warn(
            f"seeded themes whose seed terms carry under {SEED_MASS_WARNING:.0%} of their topic: "
            f"{listed}; their topics are mostly other words, so their shares do not measure "
            "the theme — use dictionary shares or raise seed_weight for these themes",
            TopicsWarning,
            stacklevel=3,
        )
    return mass


def model_theme_shares(
    model: TopicModel, matrix: DocTermMatrix, names: Sequence[str]
) -> pd.DataFrame:
    """Theme shares from a seeded model in the tidy ``doc_id, theme, share, weight`` shape."""
    return matrix_shares(model.transform(matrix)[:, : len(names)], matrix, names)


@MEASURES.register("seeded")
@dataclass(frozen=True)
class SeededMeasure:
    """Theme shares from a keyword-seeded topic model (see :func:`seeded_model`).

    Parameters
    ----------
    n_free
        Free topics beside the themes (they take the words no theme claims).
    max_iter
        Sweeps (LDA) or iterations (NMF); ``None`` for the model's default.
    min_df
        Fewest documents a vocabulary term occurs in (seed terms are always kept).
    family
        ``"lda"`` (per-word priors) or ``"nmf"`` (guided start).
    backend
        LDA backend (``"auto"``: tomotopy when installed).
    seed_weight
        Prior of a seed term in its theme's topic (LDA).

    """

    size_option: ClassVar[str] = "n_free"  # what ``topics trends --k`` sets

    n_free: int = defaults.N_FREE
    max_iter: int | None = None
    min_df: int = defaults.MIN_DF
    family: str = "lda"
    backend: str = "auto"
    seed_weight: float = 1.0

    def measure(
        self, corpus: Corpus, compiled: CompiledCodebook, *, tokens: Tokens, random_state: int
    ) -> MeasureResult:
        """Fit the seeded model on the corpus and read each document's theme topics.

        A theme none of whose terms occurs in the corpus gets no topic (a seeded topic without
        seeds would take over unrelated words): its share is 0 everywhere, and a
        :class:`~topics.errors.TopicsWarning` names it.
        """
        compiled = compiled.expand({t for doc in tokens for t in doc})
        vectorizer = compiled.vectorizer(min_df=self.min_df).fit_tokens(tokens)
        matrix = vectorizer.tokens_to_matrix(tokens, corpus.ids)
        present = set(matrix.vocabulary)
        absent = [n for n in compiled.names if present.isdisjoint(compiled.tokens[n])]
        if len(absent) == len(compiled.names):
            raise InputError(
                "no theme's terms occur in the corpus; check the codebook against the texts"
            )
        if absent:
            warnings.warn(
                f"themes that never occur in the corpus get no seeded topic and a share of 0: "
                f"{', '.join(absent)}",
                TopicsWarning,
                stacklevel=2,
            )
        book = compiled.subset([n for n in compiled.names if n not in absent])
        model = seeded_model(
            matrix, book, n_free=self.n_free, seed_weight=self.seed_weight,
            backend=self.backend, random_state=random_state, max_iter=self.max_iter,
            family=self.family,
        )  # fmt: skip
        shares = model_theme_shares(model, matrix, book.names)
        if absent:
            zeros = matrix_shares(np.zeros((len(corpus), len(absent))), matrix, absent)
            shares = pd.concat([shares, zeros], ignore_index=True)
        info = {"seed_mass": dict(model.seed_mass_), "absent_themes": absent}
        return MeasureResult(shares, info, model)
