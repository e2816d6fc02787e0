"""The commands on a dataset (a corpus in chunks): `ingest --dataset`, `trends`, `fit`, `changes`.

`topics ingest --dataset` writes a :class:`~topics.scale.CorpusDataset` folder instead of one
Parquet file; `topics trends` and `topics fit` given such a folder run chunk by chunk on a Dask
cluster (``--workers`` local processes, or ``--scheduler ADDRESS``); `topics changes` reads the
unit table `topics trends` writes beside its CSV for a dataset. Same settings, same numbers as
the in-memory commands (see the README, "When your corpus outgrows memory").
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any

from ... import defaults

__all__ = ["add_engine_args", "engine_of", "run_fit", "run_ingest", "units_path"]


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


def run_ingest(args: argparse.Namespace, columns: Any, segment: Any) -> int:
    """`topics ingest --dataset`: files → a dataset folder (and ``--report`` beside it)."""
    from ...errors import InputError
    from ...outputs import Outputs
    from ...scale import ingest_dataset

    with Outputs(inputs=args.paths) as out:
        report_file = out.file(args.report) if args.report is not None else None
        with engine_of(args) as engine, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = ingest_dataset(
                args.paths, args.output, columns=columns, segment=segment, window=args.window,
                min_chars=args.min_chars, dedupe=args.dedupe, threshold=args.threshold,
                random_state=args.seed, dayfirst=args.dayfirst, encoding=args.encoding,
                chunk_rows=args.chunk_rows, engine=engine,
            )  # fmt: skip
        for warning in caught:
            print(f"warning: {warning.message}", file=sys.stderr)
        print(result.report.render(summary=result.summary))
        data = result.dataset
        if segment:
            print(f"segments ({segment}): {len(data)}")
        if report_file is not None and args.report is not None:
            result.report.to_csv(report_file)
            out.manifest(
                args.report, "ingest_report", config={"dataset": str(args.output)},
                inputs=args.paths, seed=args.seed, extra={"counts": result.report.counts()},
            )  # fmt: skip
    if len(data) == 0:
        raise InputError("no document was kept (see the report above); check --text-col")
    print(f"wrote {args.output}/ ({len(data.chunks)} chunks; report.csv, manifest.json)")
    return 0


def run_fit(args: argparse.Namespace) -> int:
    """`topics fit DATASET`: vocabulary from chunk counts, partial_fit on the cluster."""
    import shutil

    from ...errors import ConfigError
    from ...outputs import Outputs
    from ...scale import CorpusDataset, fit_dataset, transform_dataset, vectorize_dataset
    from ...spreadsheet import write_csv
    from ...text.preprocess import PreprocessConfig
    from ...text.vectorizer import Vectorizer
    from ._common import check_top, model_spec, resolve_auto

    if args.over_time is not None:
        raise ConfigError(
            "--over-time needs the corpus in memory; on a dataset, measure themes with "
            "`topics trends DATASET` (dictionary) instead"
        )
    config = PreprocessConfig.from_toml(args.config) if args.config else PreprocessConfig()
    min_df = int(args.min_df) if args.min_df >= 1 else args.min_df
    vectorizer = Vectorizer(
        config, min_df=min_df, max_df=args.max_df, max_features=args.max_features
    )
    choice = resolve_auto(args, dataset=True)
    model = model_spec(args).build(args.k, args.seed)
    with Outputs(inputs=[args.corpus, *([args.config] if args.config else [])]) as outputs:
        out = outputs.folder(args.output, "model")
        data = CorpusDataset.open(args.corpus)
        with engine_of(args) as engine:
            matrices = vectorize_dataset(data, vectorizer, out / ".matrices", engine=engine)
            check_top(args.top, len(vectorizer.vocabulary_))
            print(f"{matrices.n_docs:,} documents × {len(vectorizer.vocabulary_):,} terms")
            fit = fit_dataset(
                matrices, model, engine=engine, epochs=args.epochs, batch_rows=args.batch_rows,
                random_state=args.seed, progress=args.progress,
            )  # fmt: skip
            transform_dataset(matrices, fit.model, out / "doc_topics", engine=engine)
        shutil.rmtree(out / ".matrices")
        fit.model.save(out)
        vectorizer.save(out / "vectorizer.json")
        top = fit.model.top_terms(args.top)
        write_csv(top, out / "top_terms.csv")
        write_csv(fit.history, out / "history.csv")
        outputs.manifest(
            args.output, "model",
            config={"model": args.model, "k": args.k, "backend": args.backend,
                    "min_df": args.min_df, "max_df": args.max_df,
                    "max_features": args.max_features, "preprocess": config.to_dict(),
                    "epochs": args.epochs, "batch_rows": args.batch_rows, "fit": "partial_fit"},
            fingerprint=data.fingerprint, seed=args.seed,
            extra={"shape": [matrices.n_docs, len(vectorizer.vocabulary_)],
                   "updates": int(fit.model.n_batches_), "epochs": len(fit.history),
                   "model_choice": choice},
        )  # fmt: skip
    print(fit.history.to_string(index=False))
    words = top.groupby("topic")["term"].apply(lambda s: ", ".join(s.head(8)))
    print("\n".join(f"{k}: {v}" for k, v in words.items()))
    print(f"wrote {args.output}/ (model, vectorizer.json, top_terms.csv, doc_topics/, history.csv)")
    return 0


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
