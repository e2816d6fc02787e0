"""The ``topics`` command line.

Each subcommand lives in its own module (:mod:`.ingest`, :mod:`.models` — fit and sweep —,
:mod:`.themes` — trends and changes —, :mod:`.events`, :mod:`.validate` — sample, score, gold —,
:mod:`.dynamic`, :mod:`.report` — report and figures)
and is a thin shell over library calls: it parses arguments, calls the library, prints a summary
and writes its outputs whole (:class:`topics.outputs.Outputs`) with a JSON manifest beside
them. Heavy imports happen inside the handlers, so ``topics --help`` starts fast. Errors the
package raises on purpose (:class:`~topics.errors.TopicsError`) are printed as one line and exit
with status 2; anything else is a bug and keeps its traceback. Run from a shell (``argv``
not given), warnings print as one ``warning: …`` line each, without the package's source line;
called with ``argv`` (tests, scripts) they stay ordinary Python warnings, so callers that record
or filter them still can.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TextIO

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
    with warnings.catch_warnings():  # restores the display hook on the way out
        if argv is None:
            warnings.showwarning = _show_warning
        return _run(handler, args)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Print a warning as one line: ``warning: …`` (the kind named unless it is the package's)."""
    from ...errors import TopicsWarning

    kind = "" if issubclass(category, TopicsWarning) else f" ({category.__name__})"
    print(f"warning{kind}: {_one_line(str(message))}", file=file or sys.stderr)


def _run(handler: Callable[[argparse.Namespace], int], args: Any) -> int:
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
