"""``topics report CONFIG.toml``: the theme-over-time analysis without Jupyter.

One TOML file names the corpus, the preprocessing-relevant settings, the codebook, the periods
and the (optional) topic model; :func:`run_report` writes tables (CSV), figures (SVG + PNG)
and ``manifest.json`` (the config, the corpus fingerprint, package versions, the seed, and every
file written with its SHA-256) into one output folder. Relative paths in the config are read
relative to the config file, so a config and its data can move together.

Example (``data/report.toml`` is the shipped one)::

    [corpus]
    path = "seeds"              # a folder of articles, or a CSV / JSONL / Parquet table
    segment = "paragraphs"      # "none", "paragraphs", "sentences"
    dedupe = true
    # columns = { text = "body", date = "published" }   # for tables

    [themes]
    codebook = "themes.toml"
    headline = ["sanctions", "ukraine", "connectivity", "raw_materials"]
    method = "dictionary"       # or "seeded"

    [periods]
    freq = "quarter"

    [trends]
    n_boot = 1000

    [topics]                    # optional: an unsupervised model's top terms
    model = "nmf"
    k = 8

    [output]
    folder = "../build/report"
    seed = 0
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .analysis import METHODS, analyse_themes
from .config import read_toml
from .errors import ConfigError
from .manifest import atomic_write_text, dumps, file_sha256, package_versions
from .outputs import Outputs
from .periods import FREQUENCIES, WEEKDAYS

__all__ = ["ReportConfig", "run_report"]

_SECTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "corpus": {
        "path": str,
        "segment": str,
        "dedupe": bool,
        "min_chars": int,
        "columns": dict,
        "dayfirst": bool,
        "encoding": str,
    },
    "themes": {
        "codebook": str,
        "headline": list,
        "method": str,
        "weighting": str,
        "n_free": int,
        "max_iter": int,
        "min_df": int,
    },
    "periods": {"freq": str, "week_start": str},
    "trends": {
        "n_boot": int,
        "alpha": float,
        "correction": str,
        "min_docs": int,
        "n_perm": int,
        "min_size": int,
        "max_changes": int,
    },
    "topics": {"model": str, "k": int},
    "output": {"folder": str, "seed": int},
}
_REQUIRED = {("corpus", "path"), ("themes", "codebook"), ("output", "folder")}


@dataclass(frozen=True)
class ReportConfig:
    """Settings of one report (see the module docstring for the TOML layout)."""

    corpus: Path
    codebook: Path
    output: Path
    columns: Mapping[str, str] | None = None
    dayfirst: bool | None = None
    encoding: str | None = None
    segment: str = "paragraphs"
    dedupe: bool = True
    min_chars: int = 40
    headline: tuple[str, ...] = ()
    method: str = "dictionary"
    weighting: str = "documents"
    n_free: int = 10
    max_iter: int | None = None
    min_df: int = 2
    freq: str = "quarter"
    week_start: str = "monday"
    n_boot: int = 1000
    alpha: float = 0.05
    correction: str = "fwer"
    min_docs: int = 5
    n_perm: int = 999
    min_size: int = 2
    max_changes: int = 4
    topic_model: str | None = None
    k: int = 10
    seed: int = 0
    source: Path | None = field(default=None, compare=False)

    @classmethod
    def from_toml(cls, path: str | Path) -> ReportConfig:
        """Read and check a report config; errors name the file and the field."""
        path = Path(path)
        data = read_toml(path, "report config")
        where = path.name
        for section, table in data.items():
            if section not in _SECTIONS:
                raise ConfigError(
                    f"{where}: unknown section [{section}]; expected {sorted(_SECTIONS)}"
                )
            if not isinstance(table, dict):
                raise ConfigError(f"{where}: [{section}] must be a table")
            for key, value in table.items():
                expected = _SECTIONS[section].get(key)
                if expected is None:
                    raise ConfigError(
                        f"{where}: unknown field {section}.{key}; "
                        f"expected one of {sorted(_SECTIONS[section])}"
                    )
                ok = isinstance(value, expected) and not (
                    expected is int and isinstance(value, bool)
                )
                if expected is float:
                    ok = isinstance(value, int | float) and not isinstance(value, bool)
                if not ok:
                    name = expected.__name__ if isinstance(expected, type) else str(expected)
                    raise ConfigError(
                        f"{where}: {section}.{key} must be of type {name}, got {value!r}"
                    )
        for section, key in sorted(_REQUIRED):
            if key not in data.get(section, {}):
                raise ConfigError(f"{where}: missing required field {section}.{key}")
        base = path.resolve().parent

        def resolve(text: str) -> Path:
            return Path(os.path.normpath(base / text))

        corpus, themes = data["corpus"], data["themes"]
        trends, periods = data.get("trends", {}), data.get("periods", {})
        topics, output = data.get("topics", {}), data["output"]
        headline = themes.get("headline", [])
        if not all(isinstance(h, str) for h in headline):
            raise ConfigError(f"{where}: themes.headline must be a list of theme names")
        config = cls(
            corpus=resolve(corpus["path"]),
            codebook=resolve(themes["codebook"]),
            output=resolve(output["folder"]),
            columns=corpus.get("columns"),
            dayfirst=corpus.get("dayfirst"),
            encoding=corpus.get("encoding"),
            segment=corpus.get("segment", "paragraphs"),
            dedupe=corpus.get("dedupe", True),
            min_chars=corpus.get("min_chars", 40),
            headline=tuple(headline),
            method=themes.get("method", "dictionary"),
            weighting=themes.get("weighting", "documents"),
            n_free=themes.get("n_free", 10),
            max_iter=themes.get("max_iter"),
            min_df=themes.get("min_df", 2),
            freq=periods.get("freq", "quarter"),
            week_start=periods.get("week_start", "monday"),
            n_boot=trends.get("n_boot", 1000),
            alpha=float(trends.get("alpha", 0.05)),
            correction=trends.get("correction", "fwer"),
            min_docs=trends.get("min_docs", 5),
            n_perm=trends.get("n_perm", 999),
            min_size=trends.get("min_size", 2),
            max_changes=trends.get("max_changes", 4),
            topic_model=topics.get("model"),
            k=topics.get("k", 10),
            seed=output.get("seed", 0),
            source=path,
        )
        config.check()
        return config

    def check(self) -> None:
        """Raise :class:`ConfigError` for values outside their allowed sets."""
        where = self.source.name if self.source else "report config"
        allowed: dict[str, tuple[object, tuple[object, ...]]] = {
            "corpus.segment": (self.segment, ("none", "paragraphs", "sentences")),
            "themes.method": (self.method, METHODS),
            "themes.weighting": (self.weighting, ("documents", "tokens")),
            "periods.freq": (self.freq, tuple(FREQUENCIES)),
            "periods.week_start": (self.week_start, WEEKDAYS),
            "trends.correction": (self.correction, ("fwer", "fdr")),
            "topics.model": (self.topic_model, (None, "nmf", "lda")),
        }
        for name, (value, options) in allowed.items():
            if value not in options:
                raise ConfigError(f"{where}: {name} must be one of {list(options)}, got {value!r}")
        if self.n_boot < 1 or self.k < 1 or self.min_docs < 0 or not 0 < self.alpha < 1:
            raise ConfigError(
                f"{where}: trends.n_boot and topics.k must be ≥ 1, trends.alpha in (0, 1)"
            )
        if self.seed < 0:
            raise ConfigError(f"{where}: output.seed must be 0 or a positive integer")
        if not self.corpus.exists():
            raise ConfigError(f"{where}: corpus.path {self.corpus} does not exist")
        if self.output.exists() and not self.output.is_dir():
            raise ConfigError(
                f"{where}: output.folder {self.output} is a file; give a folder for the report"
            )

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as JSON-ready values (paths as text)."""
        out = asdict(self)
        source = out.pop("source")
        base = Path(source).resolve().parent if source else Path.cwd()

        def text(value: Path) -> str:
            # relative to the config file, so the record does not depend on the checkout path
            return Path(os.path.relpath(value, base)).as_posix()

        return {k: text(v) if isinstance(v, Path) else v for k, v in out.items()}


def run_report(config: ReportConfig, *, progress: bool = False) -> dict[str, Any]:
    """Run the analysis a config describes and write its tables, figures and manifest.

    The output folder is checked first and replaced whole at the end (see
    :mod:`topics.outputs`): on any failure the previous report stays as it was. Returns the
    manifest (also written to ``<output>/manifest.json``).
    """
    with Outputs() as outputs:
        staged = outputs.folder(config.output, "report")
        return _write_report(config, staged, progress=progress)


def _write_report(config: ReportConfig, out: Path, *, progress: bool) -> dict[str, Any]:
    from . import ingest
    from .models import LDA, NMF
    from .periods import documents_per_period
    from .plots import (
        plot_corpus_timeline,
        plot_prevalence,
        plot_theme_health,
        plot_top_terms,
        plot_topic_heatmap,
        save_figure,
        write_explorer,
    )
    from .themes import Codebook
    from .vectorize import Vectorizer

    codebook = Codebook.from_toml(config.codebook)
    unknown = [h for h in config.headline if h not in codebook.names]
    if unknown:
        raise ConfigError(f"themes.headline names {unknown}, not in {config.codebook.name}")
    headline = list(config.headline) or codebook.names
    ingested = ingest(
        config.corpus,
        columns=dict(config.columns) if config.columns else None,
        segment=None if config.segment == "none" else config.segment,  # type: ignore[arg-type]
        min_chars=config.min_chars,
        dayfirst=config.dayfirst,
        encoding=config.encoding,
        dedupe=config.dedupe,
        random_state=config.seed,
        progress=progress,
    )
    corpus = ingested.corpus
    analysis = analyse_themes(
        corpus,
        codebook,
        freq=config.freq,  # type: ignore[arg-type]
        method=config.method,  # type: ignore[arg-type]
        weighting=config.weighting,  # type: ignore[arg-type]
        n_free=config.n_free,
        max_iter=config.max_iter,
        min_df=config.min_df,
        n_boot=config.n_boot,
        alpha=config.alpha,
        correction=config.correction,  # type: ignore[arg-type]
        min_docs=config.min_docs,
        n_perm=config.n_perm,
        min_size=config.min_size,
        max_changes=config.max_changes,
        week_start=config.week_start,
        random_state=config.seed,
    )
    fingerprint = corpus.fingerprint()
    settings = config.to_dict()
    written: list[Path] = []

    def table(frame: Any, name: str) -> None:
        path = out / f"{name}.csv"
        atomic_write_text(path, frame.to_csv(index=False, lineterminator="\n"))
        written.append(path)

    def figure(fig: Any, name: str) -> None:
        written.extend(
            save_figure(fig, out / name, config=settings, fingerprint=fingerprint, seed=config.seed)
        )

    table(analysis.trends.astype({"period": str}), "trends")
    table(analysis.changes.astype({"date": str, "end": str}), "changes")
    table(analysis.health.astype({"period": str}), "theme_health")
    table(analysis.key_passages(headline, n=3).astype({"period": str}), "passages")
    table(analysis.periods.astype({"period": str}), "periods")
    labels = analysis.labels
    figure(
        plot_corpus_timeline(documents_per_period(ingested.documents, config.freq)),  # type: ignore[arg-type]
        "timeline",
    )
    figure(
        plot_prevalence(analysis.trends, analysis.changes, themes=headline, labels=labels),
        "prevalence",
    )
    named = analysis.trends.assign(theme=[labels[t] for t in analysis.trends["theme"]])
    figure(plot_topic_heatmap(named, title="Theme share per period"), "heatmap")
    figure(plot_theme_health(analysis.health, labels=labels), "theme_health")
    explorer: dict[str, Any] = {}
    if config.topic_model is not None:
        matrix = Vectorizer(min_df=config.min_df).fit_transform(corpus)
        model = (
            NMF(config.k, random_state=config.seed)
            if config.topic_model == "nmf"
            else LDA(config.k, random_state=config.seed)
        ).fit(matrix)
        terms = model.top_terms(10)
        table(terms, "top_terms")
        figure(plot_top_terms(terms, n=8), "top_terms")
        explorer = {"model": model, "matrix": matrix}
    written += write_explorer(analysis, out / "explorer.html", shown=headline, config=settings,
                              fingerprint=fingerprint, seed=config.seed, **explorer)  # fmt: skip
    payload = {
        "kind": "report",
        "config": settings,
        "analysis": dict(analysis.config),
        "data_fingerprint": fingerprint,
        "seed": config.seed,
        "versions": package_versions(),
        "inputs": [{"path": config.codebook.name, "sha256": file_sha256(config.codebook)}],
        "files": [{"path": p.name, "sha256": file_sha256(p)} for p in sorted(written)],
        "ingest": {"documents": len(ingested.documents), "units": len(corpus)},
    }
    atomic_write_text(out / "manifest.json", dumps(payload))
    return payload
