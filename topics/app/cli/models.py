"""`topics fit` and `topics sweep`: one topic model, or many K × seeds scored."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from ... import defaults
from ...defaults import FREQUENCIES
from ...limits import check_count, check_seed
from ._common import (
    Subparsers,
    add_model_args,
    add_n_topics_arg,
    add_options,
    check_top,
    integers,
    model_spec,
    vectorize_corpus,
)
from .streaming import add_fit_args, engine_of

__all__ = ["add"]


def add(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Register `fit` and `sweep`."""
    _add_fit(sub)
    _add_sweep(sub)


def _add_fit(sub: Subparsers[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "fit",
        help="fit a topic model to a corpus (default: NMF, or CoocNMF for short texts)",
        description=(
            "Vectorise a corpus Parquet file (from `topics ingest`), fit a topic model (by "
            "default --model auto: CoocNMF when documents average fewer than 10 counted tokens "
            "— titles, headlines — else NMF; with --backend, that backend's family; on a "
            "dataset, NMF; the choice is printed and kept in the manifest) and "
            "write to the output folder: model.npz + model.json, vectorizer.json, "
            "top_terms.csv (topic, rank, term, weight), doc_topics.parquet "
            "(doc_id, topic, share) and topic_info.csv (label from the top words, size, "
            "representative documents). With --over-time FREQ also each topic's share per "
            "period with 95% intervals (topic_trends.csv) and its steps and episodes, "
            "family-wise calibrated (topic_changes/) — as `topics trends` and `topics changes` "
            "do for codebook themes."
        ),
    )
    add_model_args(parser, "auto")
    parser.add_argument("-o", "--output", type=Path, required=True, help="output folder")
    parser.add_argument(
        "--over-time", choices=FREQUENCIES, default=None, metavar="FREQ",
        help="also the topics' prevalence per week, month, quarter or year, with changes",
    )  # fmt: skip
    add_n_topics_arg(parser, defaults.N_TOPICS, f"number of topics (default: {defaults.N_TOPICS})")
    add_options(parser, "seed")
    add_fit_args(parser)
    parser.set_defaults(handler=_run_fit)


def _run_fit(args: argparse.Namespace) -> int:
    from ...scale import fit, is_dataset

    check_seed(args.seed, "--seed")
    check_count(args.n_topics, "--n-topics")
    check_count(args.top, "--top")
    check_count(args.epochs, "--epochs")
    check_count(args.batch_rows, "--batch-rows")
    dataset = is_dataset(args.corpus)
    with engine_of(args) if dataset else contextlib.nullcontext() as engine:
        result = fit(
            args.corpus, args.n_topics, args.model, output=args.output, backend=args.backend,
            max_iter=args.max_iter, preprocess=args.config, min_df=args.min_df,
            max_df=args.max_df, max_features=args.max_features, top=args.top,
            over_time=args.over_time, epochs=args.epochs, batch_rows=args.batch_rows,
            engine=engine, random_state=args.seed, progress=args.progress,
            echo=print,
        )  # fmt: skip
    if result.info is not None:
        print(result.info[["label", "size", "words"]].to_string(index=False, max_colwidth=90))
    else:
        words = result.top_terms.groupby("topic")["term"].apply(lambda s: ", ".join(s.head(8)))
        print("\n".join(f"{k}: {v}" for k, v in words.items()))
    if result.history is not None:
        print(result.history.to_string(index=False))
    files = ["model", "vectorizer.json", "top_terms.csv"]
    files += ["doc_topics/", "history.csv"] if dataset else ["doc_topics.parquet", "topic_info.csv"]
    if result.over_time is not None:
        changes = result.over_time.changes
        print(changes.to_string(index=False) if len(changes) else "no change in any topic")
        files += ["topic_trends.csv", "topic_changes/"]
    print(f"wrote {args.output}/ ({', '.join(files)})")
    return 0


def _add_sweep(sub: Subparsers[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "sweep",
        help="fit many K × seeds and score coherence, diversity, stability",
        description=(
            "Vectorise a corpus, fit the model for every K and seed (in parallel; results do "
            "not depend on --jobs), score NPMI and C_V against the preprocessed corpus, topic "
            "diversity, exclusivity and stability, write one row per run to the output CSV and "
            "the per-K summary beside it, and print the recommended K."
        ),
    )
    add_model_args(parser, "nmf")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV of runs to write")
    add_n_topics_arg(
        parser, "5:50:5", "numbers of topics as start:stop:step or a,b,c (default 5:50:5)", str
    )
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds (default 0,1,2)")
    parser.add_argument(
        "--resamples", type=int, default=0, help="80%% document resamples per K for stability"
    )
    parser.add_argument("--jobs", type=int, default=1, help="parallel jobs (default 1)")
    parser.set_defaults(handler=_run_sweep)


def _run_sweep(args: argparse.Namespace) -> int:
    from ...errors import ConfigError
    from ...evaluation.selection import parse_k_range, sweep
    from ...outputs import Outputs
    from ...spreadsheet import write_csv

    ks = parse_k_range(args.n_topics)
    seeds = [check_seed(seed, "--seeds") for seed in integers(args.seeds, "--seeds")]
    if args.jobs == 0 or args.jobs < -1:
        raise ConfigError(f"--jobs must be at least 1 (or -1 for every core), got {args.jobs}")
    check_count(args.top, "--top")
    if args.resamples < 0:
        raise ConfigError(f"--resamples must be 0 or more, got {args.resamples}")
    summary_path = args.output.with_name(args.output.stem + "_summary.csv")
    with Outputs(inputs=[args.corpus, *([args.config] if args.config else [])]) as out:
        runs_file = out.file(args.output)
        summary_file = out.file(summary_path, part_of=args.output)
        corpus, config, (matrix, streams) = vectorize_corpus(args)
        check_top(args.top, matrix.shape[1])
        spec = model_spec(args)
        result = sweep(
            matrix,
            streams,
            ks=ks,
            seeds=seeds,
            configs={args.model: spec},
            n=args.top,
            resamples=args.resamples,
            n_jobs=args.jobs,
            progress=args.progress,
        )
        write_csv(result.runs, runs_file)
        write_csv(result.summary, summary_file)
        best, reason = result.recommendation(args.model)
        out.manifest(
            args.output,
            "sweep",
            config={"n_topics": ks, "seeds": seeds, "family": args.model, "backend": args.backend,
                    "resamples": args.resamples, "top": args.top, "preprocess": config.to_dict()},
            fingerprint=corpus.fingerprint(),
            inputs=[args.corpus],
            extra={"recommended_k": best},
        )  # fmt: skip
    print(result.summary.drop(columns=["config"]).to_string(index=False, float_format="%.3f"))
    print(f"recommended K: {best} ({reason})")
    print(f"wrote {args.output} and {summary_path}")
    return 0
