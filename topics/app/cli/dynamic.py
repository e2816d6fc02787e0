"""`topics dynamic`: each topic's (or theme's) words per period."""

from __future__ import annotations

import argparse
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

__all__ = ["add"]


def add(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Register the command."""
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
    add_model_args(parser, "lda")
    parser.add_argument(
        "--method", choices=["evolution", "dnmf", "themes"], default="evolution",
        help="how per-period words are found (default: evolution)",
    )  # fmt: skip
    when = parser.add_mutually_exclusive_group()
    when.add_argument(
        "--freq", choices=FREQUENCIES, default="year",
        help="calendar periods (default: year)",
    )  # fmt: skip
    when.add_argument("--years", type=int, default=None, help="bins of this many years instead")
    add_n_topics_arg(parser, defaults.N_TOPICS, "topics (dnmf: dynamic topics)")
    parser.add_argument(
        "--window-k", default="5,10,15", help="dnmf: Ks tried in each window (default 5,10,15)"
    )
    parser.add_argument("--themes", type=Path, default=None, help="TOML codebook (--method themes)")
    parser.add_argument(
        "--relevance", type=float, default=defaults.PERIOD_RELEVANCE_LAMBDA,
        help="λ of the word ranking: 1 = probability, lower favours words distinctive of the "
        f"period (default: {defaults.PERIOD_RELEVANCE_LAMBDA})",
    )  # fmt: skip
    add_options(parser, "seed")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV of words to write")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the command."""
    from ...corpus.corpus import Corpus
    from ...corpus.periods import assign_periods, assign_year_bins
    from ...dynamic import DynamicNMF, term_turnover, theme_terms, topic_evolution
    from ...errors import ConfigError
    from ...outputs import Outputs
    from ...spreadsheet import write_csv
    from ...themes.codebook import Codebook

    check_seed(args.seed, "--seed")
    check_count(args.n_topics, "--n-topics")
    check_count(args.top, "--top")
    if args.method == "themes" and args.themes is None:
        raise ConfigError("--method themes needs --themes CODEBOOK.toml")
    if not 0.0 <= args.relevance <= 1.0:
        raise ConfigError(f"--relevance must be in [0, 1], got {args.relevance}")
    with Outputs(inputs=[args.corpus, *([args.themes] if args.themes else [])]) as out:
        terms_file = out.file(args.output)
        corpus = Corpus.read_parquet(args.corpus)
        if args.years is not None:
            periods = assign_year_bins(corpus, args.years)
        else:
            periods = assign_periods(corpus, args.freq)
        placed = periods[periods["assigned"]]
        if args.method == "themes":
            compiled = Codebook.from_toml(args.themes).compile()
            tokens = compiled.tokenize(corpus.texts)
            terms = theme_terms(
                tokens, periods["period"].tolist(), compiled,
                n=args.top, relevance_lambda=args.relevance,
            )  # fmt: skip
        else:
            _, _, (matrix, tokens) = vectorize_corpus(args)
            print(f"{matrix.shape[0]:,} documents × {matrix.shape[1]:,} terms")
            check_top(args.top, matrix.shape[1])
            if args.method == "dnmf":
                window_ks = integers(args.window_k, "--window-k")
                dnmf = DynamicNMF(args.n_topics, window_ks=window_ks, random_state=args.seed)
                dnmf.fit(matrix, placed[["id", "period"]], tokens)
                terms = dnmf.topic_terms(args.top, relevance_lambda=args.relevance)
            else:
                model = model_spec(args).build(args.n_topics, args.seed)
                theta = model.fit_transform(matrix)
                terms = topic_evolution(
                    model, matrix, placed[["id", "period"]], n=args.top,
                    relevance_lambda=args.relevance, doc_topic=theta,
                )  # fmt: skip
        terms = terms.assign(period=terms["period"].astype(str))
        write_csv(terms, terms_file)
        out.manifest(
            args.output, "dynamic",
            config={"method": args.method, "family": args.model, "n_topics": args.n_topics,
                    "freq": args.freq, "years": args.years, "window_k": args.window_k,
                    "relevance": args.relevance, "top": args.top,
                    "themes": str(args.themes) if args.themes else None},
            fingerprint=corpus.fingerprint(), random_state=args.seed,
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
