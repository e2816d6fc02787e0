"""Options for a dataset (a corpus in chunks): where its work runs, and a fit's batches.

`topics ingest --dataset` writes a :class:`~topics.scale.CorpusDataset` folder instead of one
Parquet file; `topics trends` and `topics fit` given such a folder run chunk by chunk on a Dask
cluster (``--workers`` local processes, or ``--scheduler ADDRESS``) — the library's front doors
(:mod:`topics.scale`) choose; these options only say where. Same settings, same numbers as in
memory (see the README, "When your corpus outgrows memory").
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ... import defaults

__all__ = ["add_engine_args", "add_fit_args", "engine_of", "units_path"]


def add_engine_args(parser: argparse.ArgumentParser) -> None:
    """``--workers`` / ``--scheduler``: where work on a dataset runs."""
    where = parser.add_argument_group("datasets (a corpus in chunks: `topics ingest --dataset`)")
    where.add_argument(
        "--workers", type=int, default=None,
        help="local Dask worker processes (default: one per CPU)",
    )  # fmt: skip
    where.add_argument(
        "--scheduler", default=None, metavar="ADDRESS",
        help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786, instead of local workers",
    )  # fmt: skip


def engine_of(args: argparse.Namespace) -> Any:
    """Return the :class:`~topics.scale.Engine` the options name."""
    from ...scale import Engine

    return Engine(args.scheduler, workers=args.workers, progress=args.progress)


def units_path(trends_csv: Path) -> Path:
    """Where `topics trends` puts the unit table (sums per unit and period) of ``trends_csv``."""
    return trends_csv.with_name(trends_csv.stem + ".units.npz")


def add_fit_args(parser: argparse.ArgumentParser) -> None:
    """Options of `topics fit` on a dataset (epochs, batch size) and where it runs."""
    add_engine_args(parser)
    parser.add_argument(
        "--epochs", type=int, default=defaults.EPOCHS,
        help=f"dataset: most passes over the corpus (default {defaults.EPOCHS})",
    )  # fmt: skip
    parser.add_argument(
        "--batch-rows", type=int, default=defaults.BATCH_ROWS,
        help=f"dataset: documents per mini-batch (default {defaults.BATCH_ROWS})",
    )  # fmt: skip
