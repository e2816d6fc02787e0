"""Reading a table — CSV, JSONL (optionally ``.gz``) or Parquet — into records, row by row.

Every row gets one report line. Problems with a table's *structure* (a mapped column that does
not exist or whose name repeats, duplicate ids, a file that does not parse, a Parquet text column
that holds numbers) raise :class:`~topics.errors.InputError` naming the file, row and column.
Problems with one row are reported on its line and the rest is read:

* a text that is not text (a JSON number, ``true``, an object or a list) is ``invalid``;
* a CSV row with fewer or more fields than the header is ``invalid``;
* invalid bytes in a UTF-8 row are replaced (U+FFFD) and the row says where;
* a date that cannot be read, or lies outside 1678–2261, leaves the row undated.

Files are read as streams: a ``.gz`` is decompressed in bounded steps and refused when it
expands more than :data:`MAX_GZIP_RATIO` times (a decompression bomb); JSONL is parsed line by
line. JSON text is UTF-8 (RFC 8259); a CSV's encoding is detected (:mod:`topics.encodings`);
``encoding`` overrides both.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus.dates import MAX_YEAR, decide_dayfirst, has_time_zone, parse_date_value
from ..errors import IngestWarning, InputError
from ..progress import progress_bar
from .cleaning import clean_text
from .encodings import Undecodable, decode_bytes
from .readers import ColumnMap, Record, ReportLine, _suffix

__all__ = ["MAX_GZIP_RATIO", "NO_ID", "Table", "load_table", "read_table"]

#: ``id_col`` value that numbers rows (``file:row``) instead of reading ids from a column.
NO_ID = "none"

MAX_GZIP_RATIO = 200
"""A ``.gz`` expanding more than this many times its compressed size is refused."""
_GZIP_FLOOR = 16 << 20  # the ratio is only judged past 16 MiB of output
_STEP = 1 << 20


@dataclass(slots=True)
class Table:
    """A table as read: columns in order, values per column, and what was found on the way."""

    columns: list[str]
    values: dict[str, list[Any]]
    n_rows: int
    encoding: str | None = None
    confidence: float | None = None
    types: dict[str, str] = field(default_factory=dict)
    repeated: dict[str, str] = field(default_factory=dict)  # renamed → original name
    row_problems: dict[int, str] = field(default_factory=dict)  # rows that cannot be used
    row_details: dict[int, str] = field(default_factory=dict)  # rows kept with a remark
    notes: list[str] = field(default_factory=list)  # about the whole file


def _gunzip(path: Path) -> Iterator[bytes]:
    """Yield the decompressed bytes of a gzip file in steps of at most 1 MiB, with a guard."""
    consumed = produced = 0
    decomp = zlib.decompressobj(wbits=31)
    try:
        with open(path, "rb") as handle:
            while True:
                if decomp.unconsumed_tail:
                    data = decomp.unconsumed_tail
                elif decomp.eof and decomp.unused_data:  # a further gzip member
                    data = decomp.unused_data
                    decomp = zlib.decompressobj(wbits=31)
                else:
                    data = handle.read(_STEP)
                    consumed += len(data)
                    if not data:
                        if not decomp.eof:
                            raise InputError(
                                f"cannot read table {path}: the gzip stream is truncated"
                            )
                        return
                chunk = decomp.decompress(data, _STEP)
                produced += len(chunk)
                used = consumed - len(decomp.unconsumed_tail) - len(decomp.unused_data)
                if produced > _GZIP_FLOOR and produced > MAX_GZIP_RATIO * max(used, 1):
                    raise InputError(
                        f"{path} expands more than {MAX_GZIP_RATIO} times ({produced >> 20} MiB "
                        f"from {max(used, 1) >> 10} KiB): refused as a likely decompression "
                        "bomb; decompress it yourself if it is genuine"
                    )
                if chunk:
                    yield chunk
    except (OSError, zlib.error) as exc:
        raise InputError(f"cannot read table {path}: {exc}") from exc


def _chunks(path: Path) -> Iterator[bytes]:
    if path.name.lower().endswith(".gz"):
        yield from _gunzip(path)
        return
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_STEP):
                yield chunk
    except OSError as exc:
        raise InputError(f"cannot read table {path}: {exc.strerror or exc}") from exc


def _lines(path: Path) -> Iterator[bytes]:
    pending = bytearray()
    for chunk in _chunks(path):
        if b"\n" not in chunk:
            pending += chunk  # a long line grows in place, without copying what came before
            continue
        parts = chunk.split(b"\n")
        pending += parts[0]
        yield bytes(pending)
        yield from parts[1:-1]
        pending = bytearray(parts[-1])
    if pending:
        yield bytes(pending)


def _no_repeats(path: Path, number: int) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            twice = next(k for k in keys if keys.count(k) > 1)
            raise InputError(f"{path}, line {number}: the key {twice!r} occurs twice in one object")
        return dict(pairs)

    return hook


def _load_jsonl(path: Path, encoding: str | None) -> Table:
    rows: list[dict[str, Any]] = []
    details: dict[int, str] = {}
    codec = encoding or "utf-8"
    for number, line in enumerate(_lines(path), start=1):
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        try:
            text = line.decode(codec)
        except UnicodeDecodeError:  # replace the bad bytes and say where
            try:
                decoded = decode_bytes(line, codec)
            except Undecodable as exc:
                raise InputError(f"{path}, line {number}: {exc}") from exc
            text = decoded.text
            details[len(rows)] = f"line {number}: {decoded.detail}"
        try:
            value = json.loads(text, object_pairs_hook=_no_repeats(path, number))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}, line {number}: not valid JSON ({exc.msg})") from exc
        except RecursionError as exc:
            raise InputError(f"{path}, line {number}: JSON nested too deeply") from exc
        if not isinstance(value, dict):
            raise InputError(f"{path}, line {number}: expected a JSON object per line")
        rows.append(value)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    values = {c: [row.get(c) for row in rows] for c in columns}
    return Table(columns, values, len(rows), codec, 1.0, row_details=details)


def _unique(names: list[str], repeated: dict[str, str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}.{seen[name]}")
        if seen[name] > 1:
            repeated[out[-1]] = name
    return out


def _load_csv(path: Path, encoding: str | None) -> Table:
    data = b"".join(_chunks(path))
    try:
        decoded = decode_bytes(data, encoding)
    except Undecodable as exc:
        raise InputError(f"cannot decode table {path}: {exc}") from exc
    del data
    if not decoded.encoding.startswith("utf-8") and encoding is None:
        warnings.warn(
            f"{path}: not UTF-8, decoded as {decoded.encoding} (confidence "
            f"{decoded.confidence}); give --encoding if that is wrong",
            IngestWarning,
            stacklevel=4,
        )
    limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.reader(io.StringIO(decoded.text, newline=""))
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise InputError(f"cannot parse CSV {path}: no header row")
        repeated: dict[str, str] = {}
        columns = _unique(header, repeated)
        values: dict[str, list[Any]] = {c: [] for c in columns}
        problems: dict[int, str] = {}
        width = len(columns)
        n = 0
        for row in reader:
            if not row:
                continue  # a blank line
            if len(row) != width:
                problems[n] = (
                    f"row {n + 1} (line {reader.line_num}) has {len(row)} fields, the header "
                    f"has {width}"
                )
                row = (row + [""] * width)[:width]
            for column, cell in zip(columns, row, strict=True):
                values[column].append(cell if cell != "" else None)
            n += 1
    except csv.Error as exc:
        raise InputError(f"cannot parse CSV {path}, line {reader.line_num}: {exc}") from exc
    finally:
        csv.field_size_limit(limit)
    return Table(
        columns, values, n, decoded.encoding, decoded.confidence, repeated=repeated,
        row_problems=problems, notes=[f"{path}: {decoded.detail}"] if decoded.detail else [],
    )  # fmt: skip


def _load_parquet(path: Path) -> Table:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises its own error types for corrupt Parquet
        raise InputError(f"cannot read Parquet file {path}: {exc}") from exc
    repeated: dict[str, str] = {}
    columns = _unique([str(c) for c in table.column_names], repeated)
    named = list(zip(columns, table.columns, strict=True))
    types = {name: str(column.type) for name, column in named}
    # timestamps as datetime: any year, zone kept
    values = {name: column.to_pylist() for name, column in named}
    return Table(columns, values, table.num_rows, None, None, types, repeated)


def load_table(path: Path, encoding: str | None = None) -> Table:
    """Read a table file into a :class:`Table` (see the module docstring for the rules)."""
    suffix = _suffix(path)
    if suffix == ".parquet":
        return _load_parquet(path)
    if suffix.startswith((".jsonl", ".ndjson")):
        return _load_jsonl(path, encoding)
    return _load_csv(path, encoding)


def _resolve(table: Table, path: Path, wanted: str | None, role: str) -> str | None:
    if role == "id" and wanted == NO_ID and NO_ID not in table.values:
        return None  # ids file:row; an input column "id" is kept as "id_input"
    if wanted is None:
        return role if role in table.values else None
    if wanted not in table.values:
        available = ", ".join(c for c in table.columns if c not in table.repeated) or "(none)"
        raise InputError(
            f"{path}: the {role} column {wanted!r} does not exist; available columns: {available}"
        )
    return wanted


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value if isinstance(value, str) else str(value)


def _kind(value: object) -> str:
    names = {dict: "a JSON object", list: "a list", bool: "true/false"}
    return names.get(type(value), f"a {type(value).__name__}")


def _check_text_column(table: Table, path: Path, column: str) -> None:
    kind = table.types.get(column)
    if kind is not None and not any(t in kind for t in ("string", "null", "utf8")):
        raise InputError(
            f"{path}: the text column {column!r} holds {kind} values, not text; name the "
            "column with the text with --text-col (text_col in Python)"
        )


def _ids(table: Table, path: Path, id_col: str | None) -> list[str]:
    if id_col is None:
        stem = path.name.split(".", 1)[0]
        return [f"{stem}:{row + 1}" for row in range(table.n_rows)]
    ids = [_cell_text(v).strip() for v in table.values[id_col]]
    blank = [i for i, v in enumerate(ids) if not v and i not in table.row_problems]
    if blank:
        raise InputError(f"{path}: id column {id_col!r} is empty in row {blank[0] + 1}")
    seen: dict[str, int] = {}
    for row, value in enumerate(ids):
        if value in seen and row not in table.row_problems:
            raise InputError(
                f"{path}: duplicate id {value!r} in rows {seen[value] + 1} and {row + 1} "
                f"of column {id_col!r}; ids must be unique — name another column with "
                f"--id-col, or give each row its own id (file:row) with --id-col {NO_ID} (the "
                f"column is then kept as {id_col}_input)"
            )
        seen.setdefault(value, row)
    return ids


#: Unix-epoch units by the size of a column's numbers: a date of 1973–2286 is about 1e8–1e10
#: seconds, 1e11–1e13 milliseconds, 1e14–1e16 microseconds, 1e17–1e19 nanoseconds.
_EPOCH_UNITS = ((1e8, 1e11, "s", "seconds"), (1e11, 1e14, "ms", "milliseconds"),
                (1e14, 1e17, "us", "microseconds"), (1e17, 1e20, "ns", "nanoseconds"))  # fmt: skip


def _epoch_dates(values: list[Any], where: str, notes: list[str]) -> list[Any]:
    """Read a column of integers too large to be years as Unix epoch times, if they all are.

    The unit is decided once per column from the size of its numbers (pandas' ``to_json``
    writes dates as epoch milliseconds by default); the report says so. A column mixing
    years and other numbers is left to the per-value rules.
    """
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not numbers or any(v != v for v in numbers):
        return values
    if len(numbers) != sum(v is not None for v in values) or min(numbers) <= MAX_YEAR:
        return values
    middle = sorted(abs(v) for v in numbers)[len(numbers) // 2]
    for low, high, unit, name in _EPOCH_UNITS:
        if low <= middle < high:
            notes.append(f"{where}: {len(numbers)} integers read as Unix epoch {name} (UTC)")
            return [None if v is None else _stamp(v, unit) for v in values]
    return values


def _stamp(value: float, unit: str) -> Any:
    """Return the epoch time as a (naive, UTC) timestamp; one out of range stays as it is."""
    import pandas as pd

    try:
        return pd.Timestamp(int(value), unit=unit)
    except (OverflowError, ValueError):  # out of pandas' range: reported by the row's parse
        return value


def _dates(
    table: Table, path: Path, date_col: str | None, dayfirst: bool | None, notes: list[str]
) -> tuple[list[Any], bool | None]:
    if date_col is None:
        return [None] * table.n_rows, dayfirst
    values = table.values[date_col]
    where = f"{path}, column {date_col!r}"
    values = _epoch_dates(values, where, notes)
    order, note = decide_dayfirst(values, dayfirst, where)
    if note:
        notes.append(note)
        warnings.warn(note, IngestWarning, stacklevel=4)
    zoned = sum(1 for v in values if has_time_zone(v))
    if zoned:
        notes.append(
            f"{where}: {zoned} date{'s' if zoned > 1 else ''} with a time-zone offset converted "
            "to UTC before taking the day"
        )
    return values, order


def read_table(
    path: Path,
    columns: ColumnMap | None = None,
    *,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    progress: bool | None = None,
    notes: list[str] | None = None,
) -> tuple[list[Record], list[ReportLine]]:
    """Read a CSV / JSONL(.gz) / Parquet table into records, one report line per row.

    ``notes`` collects what the report should say about the whole table (the day/month order
    chosen for an ambiguous date column, dates converted to UTC, replaced bytes, renamed
    repeated columns).

    Raises
    ------
    InputError
        If the file cannot be parsed, a mapped column is missing or its name repeats, a Parquet
        text column is not text, a date column mixes day/month and month/day, or ids repeat.

    """
    notes = notes if notes is not None else []
    columns = columns or ColumnMap()
    table = load_table(path, encoding)
    notes.extend(table.notes)
    text_cols = list(columns.texts)  # never empty (ColumnMap checks)
    for column in text_cols:
        _resolve(table, path, column, "text")  # a missing column raises, listing those there are
    roles: dict[str, str | None] = {"text": text_cols[0]}
    roles |= {
        role: _resolve(table, path, getattr(columns, role), role)
        for role in ("date", "id", "title", "outlet")
    }
    for role, name in roles.items():
        if name is not None and f"{name}.2" in table.repeated:
            raise InputError(
                f"{path}: the column name {name!r} (the {role} column) occurs more than once; "
                "rename the repeats so each column has its own name"
            )
    for new, old in table.repeated.items():
        notes.append(f"{path}: the column name {old!r} repeats; the repeat is kept as {new!r}")
    for column in text_cols:
        _check_text_column(table, path, column)
    date_col, id_col = roles["date"], roles["id"]
    ids = _ids(table, path, id_col)
    dates, order = _dates(table, path, date_col, dayfirst, notes)
    used = {c for c in [*roles.values(), *text_cols] if c is not None} - ({date_col} - {"date"})
    meta_cols = [c for c in table.columns if c not in used]
    shown = " + ".join(repr(c) for c in text_cols)
    titles = table.values[roles["title"]] if roles["title"] else [None] * table.n_rows
    outlets = table.values[roles["outlet"]] if roles["outlet"] else [None] * table.n_rows
    where = path.as_posix()
    records: list[Record] = []
    report: list[ReportLine] = []
    undated: list[str] = []  # said once for the file, with examples, not once a row
    for row in progress_bar(
        range(table.n_rows),
        desc=f"reading {path.name}",
        enabled=progress,
    ):
        label = f"{where}:{row + 1}"

        def line(status: str, detail: str, row: int = row, label: str = label) -> ReportLine:
            return ReportLine(
                label, where, row + 1, ids[row], status, detail, table.encoding,
                encoding_confidence=table.confidence,
            )  # fmt: skip

        if row in table.row_problems:
            report.append(line("invalid", table.row_problems[row]))
            continue
        values = [(c, table.values[c][row]) for c in text_cols]
        wrong = [(c, v) for c, v in values if v is not None and not isinstance(v, str)]
        if wrong:
            name, value = wrong[0]
            detail = f"row {row + 1}, column {name!r}: {_kind(value)}, not text"
            report.append(line("invalid", detail))
            continue
        raw = "\n\n".join(v.strip() for _, v in values if isinstance(v, str) and v.strip())
        text = clean_text(raw) if raw.strip() else ""
        if not text:
            report.append(line("empty", f"column {shown} is empty"))
            continue
        detail = table.row_details.get(row, "")
        stamp = None
        precision = "none"
        try:
            stamp, precision = parse_date_value(dates[row], order)
        except ValueError as exc:
            why = f"row {row + 1}, column {date_col!r}: unparseable date ({exc}); kept undated"
            detail = f"{detail}; {why}" if detail else why
            undated.append(f"row {row + 1} ({exc})")
        records.append(
            Record(
                id=ids[row],
                text=text,
                raw_text=raw,
                date=stamp,
                date_precision=precision,
                date_source="column" if stamp is not None else "none",
                title=_cell_text(titles[row]).strip() or None,
                outlet=_cell_text(outlets[row]).strip() or None,
                path=where,
                meta={c: table.values[c][row] for c in meta_cols},
            )
        )
        report.append(line("kept", detail))
    if undated:
        shown = "; ".join(undated[:3]) + (
            f"; … {len(undated) - 3} more" if len(undated) > 3 else ""
        )
        said = (
            f"{where}: {len(undated)} row{'s' if len(undated) > 1 else ''} with an unparseable "
            f"date in column {date_col!r} kept undated: {shown}"
        )
        notes.append(said)
        warnings.warn(said, IngestWarning, stacklevel=2)
    return records, report
