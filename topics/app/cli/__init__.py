"""The ``topics`` command line.

Each subcommand lives in its own module (:mod:`.ingest`, :mod:`.models` — fit and sweep —,
:mod:`.themes` — trends and changes —, :mod:`.events`, :mod:`.validate` — sample, score, gold —,
:mod:`.dynamic`, :mod:`.report` — report and figures)
and is a thin shell over library calls: it parses arguments, calls the library, prints a summary
and writes its outputs whole (:class:`topics.outputs.Outputs`) with a JSON manifest beside
them. Heavy imports happen inside the handlers, so ``topics --help`` starts fast. Errors the
package raises on purpose (:class:`~topics.errors.TopicsError`) are printed as one line and exit
with status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from ...errors import TopicsError
from . import dynamic, events, ingest, models, report, themes, validate

__all__ = ["build_parser", "main"]

_COMMANDS = (ingest, models, themes, events, validate, dynamic, report)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``topics`` command."""
    parser = argparse.ArgumentParser(
        prog="topics",
        description="Topic and trend modelling of dated text.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _COMMANDS:
        command.add(sub)
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
