"""`topics report` and `topics figures`: the whole analysis from a TOML file; every figure."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import Subparsers, add_progress_args

__all__ = ["add"]


def add(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Register `report` and `figures`."""
    _add_report(sub)
    _add_figures(sub)


def _add_report(sub: Subparsers[argparse.ArgumentParser]) -> None:
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
    add_progress_args(parser)
    parser.set_defaults(handler=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from ..report import ReportConfig, run_report

    config = ReportConfig.from_toml(args.config)
    manifest = run_report(config, progress=args.progress, echo=print)
    print(
        f"{manifest['ingest']['documents']} documents → {manifest['ingest']['units']} units; "
        f"{len(manifest['files'])} files written to {config.output}"
    )
    for entry in manifest["files"]:
        print(f"  {entry['path']}")
    return 0


def _add_figures(sub: Subparsers[argparse.ArgumentParser]) -> None:
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
    from ..notebooks import run_notebooks

    manifest = run_notebooks(
        names=args.only, small=args.small, build_dir=args.build_dir, figures_dir=args.figures_dir
    )
    for name, info in manifest["figures"].items():
        print(f"{name}: {', '.join(info['files'])}  ({info['notebook']})")
    return 0
