"""An interactive explorer: one self-contained HTML file that works offline.

:func:`write_explorer` writes a page with theme trends (intervals, change points, partial and
thin periods marked) where hovering a theme × period previews and clicking it lists its key
passages; period and theme selectors; the table of changes (a row selects its period); and,
given a fitted topic model, an LDAvis-style topic browser — an intertopic map (Jensen–Shannon
distances, classical scaling, circles sized by the topic's share of words) and each topic's top
terms with a relevance slider λ (Sievert & Shirley 2014).

The page is drawn with Plotly.js, taken from the pinned ``plotly`` package and inlined with the
page's own script and data, so it opens from disk with no network: a Content-Security-Policy
forbids any request. The same analysis gives the same bytes (no dates, no random ids, floats
rounded to six significant digits).
"""

from __future__ import annotations

import html
import json
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..manifest import atomic_write_bytes, write_manifest
from ._base import deprecated_seed
from ._explorer_data import event_data, theme_data, topic_data

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas as pd

    from ..models import TopicModel
    from ..text.vectorizer import DocTermMatrix
    from ..themes.results import ThemeAnalysis
    from ..trends import EventResult

__all__ = ["explorer_html", "plotly_js", "write_explorer"]

_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:"
)


def plotly_js() -> tuple[str, str]:
    """Return the bundled Plotly.js source and its version (from the ``plotly`` package)."""
    try:
        from plotly.offline import get_plotlyjs
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise InputError("the explorer needs the plotly package: pip install plotly") from exc
    source = str(get_plotlyjs())
    head = source[:200]
    version = head.split("plotly.js v", 1)[1].split()[0] if "plotly.js v" in head else "unknown"
    return source, version


def _asset(name: str) -> str:
    return resources.files("topics.plots").joinpath(name).read_text(encoding="utf-8")


def _json_for_html(payload: Any) -> str:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # inside <script>: no "</script>", "<!--" or line separators can end or confuse it
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def explorer_html(
    analysis: ThemeAnalysis,
    *,
    model: TopicModel | None = None,
    matrix: DocTermMatrix | None = None,
    themes: Sequence[str] | None = None,
    shown: Sequence[str] | None = None,
    topic_labels: Mapping[int, str] | None = None,
    title: str | None = None,
    n_passages: int = 3,
    width: int = 70,
    n_terms: int = 30,
    events: Sequence[EventResult] = (),
    by: str | None = None,
    corrected: pd.DataFrame | None = None,
    corrected_by: str | None = None,
) -> str:
    """Return the explorer page as text (see :func:`write_explorer` for the arguments)."""
    if n_passages < 1 or width < 10 or n_terms < 5:
        raise InputError("n_passages must be ≥ 1, width ≥ 10 and n_terms ≥ 5")
    trends = theme_data(
        analysis, themes, n_passages, width, shown, by=by, corrected=corrected,
        corrected_by=corrected_by,
    )  # fmt: skip
    data: dict[str, Any] = {"trends": trends}
    data["trends"]["events"] = event_data(events, analysis.labels)
    if model is not None:
        from .models import topic_labels as auto_labels

        if matrix is not None and matrix.shape[1] != len(model.vocabulary_):
            raise InputError("matrix and model have different vocabularies")
        overrides: dict[object, str] = {k: v for k, v in (topic_labels or {}).items()}
        names = auto_labels(model.top_terms(3), labels=overrides)
        labels = {t: names.get(t, f"topic {t}") for t in range(model.topic_word_.shape[0])}
        data["topics"] = topic_data(model, matrix, labels, n_terms)
    script, version = plotly_js()
    name = title or "Themes over time"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(name)}</title>\n<style>\n{_asset('explorer.css')}</style>\n"
        f"</head>\n<body>\n<h1>{html.escape(name)}</h1>\n{_asset('explorer_body.html')}"
        f"<script>/* plotly.js v{version}, MIT licence */\n{script}\n</script>\n"
        f'<script type="application/json" id="explorer-data">{_json_for_html(data)}</script>\n'
        f"<script>\n{_asset('explorer.js')}</script>\n</body>\n</html>\n"
    )


def write_explorer(
    analysis: ThemeAnalysis,
    path: str | os.PathLike[str],
    *,
    model: TopicModel | None = None,
    matrix: DocTermMatrix | None = None,
    themes: Sequence[str] | None = None,
    shown: Sequence[str] | None = None,
    topic_labels: Mapping[int, str] | None = None,
    title: str | None = None,
    n_passages: int = 3,
    width: int = 70,
    n_terms: int = 30,
    config: Mapping[str, Any] | None = None,
    fingerprint: str | None = None,
    random_state: int | None = None,
    events: Sequence[EventResult] = (),
    seed: int | None = None,
    by: str | None = None,
    corrected: pd.DataFrame | None = None,
    corrected_by: str | None = None,
) -> list[Path]:
    """Write the interactive explorer of an analysis as one offline HTML file.

    Parameters
    ----------
    analysis
        A :class:`~topics.themes.results.ThemeAnalysis` (trends, changes, passages).
    path
        The HTML file to write (``.html`` added when missing); its manifest goes beside it.
    model, matrix
        Optionally a fitted topic model and the document–term matrix it was fitted on: adds
        the topic browser (without ``matrix`` topic sizes are shown as equal and term
        frequencies as shares).
    themes
        Themes on the page (default: all of the codebook).
    shown
        Themes drawn when the page opens (default: all of up to six, else six, those with
        changes first); the others are a tick away.
    topic_labels
        Names by topic id, overriding the automatic "k: word, word, word".
    title
        Page title.
    n_passages, width
        Documents per theme × period whose passages are kept, and characters of context.
    n_terms
        Candidate terms per topic for the relevance slider.
    config, fingerprint, random_state
        Recorded in the manifest.
    events
        Event studies (:meth:`~topics.themes.ThemeAnalysis.event`) to mark on the time axis,
        each listed with its table; choosing one shows the key passages of its period.
    seed
        Deprecated name of ``random_state``.
    by
        A corpus column (``lang``, ``outlet`` …): each theme is also drawn per group, with
        the group's own interval; the groups' series are the ones shown when the page opens.
    corrected, corrected_by
        :func:`topics.validation.corrected_trends` and the validation it used: the page then
        shows the validated themes' corrected share of documents and says so in its header.

    Returns
    -------
    list of Path
        The HTML file written.

    """
    target = Path(path)
    if target.suffix.lower() not in (".html", ".htm"):
        target = target.with_name(target.name + ".html")
    page = explorer_html(
        analysis, model=model, matrix=matrix, themes=themes, shown=shown, topic_labels=topic_labels,
        title=title, n_passages=n_passages, width=width, n_terms=n_terms, events=events, by=by,
        corrected=corrected, corrected_by=corrected_by,
    )  # fmt: skip
    data = page.encode("utf-8")
    atomic_write_bytes(target, data)
    settings = dict(config or {})
    if by:
        settings["by"] = by
    if corrected is not None:
        settings["corrected_by"] = corrected_by or "a validation"
    write_manifest(
        target,
        "explorer",
        config=settings,
        fingerprint=fingerprint,
        random_state=deprecated_seed(seed, random_state, "write_explorer"),
        extra={"files": [target.name], "plotly.js": plotly_js()[1], "bytes": len(data)},
    )
    return [target]
