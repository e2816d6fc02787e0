"""`topics event`: did each theme change after a known date? (a thin adapter over event_study)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ... import defaults
from ...limits import check_count
from ._common import Subparsers, add_test_args, option_names, shares_path
from .streaming import units_path

__all__ = ["add", "profile_path"]


def add(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Register `event`."""
    parser = sub.add_parser(
        "event",
        help="event study: each theme before vs after a known date",
        description=(
            "Compare every theme's share in the --window periods before the period holding "
            "--date with the --window periods from it on: before, after, shift with a 95%% "
            "Bayesian-bootstrap interval over units, a permutation p-value (periods shuffled "
            "among the window's units) and its family-wise adjustment over the themes "
            "(Westfall-Young), the event's rank among placebo dates (placebo_p), and the slope "
            "over the pre-window with its interval (pretrend: a flag when it already points the "
            "way of the shift). Reads STEM.shares.parquet beside the trends CSV, as `topics "
            "changes` does; writes the table, STEM.profile.csv (each period's share relative to "
            "the event, for the figure) and a manifest."
        ),
    )
    parser.add_argument("trends", type=Path, help="CSV written by `topics trends`")
    parser.add_argument(
        "--date", required=True, help="the event: a date such as 2022-02-24 (or a period label)"
    )
    parser.add_argument(
        "--window", type=int, default=None,
        help=f"periods on each side (default: the largest that fits, at most "
        f"{defaults.EVENT_WINDOW})",
    )  # fmt: skip
    parser.add_argument("-o", "--output", type=Path, required=True, help="event CSV to write")
    add_test_args(parser, "the window's periods among its units")
    parser.set_defaults(handler=_run)


def profile_path(event_csv: Path) -> Path:
    """Where `topics event` puts the per-period profile of ``event_csv``."""
    return event_csv.with_name(event_csv.stem + ".profile.csv")


def _run(args: argparse.Namespace) -> int:
    from ...outputs import Outputs
    from ...spreadsheet import write_csv
    from ...trends import ChangeSettings, table_event
    from ._tables import read_unit_tables

    if args.window is not None:
        check_count(args.window, "--window")
    settings = ChangeSettings.from_mapping(
        {"n_perm": args.permutations, "n_boot": args.boot, "weighting": args.weighting,
         "random_state": args.seed},
        "options", option_names(ChangeSettings),
    )  # fmt: skip
    inputs = [args.trends, args.shares or shares_path(args.trends), units_path(args.trends)]
    with Outputs(inputs=inputs) as out:
        event_file = out.file(args.output)
        profile_file = out.file(profile_path(args.output), part_of=args.output)
        tables, source = read_unit_tables(args.trends, args.shares, args.weighting, groups=False)
        result = table_event(tables[None], args.date, window=args.window, settings=settings)
        write_csv(result.table, event_file, float_format="%.6g")
        write_csv(result.profile.astype({"period": str}), profile_file, float_format="%.6g")
        out.manifest(
            args.output, "event",
            config={"date": args.date, "window": result.window, "window_given": args.window,
                    **settings.to_dict()},
            inputs=[args.trends, source], random_state=args.seed, extra={"event": result.to_dict()},
        )  # fmt: skip
    shown = result.table.drop(columns=["event", "window"])
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    flagged = result.flagged()
    if flagged:
        print(
            f"pre-trend: {', '.join(flagged)} already moved the way of the shift before the event"
        )
    print(result.describe())
    print(f"wrote {args.output} and {profile_path(args.output)}")
    return 0
