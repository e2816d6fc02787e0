"""Aligning topics of consecutive windows: births, deaths, splits and merges."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ..errors import ConfigError

__all__ = ["align_windows"]


def align_windows(
    topic_word: Sequence[npt.NDArray[np.float64]],
    labels: Sequence[object],
    *,
    threshold: float = 0.3,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Align topics of consecutive windows and report how they change.

    Parameters
    ----------
    topic_word
        One K_w × V topic–word matrix per window (same vocabulary), in time order.
    labels
        The windows' labels (e.g. their periods), in time order.
    threshold
        Cosine similarity below which two topics are not the same topic.

    Returns
    -------
    (chains, events)
        ``chains``: ``period, window_topic, chain`` — topics matched one-to-one (Hungarian,
        maximising cosine) share a chain id across windows. ``events``: ``period, kind, chain,
        detail`` with kinds ``birth`` (a topic matching nothing before), ``death`` (a chain with
        no match in the next window), ``split`` (one topic similar to several in the next
        window) and ``merge`` (several topics similar to one in the next window).

    """
    if len(topic_word) != len(labels) or not topic_word:
        raise ConfigError("give one topic-word matrix per window label")

    def unit(m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.asarray(m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-300))

    chains: list[dict[str, object]] = []
    events: list[dict[str, object]] = []

    def event(w: int, kind: str, chain: int, detail: str = "") -> None:
        events.append({"period": labels[w], "kind": kind, "chain": chain, "detail": detail})

    current = list(range(topic_word[0].shape[0]))
    next_chain = len(current)
    chains += [{"period": labels[0], "window_topic": j, "chain": c} for j, c in enumerate(current)]
    for c in current:
        event(0, "birth", c, "first window")
    for w in range(1, len(topic_word)):
        sim = unit(topic_word[w - 1]) @ unit(topic_word[w]).T
        rows, cols = linear_sum_assignment(-sim)
        assigned: dict[int, int] = {}
        for r, c in zip(rows, cols, strict=True):
            if sim[r, c] >= threshold:
                assigned[int(c)] = current[int(r)]
        for j in range(topic_word[w].shape[0]):
            if j not in assigned:  # a new chain
                assigned[j] = next_chain
                event(w, "birth", next_chain)
                next_chain += 1
        new_ids = [assigned[j] for j in range(topic_word[w].shape[0])]
        for r, chain in enumerate(current):
            if chain not in new_ids:
                event(w, "death", chain)
            similar = np.flatnonzero(sim[r] >= threshold)
            if len(similar) > 1:
                event(w, "split", chain, "into " + ", ".join(str(new_ids[j]) for j in similar))
        for j in range(topic_word[w].shape[0]):
            sources = np.flatnonzero(sim[:, j] >= threshold)
            if len(sources) > 1:
                event(w, "merge", new_ids[j], "from " + ", ".join(str(current[r]) for r in sources))
        chains += [
            {"period": labels[w], "window_topic": j, "chain": c} for j, c in enumerate(new_ids)
        ]
        current = new_ids
    return pd.DataFrame(chains), pd.DataFrame(events, columns=["period", "kind", "chain", "detail"])
