"""`topics validate`: check a theme measure against human coding (or labels a corpus has).

``sample`` draws a coding sheet of each theme's measured hits and misses; ``score`` scores the
coded sheet (precision, recall, specificity, prevalence with intervals; with a second coder,
κ and α and the disagreements); ``gold`` scores the measure against a label column. Both
scores write a validation that ``topics trends --validation`` uses to correct the trends.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ... import defaults
from ...limits import check_count, check_seed
from ._common import Subparsers, add_options

__all__ = ["add"]


def add(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Register `validate` and its sub-commands."""
    parser = sub.add_parser(
        "validate",
        help="check a theme measure against human coding: sample, score, gold",
        description=(
            "Validate a theme measure the way a reviewer asks: code a stratified sample of "
            "documents by hand (sample → fill the code column → score), or score against a "
            "label column the corpus already has (gold). The validation's sensitivity and "
            "specificity then correct the trends: topics trends --validation."
        ),
    )
    steps = parser.add_subparsers(dest="step", required=True, metavar="STEP")
    _add_sample(steps)
    _add_score(steps)
    _add_gold(steps)


def _add_measure_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", type=Path, help="corpus Parquet written by `topics ingest`")
    add_options(
        parser, "themes", "measure", "seed",
        measure={"help": "the theme measure to validate (default: dictionary)"},
    )  # fmt: skip


def _add_score_args(parser: argparse.ArgumentParser) -> None:
    boot = defaults.VALIDATION_BOOT
    add_options(parser, "boot", boot={"default": boot, "help": f"bootstrap draws (default {boot})"})
    parser.add_argument("-o", "--output", type=Path, required=True, help="validation CSV")


def _add_sample(steps: Subparsers[argparse.ArgumentParser]) -> None:
    parser = steps.add_parser(
        "sample",
        help="a coding sheet: each theme's measured hits and misses, to code 1/0 by hand",
        description=(
            "Measure the themes and draw, per theme, documents the measure found (stratum "
            "hit) and documents it did not (miss), half each; write doc_id, theme, share, "
            "stratum, text (the theme's terms in context, or the document's start), full_text "
            "and an empty code column (1 = about the theme, 0 = not). Rows are shuffled; hide "
            "share and stratum to code blind. The sampling design goes into the manifest, "
            "which `topics validate score` needs beside the sheet."
        ),
    )
    _add_measure_args(parser)
    parser.add_argument(
        "--per-theme", type=int, default=40, help="documents per theme (default 40)"
    )
    parser.add_argument("--theme", action="append", help="only this theme (repeatable)")
    parser.add_argument(
        "--bom", action="store_true",
        help="start the CSV with a UTF-8 byte-order mark (Excel then shows Cyrillic right)",
    )  # fmt: skip
    parser.add_argument("-o", "--output", type=Path, required=True, help="coding sheet CSV")
    parser.set_defaults(handler=_run_sample)


def _add_score(steps: Subparsers[argparse.ArgumentParser]) -> None:
    parser = steps.add_parser(
        "score",
        help="precision, recall and prevalence from a coded sheet, with 95%% intervals",
        description=(
            "Score a coded sheet: precision from the coded hits; recall (sensitivity), "
            "specificity and prevalence weighted back to the corpus by each stratum's "
            "sampling rate; 95%% intervals (Wilson for precision, else a stratified Bayesian "
            "bootstrap with Jeffreys pseudo-counts). With --second, the agreement of two "
            "coders per theme (Cohen's kappa, Krippendorff's alpha) and the disagreements "
            "to resolve (VALIDATION.disagreements.csv)."
        ),
    )
    parser.add_argument("sheet", type=Path, help="the coded sheet (its manifest beside it)")
    parser.add_argument("--second", type=Path, help="a second coder's copy of the sheet")
    add_options(parser, "seed")
    _add_score_args(parser)
    parser.set_defaults(handler=_run_scores)


def _add_gold(steps: Subparsers[argparse.ArgumentParser]) -> None:
    parser = steps.add_parser(
        "gold",
        help="the same scores from a label column the corpus already has",
        description=(
            "Code every document from a metadata column: --gold "
            "'labels:sanctions=International sanctions|Oil embargo;energy=Energy' (labels in "
            "a cell separated by --sep). Every document is coded, so no sampling design is "
            "needed."
        ),
    )
    _add_measure_args(parser)
    parser.add_argument(
        "--gold", required=True, metavar="COLUMN:THEME=LABEL|LABEL;… or FILE.toml",
        help="the label column and each theme's labels, or a TOML file with column = \"…\" "
        "and a [themes] table of label lists",
    )  # fmt: skip
    parser.add_argument("--sep", default=";", help="separator of labels in a cell (default ;)")
    _add_score_args(parser)
    parser.set_defaults(handler=_run_scores)


def _analysis(args: argparse.Namespace) -> Any:
    from ...corpus import Corpus
    from ...themes import Codebook
    from ...themes.analysis import analyze_themes

    check_seed(args.seed, "--seed")
    corpus = Corpus.read_parquet(args.corpus)
    codebook = Codebook.from_toml(args.themes)
    return analyze_themes(corpus, codebook, measure=args.measure, random_state=args.seed)


def _run_sample(args: argparse.Namespace) -> int:
    from ...validation import coding_sheet

    check_count(args.per_theme, "--per-theme")
    analysis = _analysis(args)
    sheet = coding_sheet(
        analysis, themes=args.theme, per_theme=args.per_theme, random_state=args.seed
    )
    sheet.save(args.output, bom=args.bom, fingerprint=analysis.corpus.fingerprint())
    print(sheet.strata.to_string(index=False))
    print(
        f"wrote {args.output} ({len(sheet.sheet)} rows to code: 1 = about the theme, 0 = not) "
        "and its manifest (the sampling design; keep it beside the sheet)"
    )
    return 0


def _run_scores(args: argparse.Namespace) -> int:
    """`validate score` (a coded sheet) and `validate gold` (a label column): print and save."""
    from ...validation import validate_gold, validate_scores

    if args.step == "score":
        check_seed(args.seed, "--seed")
    check_count(args.boot, "--boot")
    options = {"n_boot": args.boot, "random_state": args.seed}
    if args.step == "score":
        validation = validate_scores(args.sheet, second=args.second, **options)
    else:
        validation = validate_gold(_analysis(args), args.gold, sep=args.sep, **options)
    for _, row in validation.scores.iterrows():
        print(
            f"{row['theme']:22} n {int(row['n']):5}  precision {row['precision']:.2f} "
            f"[{row['precision_lo']:.2f}, {row['precision_hi']:.2f}]  recall "
            f"{row['recall']:.2f} [{row['recall_lo']:.2f}, {row['recall_hi']:.2f}]  "
            f"F1 {row['f1']:.2f}"
        )
    if validation.agreement is not None and validation.disagreements is not None:
        print(validation.agreement.to_string(index=False, float_format="%.2f"))
        print(f"{len(validation.disagreements)} disagreements to resolve")
    print(validation.describe())
    written = validation.save(args.output)
    print("wrote " + ", ".join(str(p) for p in written))
    return 0
