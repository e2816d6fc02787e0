"""The classic dynamic topic model (gensim ``LdaSeqModel``), in the same tidy shape."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import defaults
from ..models.representation import tidy_terms
from ..text.vectorizer import DocTermMatrix
from .evolution import PERIOD_TERM_COLUMNS, period_rows

__all__ = ["ldaseq_topic_terms"]


def ldaseq_topic_terms(
    matrix: DocTermMatrix,
    periods: pd.DataFrame,
    *,
    n_topics: int = 10,
    n: int = 10,
    random_state: int = defaults.SEED,
    passes: int = 10,
    chain_variance: float = 0.005,
    em_max_iter: int = 20,
) -> pd.DataFrame:
    """Fit the classic dynamic topic model (gensim ``LdaSeqModel``); same tidy output.

    Slow — minutes for a few thousand documents, days for tens of thousands (see
    ``benchmarks/un_dtm.py``) — and meant for small corpora or as a reference. Returns
    ``topic, period, rank, term, weight`` with the model's per-period word distributions.
    ``passes`` are the passes of the LDA that starts the chains; ``em_max_iter`` bounds the
    variational EM iterations after it (gensim's default, 20; at least 6 unless fewer are
    asked for), the cost that grows with the corpus.
    """
    from gensim.models import LdaSeqModel

    slices = period_rows(matrix, periods)
    order = np.concatenate([rows for _, rows in slices])
    ordered = matrix.select(order)
    dictionary, bow = ordered.to_gensim()
    model = LdaSeqModel(
        corpus=bow, id2word=dictionary, time_slice=[len(rows) for _, rows in slices],
        num_topics=n_topics, passes=passes, random_state=random_state,
        chain_variance=chain_variance, em_min_iter=min(6, em_max_iter), em_max_iter=em_max_iter,
    )  # fmt: skip
    frames = []
    for k in range(n_topics):
        log_prob = np.asarray(model.topic_chains[k].e_log_prob)  # V × T
        for t, (period, _) in enumerate(slices):
            beta = np.exp(log_prob[:, t])
            beta = beta / beta.sum()
            frames.append(
                tidy_terms(
                    beta[None, :],
                    beta[None, :],
                    matrix.vocabulary,
                    n,
                    topics=[k],
                    keep_zero=False,
                    extra={"period": period},
                )
            )
    return pd.concat(frames, ignore_index=True)[PERIOD_TERM_COLUMNS]
