"""What the commands share: option groups, checks with CLI wording, corpus vectorising."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ... import defaults
from ...errors import ConfigError

__all__ = [
    "OPTIONS",
    "add_model_args",
    "add_n_topics_arg",
    "add_options",
    "add_progress_args",
    "add_test_args",
    "check_top",
    "integers",
    "model_spec",
    "option_names",
    "shares_path",
    "vectorize_corpus",
]

Subparsers = argparse._SubParsersAction  # the type `add_subparsers` returns


def check_top(top: int, n_terms: int) -> None:
    """``--top`` cannot ask for more terms than the vocabulary has."""
    if top > n_terms:
        raise ConfigError(
            f"--top {top} is more than the {n_terms} terms in the vocabulary; "
            f"use --top {n_terms} or less (or lower --min-df)"
        )


def integers(text: str, option: str) -> list[int]:
    """Parse ``"1,2,3"`` (the values of ``option``), or raise naming the option."""
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ConfigError(f"{option} must be comma-separated integers, got {text!r}") from None


def shares_path(trends_csv: Path) -> Path:
    """Where `topics trends` puts the document-level shares of ``trends_csv``."""
    return trends_csv.with_name(trends_csv.stem + ".shares.parquet")


#: Options several commands take, each declared once: name → (flags, ``add_argument`` keywords).
OPTIONS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "seed": (("--seed",), {"type": int, "default": defaults.SEED,
                           "help": f"random seed (default: {defaults.SEED})"}),
    "boot": (("--boot",), {"type": int, "default": defaults.N_BOOT,
                           "help": f"bootstrap draws for intervals (default: {defaults.N_BOOT})"}),
    "weighting": (("--weighting",), {"choices": defaults.WEIGHTINGS, "default": defaults.WEIGHTING,
                                     "help": "each document counts once, or by its number of "
                                     "tokens (as in `topics trends`)"}),
    "freq": (("--freq",), {"choices": defaults.FREQUENCIES, "default": defaults.FREQ,
                           "help": f"period length (default: {defaults.FREQ})"}),
    "themes": (("--themes",), {"type": Path, "required": True,
                               "help": "TOML codebook (e.g. data/themes.toml)"}),
    "measure": (("--measure", "--method"), {"dest": "measure", "default": "dictionary",
                                            "metavar": "NAME",
                                            "help": "how a theme is measured in a document: a "
                                            "name in topics.themes.MEASURES — dictionary "
                                            "(default), seeded, mapped or a plug-in you "
                                            "registered"}),
    "shares": (("--shares",), {"type": Path, "default": None,
                               "help": "document-level shares (default: "
                               "TRENDS_STEM.shares.parquet beside the CSV)"}),
    "permutations": (("--permutations",), {"type": int, "default": defaults.N_PERM,
                                           "help": f"shuffles (default: {defaults.N_PERM})"}),
}  # fmt: skip

#: How a settings field is spelt on the command line where it is not ``--field-name``.
_SPELLED = {"n_boot": "--boot", "n_perm": "--permutations", "random_state": "--seed"}


def add_options(parser: argparse.ArgumentParser, *names: str, **changed: dict[str, Any]) -> None:
    """Add shared options by name (see :data:`OPTIONS`); ``changed`` adjusts one's keywords."""
    for name in names:
        flags, keywords = OPTIONS[name]
        parser.add_argument(*flags, **{**keywords, **changed.get(name, {})})


def option_names(settings: type) -> dict[str, str]:
    """Each field of a settings dataclass → its option, so errors name what the user typed."""
    import dataclasses

    fields = [f.name for f in dataclasses.fields(settings)]
    return {f: _SPELLED.get(f, "--" + f.replace("_", "-")) for f in fields}


def add_test_args(parser: argparse.ArgumentParser, shuffled: str) -> None:
    """Add what `topics changes` and `topics event` share: shares, permutations, bootstrap.

    ``shuffled`` says what a permutation shuffles, for the help text.
    """
    add_options(
        parser, "shares", "permutations", "boot", "weighting", "seed",
        permutations={"help": f"shuffles of {shuffled} (default {defaults.N_PERM})"},
    )  # fmt: skip


class _Renamed(argparse.Action):
    """Store an option's value; a warning on stderr when its old spelling (``--k``) was used."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if option_string is not None and option_string != self.option_strings[0]:
            import sys

            print(
                f"warning: {option_string} is deprecated; use {self.option_strings[0]}",
                file=sys.stderr,
            )
        setattr(namespace, self.dest, values)


def add_n_topics_arg(
    parser: argparse.ArgumentParser, default: Any, help: str, kind: type = int
) -> None:
    """``--n-topics`` (``--k``, the old spelling, still read with a warning)."""
    parser.add_argument(
        "--n-topics", "--k", dest="n_topics", type=kind, default=default, action=_Renamed,
        help=f"{help} (--k: the old spelling, deprecated)",
    )  # fmt: skip


def add_progress_args(parser: argparse.ArgumentParser) -> None:
    """``--progress`` / ``--quiet``; by default bars show on a terminal only (not in CI)."""
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument(
        "--progress", dest="progress", action="store_const", const=True, default=None,
        help="show progress bars (default: on a terminal, for steps over a few seconds)",
    )  # fmt: skip
    shown.add_argument(
        "--quiet", dest="progress", action="store_const", const=False, help="no progress bars"
    )


def add_model_args(parser: argparse.ArgumentParser, default_model: str) -> None:
    """Options shared by `fit`, `sweep` and `dynamic`: vocabulary and model choice."""
    parser.add_argument("corpus", type=Path, help="corpus Parquet written by `topics ingest`")
    parser.add_argument(
        "--model", default=default_model, metavar="NAME",
        help="model family: a name in topics.MODELS — lda, nmf, cooc (short texts: titles, "
        "headlines), dmm (one topic per short text) or a plug-in"
        + (", or auto (cooc for short texts, else nmf)" if default_model == "auto" else "")
        + f" (default: {default_model})",
    )  # fmt: skip
    for flag, kind, default, text in (
        ("--backend", str, None,
         "LDA: auto, sklearn, sklearn-online, gensim, gensim-multicore, tomotopy (default auto: "
         "tomotopy when installed); NMF solver: cd, mu, minibatch (default cd)"),
        ("--max-iter", int, None, "passes / iterations (default: the backend's)"),
        ("--config", Path, None, "TOML with a [preprocess] table"),
        ("--min-df", float, defaults.MIN_DF,
         f"minimum document frequency: count, or share if < 1 (default: {defaults.MIN_DF})"),
        ("--max-df", float, defaults.MAX_DF,
         f"maximum document frequency share (default: {defaults.MAX_DF})"),
        ("--max-features", int, None, "largest vocabulary (default: no limit)"),
        ("--top", int, defaults.TOP_TERMS, f"terms per topic (default: {defaults.TOP_TERMS})"),
    ):  # fmt: skip
        parser.add_argument(flag, type=kind, default=default, help=text)
    add_progress_args(parser)


def vectorize_corpus(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """Read the corpus and vectorise it: ``(corpus, config, (matrix, tokens))``."""
    from ...corpus.corpus import Corpus
    from ...text.preprocess import PreprocessConfig
    from ...text.vectorizer import Vectorizer

    corpus = Corpus.read_parquet(args.corpus)
    config = PreprocessConfig.from_toml(args.config) if args.config else PreprocessConfig()
    min_df = int(args.min_df) if args.min_df >= 1 else args.min_df
    vectorizer = Vectorizer(
        config, min_df=min_df, max_df=args.max_df, max_features=args.max_features
    )
    return corpus, config, vectorizer.fit_transform_tokens(corpus, progress=args.progress)


def model_spec(args: argparse.Namespace) -> Any:
    """Return the model the options describe, as a :class:`~topics.evaluation.ModelSpec`."""
    from ...evaluation.selection import ModelSpec

    return ModelSpec.of(args.model, args.backend, args.max_iter, args.progress)
