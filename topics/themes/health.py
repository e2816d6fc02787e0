"""Is a theme's measure healthy? Seed-term counts per period, unseen terms made visible."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import pandas as pd

from ..errors import InputError, TopicsWarning
from ..text.preprocess import PreprocessConfig
from .codebook import Codebook, CompiledCodebook, as_compiled

__all__ = ["theme_health"]


def theme_health(
    tokens: Sequence[Sequence[str]],
    doc_periods: Sequence[object],
    codebook: Codebook | CompiledCodebook,
    config: PreprocessConfig | None = None,
) -> pd.DataFrame:
    """Seed-term counts per period: ``theme, term, token, period, count, n_docs``.

    Every seed term appears, with zero counts where it never occurs (``period`` is then the
    first period), so unseen terms are visible rather than silently ignored.

    A theme none of whose terms occurs anywhere is named in a
    :class:`~topics.errors.TopicsWarning` (its share is 0 everywhere).

    """
    if len(tokens) != len(doc_periods):
        raise InputError(f"got {len(doc_periods)} periods for {len(tokens)} documents")
    mapping = as_compiled(codebook, config).tokens
    wanted = {tok for m in mapping.values() for tok in m}
    rows: dict[tuple[str, object], list[int]] = {}
    for doc, period in zip(tokens, doc_periods, strict=True):
        counts: dict[str, int] = {}
        for token in doc:
            if token in wanted:
                counts[token] = counts.get(token, 0) + 1
        for token, count in counts.items():
            entry = rows.setdefault((token, period), [0, 0])
            entry[0] += count
            entry[1] += 1
    records = []
    absent: list[str] = []
    order = sorted({p for p in doc_periods if p is not None and p == p}, key=str)
    for theme, terms in mapping.items():
        seen_any = False
        for token, term in terms.items():
            found = [(p, rows[(token, p)]) for p in order if (token, p) in rows]
            if found:
                seen_any = True
                records += [
                    {
                        "theme": theme,
                        "term": term,
                        "token": token,
                        "period": p,
                        "count": c,
                        "n_docs": d,
                    }
                    for p, (c, d) in found
                ]
            else:
                records.append(
                    {"theme": theme, "term": term, "token": token,
                     "period": order[0] if order else None, "count": 0, "n_docs": 0}
                )  # fmt: skip
        if not seen_any:
            absent.append(f"{theme} ({', '.join(sorted(terms.values()))})")
    if absent:
        warnings.warn(
            f"themes whose terms never occur in the corpus, so their share is 0 everywhere: "
            f"{'; '.join(absent)} — check the codebook or the preprocessing",
            TopicsWarning,
            stacklevel=2,
        )
    return pd.DataFrame(records)
