"""Reading what `topics trends` wrote back: the trends CSV and its unit tables.

`topics changes` and `topics event` test the document-level shares beside a trends CSV (or,
for a dataset, its merged unit table); a `--by` CSV gives one table per group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...errors import InputError
from ._common import shares_path
from .streaming import units_path

__all__ = ["read_unit_tables"]


def _read_trends_csv(path: Path) -> Any:
    """Read a trends CSV for `topics changes`; anything else is one error naming the file."""
    import pandas as pd

    from ...spreadsheet import read_csv

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read trends CSV {path}: {exc.strerror or exc}") from exc
    if data.startswith(b"PAR1") or b"\x00" in data[:4096]:
        raise InputError(
            f"{path} is not a CSV (binary content; a Parquet file?); give the CSV written by "
            "`topics trends`"
        )
    try:
        trends = read_csv(data, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"cannot read trends CSV {path}: {exc}") from exc
    missing = [c for c in ("period", "theme", "share") if c not in trends.columns]
    if missing:
        raise InputError(
            f"{path} lacks the columns {missing} of a `topics trends` CSV "
            f"(found: {', '.join(map(str, trends.columns))})"
        )
    share = pd.to_numeric(trends["share"], errors="coerce")
    bad = share.isna() & trends["share"].notna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(
            f"{path}, row {row + 2}: column 'share' holds {trends['share'].iloc[row]!r}, not a "
            "number; every share must be a number between 0 and 1"
        )
    return trends.assign(share=share)


def read_unit_tables(
    trends_csv: Path, shares: Path | None, weighting: str, *, groups: bool = True
) -> tuple[dict[str | None, Any], Path]:
    """Return the unit table behind a trends CSV, one per group, and the file they came from.

    ``STEM.shares.parquet`` beside the CSV (or ``shares``) when there is one (a corpus in memory:
    the test is recomputed at the asked ``weighting``), else the unit table ``STEM.units.npz``
    `topics trends` writes for every corpus. A trends CSV without groups gives
    ``{None: table}``; one of `topics trends --by` a table per group, or, with ``groups=False``
    (`topics event` tests one series), an error. Used by `topics changes` and `topics event`.
    """
    from ...trends.units import UnitTable

    trends = _read_trends_csv(trends_csv)
    source = shares or shares_path(trends_csv)
    if "group" in trends.columns:
        if not groups:
            raise InputError(
                f"{trends_csv} holds one series per group (`topics trends --by`); this test "
                "takes one series: write it with `topics trends --where COLUMN=VALUE`"
            )
        documents = _read_shares(source)
        if "group" not in documents.columns:
            raise InputError(f"{source} has no group column; run `topics trends --by` again")
        tables = {}
        for group in sorted(trends["group"].dropna().astype(str).unique()):
            part = documents[documents["group"] == group]
            axis = trends.loc[trends["group"].astype(str) == group, "period"]
            tables[group] = _table_of(part, axis, weighting, source)
        return tables, source
    table = units_path(trends_csv)
    if shares is None and not source.exists() and table.exists():
        return {None: UnitTable.load(table)}, table  # `topics trends` on a dataset: merged table
    if not source.exists():
        raise InputError(
            f"{source} not found: the test needs the document-level shares that `topics trends` "
            "writes beside its CSV; run `topics trends` again or pass --shares"
        )
    return {None: _table_of(_read_shares(source), trends["period"], weighting, source)}, source


def _read_shares(source: Path) -> Any:
    """Read the document-level shares `topics trends` wrote; an error names the file."""
    import pandas as pd

    try:
        return pd.read_parquet(source)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read shares {source}: {exc}") from exc


def _table_of(documents: Any, axis: Any, weighting: Any, source: Path) -> Any:
    """Return the unit table of document-level shares on the periods ``axis``."""
    from ...trends.units import unit_table

    needed = {"doc_id", "theme", "share", "weight", "period", "unit"} - set(documents.columns)
    if needed:
        raise InputError(f"{source} lacks columns {sorted(needed)}")
    periods = documents.drop_duplicates("doc_id").rename(columns={"doc_id": "id"})
    return unit_table(
        documents[["doc_id", "theme", "share", "weight"]],
        periods[["id", "period"]],
        weighting=weighting,
        units=periods.set_index("id")["unit"],
        axis=list(dict.fromkeys(axis.astype(str))),
    )
