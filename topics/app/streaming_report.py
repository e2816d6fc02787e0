"""``topics report`` with ``[engine] streaming = true``: the report of a corpus in chunks.

The same tables and figures as the in-memory report (:mod:`topics.app.report`) — trends with
intervals, changes, passages, seed-term health, the corpus timeline, the optional topic model's
top terms — computed chunk by chunk on a Dask cluster (:mod:`topics.scale`). The corpus is read
into a dataset inside the report folder (``dataset/``, with its own report and manifest). The
explorer is not written: it embeds every document's shares, which is what does not fit.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import defaults
from ..spreadsheet import write_csv

if TYPE_CHECKING:
    from ..scale import StreamedThemes

from .report import (
    ReportConfig,
    _column_map,
    folder_files,
    theme_figures,
    write_events,
    write_report_manifest,
)

__all__ = ["write_streaming_report"]

NO_EXPLORER = (
    "explorer.html is not written for a report on a dataset: it embeds every document's "
    "shares; the tables and figures are all here"
)


def write_streaming_report(
    config: ReportConfig, out: Path, *, progress: bool | None
) -> tuple[dict[str, Any], StreamedThemes]:
    """Write the report of ``config`` into the staged folder ``out`` (see the module docstring)."""
    from ..models import MODELS
    from ..plots import plot_top_terms, save_figure
    from ..scale import Engine, fit_dataset, ingest_dataset, stream_themes, vectorize_dataset
    from ..scale.dataset import dataset_documents_per_period
    from ..text.vectorizer import Vectorizer
    from ..themes import Codebook

    codebook = Codebook.from_toml(config.codebook)
    headline = list(config.headline) or codebook.names
    reading, engine_settings = config.reading, config.engine
    settings = config.to_dict()
    with Engine(
        engine_settings.scheduler, workers=engine_settings.workers, progress=progress
    ) as engine:
        ingested = ingest_dataset(
            config.corpus, out / "dataset", columns=_column_map(reading.columns),
            segment=None if reading.segment == "none" else reading.segment,
            min_chars=reading.min_chars, dayfirst=reading.dayfirst, encoding=reading.encoding,
            dedupe=reading.dedupe, random_state=config.seed,
            chunk_rows=engine_settings.chunk_rows, engine=engine,
        )  # fmt: skip
        data = ingested.dataset
        analysis = stream_themes(data, codebook, config.analysis, engine=engine)
        timeline = dataset_documents_per_period(data, config.analysis.freq, engine)
        model = None
        if config.family is not None:
            matrices = vectorize_dataset(
                data, Vectorizer(min_df=defaults.MIN_DF), out / ".matrices", engine=engine
            )
            estimator = MODELS.get(str(config.family))(config.n_topics, random_state=config.seed)
            model = fit_dataset(matrices, estimator, engine=engine, random_state=config.seed)
            for path in sorted((out / ".matrices").iterdir()):
                path.unlink()
            (out / ".matrices").rmdir()
    analysis.save(out, passages=headline)
    fingerprint = data.fingerprint

    def figure(fig: Any, name: str) -> None:
        save_figure(fig, out / name, config=settings, fingerprint=fingerprint, seed=config.seed)

    theme_figures(analysis, timeline, headline, figure)
    write_events(analysis, config, out, figure)
    if model is not None:
        terms = model.model.top_terms(defaults.TOP_TERMS)
        path = out / "top_terms.csv"
        write_csv(terms, path)
        figure(plot_top_terms(terms, n=8), "top_terms")
    files = folder_files(out)
    ingest = {"documents": ingested.summary["documents"], "units": len(data)}
    payload = write_report_manifest(
        out, config, settings, analysis, fingerprint, files, ingest, notes=[NO_EXPLORER]
    )
    print(f"note: {NO_EXPLORER}")
    return payload, analysis
