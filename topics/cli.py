"""The ``topics`` command line.

Each subcommand is a thin shell over library functions: it parses arguments, calls the library,
prints a summary and writes artefacts with a JSON manifest beside them. Errors the package
raises on purpose (:class:`~topics.errors.TopicsError`) are printed as one line and exit with
status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import io
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import TopicsError

__all__ = ["build_parser", "main"]


def _add_ingest(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    parser.add_argument("-o", "--output", type=Path, required=True, help="corpus Parquet to write")
    parser.add_argument(
        "--text-col", default="text", help="table column with the text (default: text)"
    )
    parser.add_argument(
        "--date-col",
        default=None,
        help="table column with dates or years (default: 'date' if present)",
    )
    parser.add_argument(
        "--id-col",
        default=None,
        help="table column with unique ids (default: 'id' if present, else file:row)",
    )
    parser.add_argument(
        "--title-col", default=None, help="table column with titles (default: 'title' if present)"
    )
    parser.add_argument(
        "--outlet-col",
        default=None,
        help="table column with the outlet (default: 'outlet' if present)",
    )
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
        default="none",
        help="split documents into paragraphs, sentences or windows of --window sentences",
    )
    parser.add_argument("--window", type=int, default=3, help="sentences per window (default: 3)")
    parser.add_argument(
        "--min-chars", type=int, default=1, help="shortest segment kept (default: 1)"
    )
    parser.add_argument(
        "--dedupe", action="store_true", help="remove exact and near-duplicate documents"
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.8,
        help="near-duplicate Jaccard threshold (default: 0.8)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the MinHash permutations (default: 0)"
    )
    parser.add_argument(
        "--report", type=Path, default=None, help="also write the per-input report as CSV"
    )
    parser.add_argument("--progress", action="store_true", help="show progress bars")
    parser.set_defaults(handler=_run_ingest)


def _check_seed(seed: int, option: str = "--seed") -> None:
    from .errors import ConfigError

    if seed < 0:
        raise ConfigError(f"{option} must be 0 or a positive integer, got {seed}")


def _check_positive(value: int, option: str) -> None:
    from .errors import ConfigError

    if value < 1:
        raise ConfigError(f"{option} must be at least 1, got {value}")


def _run_ingest(args: argparse.Namespace) -> int:
    from .errors import ConfigError
    from .ingest import ingest
    from .outputs import Outputs
    from .readers import ColumnMap

    _check_seed(args.seed)
    _check_positive(args.window, "--window")
    if args.report is not None and args.report.resolve() == args.output.resolve():
        raise ConfigError("--report and -o name the same file; give the report its own name")
    columns = ColumnMap(
        text=args.text_col,
        date=args.date_col,
        id=args.id_col,
        title=args.title_col,
        outlet=args.outlet_col,
    )
    segment = None if args.segment == "none" else args.segment
    with Outputs() as out:
        corpus_file = out.file(args.output)
        report_file = out.file(args.report) if args.report is not None else None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = ingest(
                args.paths,
                columns=columns,
                segment=segment,
                window=args.window,
                min_chars=args.min_chars,
                dedupe=args.dedupe,
                threshold=args.threshold,
                random_state=args.seed,
                dayfirst=args.dayfirst,
                encoding=args.encoding,
                progress=args.progress,
            )
        for warning in caught:
            print(f"warning: {warning.message}", file=sys.stderr)
        print(result.report.render(result.documents))
        if segment:
            print(f"segments ({segment}): {len(result.corpus)}")
        result.corpus.to_parquet(corpus_file)
        if report_file is not None:
            result.report.to_csv(report_file)
        config = {
            "columns": {
                "text": args.text_col,
                "date": args.date_col,
                "id": args.id_col,
                "title": args.title_col,
                "outlet": args.outlet_col,
            },
            "segment": segment,
            "window": args.window,
            "min_chars": args.min_chars,
            "dedupe": args.dedupe,
            "threshold": args.threshold,
            "dayfirst": args.dayfirst,
            "encoding": args.encoding,
        }
        manifest = out.manifest(
            args.output,
            "corpus",
            config=config,
            fingerprint=result.corpus.fingerprint(),
            inputs=result.inputs,
            seed=args.seed,
            extra={
                "counts": result.report.counts(),
                "notes": list(result.report.notes),
                "summary": dict(result.documents.summary()),
                "segments": len(result.corpus),
            },
        )
    print(f"wrote {args.output} and {manifest}")
    return 0


def _add_model_args(parser: argparse.ArgumentParser, default_model: str) -> None:
    """Options shared by `fit` and `sweep`: vocabulary and model choice."""
    parser.add_argument("corpus", type=Path, help="corpus Parquet written by `topics ingest`")
    parser.add_argument(
        "--model", choices=["lda", "nmf"], default=default_model,
        help=f"model family (default: {default_model})",
    )  # fmt: skip
    parser.add_argument(
        "--backend",
        default=None,
        help="LDA: auto, sklearn, sklearn-online, gensim, gensim-multicore, tomotopy "
        "(default auto: tomotopy when installed); NMF solver: cd, mu, minibatch (default cd)",
    )
    parser.add_argument(
        "--max-iter", type=int, default=None, help="passes / iterations (default: the backend's)"
    )
    parser.add_argument("--config", type=Path, default=None, help="TOML with a [preprocess] table")
    parser.add_argument(
        "--min-df",
        type=float,
        default=2,
        help="minimum document frequency: count, or share if < 1 (default: 2)",
    )
    parser.add_argument(
        "--max-df",
        type=float,
        default=0.95,
        help="maximum document frequency share (default: 0.95)",
    )
    parser.add_argument(
        "--max-features", type=int, default=None, help="largest vocabulary (default: no limit)"
    )
    parser.add_argument("--top", type=int, default=10, help="terms per topic (default: 10)")
    parser.add_argument("--progress", action="store_true", help="show progress")


def _vectorise(args: argparse.Namespace) -> tuple[Any, Any, Any, Any]:
    """Read the corpus and fit the vectoriser.

    Returns ``(corpus, config, vectorizer, (matrix, tokens))``.
    """
    from .corpus import Corpus
    from .preprocess import PreprocessConfig
    from .vectorize import Vectorizer

    corpus = Corpus.read_parquet(args.corpus)
    config = PreprocessConfig.from_toml(args.config) if args.config else PreprocessConfig()
    min_df = int(args.min_df) if args.min_df >= 1 else args.min_df
    vectorizer = Vectorizer(
        config, min_df=min_df, max_df=args.max_df, max_features=args.max_features
    )
    return (
        corpus,
        config,
        vectorizer,
        vectorizer.fit_transform_tokens(corpus, progress=args.progress),
    )


def _model_spec(args: argparse.Namespace) -> Any:
    """Return the model the options describe, as a :class:`~topics.sweep.ModelSpec`."""
    from .errors import ConfigError
    from .sweep import ModelSpec

    params: dict[str, Any] = {"progress": args.progress}
    if args.max_iter is not None:
        params["max_iter"] = args.max_iter
    if args.model == "lda":
        params["backend"] = args.backend or "auto"
        if args.backend == "gensim-multicore":
            params["n_jobs"] = 2
        return ModelSpec("lda", params)
    solver = args.backend or "cd"
    if solver not in ("cd", "mu", "minibatch"):
        raise ConfigError(f"--backend for nmf must be cd, mu or minibatch, got {solver!r}")
    params.update(solver=solver, beta_loss="frobenius" if solver == "cd" else "kullback-leibler")
    return ModelSpec("nmf", params)


def _add_fit(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "fit",
        help="fit an LDA or NMF topic model to a corpus",
        description=(
            "Vectorise a corpus Parquet file (from `topics ingest`), fit a topic model and "
            "write to the output folder: model.npz + model.json, vectorizer.json, "
            "top_terms.csv (topic, rank, term, weight) and doc_topics.parquet "
            "(doc_id, topic, share)."
        ),
    )
    _add_model_args(parser, "lda")
    parser.add_argument("-o", "--output", type=Path, required=True, help="output folder")
    parser.add_argument("--k", type=int, default=20, help="number of topics (default: 20)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.set_defaults(handler=_run_fit)


def _check_top(top: int, n_terms: int) -> None:
    from .errors import ConfigError

    _check_positive(top, "--top")
    if top > n_terms:
        raise ConfigError(
            f"--top {top} is more than the {n_terms} terms in the vocabulary; "
            f"use --top {n_terms} or less (or lower --min-df)"
        )


def _run_fit(args: argparse.Namespace) -> int:
    from .outputs import Outputs

    _check_seed(args.seed)
    _check_positive(args.k, "--k")
    _check_positive(args.top, "--top")
    with Outputs() as outputs:
        out = outputs.folder(args.output, "model")
        corpus, config, vectorizer, (matrix, _) = _vectorise(args)
        print(f"{matrix.shape[0]:,} documents × {matrix.shape[1]:,} terms")
        _check_top(args.top, matrix.shape[1])
        model = _model_spec(args).build(args.k, args.seed)
        model.fit(matrix)
        model.save(out)
        vectorizer.save(out / "vectorizer.json")
        top = model.top_terms(args.top)
        top.to_csv(out / "top_terms.csv", index=False)
        model.doc_topics(matrix).to_parquet(out / "doc_topics.parquet", index=False)
        outputs.manifest(
            args.output,
            "model",
            config={
                "model": args.model,
                "k": args.k,
                "backend": args.backend,
                "max_iter": args.max_iter,
                "min_df": args.min_df,
                "max_df": args.max_df,
                "max_features": args.max_features,
                "preprocess": config.to_dict(),
            },
            fingerprint=corpus.fingerprint(),
            inputs=[args.corpus],
            seed=args.seed,
            extra={"shape": list(matrix.shape)},
        )
    for topic, group in top.groupby("topic"):
        print(f"topic {topic:>2}: {' '.join(group['term'])}")
    print(
        f"wrote {args.output}/ (model.npz, model.json, vectorizer.json, top_terms.csv, "
        "doc_topics.parquet, manifest.json)"
    )
    return 0


def _add_sweep(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    _add_model_args(parser, "nmf")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV of runs to write")
    parser.add_argument(
        "--k", default="5:50:5", help="Ks as start:stop:step or a,b,c (default 5:50:5)"
    )
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds (default 0,1,2)")
    parser.add_argument(
        "--resamples", type=int, default=0, help="80%% document resamples per K for stability"
    )
    parser.add_argument("--jobs", type=int, default=1, help="parallel jobs (default 1)")
    parser.set_defaults(handler=_run_sweep)


def _run_sweep(args: argparse.Namespace) -> int:
    from .errors import ConfigError
    from .outputs import Outputs
    from .sweep import parse_k_range, sweep

    ks = parse_k_range(args.k)
    try:
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    except ValueError as exc:
        raise ConfigError(f"--seeds must be comma-separated integers, got {args.seeds!r}") from exc
    for seed in seeds:
        _check_seed(seed, "--seeds")
    if args.jobs == 0 or args.jobs < -1:
        raise ConfigError(f"--jobs must be at least 1 (or -1 for every core), got {args.jobs}")
    _check_positive(args.top, "--top")
    if args.resamples < 0:
        raise ConfigError(f"--resamples must be 0 or more, got {args.resamples}")
    summary_path = args.output.with_name(args.output.stem + "_summary.csv")
    with Outputs() as out:
        runs_file, summary_file = out.file(args.output), out.file(summary_path)
        corpus, config, _, (matrix, streams) = _vectorise(args)
        _check_top(args.top, matrix.shape[1])
        spec = _model_spec(args)
        result = sweep(
            matrix,
            streams,
            ks=ks,
            seeds=seeds,
            configs={args.model: spec},
            top_n=args.top,
            resamples=args.resamples,
            n_jobs=args.jobs,
            progress=args.progress,
        )
        result.runs.to_csv(runs_file, index=False)
        result.summary.to_csv(summary_file, index=False)
        best = result.recommend_k(args.model)
        out.manifest(
            args.output,
            "sweep",
            config={"k": ks, "seeds": seeds, "model": args.model, "backend": args.backend,
                    "resamples": args.resamples, "top": args.top, "preprocess": config.to_dict()},
            fingerprint=corpus.fingerprint(),
            inputs=[args.corpus],
            extra={"recommended_k": best},
        )  # fmt: skip
    print(result.summary.drop(columns=["config"]).to_string(index=False, float_format="%.3f"))
    kind = str(result.summary["stability_kind"].iloc[0])
    print(f"recommended K: {best} (highest mean NPMI among K with stability across {kind} ≥ 0.6)")
    print(f"wrote {args.output} and {summary_path}")
    return 0


def _add_dynamic(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "dynamic",
        help="each topic's (or theme's) words per period",
        description=(
            "Per-period words, tidy: topic, period, rank, term, weight. --method evolution fits "
            "one model (--model lda or nmf) and lists each topic's words from what it explains "
            "in each period (no look-ahead: a period's words come from that period's "
            "documents); --method dnmf fits dynamic NMF (Greene & Cross), which finds topics "
            "per window and links them; --method themes lists each codebook theme's words "
            "from the documents using its seed terms (needs --themes)."
        ),
    )
    _add_model_args(parser, "lda")
    parser.add_argument(
        "--method", choices=["evolution", "dnmf", "themes"], default="evolution",
        help="how per-period words are found (default: evolution)",
    )  # fmt: skip
    when = parser.add_mutually_exclusive_group()
    when.add_argument(
        "--freq", choices=["week", "month", "quarter", "year"], default="year",
        help="calendar periods (default: year)",
    )  # fmt: skip
    when.add_argument("--years", type=int, default=None, help="bins of this many years instead")
    parser.add_argument("--k", type=int, default=20, help="topics (dnmf: dynamic topics)")
    parser.add_argument(
        "--window-k", default="5,10,15", help="dnmf: Ks tried in each window (default 5,10,15)"
    )
    parser.add_argument("--themes", type=Path, default=None, help="TOML codebook (--method themes)")
    parser.add_argument(
        "--relevance", type=float, default=0.6,
        help="λ of the word ranking: 1 = probability, lower favours words distinctive of the "
        "period (default: 0.6)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV of words to write")
    parser.set_defaults(handler=_run_dynamic)


def _run_dynamic(args: argparse.Namespace) -> int:
    from .corpus import Corpus
    from .dynamic import DynamicNMF, term_turnover, theme_terms, topic_evolution
    from .errors import ConfigError
    from .outputs import Outputs
    from .periods import assign_periods, assign_year_bins
    from .preprocess import Preprocessor
    from .themes import Codebook

    _check_seed(args.seed)
    _check_positive(args.k, "--k")
    _check_positive(args.top, "--top")
    if args.method == "themes" and args.themes is None:
        raise ConfigError("--method themes needs --themes CODEBOOK.toml")
    if not 0.0 <= args.relevance <= 1.0:
        raise ConfigError(f"--relevance must be in [0, 1], got {args.relevance}")
    with Outputs() as out:
        terms_file = out.file(args.output)
        corpus = Corpus.read_parquet(args.corpus)
        if args.years is not None:
            periods = assign_year_bins(corpus, args.years)
        else:
            periods = assign_periods(corpus, args.freq)
        placed = periods[periods["assigned"]]
        if args.method == "themes":
            codebook = Codebook.from_toml(args.themes)
            tokens = Preprocessor(codebook.preprocess_config()).transform(corpus.texts)
            terms = theme_terms(
                tokens, periods["period"].tolist(), codebook,
                n=args.top, relevance_lambda=args.relevance,
            )  # fmt: skip
        else:
            _, _, _, (matrix, tokens) = _vectorise(args)
            print(f"{matrix.shape[0]:,} documents × {matrix.shape[1]:,} terms")
            _check_top(args.top, matrix.shape[1])
            if args.method == "dnmf":
                try:
                    window_ks = [int(k) for k in args.window_k.split(",") if k.strip()]
                except ValueError as exc:
                    raise ConfigError(
                        f"--window-k must be comma-separated integers, got {args.window_k!r}"
                    ) from exc
                dnmf = DynamicNMF(args.k, window_ks=window_ks, random_state=args.seed)
                dnmf.fit(matrix, placed[["id", "period"]], tokens)
                terms = dnmf.topic_terms(args.top, relevance_lambda=args.relevance)
            else:
                model = _model_spec(args).build(args.k, args.seed)
                theta = model.fit_transform(matrix)
                terms = topic_evolution(
                    model, matrix, placed[["id", "period"]], n=args.top,
                    relevance_lambda=args.relevance, doc_topic=theta,
                )  # fmt: skip
        terms = terms.assign(period=terms["period"].astype(str))
        terms.to_csv(terms_file, index=False)
        out.manifest(
            args.output, "dynamic",
            config={"method": args.method, "model": args.model, "k": args.k, "freq": args.freq,
                    "years": args.years, "window_k": args.window_k, "relevance": args.relevance,
                    "top": args.top, "themes": str(args.themes) if args.themes else None},
            fingerprint=corpus.fingerprint(), seed=args.seed,
            inputs=[args.corpus, *([args.themes] if args.themes else [])],
            extra={"documents_not_placed": int((~periods["assigned"]).sum())},
        )  # fmt: skip
    turnover = term_turnover(terms, n=min(args.top, 10)).set_index("topic")["turnover"]
    for topic, group in terms.groupby("topic", sort=False):
        ends = [group["period"].iloc[0], group["period"].iloc[-1]]
        words = []
        for period in ends:
            rows = group[group["period"] == period].sort_values("rank")
            n_docs = int(rows["n_docs"].iloc[0]) if "n_docs" in rows else None
            docs = "" if n_docs is None else f" [{n_docs} doc{'' if n_docs == 1 else 's'}]"
            words.append(" ".join(rows["term"].head(5)) + docs)
        print(f"{topic}: {ends[0]}: {words[0]}  →  {ends[1]}: {words[1]}"
              f"  (turnover {turnover[topic]:.2f})")  # fmt: skip
    print(f"wrote {args.output}")
    return 0


def _add_trends(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "trends",
        help="theme prevalence per period with 95%% bootstrap intervals",
        description=(
            "Measure each codebook theme in every document (dictionary scoring, a keyword-"
            "seeded LDA, or unsupervised topics mapped to themes), aggregate per period with "
            "Bayesian-bootstrap intervals over articles (a paragraph's article is its unit), and "
            "write period, theme, share, lo, hi, n_docs, n_units, few_docs, partial, empty — every "
            "period from the first to the last, empty ones included. The document-level shares "
            "go beside it (STEM.shares.parquet) for `topics changes`. Documents whose date is "
            "coarser than --freq are left out and counted. Weeks run Monday–Sunday (ISO) unless "
            "--week-start says otherwise."
        ),
    )
    parser.add_argument("corpus", type=Path, help="corpus Parquet written by `topics ingest`")
    parser.add_argument(
        "--themes", type=Path, required=True, help="TOML codebook (e.g. data/themes.toml)"
    )
    parser.add_argument("--freq", choices=["week", "month", "quarter", "year"], default="month")
    parser.add_argument(
        "--week-start", default="monday", help="first day of a week (default: monday, ISO)"
    )
    parser.add_argument(
        "--method", choices=["dictionary", "seeded", "mapped"], default="dictionary"
    )
    parser.add_argument("--weighting", choices=["documents", "tokens"], default="documents",
                        help="each document counts once, or by its number of tokens")  # fmt: skip
    parser.add_argument("--k", type=int, default=10, help="free topics (seeded) or topics (mapped)")
    parser.add_argument(
        "--boot", type=int, default=1000, help="bootstrap replicates (default 1000)"
    )
    parser.add_argument("--min-docs", type=int, default=5, help="flag periods with fewer documents")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("-o", "--output", type=Path, required=True, help="trends CSV to write")
    parser.set_defaults(handler=_run_trends)


def shares_path(trends_csv: Path) -> Path:
    """Where `topics trends` puts the document-level shares of ``trends_csv``."""
    return trends_csv.with_name(trends_csv.stem + ".shares.parquet")


def _run_trends(args: argparse.Namespace) -> int:
    import pandas as pd

    from .corpus import Corpus
    from .models import NMF
    from .outputs import Outputs
    from .periods import assign_periods
    from .themes import (
        Codebook,
        dictionary_shares,
        map_topics,
        mapped_theme_shares,
        model_theme_shares,
        seeded_model,
    )
    from .trends import prevalence
    from .vectorize import Vectorizer

    _check_seed(args.seed)
    _check_positive(args.k, "--k")
    _check_positive(args.boot, "--boot")
    with Outputs() as out:
        trends_file = out.file(args.output)
        shares_file = out.file(shares_path(args.output))
        corpus = Corpus.read_parquet(args.corpus)
        codebook = Codebook.from_toml(args.themes)
        config = codebook.preprocess_config()
        if args.method == "dictionary":
            from .preprocess import Preprocessor

            tokens = Preprocessor(config).transform(corpus.texts)
            shares = dictionary_shares(tokens, corpus.ids, codebook, config)
        else:
            seed_tokens = [t for m in codebook.tokens(config).values() for t in m]
            vectorizer = Vectorizer(config, min_df=1, max_df=1.0, keep_terms=seed_tokens)
            matrix = vectorizer.fit_transform(corpus)
            if args.method == "seeded":
                model = seeded_model(
                    matrix, codebook, n_free=args.k, config=config, random_state=args.seed
                )
                shares = model_theme_shares(model, matrix, codebook.names)
            else:
                nmf = NMF(args.k, random_state=args.seed).fit(matrix)
                mapping = map_topics(nmf.topic_word_, matrix.vocabulary, codebook, config=config)
                shares = mapped_theme_shares(nmf, matrix, mapping, codebook.names)
        periods = assign_periods(corpus, args.freq, week_start=args.week_start)
        units = (
            pd.Series(corpus.column("parent_id").to_numpy(), index=corpus.ids)
            if "parent_id" in corpus.columns
            else None
        )
        trends = prevalence(
            shares, periods, weighting=args.weighting, n_boot=args.boot, min_docs=args.min_docs,
            random_state=args.seed, dates=corpus.dates, units=units,
        )  # fmt: skip
        trends["period"] = trends["period"].astype(str)
        trends.to_csv(trends_file, index=False)
        placed = periods.set_index("id")["period"]
        documents = shares.assign(
            period=placed.reindex(shares["doc_id"]).astype(str).to_numpy(),
            unit=(units.reindex(shares["doc_id"]).to_numpy() if units is not None
                  else shares["doc_id"].to_numpy()),
        )[placed.reindex(shares["doc_id"]).notna().to_numpy()]  # fmt: skip
        documents.to_parquet(shares_file, index=False)
        unplaced = int((~periods["assigned"]).sum())
        out.manifest(
            args.output, "trends",
            config={"themes": str(args.themes), "freq": args.freq, "week_start": args.week_start,
                    "method": args.method, "weighting": args.weighting, "k": args.k,
                    "boot": args.boot, "units": "articles (parent_id)" if units is not None
                    else "documents"},
            fingerprint=corpus.fingerprint(), inputs=[args.corpus, args.themes], seed=args.seed,
            extra={"documents_not_placed": unplaced, "shares": shares_path(args.output).name},
        )  # fmt: skip
    table = trends.pivot(index="period", columns="theme", values="share")
    print(table.to_string(float_format="%.3f"))
    if unplaced:
        print(f"{unplaced} documents not placed (no date, or date coarser than {args.freq})")
    empty = list(trends.loc[trends["empty"], "period"].unique())
    if empty:
        listed = ", ".join(empty[:5]) + (f" … ({len(empty) - 5} more)" if len(empty) > 5 else "")
        print(f"{len(empty)} empty periods kept as gaps: {listed}")
    print(f"wrote {args.output} and {shares_path(args.output)}")
    return 0


def _add_changes(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "changes",
        help="steps and episodes in theme trends, family-wise calibrated",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""\
Find steps (level shifts) and episodes (a rise and a return, or a fall and a
return) in every theme's share series written by `topics trends`, several per
theme, and write theme, kind, date, end, before, after, shift, lo, hi, p_raw,
p_adj, gap_before.

Null: a theme's rate does not depend on the period. The test shuffles the
periods across articles (the documents, or the articles paragraphs come from),
keeping each period's number of articles, so thin periods carry their own
noise and cannot make a change alone.
Statistic: each theme's period means are segmented by quasi-Poisson deviance
(each period weighted by its documents) with a penalty per change; up to
--max-changes per theme. A segment above or below both neighbours to which the
level returns at least half way is an episode; other changes are steps.
Correction: the penalty is calibrated so that, with probability >= 1 - alpha,
no change at all is reported when no theme changes: a Westfall-Young max-
statistic over every theme x every candidate date x up to --max-changes
changes (--correction fwer, default). --correction fdr selects themes by
Benjamini-Hochberg instead. p_raw tests the change's own contrast as if it
were the only one; p_adj is corrected for the whole family.
Edges and gaps: a segment needs --min-size periods with documents, so a change
in the first or last min-size - 1 such periods cannot be tested; those periods
are printed as "not testable here". Empty periods stay gaps (gap_before counts
them). Intervals for shifts are Bayesian-bootstrap intervals over articles,
conditional on the dates found.""",
    )
    parser.add_argument("trends", type=Path, help="CSV written by `topics trends`")
    parser.add_argument("-o", "--output", type=Path, required=True, help="changes CSV to write")
    parser.add_argument(
        "--shares", type=Path, default=None,
        help="document-level shares (default: TRENDS_STEM.shares.parquet beside the CSV)",
    )  # fmt: skip
    parser.add_argument(
        "--alpha", type=float, default=0.05, help="family-wise level (default 0.05)"
    )
    parser.add_argument(
        "--correction", choices=["fwer", "fdr"], default="fwer",
        help="fwer: Westfall-Young over themes x dates (default); fdr: Benjamini-Hochberg",
    )  # fmt: skip
    parser.add_argument("--permutations", type=int, default=999, help="permutations (default 999)")
    parser.add_argument(
        "--min-size", type=int, default=2,
        help="fewest periods with documents in a segment (default 2)",
    )  # fmt: skip
    parser.add_argument(
        "--max-changes", type=int, default=4, help="most changes per theme (default 4)"
    )
    parser.add_argument(
        "--weighting", choices=["documents", "tokens"], default="documents",
        help="each document counts once, or by its tokens (as in `topics trends`)",
    )  # fmt: skip
    parser.add_argument("--boot", type=int, default=1000, help="bootstrap draws for intervals")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.set_defaults(handler=_run_changes)


def _read_trends_csv(path: Path) -> Any:
    """Read a trends CSV for `topics changes`; anything else is one error naming the file."""
    import pandas as pd

    from .errors import InputError

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
        trends = pd.read_csv(io.BytesIO(data), encoding="utf-8")
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


def _run_changes(args: argparse.Namespace) -> int:
    import pandas as pd

    from .errors import ConfigError, InputError
    from .outputs import Outputs
    from .trends import detect_changes

    _check_seed(args.seed)
    _check_positive(args.permutations, "--permutations")
    _check_positive(args.boot, "--boot")
    if not 0 < args.alpha < 1:
        raise ConfigError(f"--alpha must be between 0 and 1, got {args.alpha}")
    with Outputs() as out:
        changes_file = out.file(args.output)
        trends = _read_trends_csv(args.trends)
        source = args.shares or shares_path(args.trends)
        if not source.exists():
            raise InputError(
                f"{source} not found: the change test needs the document-level shares that "
                "`topics trends` writes beside its CSV; run `topics trends` again or pass --shares"
            )
        try:
            documents = pd.read_parquet(source)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read shares {source}: {exc}") from exc
        needed = {"doc_id", "theme", "share", "weight", "period", "unit"} - set(documents.columns)
        if needed:
            raise InputError(f"{source} lacks columns {sorted(needed)}")
        periods = documents.drop_duplicates("doc_id").rename(columns={"doc_id": "id"})
        result = detect_changes(
            documents[["doc_id", "theme", "share", "weight"]],
            periods[["id", "period"]],
            units=periods.set_index("id")["unit"],
            axis=list(dict.fromkeys(trends["period"].astype(str))),
            alpha=args.alpha, correction=args.correction, n_perm=args.permutations,
            min_size=args.min_size, max_changes=args.max_changes, weighting=args.weighting,
            n_boot=args.boot, random_state=args.seed,
        )  # fmt: skip
        changes = result.changes
        changes.to_csv(changes_file, index=False)
        out.manifest(
            args.output, "changes",
            config={"alpha": args.alpha, "correction": args.correction,
                    "permutations": args.permutations, "min_size": args.min_size,
                    "max_changes": args.max_changes, "weighting": args.weighting,
                    "boot": args.boot},
            inputs=[args.trends, source], seed=args.seed, extra={"test": result.to_dict()},
        )  # fmt: skip
    if len(changes):
        print(changes.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    else:
        print(f"no change at family-wise level {args.alpha}")
    print(result.describe())
    print(f"wrote {args.output}")
    return 0


def _add_report(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "report",
        help="the theme-over-time analysis from a TOML config, without Jupyter",
        description=(
            "Ingest the corpus a TOML config names, measure its codebook themes per period with "
            "bootstrap intervals, find change points and key passages, and write tables (CSV), "
            "figures (SVG, PNG) and manifest.json into the config's output folder. See "
            "data/report.toml for the layout."
        ),
    )
    parser.add_argument("config", type=Path, help="report config (TOML)")
    parser.add_argument("--progress", action="store_true", help="show progress bars")
    parser.set_defaults(handler=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from .report import ReportConfig, run_report

    config = ReportConfig.from_toml(args.config)
    manifest = run_report(config, progress=args.progress)
    print(
        f"{manifest['ingest']['documents']} documents → {manifest['ingest']['units']} units; "
        f"{len(manifest['files'])} files written to {config.output}"
    )
    for entry in manifest["files"]:
        print(f"  {entry['path']}")
    return 0


def _add_figures(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "figures",
        help="execute the notebooks and regenerate every figure",
        description=(
            "Execute notebooks/NN_*.py in order with papermill (executed copies go to build/), "
            "write figures/*.svg and *.png and figures/MANIFEST.json."
        ),
    )
    parser.add_argument(
        "--only", nargs="+", default=None, help="notebook names to run (e.g. 01_corpus)"
    )
    parser.add_argument("--small", action="store_true", help="small parameters (fast; used by CI)")
    parser.add_argument(
        "--figures-dir", type=Path, default=None, help="output folder (default: figures/)"
    )
    parser.add_argument(
        "--build-dir", type=Path, default=None, help="executed notebooks (default: build/)"
    )
    parser.set_defaults(handler=_run_figures)


def _run_figures(args: argparse.Namespace) -> int:
    from .notebooks import run_notebooks

    manifest = run_notebooks(
        names=args.only, small=args.small, build_dir=args.build_dir, figures_dir=args.figures_dir
    )
    for name, info in manifest["figures"].items():
        print(f"{name}: {', '.join(info['files'])}  ({info['notebook']})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``topics`` command."""
    parser = argparse.ArgumentParser(
        prog="topics",
        description="Topic and trend modelling of dated text.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_ingest(sub)
    _add_fit(sub)
    _add_sweep(sub)
    _add_trends(sub)
    _add_changes(sub)
    _add_dynamic(sub)
    _add_report(sub)
    _add_figures(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except TopicsError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file the package did not expect to fail (permissions, a device)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; the previous outputs are unchanged", file=sys.stderr)
        return 130


def _one_line(message: str) -> str:
    return " ".join(message.split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
