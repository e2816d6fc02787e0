"""The immutable :class:`Corpus`: documents with honest dates and provenance.

Every operation returns a new corpus; the stored frame is never handed out, only copies of it.
A corpus is also an iterable of its texts, so anything that streams documents accepts one.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import defaults
from ..errors import ConfigError, IngestWarning, InputError, PersistenceError
from ..manifest import atomic_file, text_fingerprint
from .dates import decide_dayfirst, parse_date_value
from .dedupe import find_duplicates
from .segment import paragraph_spans, sentence_spans, window_spans

__all__ = [
    "ADDED_COLUMNS",
    "CORE_COLUMNS",
    "DATE_PRECISIONS",
    "DATE_SOURCES",
    "LONG_PARAGRAPH",
    "Corpus",
    "rename_inputs",
]

#: A "paragraph" longer than this, in a document without blank lines, is text whose breaks were
#: lost: it is split into sentence windows instead.
LONG_PARAGRAPH = 2_000

CORE_COLUMNS: tuple[str, ...] = (
    "id",
    "text",
    "raw_text",
    "date",
    "date_precision",
    "date_source",
    "title",
    "outlet",
    "path",
)
#: Columns the package adds to a corpus after reading it: segmentation's provenance and
#: de-duplication's record. An input column of the same name is kept as ``NAME_input``.
ADDED_COLUMNS: tuple[str, ...] = (
    "parent_id", "segment", "start", "end", "absorbed_ids", "lang"
)  # fmt: skip
DATE_PRECISIONS = ("day", "month", "year", "none")
DATE_SOURCES = ("header", "dateline", "filename", "body", "column", "none")
_STRING_COLUMNS = tuple(c for c in CORE_COLUMNS if c != "date")
_SEGMENT_PREFIX = {"paragraphs": "p", "sentences": "s", "windows": "w"}


def rename_inputs(
    columns: Iterable[str], reserved: Iterable[str], notes: list[str] | None = None
) -> dict[str, str]:
    """Return new names for the input columns whose names the package uses itself.

    A metadata column called ``segment`` (or any name in ``reserved``) becomes
    ``segment_input`` (``segment_input_input`` if that is taken too), so that what the package
    adds never overwrites what was read. Each renaming is said once in ``notes`` (or, without
    a list, in an :class:`~topics.errors.IngestWarning`).

    >>> rename_inputs(["segment", "country"], ["segment", "start"], [])
    {'segment': 'segment_input'}
    """
    names = list(columns)
    taken = set(names) | set(reserved)
    renamed: dict[str, str] = {}
    for name in names:
        if name not in reserved:
            continue
        new = f"{name}_input"
        while new in taken:
            new += "_input"
        taken.add(new)
        renamed[name] = new
    if renamed:
        listed = ", ".join(f"{old!r} → {new!r}" for old, new in renamed.items())
        note = (
            f"input column{'s' if len(renamed) > 1 else ''} {listed} renamed: the package "
            "writes columns of that name itself"
        )
        if notes is None:
            warnings.warn(note, IngestWarning, stacklevel=3)
        else:
            notes.append(note)
    return renamed


def _arrow(column: pd.Series) -> pa.ChunkedArray:
    """Return the Arrow data behind a string column (no copy for Arrow-backed strings)."""
    array = column.array
    found = array.__arrow_array__() if hasattr(array, "__arrow_array__") else pa.array(array)
    return found if isinstance(found, pa.ChunkedArray) else pa.chunked_array([found])


def _utf8(column: pd.Series) -> Iterator[memoryview]:
    """Yield the UTF-8 bytes of every value of a string column as views (no copy).

    Read from the Arrow buffers themselves (a scalar's ``as_buffer`` copies the value).
    """
    for chunk in _arrow(column).chunks:
        if len(chunk) == 0:
            continue
        if chunk.null_count:
            raise InputError("a text column has missing values")
        _, offsets_buffer, data_buffer = chunk.buffers()
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(offsets_buffer, dtype=width)[chunk.offset :][: len(chunk) + 1]
        data = memoryview(data_buffer) if data_buffer is not None else memoryview(b"")
        for start, stop in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True):
            yield data[start:stop]


class _TextRows(Sequence[str]):
    """A string column read one row at a time (no list of every text held at once)."""

    def __init__(self, column: pd.Series) -> None:
        self._column = column

    def __len__(self) -> int:
        return len(self._column)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return str(self._column.iat[index])

    def __iter__(self) -> Iterator[str]:
        for view in _utf8(self._column):  # decoded straight from the Arrow bytes: one copy
            yield str(view, "utf-8")


def _as_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a frame and return a normalised copy with the core columns first."""
    missing = [c for c in ("id", "text") if c not in frame.columns]
    if missing:
        raise InputError(f"a corpus needs the columns {missing}; got {list(frame.columns)}")
    out = frame.copy()
    defaults: dict[str, Any] = {
        "raw_text": out["text"],
        "date": pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]"),
        "date_precision": "none",
        "date_source": "none",
        "title": pd.NA,
        "outlet": pd.NA,
        "path": pd.NA,
    }
    for column, value in defaults.items():
        if column not in out.columns:
            out[column] = value
    for column in _STRING_COLUMNS:
        out[column] = out[column].astype(pd.StringDtype("pyarrow"))  # Arrow-backed on pandas 2 too
    try:
        out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
    except (ValueError, TypeError) as exc:
        raise InputError(f"column 'date' does not hold dates: {exc}") from exc
    if out["id"].isna().any():
        raise InputError("column 'id' has missing values; every document needs an id")
    if out["text"].isna().any():
        row = int(np.flatnonzero(out["text"].isna().to_numpy())[0])
        raise InputError(f"column 'text' is missing in row {row + 1} (id {out['id'].iloc[row]!r})")
    duplicated = out["id"].duplicated()
    if duplicated.any():
        first = out["id"][duplicated].iloc[0]
        raise InputError(f"duplicate id {first!r}: ids must be unique within a corpus")
    bad = ~out["date_precision"].isin(DATE_PRECISIONS)
    if bad.any():
        raise InputError(
            f"date_precision must be one of {DATE_PRECISIONS}; "
            f"got {out['date_precision'][bad].iloc[0]!r}"
        )
    undated_with_precision = out["date"].isna() & (out["date_precision"] != "none")
    if undated_with_precision.any():
        raise InputError("rows without a date must have date_precision 'none'")
    if "absorbed_ids" in out.columns:
        out["absorbed_ids"] = [
            [str(x) for x in value] if isinstance(value, list | tuple | np.ndarray) else []
            for value in out["absorbed_ids"]
        ]
    extra = [c for c in out.columns if c not in CORE_COLUMNS]
    out = out[[*CORE_COLUMNS, *extra]].reset_index(drop=True)
    return out


def _counts(column: pd.Series) -> dict[str, int]:
    """Rows per value of ``column``, in the order of the values."""
    return {str(k): int(v) for k, v in column.value_counts().sort_index().items()}


def _languages(column: pd.Series) -> dict[str, int]:
    """Documents per language (``none``: too short to tell), most first, then by code."""
    counts = column.astype(object).where(column.notna(), "none").astype(str).value_counts()
    return {str(k): int(v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


class Corpus:
    """An immutable collection of dated documents.

    Columns: ``id``, ``text`` (cleaned), ``raw_text`` (as read), ``date`` (datetime64, NaT when
    unknown), ``date_precision`` (day / month / year / none), ``date_source`` (header, dateline,
    filename, body, column, none), ``title``, ``outlet``, ``path``, then any metadata columns
    (``country_iso3``, ``parent_id`` …).

    Parameters
    ----------
    frame
        A DataFrame with at least ``id`` and ``text``; missing core columns are filled with
        "unknown" values. The frame is copied.

    Examples
    --------
    >>> texts = ["EU sanctions on Russia.", "Transport corridors."]
    >>> c = Corpus.from_texts(texts, dates=["2022-03", "2023-05-18"])
    >>> len(c), c.to_frame()["date_precision"].tolist()
    (2, ['month', 'day'])

    """

    __slots__ = ("_frame",)
    _frame: pd.DataFrame

    def __init__(self, frame: pd.DataFrame) -> None:
        object.__setattr__(self, "_frame", _as_frame(frame))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Corpus is immutable; its methods return new corpora")

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_texts(
        cls,
        texts: Iterable[str],
        *,
        ids: Sequence[str] | None = None,
        dates: Sequence[object] | None = None,
        **metadata: Sequence[object],
    ) -> Corpus:
        """Build a corpus from plain texts (already clean), optional ids, dates and metadata.

        Dates are parsed with the same rules as a table's date column, so ``2015`` has year
        precision and ``"2022-11"`` month precision.
        """
        text_list = [str(t) for t in texts]
        n = len(text_list)
        frame = pd.DataFrame(
            {"id": list(ids) if ids is not None else [f"doc{i}" for i in range(n)]}
        )
        frame["text"] = text_list
        if dates is not None:
            if len(dates) != n:
                raise InputError(f"got {len(dates)} dates for {n} texts")
            dayfirst, _ = decide_dayfirst(
                list(dates), None, "dates", label=lambda i: f"document {i + 1}"
            )
            parsed = []
            for row, value in enumerate(dates):
                try:
                    parsed.append(parse_date_value(value, dayfirst))
                except ValueError as exc:
                    raise InputError(f"date of document {row + 1}: {exc}") from exc
            frame["date"] = pd.to_datetime(pd.Series([p[0] for p in parsed], dtype=object))
            frame["date_precision"] = [p[1] for p in parsed]
            frame["date_source"] = ["column" if p[0] is not None else "none" for p in parsed]
        for name, values in metadata.items():
            if len(values) != n:
                raise InputError(f"metadata {name!r} has {len(values)} values for {n} texts")
            frame[name] = pd.Series(list(values), index=frame.index)
        return cls(frame)

    @classmethod
    def read_parquet(cls, path: str | os.PathLike[str]) -> Corpus:
        """Read a corpus written by :meth:`to_parquet`."""
        try:
            frame = pd.read_parquet(path)
        except FileNotFoundError as exc:
            raise PersistenceError(f"no corpus file at {path}") from exc
        except Exception as exc:  # pyarrow's errors for corrupt files have no common base
            raise PersistenceError(f"cannot read corpus Parquet {path}: {exc}") from exc
        try:
            return cls(frame)
        except InputError as exc:
            raise PersistenceError(f"{path} is not a valid corpus: {exc}") from exc

    def to_parquet(self, path: str | os.PathLike[str]) -> None:
        """Write the corpus to Parquet (atomically: written beside ``path``, then renamed)."""
        # No min/max statistics for the texts: they would copy the longest text twice over.
        stats = [c for c in self._frame.columns if c not in ("text", "raw_text")]
        with atomic_file(path) as handle:
            self._frame.to_parquet(handle, index=False, compression="zstd", write_statistics=stats)

    # -- access -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._frame)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the cleaned texts (the streaming interface)."""
        return iter(self._frame["text"].tolist())

    def __repr__(self) -> str:
        dated = int(self._frame["date"].notna().sum())
        return f"Corpus({len(self)} documents, {dated} dated, columns={self.columns})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Corpus) and self._frame.equals(other._frame)

    __hash__ = None  # type: ignore[assignment]

    @property
    def columns(self) -> list[str]:
        """Column names, core columns first."""
        return list(self._frame.columns)

    @property
    def ids(self) -> list[str]:
        """Document ids, in order."""
        return [str(x) for x in self._frame["id"].tolist()]

    @property
    def texts(self) -> list[str]:
        """Cleaned texts, in order."""
        return [str(x) for x in self._frame["text"].tolist()]

    @property
    def langs(self) -> list[str | None] | None:
        """Each document's recorded language (``lang``, ISO 639-1), or ``None`` if unrecorded."""
        if "lang" not in self._frame.columns:
            return None
        return [x if isinstance(x, str) and x else None for x in self._frame["lang"].tolist()]

    @property
    def dates(self) -> pd.Series:
        """A copy of the ``date`` column, indexed by id."""
        return pd.Series(self._frame["date"].to_numpy(), index=self.ids, name="date")

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the underlying table."""
        return self._frame.copy(deep=True)

    def column(self, name: str) -> pd.Series:
        """Return a copy of one column."""
        if name not in self._frame.columns:
            raise InputError(f"the corpus has no column {name!r}; columns: {self.columns}")
        return self._frame[name].copy()

    def fingerprint(self) -> str:
        """SHA-256 over ids, texts and dates: equal corpora have equal fingerprints.

        The texts are hashed from their stored UTF-8 bytes, so no copy of a text is made.
        """
        dates = self._frame["date"].dt.strftime("%Y-%m-%d").fillna("NaT")
        return text_fingerprint(
            item
            for triple in zip(self.ids, _utf8(self._frame["text"]), dates.tolist(), strict=True)
            for item in triple
        )

    # -- derived corpora ------------------------------------------------------------------
    def select(self, mask: Sequence[bool] | np.ndarray | pd.Series) -> Corpus:
        """Return the documents where ``mask`` is true (in order)."""
        values = np.asarray(mask, dtype=bool)
        if values.shape != (len(self),):
            raise InputError(
                f"mask must have one value per document ({len(self)}), got {values.shape}"
            )
        return Corpus(self._frame[values])

    def where(self, column: str, values: str | Iterable[str]) -> Corpus:
        """Return the documents whose ``column`` is one of ``values`` (compared as text).

        ``corpus.where("lang", "uk")``, ``corpus.where("outlet", ["kazinform", "tengri"])``.

        Raises
        ------
        InputError
            When the corpus has no such column, or no document has any of the values (the
            error lists the values it has).

        """
        wanted = {values} if isinstance(values, str) else {str(v) for v in values}
        found = self.column(column).astype("string")
        mask = found.isin(wanted).fillna(False).to_numpy(dtype=bool)
        if not mask.any():
            have = found.dropna().value_counts().head(10)
            listed = ", ".join(f"{k} ({v})" for k, v in have.items()) or "none"
            raise InputError(
                f"no document has {column} = {' or '.join(sorted(wanted))}; its values: {listed}"
            )
        return self.select(mask)

    def sample(self, n: int, *, random_state: int = defaults.SEED) -> Corpus:
        """Return ``n`` documents drawn at random without replacement, kept in corpus order.

        A quick, reproducible subset that still spans the whole time range (unlike the first
        ``n`` documents of a file sorted by date). ``n`` ≥ the corpus size returns it whole.
        """
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise InputError(f"n must be a positive int, got {n!r}")
        if n >= len(self):
            return self
        rng = np.random.default_rng(random_state)
        mask = np.zeros(len(self), dtype=bool)
        mask[rng.choice(len(self), size=n, replace=False)] = True
        return self.select(mask)

    def with_metadata(self, **columns: Sequence[object]) -> Corpus:
        """Return a corpus with metadata columns added or replaced (core columns are protected)."""
        frame = self.to_frame()
        for name, values in columns.items():
            if name in CORE_COLUMNS:
                raise InputError(f"{name!r} is a core column and cannot be replaced as metadata")
            if len(values) != len(frame):
                raise InputError(
                    f"metadata {name!r} has {len(values)} values for {len(frame)} documents"
                )
            frame[name] = pd.Series(list(values), index=frame.index)
        return Corpus(frame)

    def segment(
        self,
        unit: Literal["paragraphs", "sentences", "windows"] = "paragraphs",
        *,
        window: int = defaults.WINDOW,
        step: int | None = None,
        min_chars: int = 1,
        notes: list[str] | None = None,
    ) -> Corpus:
        """Split each document into paragraphs, sentences or windows of ``window`` sentences.

        Segments get ids ``<parent id>#p<k>`` (``s`` for sentences, ``w`` for windows, ``k``
        from 1), inherit every metadata column, and record ``parent_id``, ``segment`` (k) and
        ``start``/``end`` character offsets into the parent's cleaned text. A segment's
        ``raw_text`` is its cleaned text; the parent's raw text stays in the parent corpus.
        Segments shorter than ``min_chars`` characters are dropped.

        A document that has no blank line in it but is longer than :data:`LONG_PARAGRAPH`
        characters is not one paragraph but text whose breaks were lost: it is split into
        windows of ``window`` sentences instead (ids ``…#w<k>``), with an
        :class:`~topics.errors.IngestWarning` saying how many documents that was — or, given a
        ``notes`` list, that sentence appended to it instead (no warning machinery, which is
        process-wide and not safe to record from several threads at once).
        """
        if unit not in _SEGMENT_PREFIX:
            raise ConfigError(f"unit must be one of {sorted(_SEGMENT_PREFIX)}, got {unit!r}")
        if min_chars < 1:
            raise ConfigError(f"min_chars must be ≥ 1, got {min_chars}")
        if "parent_id" in self._frame.columns:
            raise ConfigError("this corpus is already segmented (it has a parent_id column)")
        prefix = _SEGMENT_PREFIX[unit]
        texts = self.texts
        found: list[tuple[int, str, int, int, int, str]] = []  # row, kind, k, start, end, text
        fallback = 0
        for row, text in enumerate(texts):  # each text decoded once, sliced in place
            kind = prefix
            if unit == "paragraphs":
                spans = paragraph_spans(text)
                if len(spans) == 1 and len(text) > LONG_PARAGRAPH:
                    spans, kind = window_spans(text, window, step), _SEGMENT_PREFIX["windows"]
                    fallback += 1
            elif unit == "sentences":
                spans = sentence_spans(text)
            else:
                spans = window_spans(text, window, step)
            long_enough = [(start, end) for start, end in spans if end - start >= min_chars]
            found += [
                (row, kind, k, start, end, text[start:end])
                for k, (start, end) in enumerate(long_enough, start=1)
            ]
        if fallback:
            note = (
                f"{fallback} of {len(texts)} documents have no blank line between paragraphs and "
                f"are longer than {LONG_PARAGRAPH:,} characters; they were split into windows of "
                f"{window} sentences instead (ids ending #w1, #w2 …)"
            )
            if notes is None:
                warnings.warn(note, IngestWarning, stacklevel=2)
            else:
                notes.append(note)
        columns = list(zip(*found, strict=True)) or [()] * 6  # no segment: six empty columns
        rows, prefixes, numbers, starts, ends, pieces = (list(c) for c in columns)
        frame = self._frame.drop(columns=["text", "raw_text"])
        frame = frame.rename(columns=rename_inputs(frame.columns, ADDED_COLUMNS[1:4], notes))
        frame = frame.iloc[rows].reset_index(drop=True)
        frame["parent_id"] = frame["id"]
        frame["id"] = [
            f"{p}#{kind}{k}"
            for p, kind, k in zip(frame["parent_id"], prefixes, numbers, strict=True)
        ]
        frame.insert(1, "text", pieces)
        frame.insert(2, "raw_text", pieces)
        frame["segment"] = np.asarray(numbers, dtype=np.int64)
        frame["start"] = np.asarray(starts, dtype=np.int64)
        frame["end"] = np.asarray(ends, dtype=np.int64)
        return Corpus(frame)

    def dedupe(
        self,
        *,
        threshold: float = defaults.DEDUPE_THRESHOLD,
        shingle_size: int = 5,
        num_perm: int = 128,
        random_state: int = defaults.SEED,
    ) -> tuple[Corpus, pd.DataFrame]:
        """Remove exact and near-duplicates, keeping one document per cluster.

        The kept document is the earliest dated one (undated last), then the longest, then the
        one with the smallest id; it records the ids it absorbed in ``absorbed_ids``.

        Returns
        -------
        (Corpus, DataFrame)
            The de-duplicated corpus and a table of absorbed documents with columns
            ``id, duplicate_of, similarity, exact``.

        """
        frame = self._frame
        order = pd.DataFrame(
            {
                "date": frame["date"].fillna(pd.Timestamp.max),
                "length": -frame["text"].str.len(),
                "id": frame["id"],
            }
        ).sort_values(["date", "length", "id"], kind="stable")
        rank = np.empty(len(frame), dtype=np.int64)
        rank[order.index.to_numpy()] = np.arange(len(frame))
        clusters = find_duplicates(
            _TextRows(self._frame["text"]),
            rank,
            threshold=threshold,
            shingle_size=shingle_size,
            num_perm=num_perm,
            random_state=random_state,
        )
        ids = np.asarray(self.ids, dtype=object)
        absorbed = np.flatnonzero(clusters.keeper != np.arange(len(frame)))
        table = pd.DataFrame(
            {
                "id": ids[absorbed].astype(str),
                "duplicate_of": ids[clusters.keeper[absorbed]].astype(str),
                "similarity": clusters.similarity[absorbed],
                "exact": clusters.exact[absorbed],
            }
        )
        absorbed_by: dict[int, list[str]] = {}
        previous = frame["absorbed_ids"].tolist() if "absorbed_ids" in frame.columns else None
        for member in absorbed:
            keep = int(clusters.keeper[member])
            absorbed_by.setdefault(keep, []).append(str(ids[member]))
            if previous is not None:
                absorbed_by[keep].extend(previous[member])
        kept = self.to_frame()
        base = previous if previous is not None else [[] for _ in range(len(frame))]
        kept["absorbed_ids"] = [
            sorted([*base[i], *absorbed_by.get(i, [])]) for i in range(len(frame))
        ]
        mask = clusters.keeper == np.arange(len(frame))
        # filtering copies every text: skip it when nothing was absorbed
        return Corpus(kept if mask.all() else kept[mask]), table

    def summary(self) -> Mapping[str, Any]:
        """Return counts for reports: documents, dated, documents per year, precision mix."""
        frame = self._frame
        years = frame["date"].dt.year.dropna().astype(int).value_counts().sort_index()
        return {
            "documents": len(frame),
            "dated": int(frame["date"].notna().sum()),
            "per_year": {int(k): int(v) for k, v in years.items()},
            "precision": _counts(frame["date_precision"]),
            "date_source": _counts(frame["date_source"]),
            **({"languages": _languages(frame["lang"])} if "lang" in frame.columns else {}),
        }
