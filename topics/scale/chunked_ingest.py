"""From files to a :class:`~topics.scale.CorpusDataset`, chunk by chunk, with the full report.

The streaming counterpart of :func:`topics.io.ingest`, in two passes of tasks on the engine:

1. **read** — each task reads one input table, or up to ``batch_files`` article files of one
   folder, with the in-memory readers (same cleaning, dates, encodings, report lines), keeps the
   documents in a staged Parquet file and returns its report lines, notes and — with
   ``dedupe`` — its documents' MinHash signatures;
2. **write** — after ids are checked across all inputs and duplicates found across chunks
   (:mod:`topics.scale.dedupe`), each task drops its absorbed documents, segments the rest and
   writes them as month-partitioned chunks of at most ``chunk_rows`` rows.

Memory: a task holds one input file (or one batch of articles); the driver holds one report
line per input, each document's id and input path and, with ``dedupe``, its signature (LSH
band hashes, date and length: about 300 bytes a document at the default threshold).
Split input tables larger than a few hundred megabytes into several files.

A folder with more articles than ``batch_files`` is read by several tasks; when its numeric
datelines decide the day/month order, a first quick pass reads only their datelines, so the
order is decided over the whole folder, as in memory.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .. import defaults
from ..corpus.corpus import Corpus
from ..corpus.dedupe import check_settings
from ..corpus.languages import check_language
from ..errors import ConfigError, IngestWarning, InputError, TopicsWarning
from ..io.encodings import check_encoding
from ..io.ingestion import (
    IngestReport,
    check_unique_ids,
    ingest_settings,
    input_paths,
    mark_lines,
    records_frame,
    report_of,
    segment_noted,
    warn_empty,
    with_languages,
)
from ..io.readers import ColumnMap, ReportLine, read_articles
from ..io.tables import read_table
from ..limits import check_seed
from ..outputs import Outputs
from ..spreadsheet import write_csv
from ._plan import ReadTask, agree_on_dates, plan_reads
from .dataset import Chunk, CorpusDataset, describe, read_chunk, write_description, write_pieces
from .dedupe import ChunkSigns, cross_duplicates, sign_chunk
from .engine import Engine, engine_for

__all__ = ["DatasetIngest", "ingest_dataset"]

_STAGING = ".staging"


_WARNINGS_LOCK = threading.RLock()


@dataclass(frozen=True)
class DatasetIngest:
    """What :func:`ingest_dataset` returns.

    Attributes
    ----------
    dataset
        The dataset written.
    report
        One line per input, as :func:`topics.io.ingest` reports it.
    duplicates
        Absorbed documents: ``id, duplicate_of, similarity, exact``.
    summary
        Documents (before segmentation), dated, per year, date precision and source.

    """

    dataset: CorpusDataset
    report: IngestReport
    duplicates: pd.DataFrame
    summary: Mapping[str, Any]


@dataclass(frozen=True)
class _Read:
    """What a read task returns (no texts)."""

    lines: list[ReportLine]
    notes: list[str]
    warnings: list[tuple[str, str]]
    ids: list[str]
    paths: list[str]
    undated: list[str]
    signs: ChunkSigns | None


@dataclass(frozen=True)
class _Settings:
    columns: ColumnMap
    dayfirst: bool | None
    encoding: str | None
    dedupe: bool
    threshold: float
    random_state: int
    segment: Literal["paragraphs", "sentences", "windows"] | None
    window: int
    min_chars: int
    chunk_rows: int
    lang: str | None


def _read(item: ReadTask, settings: _Settings, staging: Path) -> _Read:
    """Read one task's inputs and stage its documents (runs on a worker)."""
    notes: list[str] = []
    dayfirst = item.dayfirst if item.dayfirst is not None else settings.dayfirst
    # warnings are process-wide state: threads of one worker process must not record at once
    with _WARNINGS_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reader = (
            partial(read_table, item.table, settings.columns) if item.table is not None
            else partial(read_articles, list(item.articles))
        )  # fmt: skip
        records, lines = reader(
            dayfirst=dayfirst, encoding=settings.encoding, progress=False, notes=notes
        )
        check_unique_ids(records)
        ids = [r.id for r in records]
        paths = [r.path for r in records]
        undated = [r.id for r in records if r.date is None]
        frame = records_frame(records, notes)  # empties ``records``
    said = [(w.category.__name__, str(w.message)) for w in caught]
    frame.to_parquet(staging / f"s{item.index:06d}.parquet", index=False)
    signs = None
    if settings.dedupe and len(frame):
        signs = sign_chunk(
            frame, threshold=settings.threshold, shingle_size=5, num_perm=128,
            random_state=settings.random_state,
        )  # fmt: skip
    return _Read(lines, notes, said, ids, paths, undated, signs)


def _write(
    job: tuple[int, dict[int, list[str]], list[int]], settings: _Settings, staging: Path
) -> tuple[list[Chunk], list[str], dict[str, Any]]:
    """Drop absorbed documents, segment, write month chunks (runs on a worker)."""
    index, absorbed_by, dropped = job
    frame = read_chunk(staging / f"s{index:06d}.parquet")
    if settings.dedupe:
        frame["absorbed_ids"] = [sorted(absorbed_by.get(i, [])) for i in range(len(frame))]
    documents = with_languages(Corpus(frame.drop(index=frame.index[dropped])), settings.lang)
    notes: list[str] = []
    # segmenting collects its notes in a list, but the pandas code under it may still touch the
    # process-wide warnings state, so it does not run while another thread records (see _read)
    with _WARNINGS_LOCK:
        corpus = segment_noted(
            documents, settings.segment, settings.window, settings.min_chars, notes
        )
    chunks = write_pieces(corpus.to_frame(), staging.parent, f"c{index:06d}", settings.chunk_rows)
    return chunks, notes, dict(documents.summary())


def _merge_summaries(parts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Add up the chunks' summaries: counts, and tallies (languages most frequent first)."""
    tallies: dict[str, Counter[Any]] = {
        key: Counter() for key in ("per_year", "precision", "date_source", "languages")
    }
    for part in parts:
        for key, tally in tallies.items():
            tally.update(part.get(key, {}))
    languages = tallies.pop("languages")
    return {
        "documents": sum(part["documents"] for part in parts),
        "dated": sum(part["dated"] for part in parts),
        **{key: dict(sorted(tally.items())) for key, tally in tallies.items()},
        "languages": dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def ingest_dataset(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    columns: ColumnMap | Mapping[str, Any] | None = None,
    segment: Literal["paragraphs", "sentences", "windows"] | None = None,
    window: int = defaults.WINDOW,
    min_chars: int = defaults.MIN_CHARS,
    dedupe: bool = defaults.DEDUPE,
    threshold: float = defaults.DEDUPE_THRESHOLD,
    random_state: int = defaults.SEED,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    lang: str | None = None,
    chunk_rows: int = defaults.CHUNK_ROWS,
    batch_files: int = defaults.BATCH_FILES,
    engine: Engine | None = None,
) -> DatasetIngest:
    """Read, clean, date, de-duplicate and segment files into a dataset, chunk by chunk.

    Takes the settings of :func:`topics.io.ingest` — the same documents, report and duplicates
    come out — plus where to write the dataset (a folder, replaced whole when the run ends),
    ``chunk_rows`` (most documents per chunk), ``batch_files`` (most article files per read
    task) and the ``engine`` to run on (default: a local cluster for this call).
    """
    check_seed(random_state)
    if chunk_rows < 1 or batch_files < 1:
        raise ConfigError("chunk_rows and batch_files must be 1 or more")
    roots = input_paths(paths)
    relative = [r for r in roots if not r.is_absolute()]
    if engine is not None and engine.scheduler is not None and relative:
        raise ConfigError(
            f"input path {relative[0]} is relative: workers of a remote scheduler do not share "
            "this directory; give absolute paths (on a disk every machine sees at that path)"
        )
    if dedupe:
        check_settings(threshold, 5, 128)
    settings = _Settings(
        columns if isinstance(columns, ColumnMap) else ColumnMap.from_mapping(columns),
        dayfirst, check_encoding(encoding) if encoding is not None else None, dedupe, threshold,
        random_state, segment, window, min_chars, chunk_rows,
        check_language(lang) if lang is not None else None,
    )  # fmt: skip
    items, inputs = plan_reads(roots, batch_files)
    with engine_for(engine) as runner, Outputs(inputs=roots) as outputs:
        folder = outputs.folder(output, "dataset")
        staging = (folder / _STAGING).absolute()  # workers may run elsewhere
        staging.mkdir()
        chunks, report, duplicates, summary = _run(items, settings, staging, runner)
        shutil.rmtree(staging)
        info = describe(chunks, _config(settings), documents=summary["documents"])
        write_description(folder, info)
        report.to_csv(folder / "report.csv")
        write_csv(duplicates, folder / "duplicates.csv")
        outputs.manifest(
            output, "dataset", config=info["settings"], fingerprint=info["fingerprint"],
            inputs=inputs, random_state=random_state,
            extra={"counts": report.counts(), "notes": list(report.notes),
                   "summary": summary, "engine": runner.describe()},
        )  # fmt: skip
    return DatasetIngest(CorpusDataset.open(output), report, duplicates, summary)


def _run(
    items: list[ReadTask], settings: _Settings, staging: Path, engine: Engine
) -> tuple[list[Chunk], IngestReport, pd.DataFrame, dict[str, Any]]:
    """Read, check ids, find duplicates and write: the chunks, report, duplicates and summary."""
    items, order_notes = agree_on_dates(items, settings.dayfirst, settings.encoding, engine)
    shared = engine.share(settings)
    reads = list(engine.map(_read, items, shared, staging, desc="reading"))
    notes = order_notes + [note for r in reads for note in r.notes]
    kinds = {"IngestWarning": IngestWarning, "TopicsWarning": TopicsWarning}
    for category, message in (w for r in reads for w in r.warnings):
        warnings.warn(message, kinds.get(category, UserWarning), stacklevel=3)
    seen: dict[str, str] = {}
    for r in reads:
        for doc_id, path in zip(r.ids, r.paths, strict=True):
            if doc_id in seen:
                raise InputError(
                    f"id {doc_id!r} occurs in both {seen[doc_id]} and {path}; ids must be "
                    "unique across inputs (rename a file or map another --id-col)"
                )
            seen[doc_id] = path
    duplicates, absorbed_by, dropped = _duplicates(reads, items, settings, staging, engine)
    duplicated = set(duplicates["id"])
    undated = [i for r in reads for i in r.undated if i not in duplicated]
    lines = [line for r in reads for line in r.lines]
    mark_lines(lines, duplicates, undated)
    jobs = [(item.index, absorbed_by.get(item.index, {}), dropped.get(item.index, []))
            for item in items]  # fmt: skip
    chunks: list[Chunk] = []
    summaries = []
    for written, said, summary in engine.map(_write, jobs, shared, staging, desc="writing"):
        chunks += written
        notes += said
        summaries.append(summary)
    report = report_of(lines, _merge_counted_notes(notes))
    summary = _merge_summaries(summaries)
    if summary["documents"] == 0:
        warn_empty(report)
    return chunks, report, duplicates, summary


_COUNTED_NOTE = re.compile(r"^(\d+) of (\d+) (documents have no blank line between .*)$", re.S)


def _merge_counted_notes(notes: list[str]) -> list[str]:
    """One "N of M documents …" note, summed over the tasks, as the in-memory ingest writes it."""
    matches = [_COUNTED_NOTE.match(note) for note in notes]
    counted = [match for match in matches if match is not None]
    if not counted:
        return notes
    found, total = (sum(int(match.group(g)) for match in counted) for g in (1, 2))
    merged = [note for note, match in zip(notes, matches, strict=True) if match is None]
    where = matches.index(counted[0])  # the notes before the first counted one are uncounted
    merged.insert(where, f"{found} of {total} {counted[0].group(3)}")
    return merged


def _duplicates(
    reads: list[_Read], items: list[ReadTask], settings: _Settings, staging: Path, engine: Engine
) -> tuple[pd.DataFrame, dict[int, dict[int, list[str]]], dict[int, list[int]]]:
    """Duplicates across all read tasks, and per task: absorbed ids by keeper row, rows dropped."""
    columns = ["id", "duplicate_of", "similarity", "exact"]
    signed = [(item, r) for item, r in zip(items, reads, strict=True) if r.signs is not None]
    if not settings.dedupe or not signed:
        return pd.DataFrame(columns=columns), {}, {}
    found = cross_duplicates(
        [r.signs for _, r in signed if r.signs is not None],
        [staging / f"s{item.index:06d}.parquet" for item, _ in signed],
        threshold=settings.threshold, shingle_size=5, engine=engine,
    )  # fmt: skip
    where = [(item.index, row) for item, r in signed for row in range(len(r.ids))]
    ids = [doc_id for _, r in signed for doc_id in r.ids]
    absorbed_by: dict[int, dict[int, list[str]]] = {}
    dropped: dict[int, list[int]] = {}
    for member, keeper in zip(found["index"], found["keeper"], strict=True):
        task, row = where[int(keeper)]
        absorbed_by.setdefault(task, {}).setdefault(row, []).append(ids[int(member)])
        task, row = where[int(member)]
        dropped.setdefault(task, []).append(row)
    table = pd.DataFrame(
        {
            "id": [ids[int(i)] for i in found["index"]],
            "duplicate_of": [ids[int(k)] for k in found["keeper"]],
            "similarity": found["similarity"].astype(float),
            "exact": found["exact"].astype(bool),
        },
        columns=columns,
    )
    return table, absorbed_by, dropped


def _config(settings: _Settings) -> dict[str, Any]:
    return {
        **ingest_settings(
            settings.columns,
            settings.segment,
            settings.window,
            settings.min_chars,
            settings.dedupe,
            settings.threshold,
            settings.dayfirst,
            settings.encoding,
            settings.lang,
        ),
        "chunk_rows": settings.chunk_rows,
    }
