"""``topics report CONFIG.toml``: the theme-over-time analysis without Jupyter.

One TOML file names the corpus, the codebook, the analysis settings and the (optional) topic
model; :func:`run_report` ingests the corpus, runs :func:`topics.themes.analyze_themes` — the
same pipeline as the library and ``topics trends`` — saves the analysis
(:meth:`~topics.themes.ThemeAnalysis.save`), draws the figures and writes ``manifest.json``
(the config, the corpus fingerprint, package versions, the seed, and every file with its
SHA-256) into one output folder, replaced whole. Relative paths are read relative to the config
file, so a config and its data can move together.

Layout (``data/report.toml`` is the shipped, commented example)::

    [corpus]     path, segment, dedupe, min_chars, columns, dayfirst, encoding, where
    [themes]     codebook, headline, measure, weighting, and the measure's own settings
                 (e.g. n_free, max_iter, min_df for "seeded")
    [periods]    freq, week_start
    [trends]     n_boot, level, min_docs, alpha, correction, n_perm, min_size, max_changes
    [topics]     family, n_topics  (optional: an unsupervised model's top terms)
    [[events]]   date, window, label   (optional, one table each: event studies around dates)
    [engine]     streaming, workers, scheduler, chunk_rows   (optional: corpora beyond memory)
    [output]     folder, seed

Every key and its allowed values come from the settings classes
(:class:`CorpusSettings`, :class:`~topics.themes.ThemeSettings`, …): an unknown key or a value
outside a ``Literal`` is one error naming the file and the field.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .. import defaults
from ..config import read_toml, renamed, settings_from
from ..errors import ConfigError
from ..files import atomic_write_text
from ..manifest import dumps, file_sha256, package_versions
from ..outputs import Outputs
from ..spreadsheet import write_csv
from ..themes.analysis import ThemeSettings

if TYPE_CHECKING:
    from ..themes.results import ThemeResults

__all__ = ["CorpusSettings", "EngineSettings", "ReportConfig", "run_report"]

_SECTIONS = ("corpus", "themes", "periods", "trends", "topics", "engine", "output", "events")
# which ThemeSettings fields each TOML section holds
_SECTION_KEYS = {
    "periods": {"freq", "week_start"},
    "trends": {"n_boot", "level", "min_docs", "alpha", "correction", "n_perm", "min_size",
               "max_changes"},
}  # fmt: skip


@dataclass(frozen=True)
class CorpusSettings:
    """``[corpus]``: what to read and how (see :func:`topics.ingest`)."""

    path: str
    segment: Literal["none", "paragraphs", "sentences"] = defaults.SEGMENT  # type: ignore[assignment]
    dedupe: bool = defaults.DEDUPE
    min_chars: int = defaults.MIN_CHARS
    columns: Mapping[str, str | list[str]] | None = None
    dayfirst: bool | None = None
    encoding: str | None = None
    where: Mapping[str, str | list[str]] | None = None


@dataclass(frozen=True)
class EventSpec:
    """``[[events]]``: an event study around ``date`` (see :func:`topics.trends.event_study`).

    ``window`` periods on each side (default: the largest that fits, at most
    :data:`topics.defaults.EVENT_WINDOW`); ``label`` names the event in figures and the
    explorer, and its files (``event_LABEL.csv``).
    """

    date: str
    window: int | None = None
    label: str | None = None

    @property
    def slug(self) -> str:
        """The name of the event's files: its label (or date) in lowercase letters and digits."""
        text = (self.label or self.date).lower()
        return "_".join("".join(c if c.isalnum() else " " for c in text).split()) or "event"


@dataclass(frozen=True)
class EngineSettings:
    """``[engine]``: run chunk by chunk on Dask (see :mod:`topics.scale`) instead of in memory.

    With ``streaming = true`` the corpus is read into a dataset inside the report folder and
    every step runs on a local cluster of ``workers`` processes (default: one per CPU) or on
    the cluster at ``scheduler``; ``chunk_rows`` caps the documents per chunk.
    """

    streaming: bool = False
    workers: int | None = None
    scheduler: str | None = None
    chunk_rows: int = defaults.CHUNK_ROWS


@dataclass(frozen=True)
class ReportConfig:
    """Settings of one report (see the module docstring for the TOML layout)."""

    corpus: Path
    codebook: Path
    output: Path
    reading: CorpusSettings
    analysis: ThemeSettings = field(default_factory=ThemeSettings)
    headline: tuple[str, ...] = ()
    family: str | None = None
    n_topics: int = 10
    engine: EngineSettings = field(default_factory=EngineSettings)
    events: tuple[EventSpec, ...] = ()
    source: Path | None = field(default=None, compare=False)

    @property
    def topic_model(self) -> str | None:
        """Deprecated name of :attr:`family`."""
        warnings.warn("ReportConfig.topic_model is now .family", DeprecationWarning, stacklevel=2)
        return self.family

    @property
    def k(self) -> int:
        """Deprecated name of :attr:`n_topics`."""
        warnings.warn("ReportConfig.k is now .n_topics", DeprecationWarning, stacklevel=2)
        return self.n_topics

    @property
    def seed(self) -> int:
        """The one seed of the report (ingest, models, bootstrap, permutations)."""
        return self.analysis.random_state

    @classmethod
    def from_toml(cls, path: str | Path) -> ReportConfig:
        """Read and check a report config; errors name the file and the field."""
        path = Path(path)
        data = read_toml(path, "report config")
        where = path.name
        for section, table in data.items():
            if section not in _SECTIONS:
                raise ConfigError(f"{where}: unknown section [{section}]; expected {_SECTIONS}")
            if section == "events":
                if not isinstance(table, list) or not all(isinstance(t, dict) for t in table):
                    raise ConfigError(f"{where}: events must be [[events]] tables")
            elif not isinstance(table, dict):
                raise ConfigError(f"{where}: [{section}] must be a table")
        for section, key in (("corpus", "path"), ("themes", "codebook"), ("output", "folder")):
            if key not in data.get(section, {}):
                raise ConfigError(f"{where}: missing required field {section}.{key}")
        reading = settings_from(CorpusSettings, data["corpus"], f"{where}, [corpus]")
        engine = settings_from(EngineSettings, data.get("engine", {}), f"{where}, [engine]")
        events = tuple(
            settings_from(EventSpec, table, f"{where}, [[events]] #{i + 1}")
            for i, table in enumerate(data.get("events", []))
        )
        themes = dict(data["themes"])
        codebook, headline = themes.pop("codebook"), themes.pop("headline", [])
        if not isinstance(codebook, str):
            raise ConfigError(f"{where}: themes.codebook must be a path")
        if not isinstance(headline, list) or not all(isinstance(h, str) for h in headline):
            raise ConfigError(f"{where}: themes.headline must be a list of theme names")
        output = dict(data["output"])
        folder, seed = output.pop("folder"), output.pop("seed", defaults.SEED)
        _no_other(output, "output", "folder, seed", where)
        if not isinstance(folder, str):
            raise ConfigError(f"{where}: output.folder must be a path")
        topics = renamed(
            data.get("topics", {}), {"model": "family", "k": "n_topics"}, where, "topics."
        )
        family, n_topics = topics.pop("family", None), topics.pop("n_topics", 10)
        _no_other(topics, "topics", "family, n_topics", where)
        names = {
            "random_state": "output.seed",
            "measure": "themes.measure",
            "weighting": "themes.weighting",
            "measure_options": "themes.<measure settings>",
        }
        given: dict[str, Any] = {}
        for section, known in _SECTION_KEYS.items():
            table = data.get(section, {})
            names |= {key: f"{section}.{key}" for key in table}
            _no_other(sorted(set(table) - known), section, str(sorted(known)), where)
            given |= table
        analysis = ThemeSettings.from_mapping(
            {**_analysis_keys(themes, where), **given, "random_state": seed}, where, names
        )
        base = path.resolve().parent

        def resolve(text: str) -> Path:
            return Path(os.path.normpath(base / text))

        config = cls(
            corpus=resolve(reading.path),
            codebook=resolve(codebook),
            output=resolve(folder),
            reading=reading,
            analysis=analysis,
            headline=tuple(headline),
            family=family,
            n_topics=n_topics,
            engine=engine,
            events=events,
            source=path,
        )
        config.check()
        return config

    def check(self) -> None:
        """Raise :class:`ConfigError` for what the settings classes cannot see."""
        from ..models import MODELS

        where = self.source.name if self.source else "report config"
        if self.family is not None and self.family not in MODELS:
            raise ConfigError(
                f"{where}: topics.family must be one of {list(MODELS.names())}, got {self.family!r}"
            )
        n_topics = self.n_topics
        if isinstance(n_topics, bool) or not isinstance(n_topics, int) or n_topics < 1:
            raise ConfigError(
                f"{where}: topics.n_topics must be a positive integer, got {n_topics!r}"
            )
        for name in ("workers", "chunk_rows"):
            value = getattr(self.engine, name)
            if value is not None and (isinstance(value, bool) or value < 1):
                raise ConfigError(f"{where}: engine.{name} must be 1 or more, got {value!r}")
        if not self.corpus.exists():
            raise ConfigError(f"{where}: corpus.path {self.corpus} does not exist")
        chosen = self.reading.where
        if chosen is not None:
            if not isinstance(chosen, dict) or not all(
                isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))
                for v in chosen.values()
            ):
                raise ConfigError(
                    f'{where}: corpus.where must be a table such as {{ lang = "uk" }} or '
                    f'{{ lang = ["ru", "kk"] }}'
                )
            if self.engine.streaming:
                raise ConfigError(
                    f"{where}: corpus.where needs the corpus in memory; without [engine] "
                    "streaming, or ingest the chosen documents into their own dataset"
                )
        slugs = [e.slug for e in self.events]
        for i, spec in enumerate(self.events):
            if spec.window is not None and (isinstance(spec.window, bool) or spec.window < 1):
                raise ConfigError(f"{where}: [[events]] #{i + 1}: window must be 1 or more")
            if slugs.count(spec.slug) > 1:
                raise ConfigError(
                    f"{where}: two [[events]] are both called {spec.slug!r}; give each a label"
                )
        if self.output.exists() and not self.output.is_dir():
            raise ConfigError(
                f"{where}: output.folder {self.output} is a file; give a folder for the report"
            )

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as JSON-ready values (paths relative to the config file)."""
        base = Path(self.source).resolve().parent if self.source else Path.cwd()

        def text(value: Path) -> str:
            # relative to the config file, so the record does not depend on the checkout path
            return Path(os.path.relpath(value, base)).as_posix()

        return {
            "corpus": {**dataclasses.asdict(self.reading), "path": text(self.corpus)},
            "codebook": text(self.codebook),
            "output": text(self.output),
            "headline": list(self.headline),
            "analysis": self.analysis.to_dict(),
            "topics": {"family": self.family, "n_topics": self.n_topics},
            "engine": dataclasses.asdict(self.engine),
            "events": [dataclasses.asdict(e) for e in self.events],
        }


def _no_other(fields: Iterable[str], section: str, known: str, where: str) -> None:
    """Raise :class:`ConfigError` naming the first of ``fields`` (unread in ``[section]``)."""
    for field_name in fields:  # the first, if any
        raise ConfigError(f"{where}: unknown field {section}.{field_name}; known: {known}")


def _analysis_keys(themes: dict[str, Any], where: str) -> dict[str, Any]:
    """Split ``[themes]`` into analysis settings and the measure's own settings."""
    from ..themes.measures import MEASURES

    measure = themes.pop("measure", themes.pop("method", "dictionary"))
    out: dict[str, Any] = {"measure": measure}
    if "weighting" in themes:
        out["weighting"] = themes.pop("weighting")
    cls = MEASURES.get(measure) if isinstance(measure, str) else None
    fields: set[str] = (
        {f.name for f in dataclasses.fields(cls)}
        if cls and dataclasses.is_dataclass(cls)
        else set()
    )
    unknown = sorted(set(themes) - fields)
    if unknown:
        known = ", ".join(["codebook", "headline", "measure", "weighting", *sorted(fields)])
        raise ConfigError(
            f"{where}: unknown field themes.{unknown[0]} for the {measure!r} measure; "
            f"known: {known}"
        )
    out["measure_options"] = themes
    return out


def run_report(
    config: ReportConfig,
    *,
    progress: bool | None = None,
    echo: Callable[[str], object] | None = None,
) -> dict[str, Any]:
    """Run the analysis a config describes and write its tables, figures and manifest.

    The output folder is checked first and replaced whole at the end (see
    :mod:`topics.outputs`): on any failure the previous report stays as it was. Returns the
    manifest (also written to ``<output>/manifest.json``). ``echo`` (e.g. ``print``) is given
    the change test's summary, as ``topics changes`` prints it, once the report is written.
    """
    inputs = [config.corpus, config.codebook, *([config.source] if config.source else [])]
    analysis: ThemeResults
    with Outputs(inputs=inputs) as outputs:
        staged = outputs.folder(config.output, "report")
        manifest, analysis = _write_report(config, staged, progress=progress)
    if echo is not None:
        echo(analysis.change_test.summary())
    return manifest


#: Why a report on a dataset has no explorer.
NO_EXPLORER = (
    "explorer.html is not written for a report on a dataset: it embeds every document's "
    "shares; the tables and figures are all here"
)


def _write_report(
    config: ReportConfig, out: Path, *, progress: bool | None
) -> tuple[dict[str, Any], ThemeResults]:
    """Ingest, analyse, draw: in memory, or chunk by chunk (``[engine] streaming``) — one path.

    The library's front doors (:mod:`topics.scale`) pick the engine; a dataset is read into
    ``dataset/`` inside the report, and the optional topic model goes to ``model/``.
    """
    import contextlib

    from ..corpus.periods import documents_per_period
    from ..io.readers import ColumnMap
    from ..plots import plot_top_terms, save_figure, write_explorer
    from ..scale import DatasetIngest, Engine, analyze_themes, fit, ingest
    from ..scale.dataset import dataset_documents_per_period
    from ..themes import Codebook, ThemeAnalysis

    codebook = Codebook.from_toml(config.codebook)
    unknown = [h for h in config.headline if h not in codebook.names]
    if unknown:
        raise ConfigError(f"themes.headline names {unknown}, not in {config.codebook.name}")
    headline = list(config.headline) or codebook.names
    reading, streaming = config.reading, config.engine.streaming
    with (
        Engine(config.engine.scheduler, workers=config.engine.workers, progress=progress)
        if streaming
        else contextlib.nullcontext()
    ) as engine:
        ingested = ingest(
            config.corpus, out / "dataset" if streaming else None, dataset=streaming,
            chunk_rows=config.engine.chunk_rows, engine=engine,
            columns=ColumnMap.from_mapping(reading.columns) if reading.columns else None,
            segment=None if reading.segment == "none" else reading.segment,
            min_chars=reading.min_chars, dayfirst=reading.dayfirst, encoding=reading.encoding,
            dedupe=reading.dedupe, random_state=config.seed,
            progress=progress,
        )  # fmt: skip
        if isinstance(ingested, DatasetIngest):
            source: Any = ingested.dataset
            timeline = dataset_documents_per_period(source, config.analysis.freq, engine)
            fingerprint, counts = source.fingerprint, len(source)
        else:
            source = ingested.corpus
            documents = ingested.documents
            for column, values in (reading.where or {}).items():  # segments carry metadata too
                source, documents = source.where(column, values), documents.where(column, values)
            timeline = documents_per_period(documents, config.analysis.freq)
            fingerprint, counts = source.fingerprint(), len(source)
        analysis = analyze_themes(source, codebook, config.analysis, engine=engine,
                                  progress=progress)  # fmt: skip
        fitted = None
        if config.family is not None:
            fitted = fit(source, config.n_topics, config.family, output=out / "model",
                         engine=engine, random_state=config.seed, progress=progress)  # fmt: skip
    settings = config.to_dict()
    analysis.save(out, passages=headline)

    def figure(fig: Any, name: str) -> None:
        save_figure(
            fig, out / name, config=settings, fingerprint=fingerprint, random_state=config.seed
        )

    theme_figures(analysis, timeline, headline, figure)
    events = write_events(analysis, config, out, figure)
    if fitted is not None:
        write_csv(fitted.top_terms, out / "top_terms.csv")
        figure(plot_top_terms(fitted.top_terms, n=8), "top_terms")
    notes = None
    if streaming:
        notes = [NO_EXPLORER]
        print(f"note: {NO_EXPLORER}")
    else:
        assert isinstance(analysis, ThemeAnalysis)  # in memory
        write_explorer(
            analysis, out / "explorer.html", shown=headline, config=settings,
            fingerprint=fingerprint, random_state=config.seed, events=events,
            model=fitted.model if fitted else None, matrix=fitted.matrix if fitted else None,
        )  # fmt: skip
    count = {"documents": ingested.summary["documents"], "units": counts}
    manifest = write_report_manifest(
        out, config, settings, analysis, fingerprint, count, notes=notes
    )
    return manifest, analysis


def write_report_manifest(
    out: Path,
    config: ReportConfig,
    settings: dict[str, Any],
    analysis: Any,
    fingerprint: str,
    ingest: dict[str, int],
    notes: list[str] | None = None,
) -> dict[str, Any]:
    """Write a report's ``manifest.json`` (in memory or streamed) and return its contents.

    Its ``files`` are every other file of the folder with its SHA-256, sorted by path, each
    figure's own manifest too: a later report may replace only a folder holding nothing else.
    """
    found = sorted(p for p in out.rglob("*") if p.is_file() and p != out / "manifest.json")
    files = [{"path": p.relative_to(out).as_posix(), "sha256": file_sha256(p)} for p in found]
    payload: dict[str, Any] = {
        "kind": "report",
        "config": settings,
        "analysis": analysis.config,
        "data_fingerprint": fingerprint,
        "random_state": config.seed,
        "versions": package_versions(),
        "inputs": [{"path": config.codebook.name, "sha256": file_sha256(config.codebook)}],
        "files": files,
        "ingest": ingest,
    }
    if notes is not None:
        payload["notes"] = notes
    atomic_write_text(out / "manifest.json", dumps(payload))
    return payload


def write_events(analysis: Any, config: ReportConfig, out: Path, figure: Any) -> list[Any]:
    """Run the config's event studies; write each one's tables and figure into ``out``."""
    from ..plots import plot_event

    results = []
    for spec in config.events:
        result = analysis.event(spec.date, spec.window, label=spec.label)
        result.save(out, name=f"event_{spec.slug}")
        title = f"{result.label}: each theme {result.window} periods before and after"
        figure(plot_event(result.profile, result.table, labels=analysis.labels, title=title),
               f"event_{spec.slug}")  # fmt: skip
        results.append(result)
    return results


def theme_figures(analysis: Any, timeline: Any, headline: list[str], figure: Any) -> None:
    """Draw the report's figures of an analysis (in memory or streamed): ``figure(fig, name)``.

    The corpus timeline (``timeline``: documents per period and date precision), the headline
    themes' prevalence with their changes, every theme's share per period, seed-term health.
    """
    from ..plots import plot_corpus_timeline, plot_prevalence, plot_theme_health, plot_topic_heatmap

    labels = analysis.labels
    figure(plot_corpus_timeline(timeline), "timeline")
    figure(
        plot_prevalence(analysis.trends, analysis.changes, themes=headline, labels=labels),
        "prevalence",
    )
    named = analysis.trends.assign(theme=[labels[t] for t in analysis.trends["theme"]])
    figure(plot_topic_heatmap(named, title="Theme share per period"), "heatmap")
    figure(plot_theme_health(analysis.health, labels=labels), "theme_health")
