"""What each topic of a fitted model is: a label, its size, its words and its best documents.

:func:`topic_labels` names topics from their top words (``"3: sanction, embargo, russia"``)
unless the model has names (a seeded model's themes) or the user gives some;
:func:`topic_info` is one row per topic — the table BERTopic users know as ``get_topic_info``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..text.vectorizer import DocTermMatrix
from ._base import TopicModel

__all__ = ["INFO_COLUMNS", "topic_info", "topic_labels"]

INFO_COLUMNS = ("topic", "label", "size", "share", "words", "documents", "example")


def topic_labels(
    model: TopicModel,
    *,
    n: int = 3,
    labels: Mapping[int, str] | Sequence[str] | None = None,
) -> list[str]:
    """One label per topic: given ``labels``, else the model's topic names, else top words.

    Parameters
    ----------
    model
        A fitted topic model.
    n
        Top words in an automatic label.
    labels
        Labels to use: a sequence (one per topic) or a mapping ``{topic: label}`` for some.

    """
    k = int(model.topic_word_.shape[0])
    names = list(getattr(model, "topic_names_", []) or [])
    words = model.top_terms(n).groupby("topic", sort=True)["term"].apply(list)
    auto = [names[t] if t < len(names) else f"{t}: " + ", ".join(words[t]) for t in range(k)]
    if labels is None:
        return auto
    given = dict(enumerate(labels)) if not isinstance(labels, Mapping) else dict(labels)
    stray = sorted(set(given) - set(range(k)))
    if stray or (not isinstance(labels, Mapping) and len(given) != k):
        raise ConfigError(f"labels must name topics 0 … {k - 1}; got {sorted(given)}")
    chosen = [str(given.get(t, auto[t])) for t in range(k)]
    if len(set(chosen)) != k:
        raise ConfigError(f"topic labels must differ from each other, got {chosen}")
    return chosen


def topic_info(
    model: TopicModel,
    X: DocTermMatrix | Any,
    *,
    doc_ids: Sequence[str] | None = None,
    texts: Mapping[str, str] | None = None,
    n: int = 10,
    n_docs: int = 3,
    labels: Mapping[int, str] | Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per topic: ``topic, label, size, share, words, documents, example``.

    Parameters
    ----------
    model
        A fitted topic model.
    X
        The documents (a DocTermMatrix, or any matrix the model takes).
    doc_ids
        Document ids when ``X`` is not a DocTermMatrix (default ``0, 1, …``).
    texts
        Text by document id, for the ``example`` column (the start of the most
        representative document).
    n
        Top words listed in ``words``.
    n_docs
        Representative documents listed in ``documents`` (highest share of the topic first).
    labels
        Labels to use (see :func:`topic_labels`).

    Returns
    -------
    DataFrame
        ``size`` is the number of documents whose largest topic it is, ``share`` the mean share
        over all documents; rows sorted by size, largest first.

    """
    theta = model.transform(X)
    ids = list(X.doc_ids) if isinstance(X, DocTermMatrix) else list(doc_ids or range(len(theta)))
    if len(ids) != len(theta):
        raise ConfigError(f"got {len(ids)} document ids for {len(theta)} documents")
    names = topic_labels(model, labels=labels)
    words = model.top_terms(n).groupby("topic", sort=True)["term"].apply(", ".join)
    owner = np.argmax(theta, axis=1)
    rows = []
    for t in range(theta.shape[1]):
        best = np.argsort(-theta[:, t], kind="stable")[:n_docs]
        top_id = str(ids[best[0]]) if len(best) else ""
        example = " ".join(str((texts or {}).get(top_id, "")).split())[:200]
        rows.append(
            {"topic": t, "label": names[t], "size": int((owner == t).sum()),
             "share": float(theta[:, t].mean()), "words": words.get(t, ""),
             "documents": "; ".join(str(ids[i]) for i in best), "example": example}
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(INFO_COLUMNS))
    return frame.sort_values(["size", "topic"], ascending=[False, True]).reset_index(drop=True)
