"""The data an explorer page carries: trends, changes, key passages, and a topic browser.

Everything is plain JSON-ready values, rounded to six significant digits so that the last bits
of floating-point arithmetic (which differ between machines) do not reach the file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import InputError
from ._base import chosen_themes
from ._style import series_styles

if TYPE_CHECKING:
    from ..models import TopicModel
    from ..text.vectorizer import DocTermMatrix
    from ..themes.results import ThemeAnalysis

__all__ = ["passages_by_cell", "theme_data", "topic_data"]

# matplotlib markers and line styles → plotly's names, so a theme looks the same in both
_SYMBOLS = {"o": "circle", "s": "square", "D": "diamond", "P": "cross", "X": "x",
            "p": "pentagon", "h": "hexagon", "*": "star", "d": "diamond-tall", "8": "octagon",
            "H": "hexagon2", "x": "x-thin"}  # fmt: skip
_DASHES = {"-": "solid", "--": "dash", ":": "dot", "-.": "dashdot"}
_LAMBDAS = np.linspace(0.0, 1.0, 11)


def num(value: object, digits: int = 6) -> float | None:
    """Round to ``digits`` significant digits; ``None`` for NaN or a missing value."""
    if value is None or isinstance(value, str):
        return None
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return None
    return float(f"{number:.{digits}g}")


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)  # type: ignore[call-overload]


def passages_by_cell(
    analysis: ThemeAnalysis,
    themes: Sequence[str],
    n: int,
    width: int,
    *,
    documents: Sequence[str] | None = None,
    suffix: str = "",
) -> dict[str, list[dict[str, Any]]]:
    """Key passages of every theme × period, keyed ``"theme|period"``.

    The same selection as :meth:`ThemeAnalysis.passages` (the ``n`` documents of the period
    where the theme's share is highest, ties by id; every match of the theme's terms in
    context), computed for all cells at once; at most three lines per document.
    ``documents`` restricts the choice (a group's), whose cells are keyed
    ``"theme{suffix}|period"``.
    """
    from ..themes.passages import keyword_in_context

    placed = analysis.periods.set_index("id")["period"]
    shares = analysis.shares[analysis.shares["theme"].isin(themes) & (analysis.shares["share"] > 0)]
    if documents is not None:
        shares = shares[shares["doc_id"].isin(set(documents))]
    shares = shares.assign(period=placed.reindex(shares["doc_id"]).to_numpy())
    shares = shares[shares["period"].notna()].assign(period=lambda f: f["period"].astype(str))
    chosen = (
        shares.sort_values(["theme", "period", "share", "doc_id"],
                           ascending=[True, True, False, True], kind="stable")
        .groupby(["theme", "period"], sort=False)
        .head(n)
    )  # fmt: skip
    needed = set(chosen["doc_id"])
    texts = {i: t for i, t in zip(analysis.corpus.ids, analysis.corpus.texts, strict=True)
             if i in needed}  # fmt: skip
    terms = {t.name: list(t.surface_terms) for t in analysis.codebook.themes}
    cells: dict[str, list[dict[str, Any]]] = {}
    for theme, group in chosen.groupby("theme", sort=True):
        docs = list(dict.fromkeys(group["doc_id"]))
        lines = keyword_in_context(pd.Series({d: texts[d] for d in docs}), terms[str(theme)],
                                   width=width)  # fmt: skip
        by_doc = {d: rows for d, rows in lines.groupby("doc_id", sort=False)}
        for (period, doc, share) in zip(group["period"], group["doc_id"], group["share"],
                                        strict=True):  # fmt: skip
            rows = by_doc.get(doc, lines.iloc[:0]).head(3)
            entry = {
                "doc": str(doc),
                "share": num(share, 4),
                "lines": [[str(a), str(b), str(c)]
                          for a, b, c in zip(rows["left"], rows["keyword"], rows["right"],
                                             strict=True)],
            }  # fmt: skip
            cells.setdefault(f"{theme}{suffix}|{period}", []).append(entry)
    return cells


def default_shown(analysis: ThemeAnalysis, themes: Sequence[str], most: int = 6) -> list[str]:
    """Return the themes drawn when the page opens.

    All of up to ``most`` themes; else ``most`` of them, those with changes first, then by
    peak share (in codebook order).
    """
    if len(themes) <= most:
        return list(themes)
    changed = set(analysis.changes["theme"])
    peaks = analysis.trends.groupby("theme")["share"].max()
    ranked = sorted(themes, key=lambda t: (t not in changed, -float(peaks.get(t, 0.0)), t))
    return [t for t in themes if t in set(ranked[:most])]


def event_data(events: Sequence[Any], labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each event study as the page shows it: where it sits on the axis and its table."""
    out = []
    for event in events:
        flagged = set(event.flagged())
        rows = [
            {"theme": str(r["theme"]), "label": labels.get(str(r["theme"]), str(r["theme"])),
             "shift": num(r["shift"]), "lo": num(r["lo"]), "hi": num(r["hi"]),
             "p_adj": num(r["p_adj"], 3), "placebo_p": num(r["placebo_p"], 3),
             "pretrend": str(r["theme"]) in flagged}
            for _, r in event.table.iterrows()
        ]  # fmt: skip
        out.append(
            {"event": str(event.event), "label": str(getattr(event, "label", "") or event.event),
             "period": str(event.period), "window": int(event.window), "rows": rows}
        )  # fmt: skip
    return out


def theme_data(
    analysis: ThemeAnalysis,
    themes: Sequence[str] | None,
    n: int,
    width: int,
    shown: Sequence[str] | None = None,
    *,
    by: str | None = None,
    corrected: pd.DataFrame | None = None,
    corrected_by: str | None = None,
) -> dict[str, Any]:
    """Periods, per-theme series, changes and passages for the trend view.

    ``by`` (a corpus column such as ``lang``) adds one series per theme × group, shown when
    the page opens (:meth:`~topics.themes.ThemeAnalysis.by_group`; passages stay the
    theme's). ``corrected`` (:func:`topics.validation.corrected_trends`) replaces the page's
    series by the validated themes' corrected share of documents — another unit than a share
    of content, so the other themes are left out — and the header says by which validation
    (``corrected_by``); change points, tested on the measured shares, are not drawn then.
    """
    trends = analysis.trends
    names = analysis.codebook.names
    chosen = chosen_themes(trends, names if themes is None else themes, f"the analysis ({names})")
    periods = [str(p) for p in analysis.axis]
    labels = analysis.labels
    styles = series_styles(chosen)
    per_period = trends.assign(period=trends["period"].astype(str)).groupby("period", sort=False)
    flags = {
        name: [bool(per_period[name].any().get(p, False)) if name in trends else False
               for p in periods]
        for name in ("partial", "empty")
    }  # fmt: skip
    note = ""
    if corrected is not None:
        validated = [t for t in chosen if t in set(corrected["theme"])]
        if not validated:
            raise InputError(f"the corrected trends hold none of the themes {chosen}")
        chosen = validated
        trends = corrected.assign(share=corrected["corrected"], lo=corrected["corrected_lo"],
                                  hi=corrected["corrected_hi"])  # fmt: skip
        note = (
            "Shown: the share of documents about each validated theme, corrected for the "
            f"measure's errors (Rogan–Gladen) by {corrected_by or 'a validation'}; change "
            "points, tested on the measured shares, are not drawn."
        )
    series = [
        _series(trends, periods, theme, labels.get(theme, theme), styles[theme])
        | ({"changes": False} if corrected is not None else {})
        for theme in chosen
    ]
    passages = passages_by_cell(analysis, chosen, n, width)
    if by is not None:
        grouped = analysis.by_group(by)
        groups = [str(g) for g in dict.fromkeys(grouped["group"])]
        members = pd.Series(analysis.corpus.column(by).astype("string").to_numpy(),
                            index=analysis.corpus.ids)  # fmt: skip
        dashes = list(_DASHES.values())
        for i, group in enumerate(groups):
            documents = list(members.index[members == group])
            passages |= passages_by_cell(
                analysis, chosen, n, width, documents=documents, suffix=f"@{group}"
            )
            part = grouped[grouped["group"].astype(str) == group]
            for theme in chosen:
                entry = _series(part, periods, theme, f"{labels.get(theme, theme)} — {group}",
                                styles[theme])  # fmt: skip
                name = f"{theme}@{group}"
                entry |= {"name": name, "changes": False, "dash": dashes[i % len(dashes)]}
                series.append(entry)
        grouped_shown = [f"{theme}@{group}" for theme in chosen for group in groups]
        note = (
            f"Each theme also split by {by} ({', '.join(groups)}), each group its own interval "
            "and passages; the changes table is the whole corpus's."
        )
    changes = [
        {"theme": str(c["theme"]), "kind": str(c.get("kind", "step")),
         "date": _text(c["date"]), "end": _text(c.get("end")),
         "date_lo": _text(c.get("date_lo")), "date_hi": _text(c.get("date_hi")),
         "shift": num(c["shift"]), "lo": num(c.get("lo")), "hi": num(c.get("hi")),
         "p_adj": num(c.get("p_adj"), 3)}
        for _, c in analysis.changes[analysis.changes["theme"].isin(chosen)].iterrows()
    ]  # fmt: skip
    visible = list(shown) if shown is not None else default_shown(analysis, chosen)
    if by is not None and shown is None:
        visible = [n for n in grouped_shown if n.split("@", 1)[0] in set(visible)]
        chosen = [*chosen, *grouped_shown]
    hidden = [t for t in visible if t not in chosen]
    if hidden:
        raise InputError(f"shown themes {hidden} are not among the themes shown ({chosen})")
    return {
        "periods": periods,
        "shown": visible,
        **flags,
        "themes": series,
        "changes": changes,
        "test": analysis.change_test.describe(),
        "passages": passages,
        "settings": {"freq": str(analysis.config.get("freq", "")),
                     "documents": _documents(analysis),
                     "method": str(analysis.config.get("measure", "")) or "a theme measure",
                     "note": note, "yaxis": "share of documents" if corrected is not None
                     else "share of content"},
    }  # fmt: skip


def _documents(analysis: ThemeAnalysis) -> str:
    """Return what the page counts: "120 documents" or "19586 paragraphs of 900 articles"."""
    n = len(analysis.corpus)
    units = analysis.units
    if units is None:
        return f"{n} documents"
    articles = int(units.nunique())
    return f"{n} paragraphs of {articles} articles" if articles < n else f"{n} documents"


def _series(
    trends: pd.DataFrame, periods: list[str], theme: str, label: str, style: Any
) -> dict[str, Any]:
    """Return one line of the trend view: a theme's share, interval and documents a period."""
    rows = trends[trends["theme"] == theme].assign(period=lambda f: f["period"].astype(str))
    rows = rows.set_index("period").reindex(periods)
    few = rows["few_docs"] if "few_docs" in rows else pd.Series(False, index=rows.index)
    n_docs = rows["n_docs"] if "n_docs" in rows else pd.Series(0, index=rows.index)
    return {
        "name": theme,
        "label": label,
        "colour": style.colour,
        "symbol": _SYMBOLS.get(style.marker, "circle"),
        "dash": _DASHES.get(style.linestyle, "solid"),
        "share": [num(v) for v in rows["share"]],
        "lo": [num(v) for v in rows["lo"]],
        "hi": [num(v) for v in rows["hi"]],
        "few": [bool(v) if not pd.isna(v) else False for v in few],
        "n_docs": [int(v) if not pd.isna(v) else 0 for v in n_docs],
    }


def _js_distances(topic_word: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    p = topic_word / np.maximum(topic_word.sum(axis=1, keepdims=True), 1e-300)
    k = len(p)
    out = np.zeros((k, k))
    for i in range(k):
        m = 0.5 * (p[i] + p)
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(p[i] > 0, p[i] * np.log(p[i] / m), 0.0).sum(axis=1)
            b = np.where(p > 0, p * np.log(p / m), 0.0).sum(axis=1)
        out[i] = np.sqrt(np.maximum(0.5 * (a + b), 0.0))
    return np.asarray(0.5 * (out + out.T), dtype=np.float64)


def topic_map(topic_word: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Two-dimensional positions of topics: classical scaling of Jensen–Shannon distances.

    As LDAvis: topics that share words sit close. Signs are fixed (each axis points towards
    the first topic that is off it), so the map does not flip between runs.
    """
    k = topic_word.shape[0]
    if k < 3:
        return np.column_stack([np.arange(k, dtype=float) - (k - 1) / 2, np.zeros(k)])
    d2 = _js_distances(topic_word) ** 2
    centre = np.eye(k) - np.full((k, k), 1.0 / k)
    b = -0.5 * centre @ d2 @ centre
    values, vectors = np.linalg.eigh(b)
    order = np.argsort(values)[::-1][:2]
    coords = vectors[:, order] * np.sqrt(np.maximum(values[order], 0.0))
    for j in range(2):
        nonzero = np.flatnonzero(np.abs(coords[:, j]) > 1e-9)
        if nonzero.size and coords[nonzero[0], j] < 0:
            coords[:, j] = -coords[:, j]
    return np.asarray(coords, dtype=np.float64)


def topic_data(
    model: TopicModel, matrix: DocTermMatrix | None, labels: dict[int, str], n_terms: int
) -> dict[str, Any]:
    """Topic sizes, map positions and each topic's candidate terms for the relevance slider.

    For every topic, the terms among its top ``n_terms`` by relevance at any λ in 0, 0.1, …, 1
    are kept with ``log p(w|t)`` and the lift ``log p(w|t)/p(w)``, so the page can rank them at
    any λ (Sievert & Shirley 2014) without the whole vocabulary.
    """
    beta = np.maximum(np.asarray(model.topic_word_, dtype=np.float64), 1e-300)
    beta = beta / beta.sum(axis=1, keepdims=True)
    marginal = np.maximum(np.asarray(model.term_frequency_, dtype=np.float64), 1e-300)
    vocabulary = list(model.vocabulary_)
    k = beta.shape[0]
    # without a matrix, topics are of equal size and term frequencies stand for counts
    total = 1.0
    sizes = np.full(k, 1.0 / k)
    corpus_count = marginal
    if matrix is not None:
        lengths = np.asarray(matrix.counts.sum(axis=1), dtype=np.float64).ravel()
        theta = np.asarray(model.transform(matrix), dtype=np.float64)
        mass = (theta * lengths[:, None]).sum(axis=0)
        total = float(lengths.sum())
        sizes = mass / max(float(mass.sum()), 1e-300)
        corpus_count = np.asarray(matrix.counts.sum(axis=0), dtype=np.float64).ravel()
    log_beta, lift = np.log(beta), np.log(beta / marginal)
    coords = topic_map(beta)
    # a term's estimated count in each topic, scaled (as LDAvis does) so that over the topics
    # it adds up to the term's count in the corpus: never more in one topic than in all
    in_topic = beta * sizes[:, None] * total
    in_topic *= corpus_count / np.maximum(in_topic.sum(axis=0), 1e-300)
    topics = []
    for t in range(k):
        keep: set[int] = set()
        for lam in _LAMBDAS:
            score = lam * log_beta[t] + (1 - lam) * lift[t]
            keep.update(np.argsort(-score, kind="stable")[:n_terms].tolist())
        chosen = sorted(keep, key=lambda j: (-beta[t, j], vocabulary[j]))
        topics.append(
            {"id": t, "label": labels.get(t, f"topic {t}"), "size": num(sizes[t], 4),
             "x": num(coords[t, 0], 4), "y": num(coords[t, 1], 4),
             "terms": [[vocabulary[j], num(log_beta[t, j], 5), num(lift[t, j], 5),
                        num(in_topic[t, j], 4), num(corpus_count[j], 4)]
                       for j in chosen]}
        )  # fmt: skip
    return {
        "topics": topics,
        "counts": matrix is not None,
        "lambda": num(float(getattr(model, "relevance_lambda", 0.6)), 3),
        "n_show": 10,
    }
