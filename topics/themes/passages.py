"""Keyword in context: the passages behind a theme's curve."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import pandas as pd

from ..errors import ConfigError

if TYPE_CHECKING:
    from .codebook import Codebook
    from .results import ThemeAnalysis

__all__ = [
    "PASSAGE_COLUMNS",
    "PassageSource",
    "change_passages",
    "describe_change",
    "key_passages",
    "keyword_in_context",
    "passages_of",
    "theme_passages",
]


def _exact(term: str) -> str:
    """Pattern of an exact term in raw text: its word with a short ending, as lemmas allow.

    "sanction" finds "sanctions"; a word of five letters or more may also change its last
    letter ("battery" finds "batteries", whose lemma the measure counted); "port" stays
    "port", "ports", never "portrait".
    """
    if len(term) >= 5 and term[-1].isalpha():
        return f"({re.escape(term[:-1])})\\w{{0,4}}"
    return f"({re.escape(term)})\\w{{0,3}}"


def keyword_in_context(
    texts: Mapping[str, str] | pd.Series,
    terms: Sequence[str],
    *,
    width: int = 60,
    limit: int | None = None,
) -> pd.DataFrame:
    """Keyword-in-context lines: ``doc_id, term, left, keyword, right`` for each match.

    Matching is case-insensitive and starts at a word's beginning (so "war" does not match
    "toward"). A term matches its word with a short ending ("sanction" → "sanctions",
    "battery" → "batteries", not "port" → "portrait"); a stem ending in ``*`` (``санкці*``)
    matches any ending. A match inside the context already shown for the previous one gives
    no line of its own (its passage would repeat that one), so each stretch of text is shown
    once.
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(dict(texts))
    if not terms:
        raise ConfigError("keyword_in_context needs at least one term")
    ordered = sorted(terms, key=lambda t: len(t.rstrip("*")), reverse=True)
    pattern = re.compile(
        r"\b(?:"
        + "|".join(f"({re.escape(t[:-1])})\\w*" if t.endswith("*") else _exact(t) for t in ordered)
        + r")(?!\w)",
        re.I,
    )
    rows = []
    for doc_id, text in series.items():
        shown_to = -1  # where the previous line's right context ends
        for match in pattern.finditer(str(text)):
            start, end = match.span()
            if start < shown_to:
                continue
            shown_to = end + width
            rows.append(
                {"doc_id": doc_id, "term": ordered[(match.lastindex or 1) - 1].lower(),
                 "left": text[max(0, start - width) : start].replace("\n", " "),
                 "keyword": match.group(0), "right": text[end : end + width].replace("\n", " ")}
            )  # fmt: skip
            if limit is not None and len(rows) >= limit:
                return pd.DataFrame(rows)
    return pd.DataFrame(rows, columns=["doc_id", "term", "left", "keyword", "right"])


PASSAGE_COLUMNS = ("doc_id", "period", "share", "term", "left", "keyword", "right")


class PassageSource(Protocol):
    """What :func:`key_passages` and :func:`change_passages` read: an analysis's results.

    :class:`~topics.themes.ThemeAnalysis` (in memory) and
    :class:`~topics.scale.StreamedThemes` (from chunks) both are one.
    """

    @property
    def codebook(self) -> Codebook:
        """The themes measured."""
        ...

    @property
    def trends(self) -> pd.DataFrame:
        """``period, theme, share, lo, hi, n_docs, n_units, few_docs, partial, empty``."""
        ...

    @property
    def changes(self) -> pd.DataFrame:
        """The change test's table."""
        ...

    def passages(
        self, theme: str, period: object | None = None, *, n: int = 5, width: int = 70
    ) -> pd.DataFrame:
        """Return the passages that carry ``theme`` most strongly (in ``period``)."""
        ...


def theme_passages(
    analysis: ThemeAnalysis,
    theme: str,
    period: object | None = None,
    *,
    n: int = 5,
    width: int = 70,
) -> pd.DataFrame:
    """Key passages of ``theme``: its seed terms in context, from its strongest documents.

    Parameters
    ----------
    analysis
        A theme analysis.
    theme
        Theme name.
    period
        Only documents of this period (a ``Period`` or its text, e.g. ``"2022Q1"``).
    n
        Documents to take, those where the theme's share is highest.
    width
        Characters of context either side of a match.

    Returns
    -------
    DataFrame
        ``doc_id, period, share, term, left, keyword, right`` — one row per match, documents
        in order of decreasing share.

    """
    if theme not in analysis.codebook.names:
        raise ConfigError(f"no theme {theme!r}; themes: {analysis.codebook.names}")
    shares = analysis.shares
    chosen = shares[(shares["theme"] == theme) & (shares["share"] > 0)]
    placed = analysis.periods.set_index("id")["period"]
    chosen = chosen.assign(period=placed.reindex(chosen["doc_id"]).to_numpy())
    if period is not None:
        chosen = chosen[chosen["period"].astype(str) == str(period)]
    chosen = chosen.sort_values(["share", "doc_id"], ascending=[False, True]).head(n)
    if chosen.empty:
        return pd.DataFrame(columns=list(PASSAGE_COLUMNS))
    texts = analysis.corpus.to_frame().set_index("id")["text"].loc[chosen["doc_id"]]
    terms = next(t.surface_terms for t in analysis.codebook.themes if t.name == theme)
    return passages_of(chosen, texts, terms, width=width)


def passages_of(
    chosen: pd.DataFrame, texts: pd.Series, terms: Sequence[str], *, width: int = 70
) -> pd.DataFrame:
    """Keyword-in-context rows of ``chosen`` documents (``doc_id, period, share``, in order).

    ``texts`` are their texts by id; rows keep the documents' order (the strongest first).
    """
    lines = keyword_in_context(texts, list(terms), width=width)
    merged = lines.merge(chosen[["doc_id", "period", "share"]], on="doc_id", how="left")
    order = {doc: i for i, doc in enumerate(chosen["doc_id"])}
    merged = merged.sort_values("doc_id", key=lambda s: s.map(order), kind="stable")
    return merged[list(PASSAGE_COLUMNS)].reset_index(drop=True)


def change_passages(analysis: PassageSource, *, n: int = 3, width: int = 70) -> pd.DataFrame:
    """Return the key passages behind every change (:func:`theme_passages` at its first period).

    Returns the :func:`theme_passages` columns plus ``kind``, ``shift`` and ``p_adj``.
    """
    frames = []
    for _, change in analysis.changes.iterrows():
        lines = analysis.passages(str(change["theme"]), change["date"], n=n, width=width)
        lines.insert(0, "theme", change["theme"])
        frames.append(
            lines.assign(kind=change["kind"], shift=change["shift"], p_adj=change["p_adj"])
        )
    if not frames:
        return pd.DataFrame(columns=["theme", *PASSAGE_COLUMNS, "kind", "shift", "p_adj"])
    return pd.concat(frames, ignore_index=True)


def key_passages(
    analysis: PassageSource,
    themes: Sequence[str] | None = None,
    *,
    n: int = 2,
    width: int = 70,
) -> pd.DataFrame:
    """Passages that explain each theme's curve: at its changes, else at its peak.

    For a theme with changes, :func:`theme_passages` in the first period of each step or
    episode; for one without, in the period where its share is highest (so every theme gets
    evidence to read, and ``reason`` says which kind it is).

    Returns
    -------
    DataFrame
        ``theme, reason, period, doc_id, share, term, left, keyword, right``.

    """
    frames = []
    for theme in themes if themes is not None else analysis.codebook.names:
        changes = analysis.changes[analysis.changes["theme"] == theme]
        if len(changes):
            spots = [(c["date"], describe_change(c)) for _, c in changes.iterrows()]
        else:
            series = analysis.trends[analysis.trends["theme"] == theme]
            if series.empty or not float(series["share"].max()) > 0:
                continue
            peak = series.sort_values(["share", "period"], ascending=[False, True]).iloc[0]
            spots = [(peak["period"], "peak period (no change found)")]
        for period, reason in spots:
            lines = analysis.passages(theme, period, n=n, width=width)
            lines.insert(0, "reason", reason)
            lines.insert(0, "theme", theme)
            frames.append(lines)
    columns = ["theme", "reason", *PASSAGE_COLUMNS]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def describe_change(change: pd.Series) -> str:
    """One line for a change: its kind, direction, size and adjusted p-value."""
    direction = "rise" if change["shift"] > 0 else "fall"
    if change["kind"] == "episode":
        what = f"episode ({direction} and return) until {change['end']}"
    else:
        what = f"step {direction}"
    return f"{what} {change['shift']:+.3f} (adjusted p = {change['p_adj']:.3f})"
