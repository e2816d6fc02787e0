"""Readers that turn files into document records, with one report line per input.

Two kinds of input:

* a folder (searched recursively) or list of ``.txt`` articles — one input per file, parsed by
  :func:`topics.articles.parse_article`;
* a table — CSV, JSONL (optionally ``.gz``) or Parquet — one input per row, with a column mapping
  (``text_col``, ``date_col``, ``id_col`` …); every other column is kept as metadata.

Readers never drop anything silently: a file that is empty, binary or undecodable gets a report
line saying so. Problems with a table's *structure* (a mapped column that does not exist,
duplicate ids, a file that does not parse) raise :class:`~topics.errors.InputError` naming the
file, row and column, because no row of such a table can be trusted.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import charset_normalizer
import pandas as pd

from .articles import parse_article
from .cleaning import clean_text
from .dates import parse_date_value
from .errors import IngestWarning, InputError
from .progress import progress_bar

__all__ = [
    "ColumnMap",
    "Record",
    "ReportLine",
    "decode_bytes",
    "iter_input_files",
    "read_articles",
    "read_table",
]

TABLE_SUFFIXES = (".csv", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".parquet", ".csv.gz")
ARTICLE_SUFFIXES = (".txt",)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which table columns hold the text, date, id, title and outlet.

    ``None`` for ``date``, ``id``, ``title`` or ``outlet`` means: use a column of that exact name
    when the table has one, else do without (ids then become ``<file stem>:<row>``).
    """

    text: str = "text"
    date: str | None = None
    id: str | None = None
    title: str | None = None
    outlet: str | None = None


@dataclass(slots=True)
class Record:
    """One document as read, before de-duplication and segmentation."""

    id: str
    text: str
    raw_text: str
    date: pd.Timestamp | None
    date_precision: str
    date_source: str
    title: str | None
    outlet: str | None
    path: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ReportLine:
    """What happened to one input (a file, or a row of a table)."""

    input: str
    path: str
    row: int | None
    id: str | None
    status: str
    detail: str = ""
    encoding: str | None = None
    duplicate_of: str | None = None
    similarity: float | None = None


class _Undecodable(Exception):
    pass


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes, returning ``(text, encoding)``.

    UTF-8 (with or without BOM) and BOM-marked UTF-16 are taken as they are; otherwise the
    encoding is detected with charset-normalizer. Bytes that look binary (NUL bytes without a
    UTF-16 BOM, or mostly control characters) raise an internal error reported as
    ``undecodable``.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _Undecodable(f"invalid UTF-16: {exc}") from exc
    if b"\x00" in data:
        raise _Undecodable("binary content (NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise _Undecodable("no text encoding fits these bytes")
    text = str(best)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t")
    if controls > 0.05 * max(len(text), 1):
        raise _Undecodable("mostly control characters: binary content")
    return text, str(best.encoding)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in (*TABLE_SUFFIXES, *ARTICLE_SUFFIXES):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Expand files and folders (recursively, sorted) into input files; missing paths raise."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"input path does not exist: {path}")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not found:
                raise InputError(f"folder {path} holds no files")
            yield from found
        else:
            yield path


def is_table(path: Path) -> bool:
    """Return whether ``path`` is read as a table (CSV, JSONL, Parquet)."""
    return _suffix(path) in TABLE_SUFFIXES


def read_articles(
    files: Sequence[Path], *, root: Path | None = None, progress: bool = False
) -> tuple[list[Record], list[ReportLine]]:
    """Read ``.txt`` articles; other files get a ``skipped`` report line.

    Ids are the file path relative to ``root`` (or the file stem), without the suffix, so two
    files named alike in different folders keep distinct ids.
    """
    records: list[Record] = []
    report: list[ReportLine] = []
    for path in progress_bar(files, desc="reading articles", disable=not progress):
        doc_id = _article_id(path, root)
        where = path.as_posix()
        if _suffix(path) not in ARTICLE_SUFFIXES:
            report.append(ReportLine(where, where, None, None, "skipped", "not a .txt article"))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.append(ReportLine(where, where, None, doc_id, "unreadable", str(exc)))
            continue
        if not data.strip():
            report.append(ReportLine(where, where, None, doc_id, "empty", "file has no text"))
            continue
        try:
            raw, encoding = decode_bytes(data)
        except _Undecodable as exc:
            report.append(ReportLine(where, where, None, doc_id, "undecodable", str(exc)))
            continue
        detail = ""
        if encoding not in ("utf-8", "utf-8-sig"):
            detail = f"not UTF-8: decoded as {encoding}"
            warnings.warn(f"{where}: {detail}", IngestWarning, stacklevel=2)
        article = parse_article(raw, path.name)
        text = clean_text(article.body)
        if not text:
            report.append(ReportLine(where, where, None, doc_id, "empty", "no text after cleaning"))
            continue
        records.append(
            Record(
                id=doc_id,
                text=text,
                raw_text=raw,
                date=article.date,
                date_precision=article.date_precision,
                date_source=article.date_source,
                title=article.title,
                outlet=article.outlet,
                path=where,
                meta={"place": article.place},
            )
        )
        report.append(ReportLine(where, where, None, doc_id, "kept", detail, encoding))
    return records, report


def _article_id(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            rel = path.relative_to(root)
        except ValueError:
            rel = Path(path.name)
    else:
        rel = Path(path.name)
    name = rel.name[: -len(_suffix(path))] if _suffix(path) else rel.stem
    return (rel.parent / name).as_posix() if rel.parent != Path(".") else name


def _load_table(path: Path) -> pd.DataFrame:
    suffix = _suffix(path)
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        data = path.read_bytes()
        if suffix.endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read table {path}: {exc}") from exc
    except Exception as exc:  # pyarrow raises its own error types for corrupt Parquet
        raise InputError(f"cannot read Parquet file {path}: {exc}") from exc
    try:
        text, encoding = decode_bytes(data)
    except _Undecodable as exc:
        raise InputError(f"cannot decode table {path}: {exc}") from exc
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        warnings.warn(f"{path}: not UTF-8, decoded as {encoding}", IngestWarning, stacklevel=3)
    if suffix.startswith((".jsonl", ".ndjson")):
        rows = []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}, line {number}: not valid JSON ({exc.msg})") from exc
            if not isinstance(value, dict):
                raise InputError(f"{path}, line {number}: expected a JSON object per line")
            rows.append(value)
        return pd.DataFrame.from_records(rows)
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(f"cannot parse CSV {path}: {exc}") from exc


def _resolve(
    frame: pd.DataFrame, path: Path, wanted: str | None, default: str, role: str
) -> str | None:
    if wanted is None:
        return default if default in frame.columns else None
    if wanted not in frame.columns:
        available = ", ".join(map(str, frame.columns)) or "(none)"
        raise InputError(
            f"{path}: the {role} column {wanted!r} does not exist; available columns: {available}"
        )
    return wanted


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value if isinstance(value, str) else str(value)


def read_table(
    path: Path, columns: ColumnMap = ColumnMap(), *, progress: bool = False
) -> tuple[list[Record], list[ReportLine]]:
    """Read a CSV / JSONL(.gz) / Parquet table into records, one report line per row.

    Raises
    ------
    InputError
        If the file cannot be parsed, a mapped column is missing, or ids repeat.

    """
    frame = _load_table(path)
    text_col = _resolve(frame, path, columns.text, "text", "text")
    if text_col is None:
        available = ", ".join(map(str, frame.columns)) or "(none)"
        raise InputError(
            f"{path}: no 'text' column; name the text column with --text-col "
            f"(available columns: {available})"
        )
    date_col = _resolve(frame, path, columns.date, "date", "date")
    id_col = _resolve(frame, path, columns.id, "id", "id")
    title_col = _resolve(frame, path, columns.title, "title", "title")
    outlet_col = _resolve(frame, path, columns.outlet, "outlet", "outlet")
    where = path.as_posix()
    stem = path.name.split(".", 1)[0]
    if id_col is not None:
        ids = [_cell_text(v).strip() for v in frame[id_col].tolist()]
        blank = [i for i, v in enumerate(ids) if not v]
        if blank:
            raise InputError(f"{path}: id column {id_col!r} is empty in row {blank[0] + 1}")
        seen: dict[str, int] = {}
        for row, value in enumerate(ids):
            if value in seen:
                raise InputError(
                    f"{path}: duplicate id {value!r} in rows {seen[value] + 1} and {row + 1} "
                    f"of column {id_col!r}; ids must be unique"
                )
            seen[value] = row
    else:
        ids = [f"{stem}:{row + 1}" for row in range(len(frame))]
    used = {c for c in (text_col, id_col, title_col, outlet_col) if c is not None}
    if date_col == "date":
        used.add("date")
    meta_cols = [c for c in frame.columns if c not in used]
    records: list[Record] = []
    report: list[ReportLine] = []
    texts = frame[text_col].tolist()
    dates = frame[date_col].tolist() if date_col else [None] * len(frame)
    titles = frame[title_col].tolist() if title_col else [None] * len(frame)
    outlets = frame[outlet_col].tolist() if outlet_col else [None] * len(frame)
    meta_values = {c: frame[c].tolist() for c in meta_cols}
    for row in progress_bar(range(len(frame)), desc=f"reading {path.name}", disable=not progress):
        doc_id = ids[row]
        label = f"{where}:{row + 1}"
        raw = _cell_text(texts[row])
        text = clean_text(raw) if raw.strip() else ""
        if not text:
            report.append(
                ReportLine(label, where, row + 1, doc_id, "empty", f"column {text_col!r} is empty")
            )
            continue
        detail = ""
        stamp: pd.Timestamp | None = None
        precision = "none"
        try:
            stamp, precision = parse_date_value(dates[row])
        except ValueError as exc:
            detail = f"row {row + 1}, column {date_col!r}: unparseable date ({exc}); kept undated"
            warnings.warn(f"{where}: {detail}", IngestWarning, stacklevel=2)
        title = _cell_text(titles[row]).strip() or None
        outlet = _cell_text(outlets[row]).strip() or None
        records.append(
            Record(
                id=doc_id,
                text=text,
                raw_text=raw,
                date=stamp,
                date_precision=precision,
                date_source="column" if stamp is not None else "none",
                title=title,
                outlet=outlet,
                path=where,
                meta={c: meta_values[c][row] for c in meta_cols},
            )
        )
        report.append(ReportLine(label, where, row + 1, doc_id, "kept", detail, "utf-8"))
    return records, report
