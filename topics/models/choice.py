"""Which model family suits a corpus: what ``topics fit --model auto`` (the default) fits.

The rule is the one the Table 1 benchmarks measured (``benchmarks/octis_all.py``): texts shorter
than NPMI's ten-token window on average — titles, headlines — are modelled best by
:class:`~topics.models.CoocNMF` (NMF of the word co-occurrence PPMI), which beat every peer on M10
and DBLP; longer texts by :class:`~topics.models.NMF` on tf-idf, which beat every peer on BBC.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import defaults

__all__ = ["FamilyChoice", "choose_family", "family_for_backend"]


@dataclass(frozen=True)
class FamilyChoice:
    """The family :func:`choose_family` picked, and why (for the terminal and the manifest)."""

    family: str
    mean_tokens: float | None
    reason: str


def choose_family(X: Any, *, short: float = defaults.SHORT_TEXT_TOKENS) -> FamilyChoice:
    """Pick ``"cooc"`` for short texts (mean tokens a document below ``short``), else ``"nmf"``.

    Parameters
    ----------
    X
        A :class:`~topics.text.DocTermMatrix` or a documents × terms count matrix.
    short
        The mean length, in counted tokens, below which a corpus is short texts.

    Returns
    -------
    FamilyChoice

    """
    counts = getattr(X, "counts", X)
    lengths = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
    mean = float(lengths.mean()) if lengths.size else 0.0
    if mean < short:
        family = "cooc"
        reason = f"{mean:.1f} tokens a document on average, below {short:g}: short texts, CoocNMF"
    else:
        family = "nmf"
        reason = f"{mean:.1f} tokens a document on average, {short:g} or more: NMF"
    return FamilyChoice(family=family, mean_tokens=round(mean, 3), reason=reason)


def family_for_backend(backend: str) -> FamilyChoice:
    """Return the family a ``--backend`` names: an NMF solver (cd, mu, minibatch), else LDA.

    ``topics fit --backend tomotopy`` with no ``--model`` fitted LDA before ``auto`` was the
    default, and still does.
    """
    from .nmf import _SOLVERS

    if backend in _SOLVERS:
        return FamilyChoice("nmf", None, f"--backend {backend} is an NMF solver")
    return FamilyChoice("lda", None, f"--backend {backend} names an LDA backend")
