"""`topics ingest`: files and folders → a corpus Parquet file, with a report line per input."""

from __future__ import annotations

import argparse
import contextlib
import sys
import warnings
from pathlib import Path

from ... import defaults
from ...limits import check_count, check_seed
from ._common import Subparsers, add_options, add_progress_args
from .streaming import add_engine_args, engine_of

__all__ = ["add"]


def add(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = sub.add_parser(
        "ingest",
        help="read articles and tables into a corpus Parquet file",
        description=(
            "Read .txt articles (folders are searched recursively) and CSV / JSONL(.gz) / Parquet "
            "tables into one corpus, print an ingest report (one line per input: kept, "
            "duplicate, empty, undecodable …) and write the corpus as Parquet with a JSON "
            "manifest beside it."
        ),
    )
    parser.add_argument("paths", nargs="+", type=Path, help="files or folders to read")
    parser.add_argument(
        "-o", "--output", type=Path, required=True,
        help="corpus Parquet to write (a folder with --dataset)",
    )  # fmt: skip
    parser.add_argument(
        "--text-col",
        nargs="+",
        default=["text"],
        metavar="COLUMN",
        help="table column(s) with the text; several are joined in order, each a paragraph "
        "(e.g. --text-col headline short_description; default: text)",
    )
    for name, what in (
        ("date", "dates or years (default: 'date' if present)"),
        (
            "id",
            "unique ids (default: 'id' if present, else file:row; 'none': file:row even so, "
            "the input's id kept as id_input)",
        ),
        ("title", "titles (default: 'title' if present)"),
        ("outlet", "the outlet (default: 'outlet' if present)"),
    ):
        parser.add_argument(f"--{name}-col", default=None, help=f"table column with {what}")
    order = parser.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst", dest="dayfirst", action="store_const", const=True, default=None,
        help="read numeric dates such as 03/04/2022 as day/month (default: decided per column "
        "and per folder from the dates that are unambiguous)",
    )  # fmt: skip
    order.add_argument(
        "--monthfirst", dest="dayfirst", action="store_const", const=False,
        help="read numeric dates such as 03/04/2022 as month/day",
    )  # fmt: skip
    parser.add_argument(
        "--encoding",
        default=None,
        help="text encoding of the inputs, e.g. cp1252 (default: detected per file)",
    )
    parser.add_argument(
        "--segment",
        choices=["none", "paragraphs", "sentences", "windows"],
        default=defaults.SEGMENT,
        help="split documents into paragraphs, sentences or windows of --window sentences",
    )
    parser.add_argument(
        "--window", type=int, default=defaults.WINDOW,
        help=f"sentences per window (default: {defaults.WINDOW})",
    )  # fmt: skip
    parser.add_argument(
        "--min-chars",
        type=int,
        default=defaults.MIN_CHARS,
        help=f"shortest segment kept (default: {defaults.MIN_CHARS})",
    )
    parser.add_argument(
        "--dedupe", action="store_true", help="remove exact and near-duplicate documents"
    )
    parser.add_argument(
        "--threshold", type=float, default=defaults.DEDUPE_THRESHOLD,
        help=f"near-duplicate Jaccard threshold (default: {defaults.DEDUPE_THRESHOLD})",
    )  # fmt: skip
    minhash = f"seed of the MinHash permutations (default: {defaults.SEED})"
    add_options(parser, "seed", seed={"help": minhash})
    parser.add_argument(
        "--report", type=Path, default=None, help="also write the per-input report as CSV"
    )
    parser.add_argument(
        "--lang", default=None, metavar="CODE",
        help="the language of every document (ISO 639-1: en, ru, uk, kk …); default: detected "
        "per document into a lang column, its majority language if it mixes several",
    )  # fmt: skip
    parser.add_argument(
        "--dataset", action="store_true",
        help="write a dataset folder at -o (month-partitioned Parquet chunks, read chunk by "
        "chunk on a Dask cluster) for corpora larger than memory",
    )  # fmt: skip
    parser.add_argument(
        "--chunk-rows", type=int, default=defaults.CHUNK_ROWS,
        help=f"dataset: most documents per chunk (default {defaults.CHUNK_ROWS:,})",
    )  # fmt: skip
    add_engine_args(parser)
    add_progress_args(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the command."""
    from ...files import manifest_path
    from ...io.readers import ColumnMap
    from ...scale import DatasetIngest, ingest

    check_seed(args.seed, "--seed")
    check_count(args.window, "--window")
    check_count(args.chunk_rows, "--chunk-rows")
    named = {name: getattr(args, f"{name}_col") for name in ("date", "id", "title", "outlet")}
    columns = ColumnMap(text=tuple(args.text_col), **named)
    with contextlib.ExitStack() as stack, warnings.catch_warnings(record=True) as caught:
        engine = stack.enter_context(engine_of(args)) if args.dataset else None
        warnings.simplefilter("always")
        result = ingest(
            args.paths, args.output, dataset=args.dataset, report=args.report,
            chunk_rows=args.chunk_rows, engine=engine,
            echo=print, columns=columns, segment=None if args.segment == "none" else args.segment,
            window=args.window, min_chars=args.min_chars, dedupe=args.dedupe,
            threshold=args.threshold, random_state=args.seed, dayfirst=args.dayfirst,
            encoding=args.encoding, lang=args.lang, progress=args.progress,
        )  # fmt: skip
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    if isinstance(result, DatasetIngest):
        chunks = len(result.dataset.chunks)
        print(f"wrote {args.output}/ ({chunks} chunks; report.csv, manifest.json)")
    else:
        print(f"wrote {args.output} and {manifest_path(args.output)}")
    return 0
