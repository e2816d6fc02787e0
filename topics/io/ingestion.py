"""From files to a :class:`~topics.corpus.Corpus`, with a report line for every input.

:func:`ingest` reads articles and tables, cleans and dates them, optionally removes duplicates
(before segmentation, so a republished article is absorbed whole) and segments the survivors.
The :class:`IngestReport` has exactly one line per input — a file, or a row of a table — whose
status is one of :data:`STATUSES`; its counts always sum to the number of inputs.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .. import defaults
from ..corpus.corpus import ADDED_COLUMNS, CORE_COLUMNS, Corpus, rename_inputs
from ..corpus.languages import check_language, detect_languages
from ..errors import IngestWarning, InputError
from ..limits import check_seed, release_freed_memory
from ..spreadsheet import write_csv
from .encodings import check_encoding
from .readers import ColumnMap, Record, ReportLine, is_table, read_articles, scan_inputs
from .tables import read_table

__all__ = ["STATUSES", "IngestReport", "IngestResult", "ingest"]

STATUSES: tuple[str, ...] = (
    "kept",
    "kept_undated",
    "duplicate",
    "near_duplicate",
    "empty",
    "invalid",
    "undecodable",
    "unreadable",
    "skipped",
)
REPORT_COLUMNS = tuple(f.name for f in fields(ReportLine))


@dataclass(frozen=True)
class IngestReport:
    """One line per input (file or table row): what became of it and why.

    Statuses: ``kept``, ``kept_undated`` (no date found, or one that could not be read),
    ``duplicate`` / ``near_duplicate`` (absorbed by ``duplicate_of``), ``empty``, ``invalid``
    (a text that is not text, a CSV row whose fields do not match the header), ``undecodable``
    (binary), ``unreadable`` (no permission, a broken link) and ``skipped`` (not an input: a
    hidden file, a FIFO, a link loop, a non-article file, the same file twice).

    Attributes
    ----------
    frame
        Columns ``input, path, row, id, status, detail, encoding, duplicate_of, similarity,
        encoding_confidence`` (the encoding each file was read with and how sure the detection
        was, 0–1).
    notes
        What applies to a whole file or column: the day/month order chosen for an ambiguous
        date column, dates converted to UTC, metadata columns kept as text because their
        types mix, repeated column names, bytes replaced in a file.

    """

    frame: pd.DataFrame
    notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        """Return the number of inputs per status (all statuses listed, zeros included)."""
        found = self.frame["status"].value_counts()
        return {status: int(found.get(status, 0)) for status in STATUSES}

    @property
    def n_inputs(self) -> int:
        """Number of inputs seen."""
        return len(self.frame)

    def to_csv(self, path: str | os.PathLike[str]) -> None:
        """Write the report as CSV (atomically: a reader never sees half of it)."""
        write_csv(self.frame, path)

    def render(
        self,
        corpus: Corpus | None = None,
        *,
        summary: Mapping[str, Any] | None = None,
        report_file: str | os.PathLike[str] | None = None,
    ) -> str:
        """Return a readable summary: counts, then dates per year and precision.

        The dates come from ``corpus`` (:meth:`Corpus.summary`) or a ``summary`` of the same
        shape (e.g. a dataset's, summed over its chunks). Past 20 problems the rest are
        counted and sent to ``report_file`` — the report CSV being written — or, without one,
        to the option that writes it.
        """
        lines = [f"inputs: {self.n_inputs}"]
        lines += [f"  {status:<15}{count:>8}" for status, count in self.counts().items() if count]
        summary = corpus.summary() if corpus is not None else summary
        if summary is not None:
            lines.append(f"documents in corpus: {summary['documents']} ({summary['dated']} dated)")
            if summary["per_year"]:
                lines.append("documents per year:")
                lines += [f"  {year}{count:>10}" for year, count in summary["per_year"].items()]
            counted = {"date precision": "precision", "date source": "date_source"}
            if summary.get("languages"):
                counted["languages"] = "languages"
            for name, key in counted.items():
                lines.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in summary[key].items()))
        problems = self.frame[
            ~self.frame["status"].isin(["kept", "kept_undated", "duplicate", "near_duplicate"])
        ]
        for line in problems.head(20).itertuples():
            lines.append(f"  ! {line.input}: {line.status} — {line.detail}")
        if len(problems) > 20:
            where = (
                f"all are in {report_file}"
                if report_file is not None
                else "--report FILE.csv (report= in Python) writes them all"
            )
            lines.append(f"  ! … and {len(problems) - 20} more ({where})")
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass(frozen=True)
class IngestResult:
    """What :func:`ingest` returns.

    Attributes
    ----------
    corpus
        The final corpus (segmented if asked).
    documents
        The document-level corpus before segmentation (after de-duplication).
    report
        One line per input.
    duplicates
        Absorbed documents: ``id, duplicate_of, similarity, exact`` (empty without ``dedupe``).
    inputs
        The files that were read (for a manifest), in order.
    settings
        What was asked, under the manifest's names (:func:`ingest_settings`).

    """

    corpus: Corpus
    documents: Corpus
    report: IngestReport
    duplicates: pd.DataFrame
    inputs: tuple[str, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> Mapping[str, Any]:
        """Documents (before segmentation), dated, per year, date precision and source."""
        return dict(self.documents.summary())


def ingest_settings(
    columns: ColumnMap,
    segment: str | None,
    window: int,
    min_chars: int,
    dedupe: bool,
    threshold: float,
    dayfirst: bool | None,
    encoding: str | None,
    lang: str | None,
) -> dict[str, Any]:
    """Ingest settings as manifests name them (in memory and for a dataset alike)."""
    return {
        "columns": {"text": list(columns.texts), "date": columns.date, "id": columns.id,
                    "title": columns.title, "outlet": columns.outlet},
        "segment": segment, "window": window, "min_chars": min_chars, "dedupe": dedupe,
        "threshold": threshold, "dayfirst": dayfirst, "encoding": encoding,
        "lang": lang if lang is not None else "detected",
    }  # fmt: skip


def with_languages(documents: Corpus, lang: str | None) -> Corpus:
    """``documents`` with a ``lang`` column: ``lang`` for all, or each one's detected language."""
    if not len(documents):
        return documents
    if lang is not None:
        return documents.with_metadata(lang=[check_language(lang)] * len(documents))
    return documents.with_metadata(lang=detect_languages(documents.texts))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, _dt.datetime | _dt.date | pd.Timestamp):
        return "date"
    return type(value).__name__


def _as_text(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _storable(name: str, values: list[Any], notes: list[str]) -> list[Any]:
    """Keep a metadata column as it is when Parquet can store it, else as text (noted)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    present = [v for v in values if v is not None and not (isinstance(v, float) and v != v)]
    kinds = sorted({_kind(v) for v in present})
    if len(kinds) <= 1:
        try:
            array = pa.array(present)
            if pa.types.is_nested(array.type):  # e.g. an empty object: a struct Parquet refuses
                pq.write_table(pa.table({"x": array}), pa.BufferOutputStream())
            return values
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
            pass
    what = " and ".join(kinds) if len(kinds) > 1 else f"{kinds[0]} values Parquet cannot store"
    note = f"metadata column {name!r} mixes {what}; kept as text"
    notes.append(note)
    warnings.warn(note, IngestWarning, stacklevel=4)
    return [_as_text(v) for v in values]


_TEXTS = ("text", "raw_text")


def records_frame(records: list[Record], notes: list[str]) -> pd.DataFrame:
    """Return the documents frame of records (metadata Parquet cannot store kept as text).

    The list is emptied: each text moves into its column, and each text column becomes an
    Arrow string array before the next is built, so at most one extra copy of the texts is
    alive at any time (what keeps one huge document's ingest within a small multiple of it).
    """
    meta_keys = list(dict.fromkeys(key for record in records for key in record.meta))
    renamed = {k: k for k in meta_keys}
    renamed.update(rename_inputs(meta_keys, (*CORE_COLUMNS, *ADDED_COLUMNS), notes))
    columns: dict[str, list[Any]] = {c: [] for c in CORE_COLUMNS}
    columns.update({renamed[k]: [] for k in meta_keys})
    records.reverse()
    while records:
        r = records.pop()
        for name in CORE_COLUMNS:
            value = getattr(r, name)
            columns[name].append(pd.NaT if name == "date" and value is None else value)
        for key in meta_keys:
            columns[renamed[key]].append(r.meta.get(key))
        del r
    for key in meta_keys:
        columns[renamed[key]] = _storable(key, columns[renamed[key]], notes)
    arrays: dict[str, Any] = {}
    for name in list(columns):
        values = columns.pop(name)
        arrays[name] = (
            pd.array(values, dtype=pd.StringDtype("pyarrow")) if name in _TEXTS else values
        )
        del values
    frame = pd.DataFrame(arrays, copy=False)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame


def check_unique_ids(records: list[Record]) -> None:
    """Raise :class:`InputError` naming the two inputs of the first repeated id."""
    seen: dict[str, str] = {}
    for record in records:
        if record.id in seen:
            raise InputError(
                f"id {record.id!r} occurs in both {seen[record.id]} and {record.path}; "
                "ids must be unique across inputs (rename a file, map another --id-col, or number "
                "each file's rows with --id-col none)"
            )
        seen[record.id] = record.path


def input_paths(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> list[Path]:
    """Return the paths to read as a list; none at all is an :class:`InputError`."""
    listed = [Path(p) for p in ([paths] if isinstance(paths, str | os.PathLike) else paths)]
    if not listed:
        raise InputError("no input paths given")
    return listed


def ingest(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    columns: ColumnMap | Mapping[str, str | None] | None = None,
    segment: Literal["paragraphs", "sentences", "windows"] | None = None,
    window: int = defaults.WINDOW,
    min_chars: int = defaults.MIN_CHARS,
    dedupe: bool = defaults.DEDUPE,
    threshold: float = defaults.DEDUPE_THRESHOLD,
    random_state: int = defaults.SEED,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    lang: str | None = None,
    progress: bool | None = None,
) -> IngestResult:
    """Read, clean, date, de-duplicate and segment a corpus, reporting on every input.

    Parameters
    ----------
    paths
        Files and folders. Folders are searched recursively; ``.txt`` files are articles,
        ``.csv``/``.jsonl``/``.jsonl.gz``/``.parquet`` files are tables.
    columns
        Column mapping for tables (:class:`~topics.io.readers.ColumnMap` or a dict with keys
        ``text``, ``date``, ``id``, ``title``, ``outlet``).
    segment
        ``None`` (whole documents), ``"paragraphs"``, ``"sentences"`` or ``"windows"`` (of
        ``window`` sentences).
    window
        Sentences per window when ``segment="windows"``.
    min_chars
        Shortest segment kept, in characters.
    dedupe
        Remove exact and near-duplicate documents (before segmentation).
    threshold
        Jaccard similarity of 5-word shingles above which documents are near-duplicates.
    random_state
        Seed of the MinHash permutations (0 or more).
    dayfirst
        Day/month order of numeric dates such as ``03/04/2022``: ``True`` day/month, ``False``
        month/day, ``None`` (default) the order each date column (and each folder's numeric
        datelines) agrees on; see :mod:`topics.dates`.
    encoding
        Text encoding of every input (default: detected per file; see
        :mod:`topics.encodings`).
    lang
        The language of every document (ISO 639-1, e.g. ``"ru"``); default: detected per
        document (:mod:`topics.corpus.languages`), into the ``lang`` column.
    progress
        Show progress bars.

    Returns
    -------
    IngestResult

    Raises
    ------
    InputError
        A path does not exist, a table cannot be parsed or lacks a mapped column, or ids repeat.

    """
    check_seed(random_state)
    if encoding is not None:
        encoding = check_encoding(encoding)
    path_list = input_paths(paths)
    column_map = columns if isinstance(columns, ColumnMap) else ColumnMap.from_mapping(columns)
    records: list[Record] = []
    lines: list[ReportLine] = []
    notes: list[str] = []
    inputs: list[str] = []
    for root in path_list:
        entries = scan_inputs([root])
        inputs += [e.path.as_posix() for e in entries if e.problem is None]
        tables = [e.path for e in entries if e.problem is None and is_table(e.path)]
        articles = [e for e in entries if e.problem is not None or not is_table(e.path)]
        if articles:
            got, said = read_articles(
                articles, dayfirst=dayfirst, encoding=encoding, progress=progress, notes=notes
            )
            records += got
            lines += said
            got.clear()  # ``records`` alone holds the texts (records_frame frees them)
        for table in tables:
            got, said = read_table(
                table, column_map, dayfirst=dayfirst, encoding=encoding, progress=progress,
                notes=notes,
            )  # fmt: skip
            records += got
            lines += said
            got.clear()
    check_unique_ids(records)
    release_freed_memory()  # cleaning's many small strings leave a fragmented heap behind
    documents = Corpus(records_frame(records, notes))  # empties ``records``
    duplicates = pd.DataFrame(columns=["id", "duplicate_of", "similarity", "exact"])
    if dedupe and len(documents):
        documents, duplicates = documents.dedupe(threshold=threshold, random_state=random_state)
        release_freed_memory()
    documents = with_languages(documents, lang)
    undated = documents.to_frame().loc[lambda f: f["date"].isna(), "id"].astype(str)
    mark_lines(lines, duplicates, undated)
    corpus = segment_noted(documents, segment, window, min_chars, notes)
    report = report_of(lines, notes)
    if len(documents) == 0:
        warn_empty(report)
    return IngestResult(
        corpus=corpus,
        documents=documents,
        report=report,
        duplicates=duplicates,
        inputs=tuple(dict.fromkeys(inputs)),
        settings=ingest_settings(
            column_map, segment, window, min_chars, dedupe, threshold, dayfirst, encoding, lang
        ),
    )


def segment_noted(
    documents: Corpus,
    segment: Literal["paragraphs", "sentences", "windows"] | None,
    window: int,
    min_chars: int,
    notes: list[str],
) -> Corpus:
    """Segment ``documents`` (``None``: keep them whole); what segmenting says goes to ``notes``."""
    if not segment:
        return documents
    return documents.segment(segment, window=window, min_chars=min_chars, notes=notes)


def mark_lines(
    lines: Iterable[ReportLine], duplicates: pd.DataFrame, undated: Iterable[str]
) -> None:
    """Mark the report lines of absorbed and of undated documents.

    ``duplicates`` has columns ``id, duplicate_of, similarity, exact``.
    """
    by_id = {line.id: line for line in lines if line.status == "kept"}
    for dup in duplicates.itertuples():
        line = by_id[str(dup.id)]
        line.status = "duplicate" if dup.exact else "near_duplicate"
        line.duplicate_of = str(dup.duplicate_of)
        line.similarity = round(float(dup.similarity), 4)  # type: ignore[arg-type]
        kind = "exact" if dup.exact else "near"
        line.detail = f"{kind} duplicate of {dup.duplicate_of} (Jaccard {line.similarity:.3f})"
    for doc_id in undated:
        by_id[doc_id].status = "kept_undated"
        by_id[doc_id].detail = by_id[doc_id].detail or "no date found; kept without a date"


def report_of(lines: Iterable[ReportLine], notes: Iterable[str]) -> IngestReport:
    """Build the :class:`IngestReport` of report lines and notes (repeated notes once)."""
    frame = pd.DataFrame(
        [{c: getattr(line, c) for c in REPORT_COLUMNS} for line in lines],
        columns=list(REPORT_COLUMNS),
    ).astype({"row": "Int64", "similarity": "Float64", "encoding_confidence": "Float64"})
    return IngestReport(frame, tuple(dict.fromkeys(notes)))


def warn_empty(report: IngestReport) -> None:
    """Warn that no document was kept, with the statuses that explain why."""
    counts = report.frame["status"].value_counts()
    warnings.warn(
        f"no document was kept from {report.n_inputs} inputs "
        f"({', '.join(f'{s} {n}' for s, n in counts.items())}): the corpus is empty",
        IngestWarning,
        stacklevel=3,
    )
