"""Is a theme's measure healthy? Seed-term counts per period, unseen terms made visible."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

import pandas as pd

from ..errors import InputError, TopicsWarning
from ..text.preprocess import PreprocessConfig
from .codebook import Codebook, CompiledCodebook, as_compiled

__all__ = ["add_counts", "count_seed_terms", "health_frame", "theme_health", "warn_absent"]


def theme_health(
    tokens: Sequence[Sequence[str]],
    doc_periods: Sequence[object],
    codebook: Codebook | CompiledCodebook,
    config: PreprocessConfig | None = None,
    *,
    languages: Iterable[str | None] | None = None,
) -> pd.DataFrame:
    """Seed-term counts per period: ``theme, term, token, period, count, n_docs``.

    Every seed term appears, with zero counts where it never occurs (``period`` is then the
    first period), so unseen terms are visible rather than silently ignored — except terms
    given only in languages other than ``languages`` (the corpus's; default: every language).

    A theme none of whose terms occurs anywhere is named in a
    :class:`~topics.errors.TopicsWarning` (its share is 0 everywhere).

    """
    if len(tokens) != len(doc_periods):
        raise InputError(f"got {len(doc_periods)} periods for {len(tokens)} documents")
    book = as_compiled(codebook, config)
    mapping = book.expand({t for doc in tokens for t in doc}).tokens
    quiet = book.codebook.terms_outside(languages) if languages is not None else set()
    rows = count_seed_terms(tokens, doc_periods, mapping)
    frame, absent = health_frame(rows, mapping, doc_periods, quiet_terms=quiet)
    if absent:
        warn_absent(absent)
    return frame


Counts = dict[tuple[str, object], list[int]]


def count_seed_terms(
    tokens: Sequence[Sequence[str]],
    doc_periods: Sequence[object],
    mapping: Mapping[str, Mapping[str, str]],
) -> Counts:
    """Count each seed token per period: ``{(token, period): [count, n_docs]}``.

    Counts of chunks of a corpus add up to the counts of the whole (:func:`add_counts`).
    """
    wanted = {tok for m in mapping.values() for tok in m}
    rows: Counts = {}
    for doc, period in zip(tokens, doc_periods, strict=True):
        counts = Counter(token for token in doc if token in wanted)
        add_counts(rows, {(token, period): [count, 1] for token, count in counts.items()})
    return rows


def add_counts(total: Counts, part: Counts) -> Counts:
    """Add ``part``'s seed-term counts into ``total`` (returned)."""
    for key, (count, docs) in part.items():
        entry = total.setdefault(key, [0, 0])
        entry[0] += count
        entry[1] += docs
    return total


def health_frame(
    rows: Counts,
    mapping: Mapping[str, Mapping[str, str]],
    doc_periods: Iterable[object],
    *,
    quiet_terms: Collection[str] = (),
) -> tuple[pd.DataFrame, list[str]]:
    """Return the health table from seed-term counts, and the themes whose terms never occur.

    ``quiet_terms`` (terms of languages the corpus does not have) get no zero rows where they
    never occur (:meth:`~topics.themes.Codebook.terms_outside`).
    """
    records = []
    absent: list[str] = []
    order = sorted({p for p in doc_periods if p is not None and p == p}, key=str)
    for theme, terms in mapping.items():
        seen_any = False
        for token, term in terms.items():
            found = [(p, rows[(token, p)]) for p in order if (token, p) in rows]
            seen_any = seen_any or bool(found)
            if not found and term not in quiet_terms:  # unseen: one zero row, to be visible
                found = [(order[0] if order else None, [0, 0])]
            records += [
                {"theme": theme, "term": term, "token": token, "period": p, "count": c, "n_docs": d}
                for p, (c, d) in found
            ]
        if not seen_any:
            named = {v for v in terms.values() if v not in quiet_terms} or set(terms.values())
            absent.append(f"{theme} ({', '.join(sorted(named))})")
    return pd.DataFrame(records), absent


def warn_absent(absent: Sequence[str]) -> None:
    """Warn about themes whose terms never occur (their share is 0 everywhere)."""
    warnings.warn(
        f"themes whose terms never occur in the corpus, so their share is 0 everywhere: "
        f"{'; '.join(absent)} — check the codebook or the preprocessing",
        TopicsWarning,
        stacklevel=3,
    )
