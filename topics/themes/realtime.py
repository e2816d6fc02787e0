"""Theme shares as a real-time tracker would have seen them: no look-ahead."""

from __future__ import annotations

import pandas as pd

from .. import defaults
from ..corpus.corpus import Corpus
from ..errors import InputError
from .codebook import Codebook
from .measures.seeded import model_theme_shares, seeded_model

__all__ = ["no_look_ahead_shares"]


def no_look_ahead_shares(
    corpus: Corpus,
    periods: pd.DataFrame,
    codebook: Codebook,
    *,
    n_free: int = defaults.N_FREE,
    min_history: int = 1,
    backend: str = "auto",
    random_state: int = defaults.SEED,
    max_iter: int | None = None,
) -> pd.DataFrame:
    """Seeded-model theme shares fitted only on data up to each period (expanding window).

    For each period ``p`` (in order) the vocabulary and the seeded model are fitted on the
    documents of periods ≤ ``p`` and only the documents of ``p`` are scored, so no share uses
    words or weights from the future — as a tracker running in real time would see it.
    Periods before ``min_history`` periods of data are skipped.

    Returns the tidy ``doc_id, theme, share, weight`` shape.
    """
    placed = periods.dropna(subset=["period"])
    order = sorted(placed["period"].unique())
    if len(order) < min_history:
        raise InputError(f"only {len(order)} periods; min_history is {min_history}")
    book = codebook.compile()
    texts = dict(zip(corpus.ids, corpus.texts, strict=True))
    pieces = []
    for index, period in enumerate(order):
        if index + 1 < min_history:
            continue
        history = placed[placed["period"] <= period]["id"].tolist()
        current = placed[placed["period"] == period]["id"].tolist()
        vectorizer = book.vectorizer(min_df=1)
        matrix = vectorizer.fit_transform([texts[i] for i in history], doc_ids=history)
        model = seeded_model(
            matrix, book, n_free=n_free, backend=backend,
            random_state=random_state, max_iter=max_iter,
        )  # fmt: skip
        now = vectorizer.transform([texts[i] for i in current], doc_ids=current)
        pieces.append(model_theme_shares(model, now, codebook.names))
    return pd.concat(pieces, ignore_index=True)
