"""`topics trends` and `topics changes`: thin adapters over :func:`topics.themes.analyze_themes`.

`trends` runs the one theme pipeline with the options as :class:`~topics.themes.ThemeSettings`
and writes its trends table plus the document-level shares; `changes` runs the calibrated change
test on those shares. The same corpus, codebook and settings give the same numbers as the
library and `topics report`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ... import defaults
from ...defaults import CORRECTIONS, WEEKDAYS
from ...errors import ConfigError
from ...limits import check_count
from ._common import (
    Subparsers,
    add_n_topics_arg,
    add_options,
    add_progress_args,
    add_test_args,
    option_names,
    shares_path,
)
from ._tables import read_unit_tables
from .streaming import add_engine_args, engine_of, units_path

__all__ = ["add"]


def add(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Register `trends` and `changes`."""
    _add_trends(sub)
    _add_changes(sub)


def _add_trends(sub: Subparsers[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "trends",
        help="theme prevalence per period with 95%% bootstrap intervals",
        description=(
            "Measure each codebook theme in every document (--measure: dictionary scoring, a "
            "keyword-seeded LDA, unsupervised topics mapped to themes, or a registered plug-in), "
            "aggregate per period with Bayesian-bootstrap intervals over articles (a paragraph's "
            "article is its unit), and write period, theme, share, lo, hi, n_docs, n_units, "
            "few_docs, partial, empty — every period from the first to the last, empty ones "
            "included. The document-level shares go beside it (STEM.shares.parquet) for "
            "`topics changes`. Documents whose date is coarser than --freq are left out and "
            "counted. Weeks run Monday–Sunday (ISO) unless --week-start says otherwise. Same "
            "numbers as `analyze_themes` and `topics report` for the same settings."
        ),
    )
    parser.add_argument(
        "corpus", type=Path,
        help="corpus Parquet written by `topics ingest`, or a dataset folder (--dataset)",
    )  # fmt: skip
    add_options(parser, "themes", "freq")
    parser.add_argument(
        "--week-start", choices=WEEKDAYS, default=defaults.WEEK_START,
        help=f"first day of a week (default: {defaults.WEEK_START}, ISO 8601)",
    )  # fmt: skip
    add_options(parser, "measure", "weighting")
    add_n_topics_arg(
        parser, None, "size of a model-based measure: free topics (seeded) or topics (mapped)"
    )
    add_options(parser, "boot")
    parser.add_argument(
        "--min-docs", type=int, default=defaults.MIN_DOCS,
        help=f"flag periods with fewer units (default {defaults.MIN_DOCS})",
    )  # fmt: skip
    add_options(parser, "seed")
    parser.add_argument(
        "--by", metavar="COLUMN",
        help="one series per value of this corpus column (lang, outlet …), with its own "
        "intervals: the CSV gains a group column, and `topics changes` tests each group",
    )  # fmt: skip
    parser.add_argument(
        "--where", metavar="COLUMN=VALUE[,VALUE]", action="append", default=[],
        help="analyse only the documents whose column has one of these values (lang=ru,kk); "
        "repeat for several columns",
    )  # fmt: skip
    parser.add_argument(
        "--validation", type=Path, metavar="VALIDATION_CSV",
        help="also write STEM.corrected.csv: each period's share of documents about each "
        "validated theme, corrected for the measured misclassification (Rogan-Gladen), the "
        "validation's uncertainty in the intervals (from `topics validate score` or `gold`)",
    )  # fmt: skip
    add_progress_args(parser)
    parser.add_argument("-o", "--output", type=Path, required=True, help="trends CSV to write")
    add_engine_args(parser)
    parser.set_defaults(handler=_run_trends)


def _measure_options(measure: str, k: int | None) -> dict[str, Any]:
    """``--n-topics`` sets the measure's size setting, whatever the measure calls it."""
    from ...themes.measures import MEASURES

    if k is None:
        return {}
    size = getattr(MEASURES.get(measure), "size_option", None)
    if size is None:
        raise ConfigError(
            f"--n-topics does not apply to the {measure!r} measure (it fits no model)"
        )
    check_count(k, "--n-topics")
    return {size: k}


def _run_trends(args: argparse.Namespace) -> int:
    import contextlib

    from ...outputs import Outputs
    from ...scale import analyze_themes, is_dataset
    from ...spreadsheet import write_csv
    from ...themes import Codebook, ThemeAnalysis, ThemeSettings

    settings = ThemeSettings.from_mapping(
        {
            "freq": args.freq,
            "week_start": args.week_start,
            "measure": args.measure,
            "measure_options": _measure_options(args.measure, args.n_topics),
            "weighting": args.weighting,
            "n_boot": args.boot,
            "min_docs": args.min_docs,
            "random_state": args.seed,
        },
        "options",
        option_names(ThemeSettings),
    )
    dataset = is_dataset(args.corpus)
    if dataset and (args.by or args.where or args.validation):
        raise ConfigError(
            "--by, --where and --validation need a corpus Parquet (in memory): a dataset's "
            "documents are not kept after measuring"
        )
    validation = None
    if args.validation:
        from ...validation import Validation

        validation = Validation.load(args.validation)
    source: Any = _filtered(args.corpus, args.where) if args.where else args.corpus
    with Outputs(inputs=[args.corpus, args.themes]) as out:
        trends_file = out.file(args.output)
        units_file = out.file(units_path(args.output), part_of=args.output)
        shares_file = None if dataset else out.file(shares_path(args.output), part_of=args.output)
        corrected_file = (
            out.file(corrected_path(args.output), part_of=args.output) if validation else None
        )
        codebook = Codebook.from_toml(args.themes)
        with engine_of(args) if dataset else contextlib.nullcontext() as engine:
            result = analyze_themes(
                source, codebook, settings, engine=engine, progress=args.progress
            )
        in_memory = result if isinstance(result, ThemeAnalysis) else None
        grouped = in_memory.by_group(args.by) if in_memory is not None and args.by else None
        trends = result.trends if grouped is None else grouped
        trends = trends.assign(period=trends["period"].astype(str))
        write_csv(trends, trends_file)
        result.table.save(units_file)
        if isinstance(result, ThemeAnalysis) and shares_file is not None:
            _document_shares(result, args.by).to_parquet(shares_file, index=False)
        corrected = None
        if in_memory is not None and validation is not None and corrected_file is not None:
            from ...validation import corrected_trends

            corrected = corrected_trends(
                in_memory, validation, n_boot=args.boot, random_state=args.seed
            )
            corrected = corrected.assign(period=corrected["period"].astype(str))
            write_csv(corrected, corrected_file, float_format="%.6g")
        out.manifest(
            args.output, "trends",
            config={**settings.to_dict(), "themes": str(args.themes), "units": result.unit_kind,
                    **({"by": args.by} if args.by else {}),
                    **({"where": args.where} if args.where else {}),
                    **({"validation": str(args.validation)} if args.validation else {})},
            fingerprint=result.fingerprint, inputs=[args.corpus, args.themes],
            random_state=args.seed,
            extra={**result.counts, "units_table": units_file.name,
                   **({"shares": shares_file.name} if shares_file else {}),
                   "measure": dict(result.info), "preprocess": result.preprocess.to_dict(),
                   **({"corrected": _corrected_note(args.output, args.validation, validation)}
                      if validation else {})},
        )  # fmt: skip
    unplaced = int(result.counts["documents_not_placed"])
    rows = ["period"] if grouped is None else ["group", "period"]
    table = trends.pivot(index=rows, columns="theme", values="share")
    print(table.to_string(float_format="%.3f"))
    if in_memory is not None and grouped is not None:
        column = in_memory.corpus.column(args.by).astype("string").fillna("(none)")
        sizes = column.value_counts()
        print(f"groups by {args.by}: " + ", ".join(f"{k} {v}" for k, v in sizes.items()))
    if unplaced:
        print(f"{unplaced} documents not placed (no date, or date coarser than {args.freq})")
    empty = list(trends.loc[trends["empty"], "period"].unique())
    if empty:
        listed = ", ".join(empty[:5]) + (f" … ({len(empty) - 5} more)" if len(empty) > 5 else "")
        print(f"{len(empty)} empty periods kept as gaps: {listed}")
    if corrected is not None:
        print(
            f"share of documents about each theme, corrected (Rogan-Gladen) by {args.validation}:"
        )
        print(corrected.pivot(index="period", columns="theme", values="corrected")
              .to_string(float_format="%.3f"))  # fmt: skip
    print(
        f"wrote {args.output}, {units_path(args.output)}"
        + ("" if shares_file is None else f" and {shares_path(args.output)}")
        + ("" if corrected is None else f" and {corrected_path(args.output)}")
    )
    return 0


def corrected_path(trends_csv: Path) -> Path:
    """``STEM.corrected.csv`` beside a trends CSV."""
    return trends_csv.with_name(f"{trends_csv.stem}.corrected.csv")


def _corrected_note(output: Path, path: Path, validation: Any) -> dict[str, Any]:
    return {
        "table": corrected_path(output).name,
        "validation": str(path),
        "validated_against": validation.settings.get("source"),
        "what": "share of documents the measure detects (share > 0), corrected for its "
        "sensitivity and specificity (Rogan-Gladen); assumes both are constant across periods",
    }


def _filtered(path: Path, conditions: list[str]) -> Any:
    """Read the corpus and keep the documents meeting every ``COLUMN=V1,V2`` condition."""
    from ...corpus import Corpus

    corpus = Corpus.read_parquet(path)
    for condition in conditions:
        column, sep, values = condition.partition("=")
        if not sep or not column.strip() or not values.strip():
            raise ConfigError(f"--where {condition!r}: write COLUMN=VALUE or COLUMN=V1,V2")
        corpus = corpus.where(column.strip(), [v.strip() for v in values.split(",")])
    print(f"analysing {len(corpus)} documents where {' and '.join(conditions)}")
    return corpus


def _document_shares(analysis: Any, by: str | None = None) -> Any:
    """Each placed document's theme shares with its period and unit (`topics changes` input).

    With ``by``, a ``group`` column holds the document's value of that corpus column.
    """
    placed = analysis.periods.set_index("id")["period"]
    shares, units = analysis.shares, analysis.units
    out = shares.assign(
        period=placed.reindex(shares["doc_id"]).astype(str).to_numpy(),
        unit=(units.reindex(shares["doc_id"]).to_numpy() if units is not None
              else shares["doc_id"].to_numpy()),
    )  # fmt: skip
    if by:
        groups = analysis.corpus.column(by)
        groups.index = analysis.corpus.ids
        out["group"] = groups.reindex(shares["doc_id"]).astype("string").to_numpy()
    return out[placed.reindex(shares["doc_id"]).notna().to_numpy()]


def _add_changes(sub: Subparsers[argparse.ArgumentParser]) -> None:
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
Edges and gaps: a segment needs --min-size units (documents, or articles for
paragraphs), so a well-populated last period can be a segment of its own; edge
periods holding fewer units together are printed as "not testable here" and
never pull a change towards them. Empty periods stay gaps (gap_before counts
them). Where: date_lo-date_hi holds 95% of bootstrap re-placements of each
change (across a gap it starts in the gap). Intervals for shifts are
Bayesian-bootstrap intervals over articles, conditional on the dates found.""",
    )
    parser.add_argument("trends", type=Path, help="CSV written by `topics trends`")
    parser.add_argument("-o", "--output", type=Path, required=True, help="changes CSV to write")
    add_test_args(parser, "the periods among the units")
    parser.add_argument(
        "--alpha", type=float, default=defaults.ALPHA,
        help=f"family-wise level (default {defaults.ALPHA})",
    )  # fmt: skip
    parser.add_argument(
        "--correction", choices=CORRECTIONS,
        default=defaults.CORRECTION,
        help="fwer: Westfall-Young over themes x dates (default); fdr: Benjamini-Hochberg",
    )  # fmt: skip
    parser.add_argument(
        "--min-size", type=int, default=defaults.MIN_SIZE,
        help="fewest units (documents, or articles for paragraphs) in a segment, so a "
        f"well-populated period can be one on its own (default {defaults.MIN_SIZE})",
    )  # fmt: skip
    parser.add_argument(
        "--max-changes", type=int, default=defaults.MAX_CHANGES,
        help=f"most changes per theme (default {defaults.MAX_CHANGES})",
    )  # fmt: skip
    parser.set_defaults(handler=_run_changes)


def _run_changes(args: argparse.Namespace) -> int:
    import pandas as pd

    from ...outputs import Outputs
    from ...spreadsheet import write_csv
    from ...trends import ChangeSettings, table_changes

    settings = ChangeSettings.from_mapping(
        {"alpha": args.alpha, "correction": args.correction, "n_perm": args.permutations,
         "min_size": args.min_size, "max_changes": args.max_changes,
         "weighting": args.weighting, "n_boot": args.boot, "random_state": args.seed},
        "options", option_names(ChangeSettings),
    )  # fmt: skip
    inputs = [args.trends, args.shares or shares_path(args.trends), units_path(args.trends)]
    with Outputs(inputs=inputs) as out:
        changes_file = out.file(args.output)
        tables, source = read_unit_tables(args.trends, args.shares, args.weighting)
        results = {group: table_changes(table, settings) for group, table in tables.items()}
        if None in results:
            changes = results[None].changes
            extra = {"test": results[None].to_dict()}
        else:  # one test per group, each calibrated on its own
            changes = pd.concat(
                [r.changes.assign(group=g) for g, r in results.items()], ignore_index=True
            )
            extra = {"tests": {str(g): r.to_dict() for g, r in results.items()}}
        write_csv(changes, changes_file)
        out.manifest(
            args.output, "changes",
            config=settings.to_dict(),
            inputs=[args.trends, source], random_state=args.seed, extra=extra,
        )  # fmt: skip
    for group, result in results.items():
        if group is not None:
            print(f"— group {group} (tested on its own; the correction covers its themes):")
        print(result.summary())
    print(f"wrote {args.output}")
    return 0
