"""CSV files a spreadsheet can open safely: every text cell neutralised against formula injection.

A corpus is text written by others, and a CSV cell that begins with ``=``, ``+``, ``-``, ``@``
(or a tab or carriage return) is run as a formula by Excel, LibreOffice and Google Sheets
(``=HYPERLINK(…)`` in a passage becomes a live link; ``=cmd|…`` worse). Following OWASP's advice
on CSV injection, every CSV the package writes puts an apostrophe before such a cell — which a
spreadsheet shows as text and does not display — so ``=HYPERLINK("x")`` is written
``'=HYPERLINK("x")``. Numbers are never touched (a share of ``-0.5`` stays a number); only text
cells are.

The escape is reversible: a text that itself begins with apostrophes followed by one of those
characters gets one more, and :func:`read_csv` removes exactly one, so the package reads back
what it wrote. Read our CSVs with :func:`read_csv` (or strip one leading apostrophe from such
cells yourself).
"""

from __future__ import annotations

import io
import os
from typing import Any

import pandas as pd

__all__ = ["TRIGGERS", "csv_text", "neutralise", "read_csv", "restore", "write_csv"]

#: First characters that make a spreadsheet read a cell as a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _escaped(value: str) -> bool:
    return value.lstrip("'").startswith(TRIGGERS)


def neutralise(value: Any) -> Any:
    """Return a text cell safe for a spreadsheet (other values unchanged).

    >>> neutralise("=1+1"), neutralise("-5 %"), neutralise("sanctions")
    ("'=1+1", "'-5 %", 'sanctions')
    """
    if isinstance(value, str) and _escaped(value):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """Undo :func:`neutralise`.

    >>> restore("'=1+1"), restore("''=1"), restore("'quoted")
    ('=1+1', "'=1", "'quoted")
    """
    if isinstance(value, str) and value.startswith("'") and _escaped(value):
        return value[1:]
    return value


def _text_columns(frame: pd.DataFrame) -> list[Any]:
    return [
        name
        for name, dtype in frame.dtypes.items()
        if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)
    ]


def csv_text(frame: pd.DataFrame, *, index: bool = False, **options: Any) -> str:
    """Return ``frame`` as CSV text (Unix line ends) with every text cell neutralised.

    ``options`` go to :meth:`pandas.DataFrame.to_csv` (e.g. ``float_format``).
    """
    safe = frame.copy(deep=False)
    for column in _text_columns(frame):
        safe[column] = frame[column].map(neutralise, na_action="ignore")
    safe.columns = [neutralise(c) for c in frame.columns]
    if index and safe.index.dtype == object:
        safe.index = safe.index.map(neutralise)
    return str(safe.to_csv(index=index, lineterminator="\n", **options))


def write_csv(
    frame: pd.DataFrame, path: str | os.PathLike[str], *, index: bool = False, **options: Any
) -> None:
    """Write ``frame`` as a neutralised CSV, atomically (see :func:`topics.files.atomic_file`)."""
    from .files import atomic_write_text

    atomic_write_text(path, csv_text(frame, index=index, **options))


def read_csv(source: str | os.PathLike[str] | bytes, **options: Any) -> pd.DataFrame:
    """Read a CSV the package wrote, restoring its neutralised text cells.

    ``source`` is a path or the file's bytes; ``options`` go to :func:`pandas.read_csv`.
    """
    handle: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    frame: pd.DataFrame = pd.read_csv(handle, **options)
    frame.columns = [restore(c) for c in frame.columns]
    for column in _text_columns(frame):
        frame[column] = frame[column].map(restore, na_action="ignore")
    return frame
