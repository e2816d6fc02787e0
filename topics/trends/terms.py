"""What moves in a period: emerging themes, rising terms, and the documents behind a spike."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import ConfigError, InputError
from ..text.vectorizer import DocTermMatrix

__all__ = ["emerging", "emerging_terms", "representative_documents"]


def emerging(
    trends: pd.DataFrame, *, first: Sequence[object], last: Sequence[object]
) -> pd.DataFrame:
    """Rank themes by the change of their mean share from ``first`` periods to ``last`` ones."""
    before = trends[trends["period"].isin(first)].groupby("theme")["share"].mean()
    after = trends[trends["period"].isin(last)].groupby("theme")["share"].mean()
    table = pd.DataFrame({"before": before, "after": after}).fillna(0.0)
    table["change"] = table["after"] - table["before"]
    return table.sort_values("change", ascending=False).reset_index()


def representative_documents(
    shares: pd.DataFrame,
    periods: pd.DataFrame,
    *,
    theme: str,
    n: int = 3,
    metadata: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the ``n`` documents with the highest share of ``theme`` in each period.

    Returns ``period, rank, doc_id, share`` plus any columns of ``metadata`` (indexed by
    ``id``: e.g. date, outlet, text), so a reader can see what drives a spike.
    """
    if n < 1:
        raise ConfigError(f"n must be ≥ 1, got {n}")
    chosen = shares[shares["theme"] == theme]
    if chosen.empty:
        raise InputError(f"no shares for theme {theme!r}")
    placed = periods.dropna(subset=["period"]).rename(columns={"id": "doc_id"})[
        ["doc_id", "period"]
    ]
    frame = chosen.merge(placed, on="doc_id").sort_values(
        ["period", "share", "doc_id"], ascending=[True, False, True]
    )
    frame["rank"] = frame.groupby("period").cumcount() + 1
    frame = frame[frame["rank"] <= n][["period", "rank", "doc_id", "share"]].reset_index(drop=True)
    if metadata is not None:
        frame = frame.merge(metadata, left_on="doc_id", right_index=True, how="left")
    return frame


def emerging_terms(
    matrix: DocTermMatrix,
    periods: pd.DataFrame,
    *,
    top: int = 10,
    min_count: int = 3,
    prior: float = 0.5,
) -> pd.DataFrame:
    """Rank the terms that rise most in each period against all earlier periods.

    For term ``w`` and period ``p``: ``log_ratio = log((n_pw + a) / (N_p + a V)) −
    log((n_<p,w + a) / (N_<p + a V))`` with ``a = prior`` (additive smoothing), where ``n`` are
    token counts, ``N`` totals and ``V`` the vocabulary size. Only terms seen ``min_count``
    times in ``p`` are ranked; the first period (no history) is skipped.

    Returns ``period, rank, term, count, share, previous_share, log_ratio``.
    """
    if top < 1 or min_count < 1 or prior <= 0:
        raise ConfigError("top and min_count must be ≥ 1 and prior > 0")
    index = {doc: i for i, doc in enumerate(matrix.doc_ids)}
    placed = periods.dropna(subset=["period"])
    placed = placed[placed["id"].isin(index)]
    order = sorted(placed["period"].unique())
    vocab = np.asarray(matrix.vocabulary, dtype=object)
    totals = []
    for period in order:
        rows = [index[d] for d in placed.loc[placed["period"] == period, "id"]]
        totals.append(np.asarray(matrix.counts[rows].sum(axis=0), dtype=np.float64).ravel())
    size = len(vocab)
    records = []
    history = np.zeros(size)
    for position, (period, counts) in enumerate(zip(order, totals, strict=True)):
        if position > 0:
            share = (counts + prior) / (counts.sum() + prior * size)
            before = (history + prior) / (history.sum() + prior * size)
            ratio = np.log(share) - np.log(before)
            eligible = np.flatnonzero(counts >= min_count)
            best = eligible[np.argsort(-ratio[eligible], kind="stable")[:top]]
            records += [
                {"period": period, "rank": r + 1, "term": vocab[j], "count": int(counts[j]),
                 "share": float(share[j]), "previous_share": float(before[j]),
                 "log_ratio": float(ratio[j])}
                for r, j in enumerate(best)
            ]  # fmt: skip
        history = history + counts
    return pd.DataFrame(
        records, columns=["period", "rank", "term", "count", "share", "previous_share", "log_ratio"]
    )
