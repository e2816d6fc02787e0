"""Finding the inputs and reading articles, with one report line per input.

Two kinds of input:

* a folder (searched recursively) or list of ``.txt`` articles — one input per file, parsed by
  :func:`topics.io.articles.parse_article`;
* a table — CSV, JSONL (optionally ``.gz``) or Parquet — one input per row, read by
  :func:`topics.io.tables.read_table`.

Nothing is dropped silently. :func:`scan_inputs` gives every entry of a folder a line:
hidden files and folders (names starting with ``.``) are ``skipped``; symbolic links are
followed once — a link to a folder already searched, or back to a folder it sits in (a loop),
is ``skipped``, a broken link is ``unreadable``; FIFOs, sockets and devices are ``skipped`` as
not regular files; a second path to the same file is ``skipped`` as the same file. Files that
are empty, binary or undecodable get a line saying so.
"""

from __future__ import annotations

import errno
import os
import stat
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..corpus.dates import decide_dayfirst
from ..errors import ConfigError, IngestWarning, InputError
from ..progress import progress_bar
from .articles import ParsedArticle, parse_article
from .cleaning import clean_text
from .encodings import Undecodable, decode_bytes

__all__ = [
    "ColumnMap",
    "InputEntry",
    "Record",
    "ReportLine",
    "iter_input_files",
    "read_articles",
    "scan_inputs",
]

TABLE_SUFFIXES = (".csv", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".parquet", ".csv.gz")
ARTICLE_SUFFIXES = (".txt",)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which table columns hold the text, date, id, title and outlet.

    ``text`` is one column or several (e.g. ``("headline", "short_description")``), joined in
    that order with a blank line between them, so each becomes a paragraph of the document.
    ``None`` for ``date``, ``id``, ``title`` or ``outlet`` means: use a column of that exact name
    when the table has one, else do without (ids then become ``<file stem>:<row>``).
    """

    text: str | tuple[str, ...] = "text"
    date: str | None = None
    id: str | None = None
    title: str | None = None
    outlet: str | None = None

    def __post_init__(self) -> None:
        texts = self.texts
        if not texts:
            raise ConfigError("no text column given; name at least one (--text-col)")
        repeated = sorted({c for c in texts if texts.count(c) > 1})
        if repeated:
            raise ConfigError(
                f"text column {repeated[0]!r} is named twice ({', '.join(texts)}); each text "
                "column is joined once — name it once"
            )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> ColumnMap:
        """Build from ``{"text": ..., "date": ...}`` (``text`` may list several columns)."""
        given = dict(values or {})
        unknown = sorted(set(given) - {"text", "date", "id", "title", "outlet"})
        if unknown:
            raise ConfigError(
                f"unknown column roles {unknown}; the roles are text, date, id, title, outlet"
            )
        if isinstance(given.get("text"), list | tuple):
            given["text"] = tuple(str(c) for c in given["text"])
        return cls(**given)

    @property
    def texts(self) -> tuple[str, ...]:
        """The text column or columns, in joining order."""
        return (self.text,) if isinstance(self.text, str) else tuple(self.text)


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
    encoding_confidence: float | None = None


@dataclass(frozen=True, slots=True)
class InputEntry:
    """One entry found by :func:`scan_inputs`: a file to read, or why it is not read.

    ``root`` is the folder given by the user that the entry was found in (article ids are
    relative to it); ``problem`` is ``(status, detail)`` for an entry that is not read.
    """

    path: Path
    root: Path | None
    problem: tuple[str, str] | None = None


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in (*TABLE_SUFFIXES, *ARTICLE_SUFFIXES):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def is_table(path: Path) -> bool:
    """Return whether ``path`` is read as a table (CSV, JSONL, Parquet)."""
    return _suffix(path) in TABLE_SUFFIXES


_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class _Scan:
    def __init__(self) -> None:
        self.entries: list[InputEntry] = []
        self.files: dict[tuple[int, int], Path] = {}
        self.folders: dict[tuple[int, int], Path] = {}

    def skip(self, path: Path, root: Path | None, detail: str, status: str = "skipped") -> None:
        self.entries.append(InputEntry(path, root, (status, detail)))

    def file(self, path: Path, root: Path | None, info: os.stat_result) -> None:
        key = (info.st_dev, info.st_ino)
        kind = next((name for test, name in _KINDS if test(info.st_mode)), None)
        if kind is not None:
            self.skip(path, root, f"not a regular file: {kind}")
        elif key in self.files:
            self.skip(path, root, f"the same file as {self.files[key].as_posix()}")
        else:
            self.files[key] = path
            self.entries.append(InputEntry(path, root))

    def link(self, path: Path, root: Path | None, ancestors: tuple[tuple[int, int], ...]) -> None:
        target = os.readlink(path)
        try:
            info = path.stat()
        except OSError as exc:
            why = "a symbolic link loop" if exc.errno == errno.ELOOP else "a broken symbolic link"
            self.skip(path, root, f"{why} to {target}", "unreadable")
            return
        if stat.S_ISDIR(info.st_mode):
            self.folder(path, root, ancestors, info)
        else:
            self.file(path, root, info)

    def folder(
        self,
        path: Path,
        root: Path | None,
        ancestors: tuple[tuple[int, int], ...],
        info: os.stat_result,
    ) -> None:
        key = (info.st_dev, info.st_ino)
        if key in self.folders:  # every ancestor is one of them
            seen = self.folders[key].as_posix()
            if key in ancestors:
                self.skip(path, root, f"a symbolic link loop back to {seen}")
            else:
                self.skip(path, root, f"a link to a folder already searched as {seen}")
            return
        self.folders[key] = path
        try:
            # real entries first, so a folder is found by its own name before any link to it
            children = sorted(os.scandir(path), key=lambda e: (e.is_symlink(), e.name))
        except OSError as exc:
            self.skip(path, root, f"folder cannot be listed: {exc.strerror}", "unreadable")
            return
        for child in children:
            child_path = Path(child.path)
            if child.name.startswith("."):
                what = "folder (not searched)" if child.is_dir() else "file"
                self.skip(child_path, root, f"hidden {what}: its name starts with '.'")
            elif child.is_symlink():
                self.link(child_path, root, (*ancestors, key))
            elif child.is_dir(follow_symlinks=False):
                self.folder(child_path, root, (*ancestors, key), child.stat(follow_symlinks=False))
            else:
                self.file(child_path, root, child.stat(follow_symlinks=False))


def scan_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[InputEntry]:
    """Expand files and folders (recursively, sorted by name) into entries, one per input.

    Raises
    ------
    InputError
        A path does not exist, or a folder holds nothing at all.

    """
    scan = _Scan()
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise InputError(f"input path does not exist: {path}")
        before = len(scan.entries)
        if path.is_symlink() and not path.exists():
            scan.link(path, None, ())
        elif path.is_dir():
            scan.folder(path, path, (), path.stat())
            if len(scan.entries) == before:
                raise InputError(f"folder {path} holds no files")
        else:
            scan.file(path, None, path.stat())
    return scan.entries


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield the files :func:`scan_inputs` finds to read (not the entries it skips)."""
    for entry in scan_inputs(paths):
        if entry.problem is None:
            yield entry.path


def _article_id(path: Path, root: Path | None) -> str:
    rel = Path(path.name)
    if root is not None and path.is_relative_to(root):
        rel = path.relative_to(root)
    name = rel.name[: -len(_suffix(path))] if _suffix(path) else rel.stem
    return (rel.parent / name).as_posix() if rel.parent != Path(".") else name


@dataclass(slots=True)
class _Read:
    path: Path
    doc_id: str
    raw: str
    article: ParsedArticle
    line: ReportLine


def _agree_on_order(read: list[_Read], dayfirst: bool | None, notes: list[str]) -> None:
    """Re-read the folders whose numeric datelines agree on month/day (see :mod:`topics.dates`)."""
    folders: dict[Path, list[_Read]] = {}
    for item in read:
        if item.article.numeric_date is not None:
            folders.setdefault(item.path.parent, []).append(item)
    for folder, items in folders.items():
        values = [item.article.numeric_date for item in items]
        order, note = decide_dayfirst(
            values,
            dayfirst,
            f"the numeric datelines in folder {folder.as_posix()}",
            label=lambda i, items=items: items[i].path.as_posix(),  # type: ignore[misc]
        )
        if note:
            notes.append(note)
            warnings.warn(note, IngestWarning, stacklevel=3)
        if order is False:
            for item in (i for i in read if i.path.parent == folder):
                item.article = parse_article(item.raw, item.path.name, dayfirst=False)


def read_articles(
    entries: Sequence[InputEntry | Path],
    *,
    root: Path | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    progress: bool | None = None,
    notes: list[str] | None = None,
) -> tuple[list[Record], list[ReportLine]]:
    """Read ``.txt`` articles; other entries get a report line saying why they are not read.

    Ids are the file path relative to the entry's root (or the file stem), without the suffix,
    so two files named alike in different folders keep distinct ids. Numeric datelines follow
    ``dayfirst``, or the order each folder's unambiguous datelines agree on; ``notes`` collects
    what was decided for the ingest report.
    """
    notes = notes if notes is not None else []
    report: list[ReportLine] = []
    read: list[_Read] = []
    for item in progress_bar(entries, desc="reading articles", enabled=progress):
        entry = item if isinstance(item, InputEntry) else InputEntry(Path(item), root)
        path = entry.path
        where = path.as_posix()
        if entry.problem is not None:
            report.append(ReportLine(where, where, None, None, *entry.problem))
            continue
        doc_id = _article_id(path, entry.root)
        if _suffix(path) not in ARTICLE_SUFFIXES:
            report.append(ReportLine(where, where, None, None, "skipped", "not a .txt article"))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            detail = f"cannot read: {exc.strerror or exc}"
            report.append(ReportLine(where, where, None, doc_id, "unreadable", detail))
            continue
        if not data.strip():
            report.append(ReportLine(where, where, None, doc_id, "empty", "file has no text"))
            continue
        try:
            decoded = decode_bytes(data, encoding)
        except Undecodable as exc:
            report.append(ReportLine(where, where, None, doc_id, "undecodable", str(exc)))
            continue
        del data
        detail = decoded.detail
        if not decoded.encoding.startswith("utf-8") and encoding is None:
            detail = f"not UTF-8: decoded as {decoded.encoding} (confidence {decoded.confidence})"
        if detail:
            warnings.warn(f"{where}: {detail}", IngestWarning, stacklevel=2)
        line = ReportLine(
            where, where, None, doc_id, "kept", detail, decoded.encoding,
            encoding_confidence=decoded.confidence,
        )  # fmt: skip
        report.append(line)
        read.append(
            _Read(
                path, doc_id, decoded.text, parse_article(decoded.text, path.name, dayfirst), line
            )
        )
    _agree_on_order(read, dayfirst, notes)
    records: list[Record] = []
    read.reverse()
    while read:  # each parsed body is dropped once its cleaned text exists
        done = read.pop()
        article = done.article
        text = clean_text(article.body)
        if not text:
            done.line.status, done.line.detail = "empty", "no text after cleaning"
            continue
        records.append(
            Record(
                id=done.doc_id,
                text=text,
                raw_text=done.raw,
                date=article.date,
                date_precision=article.date_precision,
                date_source=article.date_source,
                title=article.title,
                outlet=article.outlet,
                path=done.path.as_posix(),
                meta={"place": article.place},
            )
        )
    return records, report
